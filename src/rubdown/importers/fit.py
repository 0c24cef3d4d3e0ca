"""FIT activities (Garmin and most watches), decoded as a stream with fitdecode.

Rules, per session message (a multisport file holds several):

* sport, start, distance, timer time (duration) and elapsed time come from
  the session summary: ``sport``, ``start_time``, ``total_distance``,
  ``total_timer_time``, ``total_elapsed_time``.
* The summary is checked against the record messages' timestamps. When it
  is absurd (no start, a start outside the span of the records, elapsed
  shorter than timer time) the values come from the records instead: first
  record, record span, moving time by the 1 km/h rule used for GPX.
* Records with impossible timestamps (before the FIT epoch's sane range,
  after tomorrow, or jumping by more than a day) are ignored: a damaged file
  can end with a garbage record.
* A file without any session (cut before it was written) is summed up from
  its records.
* A file that stops part-way (truncated, bad CRC, undefined local message)
  keeps what was decoded before the error; the caller reports it as
  recovered, with the error.
"""

from __future__ import annotations

import io
import math
import struct
import time
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime

from .activity import (
    STOPPED_SPEED_MPS,
    NothingToImport,
    Parsed,
    ParsedActivity,
    UnreadableFile,
    normalise_sport,
    one_line,
    seconds,
)

#: Unix time of the FIT epoch, 1989-12-31T00:00:00Z.
FIT_EPOCH_UNIX = 631065600
#: FIT date_time values below this are relative (seconds since power-on).
_FIT_MIN_ABSOLUTE = 0x10000000
_DAY_S = 86400
#: A session may start shortly before its first record (waiting for a fix).
_START_SLACK_S = 60
_SESSION_FIELDS = (
    "sport",
    "start_time",
    "total_distance",
    "total_timer_time",
    "total_elapsed_time",
)


def _unix(fit_time: object) -> float | None:
    """A raw FIT date_time as Unix time, or None when absent or relative."""
    if not isinstance(fit_time, int | float) or fit_time < _FIT_MIN_ABSOLUTE:
        return None
    return float(fit_time) + FIT_EPOCH_UNIX


def _finite(value: object) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) and value >= 0 else None


def _describe(exc: BaseException) -> str:
    import fitdecode

    if isinstance(exc, fitdecode.FitEOFError):
        return one_line(f"truncated FIT file ({exc})")
    if isinstance(exc, fitdecode.FitCRCError):
        return one_line(f"bad CRC in FIT file ({exc})")
    if isinstance(exc, fitdecode.FitHeaderError):
        return one_line(f"not a valid FIT file ({exc})")
    if isinstance(exc, fitdecode.FitError):
        return one_line(f"FIT decoding stopped: {exc}")
    return one_line(f"FIT decoding stopped: {type(exc).__name__}: {exc}")


class _Records:
    """Timestamps and cumulative distances of the sane record messages."""

    def __init__(self, latest_unix: float) -> None:
        self.times = array("d")
        self.distances = array("d")  # NaN where a record has no distance
        self.latest = latest_unix
        self.seen = 0

    def add(self, fit_time: object, distance: object) -> None:
        self.seen += 1
        when = _unix(fit_time)
        if when is None or when > self.latest:
            return
        if self.times and not (self.times[-1] <= when <= self.times[-1] + _DAY_S):
            return
        self.times.append(when)
        dist = _finite(distance)
        self.distances.append(math.nan if dist is None else dist)

    def window(self, start: float, end: float) -> tuple[Sequence[float], Sequence[float]]:
        """The records from ``start`` to ``end`` (Unix times, inclusive)."""
        import bisect

        lo = bisect.bisect_left(self.times, start)
        hi = bisect.bisect_right(self.times, end)
        return self.times[lo:hi], self.distances[lo:hi]


def _from_records(
    times: Sequence[float], distances: Sequence[float], sport: object, distance_m: float | None
) -> ParsedActivity | None:
    if not times:
        return None
    moving_s = 0.0
    has_distance = False
    for i in range(1, len(times)):
        step_s = times[i] - times[i - 1]
        step_m = distances[i] - distances[i - 1]  # NaN when either is missing
        if not math.isnan(step_m):
            has_distance = True
            if step_s > 0 and step_m > 0 and step_m / step_s > STOPPED_SPEED_MPS:
                moving_s += step_s
    elapsed_s = times[-1] - times[0]
    if distance_m is None:
        known = [d for d in distances if not math.isnan(d)]
        distance_m = max(known) if known else None
    return ParsedActivity(
        start=datetime.fromtimestamp(times[0], tz=UTC),
        distance_m=distance_m,
        duration_s=seconds(moving_s if has_distance else elapsed_s),
        elapsed_s=seconds(elapsed_s),
        sport=normalise_sport(sport),
    )


def _session_activity(
    session: dict, records: _Records, only_session: bool, sport_hint: object
) -> ParsedActivity | None:
    start = _unix(session["start_time"])
    timer_s = _finite(session["total_timer_time"])
    elapsed_s = _finite(session["total_elapsed_time"])
    distance_m = _finite(session["total_distance"])
    sport = session["sport"] if session["sport"] is not None else sport_hint
    if only_session or start is None:
        times, distances = records.times, records.distances
    else:
        times, distances = records.window(start - _START_SLACK_S, start + (elapsed_s or 0) + 1)
    absurd = start is None or start > records.latest
    if times and start is not None and not (times[0] - _START_SLACK_S <= start <= times[-1]):
        absurd = True
    if timer_s is not None and elapsed_s is not None and elapsed_s + 1 < timer_s:
        absurd = True
    if absurd and times:
        return _from_records(times, distances, sport, distance_m)
    if start is None or start > records.latest:
        return None  # cannot be placed in time
    if timer_s is None:
        timer_s = elapsed_s
    if elapsed_s is None or elapsed_s + 1 < timer_s:
        elapsed_s = timer_s
    if distance_m is None and times:
        known = [d for d in distances if not math.isnan(d)]
        distance_m = max(known) if known else None
    return ParsedActivity(
        start=datetime.fromtimestamp(start, tz=UTC),
        distance_m=distance_m,
        duration_s=seconds(timer_s),
        elapsed_s=seconds(elapsed_s),
        sport=normalise_sport(sport),
    )


def parse_fit(data: bytes) -> Parsed:
    """The activities of a FIT file, and the error that stopped decoding.

    Raises UnreadableFile when nothing could be decoded, NothingToImport for
    a sound file without activity data (a course, settings...).
    """
    import fitdecode

    records = _Records(latest_unix=time.time() + _DAY_S)
    sessions: list[dict] = []
    sport_hint: object = None
    error: str | None = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            processor=None,  # raw values: no datetime objects for every record
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    records.add(
                        frame.get_value("timestamp", fallback=None),
                        frame.get_value("distance", fallback=None),
                    )
                elif name == "session":
                    sessions.append(
                        {key: frame.get_value(key, fallback=None) for key in _SESSION_FIELDS}
                    )
                elif name in ("lap", "sport") and sport_hint is None:
                    sport_hint = frame.get_value("sport", fallback=None)
    except fitdecode.FitError as exc:
        error = _describe(exc)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AssertionError,
        ZeroDivisionError,
        OverflowError,
        struct.error,
    ) as exc:
        # fitdecode trusts the byte stream in places; hostile bytes can
        # surface as any of these. Each means "decoding stopped here".
        error = _describe(exc)

    activities: list[ParsedActivity] = []
    for session in sessions:
        activity = _session_activity(
            session, records, only_session=len(sessions) == 1, sport_hint=sport_hint
        )
        if activity is not None:
            activities.append(activity)
    if not sessions:
        activity = _from_records(records.times, records.distances, sport_hint, None)
        if activity is not None:
            activities.append(activity)
    if activities:
        return Parsed(activities, error)
    if error is not None:
        raise UnreadableFile(error)
    if sessions or records.seen:
        raise NothingToImport("no timestamps")
    raise NothingToImport("no activity data in FIT file")
