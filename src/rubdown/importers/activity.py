"""The values the importers produce, and the small rules they share.

Pure and cheap to import: no XML, FIT or zip machinery here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
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
    again from the same file or export row.
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


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file (or one row of a Strava export).

    ``path`` is the file on disk (the folder or zip for a Strava export);
    ``entry`` names the part inside it, e.g. ``activities.csv row 3
    (id 203707851)`` or ``activities/123.fit.gz``. ``records`` holds the
    validated records of a rubdown JSON export.
    """

    path: Path
    status: Status
    reason: str | None = None
    activities: tuple[Activity, ...] = ()
    entry: str | None = None
    records: tuple[dict[str, Any], ...] = field(default=())

    @property
    def label(self) -> str:
        """The path as shown to people, with the entry inside it if any."""
        return f"{self.path} ({self.entry})" if self.entry else str(self.path)


@dataclass(frozen=True, slots=True)
class ParsedActivity:
    """An activity as one format parser read it, before source and id."""

    start: datetime
    distance_m: float | None
    duration_s: int | None
    elapsed_s: int | None
    sport: str | None
    name: str | None = None


@dataclass(slots=True)
class Parsed:
    """A parser's answer: the activities it read, and the error that stopped
    it part-way (then the activities are what came before the error)."""

    activities: list[ParsedActivity]
    error: str | None = None


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


# Sports are normalised to a few families; anything else keeps its own name
# as a lower-case slug ("Nordic Ski" -> "nordic-ski"), so skipped files can be
# counted by what they really are. Keys are compared lower-case with spaces,
# dashes and underscores removed. The numbers are Strava's activity type codes,
# which its GPX files write as <type>9</type>.
_FAMILIES = {
    "run": (
        "run running trailrun trailrunning virtualrun treadmill treadmillrunning "
        "trackrunning indoorrunning streetrunning jog jogging 9"
    ),
    "ride": (
        "ride cycling biking bike virtualride ebikeride ebiking mountainbikeride "
        "emountainbikeride gravelride mountainbiking roadbiking indoorcycling "
        "handcycle velomobile 1"
    ),
    "walk": "walk walking 10",
    "hike": "hike hiking 4",
    "swim": "swim swimming lapswimming openwaterswimming",
    "other": "other generic",
}
_SPORT_BY_KEY = {key: family for family, keys in _FAMILIES.items() for key in keys.split()}


def normalise_sport(raw: object) -> str | None:
    """``run``, ``ride``, ``walk``, ``hike``, ``swim``, ``other`` or a slug
    of the recorded name; None when no sport is recorded."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    key = re.sub(r"[\s_\-]+", "", text.lower())
    if key in _SPORT_BY_KEY:
        return _SPORT_BY_KEY[key]
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "other"
