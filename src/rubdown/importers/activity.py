"""The values the importers produce, and the small rules they share.

Pure and cheap to import: no XML, FIT or zip machinery here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

Status = Literal["imported", "recovered", "skipped", "failed"]

#: Radius of the Earth used for every distance rubdown computes from
#: positions: the IUGG mean radius (R1 = 6,371,008.8 m).
EARTH_RADIUS_M = 6371008.8

#: Below this speed two timed points count as stopped, as in gpxpy's
#: ``get_moving_data`` (1 km/h), so moving times agree with common tools.
STOPPED_SPEED_MPS = 1000 / 3600


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity read from a file or an export, ready to be stored.

    ``start`` is the instant it began, in UTC; the caller converts it to the
    local zone. ``duration_s`` is moving (timer) time, ``elapsed_s`` wall
    time from start to end. ``source`` says where it came from for people
    (``fit:2013-02-06-12-11-14.fit``, ``strava:1234567``); ``source_id`` is a
    stable fingerprint of the activity, equal for the same activity imported
    again from the same file or export row. ``sport`` is the family
    (``run``, ``ride``...); ``recorded_sport`` the file's own words for it,
    None when the file recorded no sport (then ``sport`` is ``run``).

    Distances are kept to the centimetre (:func:`metres`): float32 noise such
    as 6639.39990234375 never reaches the log.
    """

    start: datetime
    distance_m: float | None
    duration_s: int | None
    elapsed_s: int | None
    sport: str
    source: str
    source_id: str
    rpe: int | None = None
    name: str | None = None
    recorded_sport: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "distance_m", metres(self.distance_m))


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file (or one row of a Strava export).

    ``path`` is the file on disk (the folder or zip for a Strava export);
    ``entry`` names the part inside it, e.g. ``activities.csv row 3
    (id 203707851)`` or ``activities/123.fit.gz``. ``records`` holds the
    validated records of a rubdown JSON export. ``not_runs`` names, in the
    file's words, the sessions of a multisport file that were left out
    because they are not runs, when its runs were imported.
    """

    path: Path
    status: Status
    reason: str | None = None
    activities: tuple[Activity, ...] = ()
    entry: str | None = None
    records: tuple[dict[str, Any], ...] = field(default=())
    not_runs: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The path as shown to people, with the entry inside it if any."""
        return f"{self.path} ({self.entry})" if self.entry else str(self.path)


@dataclass(frozen=True, slots=True)
class ParsedActivity:
    """An activity as one format parser read it, before source and id.

    ``sport`` is the file's words for it (:func:`sport_words`), None when
    it recorded none."""

    start: datetime
    distance_m: float | None
    duration_s: int | None
    elapsed_s: int | None
    sport: str | None
    name: str | None = None


@dataclass(slots=True)
class Parsed:
    """A parser's answer: the activities it read, and the error that stopped
    it part-way (then the activities are what came before the error), or
    what was wrong in a file read whole and how it was mended (``repaired``):
    either makes the file "recovered"."""

    activities: list[ParsedActivity]
    error: str | None = None
    repaired: str | None = None


class ImportProblem(Exception):
    """A file cannot be imported; ``str(exc)`` is the one-line reason."""


class UnreadableFile(ImportProblem):
    """The file is damaged, hostile or not what its name says: failed."""


class LimitExceeded(UnreadableFile):
    """The input passes a safety limit (size, ratio, count): hostile or
    absurd, never worked around."""


class NothingToImport(ImportProblem):
    """The file is sound but holds nothing to import (no timestamps...):
    skipped."""


def one_line(text: object, limit: int = 200) -> str:
    """``text`` collapsed to one line of at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def seconds(value: float | None) -> int | None:
    """A duration in whole seconds (nearest), or None."""
    return None if value is None else int(round(value))


def metres(value: float | None) -> float | None:
    """A distance to the centimetre, or None: what a watch can tell, without
    the float32 noise of its encoding (6639.39990234375 -> 6639.4)."""
    return None if value is None else round(float(value), 2)


#: Before this instant no activity file can have been recorded (GPS watches
#: came decades later); a time before it is a placeholder, such as
#: GPSBabel's 1901-12-13T20:45:52Z (the 32-bit minimum), and is no time.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


# Sports are normalised to a few families; anything else keeps its own name
# as a lower-case slug ("Nordic Ski" -> "nordic-ski"). Keys are compared
# lower-case with spaces, dashes and underscores removed. Garmin writes
# activity type keys (``trail_running``, ``obstacle_run``, ``virtual_run``)
# in GPX and TCX; FIT sports are its enum names (``running``; a virtual or
# obstacle run is ``running`` with a sub-sport, still a run).
_FAMILIES = {
    "run": (
        "run running trailrun trailrunning virtualrun virtualrunning treadmill "
        "treadmillrunning trackrunning indoorrunning streetrunning obstaclerun "
        "obstaclerunning ultrarun ultrarunning jog jogging"
    ),
    "ride": (
        "ride cycling biking bike virtualride virtualbiking ebikeride ebiking "
        "mountainbikeride emountainbikeride gravelride mountainbiking roadbiking "
        "indoorcycling handcycle handcycling velomobile"
    ),
    "walk": "walk walking",
    "hike": "hike hiking",
    "swim": "swim swimming lapswimming openwaterswimming",
    "other": "other",
}
_SPORT_BY_KEY = {key: family for family, keys in _FAMILIES.items() for key in keys.split()}

#: Strava's activity type codes, which its GPX files write as <type>9</type>
#: (and some of its exports in the activity type), with Strava's names.
STRAVA_TYPE_CODES = {
    "1": "Ride",
    "2": "Alpine Ski",
    "3": "Backcountry Ski",
    "4": "Hike",
    "5": "Ice Skate",
    "6": "Inline Skate",
    "7": "Nordic Ski",
    "8": "Roller Ski",
    "9": "Run",
    "10": "Walk",
    "11": "Workout",
    "12": "Snowboard",
    "13": "Snowshoe",
    "14": "Kitesurf",
    "15": "Windsurf",
    "16": "Swim",
    "17": "Virtual Ride",
    "18": "E-Bike Ride",
    "19": "Velomobile",
    "21": "Canoeing",
    "22": "Kayaking",
    "23": "Rowing",
    "24": "Stand Up Paddling",
    "25": "Surfing",
    "26": "Crossfit",
    "27": "Elliptical",
    "28": "Rock Climbing",
    "29": "Stair Stepper",
    "30": "Weight Training",
    "31": "Yoga",
    "51": "Handcycle",
    "52": "Wheelchair",
    "53": "Virtual Run",
}

#: Words that say the device recorded no sport: FIT's ``generic`` (sport 0).
_NO_SPORT = {"generic"}


def sport_words(raw: object) -> str | None:
    """The sport as the file names it, for people: lower case, ``_`` as a
    space, a Strava type code by its name (``16`` -> ``swim``; a number not
    in the table is an ``unknown sport``, never shown raw). None when no
    sport is recorded (nothing, or FIT's ``generic``)."""
    if raw is None:
        return None
    text = " ".join(str(raw).replace("_", " ").split()).lower()
    if text.isdigit():
        name = STRAVA_TYPE_CODES.get(str(int(text)))
        return name.lower() if name else "unknown sport"
    if not text or text in _NO_SPORT:
        return None
    return one_line(text, 60)


def normalise_sport(raw: object) -> str | None:
    """``run``, ``ride``, ``walk``, ``hike``, ``swim``, ``other`` or a slug
    of the recorded name; None when no sport is recorded."""
    text = sport_words(raw)
    if text is None:
        return None
    key = re.sub(r"[\s_\-]+", "", text)
    if key in _SPORT_BY_KEY:
        return _SPORT_BY_KEY[key]
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "other"
