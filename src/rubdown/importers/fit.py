"""FIT activities (Garmin and most watches), decoded as a stream with fitdecode.

Rules, per session message (a multisport file holds several):

* sport, start, distance, timer time (duration) and elapsed time come from
  the session summary: ``sport``, ``start_time``, ``total_distance``,
  ``total_timer_time``, ``total_elapsed_time``. Sport ``generic`` means the
  device recorded none (taken as a run, like no sport at all); without a
  session sport, the first lap or sport message's sport is used when the
  file has one session (in a multisport file it would be another leg's).
* A distance and a duration always cover the same span: a session without
  a distance takes the distance the records cover *within* its span; a
  session without any time is timed by the records, as below.
* The summary is checked against the record messages' timestamps. When it
  is absurd (no start, a start outside the span of the records, elapsed
  shorter than timer time) the values come from the records instead: first
  record, record span, largest record distance (the session's only when no
  record has one), and as duration ``activity.total_timer_time`` when the
  file has one session and that time fits in the span, else the moving
  time by the 1 km/h rule used for GPX.
* The only session of a file ending more than a minute before its last
  record (a watch that wrote the summary at the last lap while recording
  went on) is taken from the records in the same way when they carry
  distances, and the file is reported as recovered, saying so.
* Records with impossible timestamps (before the FIT epoch's sane range,
  more than a day after now, or jumping by more than a day) are ignored: a
  damaged file can end with a garbage record. When every record is more than
  a day after now, the file is read as it says (a device's clock set wrong)
  and the import refuses its run as in the future.
* A file without any session (cut before it was written) is summed up from
  its records, its duration ``activity.total_timer_time`` when present.
* A file that stops part-way (truncated, bad CRC, undefined local message)
  keeps what was decoded before the error; the caller reports it as
  recovered, with the error. A file with no message at all fails.
"""

from __future__ import annotations

import io
import math
import struct
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime

from .activity import (
    STOPPED_SPEED_MPS,
    NothingToImport,
    Parsed,
    ParsedActivity,
    UnreadableFile,
    one_line,
    seconds,
    sport_words,
)

#: Unix time of the FIT epoch, 1989-12-31T00:00:00Z.
FIT_EPOCH_UNIX = 631065600
#: FIT date_time values below this are relative (seconds since power-on).
_FIT_MIN_ABSOLUTE = 0x10000000
_DAY_S = 86400
#: A session may start shortly before its first record (waiting for a fix).
_START_SLACK_S = 60
#: Records this long after the end of the only session mean it stopped early.
_END_SLACK_S = 60
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
        #: The records after ``latest``, kept apart: garbage at the end of a
        #: damaged file, or, when no record is earlier, a file recorded in
        #: the future (a device's clock set wrong), to be refused as such.
        self.later: _Records | None = None

    def add(self, fit_time: object, distance: object) -> None:
        self.seen += 1
        when = _unix(fit_time)
        if when is None:
            return
        if when > self.latest:
            if math.isfinite(self.latest):
                if self.later is None:
                    self.later = _Records(math.inf)
                self.later.add(fit_time, distance)
            return
        if self.times and not (self.times[-1] <= when <= self.times[-1] + _DAY_S):
            return
        self.times.append(when)
        dist = _finite(distance)
        self.distances.append(math.nan if dist is None else dist)

    def window(self, start: float, end: float) -> tuple[Sequence[float], Sequence[float]]:
        """The records from ``start`` to ``end`` (Unix times, inclusive), their
        distances counted from the distance recorded at ``start`` (or last
        before it): a later session of a multisport file starts where the
        last one ended."""
        import bisect

        lo = bisect.bisect_left(self.times, start)
        hi = bisect.bisect_right(self.times, end)
        upto = bisect.bisect_right(self.times, start)
        base = next((d for d in reversed(self.distances[:upto]) if not math.isnan(d)), 0.0)
        return self.times[lo:hi], [d - base for d in self.distances[lo:hi]]


def _known(distances: Sequence[float]) -> float | None:
    """The largest cumulative distance among records, None when none has one."""
    known = [d for d in distances if not math.isnan(d)]
    return max(known) if known else None


def _from_records(
    times: Sequence[float],
    distances: Sequence[float],
    sport: str | None,
    timer_s: float | None = None,
    distance_m: float | None = None,
) -> ParsedActivity | None:
    """An activity summed up from records: start at the first, elapsed over
    their span, distance the largest they reach (``distance_m`` only when
    no record has one), duration ``timer_s`` (what the file says) when it
    fits in the span, else the moving time by the 1 km/h rule."""
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
    recorded = _known(distances)
    if timer_s is None or not 0 < timer_s <= elapsed_s + 1:
        timer_s = moving_s if has_distance else elapsed_s
    return ParsedActivity(
        start=datetime.fromtimestamp(times[0], tz=UTC),
        distance_m=recorded if recorded is not None else distance_m,
        duration_s=seconds(timer_s),
        elapsed_s=seconds(elapsed_s),
        sport=sport,
    )


def _sport(value: object) -> str | None:
    """A FIT sport in words; None for ``generic`` (no sport recorded). A
    number is a sport newer than fitdecode's profile."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "unknown sport"
    return sport_words(value)


def _session_activity(
    session: dict,
    records: _Records,
    only_session: bool,
    sport_hint: object,
    activity_timer_s: float | None = None,
) -> tuple[ParsedActivity | None, str | None]:
    """The activity of one session, and what was mended in it (None when
    the summary was taken as it is).

    Distance and duration are always taken over the same span: both from
    the session, or both from the records it covers.
    """
    start = _unix(session["start_time"])
    timer_s = _finite(session["total_timer_time"])
    elapsed_s = _finite(session["total_elapsed_time"])
    distance_m = _finite(session["total_distance"])
    sport = _sport(session["sport"])
    if only_session:
        sport = sport or _sport(sport_hint)
    else:
        # The first lap's sport and the activity's timer belong to the whole
        # file, not to one of its sessions.
        activity_timer_s = None
    times: Sequence[float]
    distances: Sequence[float]
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
        return _from_records(times, distances, sport, activity_timer_s, distance_m), None
    if start is None or start > records.latest:
        return None, None  # cannot be placed in time
    if timer_s is None and elapsed_s is None and times:
        return _from_records(times, distances, sport, activity_timer_s, distance_m), None
    if timer_s is None:
        timer_s = elapsed_s
    if elapsed_s is None or (timer_s is not None and elapsed_s + 1 < timer_s):
        elapsed_s = timer_s
    end = start + (elapsed_s or 0)
    if only_session and times and times[-1] > end + _END_SLACK_S and _known(distances) is not None:
        # The session stops before the records do (a watch that wrote its
        # summary at the last lap): the records cover the whole outing.
        activity = _from_records(times, distances, sport, activity_timer_s)
        used = "the records"
        if (
            activity is not None
            and activity_timer_s is not None
            and activity.duration_s == seconds(activity_timer_s)
        ):
            used += " and the activity's timer time"
        return activity, (
            f"the session ends {seconds(times[-1] - end)} s before the last record; used {used}"
        )
    if distance_m is None and times:
        distance_m = _known(records.window(start, end + 1)[1])
    return ParsedActivity(
        start=datetime.fromtimestamp(start, tz=UTC),
        distance_m=distance_m,
        duration_s=seconds(timer_s),
        elapsed_s=seconds(elapsed_s),
        sport=sport,
    ), None


def parse_fit(data: bytes) -> Parsed:
    """The activities of a FIT file, and the error that stopped decoding.

    The summary reader (``fit_summary``) reads a sound file's few values
    without decoding its records; anything it does not read exactly as
    fitdecode would is decoded whole by :func:`decode_fit`, the same rules
    summing up either.

    Raises UnreadableFile when nothing could be decoded, NothingToImport for
    a sound file without activity data (a course, settings...).
    """
    from rubdown import clock

    from .fit_summary import read_summary

    latest = clock.now().timestamp() + _DAY_S
    records = _Records(latest_unix=latest)
    summary = read_summary(data, records.add)
    if summary is None:
        return decode_fit(data)
    sessions: list[dict] = []
    sport_hint: object = None
    activity_timer_s: float | None = None
    for name, values in summary.messages:
        if name == "session":
            sessions.append({key: values.get(key) for key in _SESSION_FIELDS})
        elif name in ("lap", "sport") and _sport(sport_hint) is None:
            sport_hint = values.get("sport")
        elif name == "activity" and activity_timer_s is None:
            activity_timer_s = _finite(values.get("total_timer_time"))
    return _summed_up(records, sessions, sport_hint, activity_timer_s, summary.count, None)


def decode_fit(data: bytes) -> Parsed:
    """The activities of a FIT file decoded whole with fitdecode, message
    by message, keeping what came before an error (see :func:`parse_fit`)."""
    import fitdecode

    from rubdown import clock

    records = _Records(latest_unix=clock.now().timestamp() + _DAY_S)
    sessions: list[dict] = []
    sport_hint: object = None
    activity_timer_s: float | None = None
    messages = 0
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
                messages += 1
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
                elif name in ("lap", "sport") and _sport(sport_hint) is None:
                    sport_hint = frame.get_value("sport", fallback=None)
                elif name == "activity" and activity_timer_s is None:
                    activity_timer_s = _finite(frame.get_value("total_timer_time", fallback=None))
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
    return _summed_up(records, sessions, sport_hint, activity_timer_s, messages, error)


def _summed_up(
    records: _Records,
    sessions: list[dict],
    sport_hint: object,
    activity_timer_s: float | None,
    messages: int,
    error: str | None,
) -> Parsed:
    """The activities of what was read of a FIT file, by the rules above."""
    if not records.times and records.later is not None:
        # Every record is after now: the whole file is in the future, not
        # damaged. Placed where it says, it is refused like a GPX run there.
        records = records.later
    activities: list[ParsedActivity] = []
    repaired: list[str] = []
    for session in sessions:
        activity, mended = _session_activity(
            session, records, len(sessions) == 1, sport_hint, activity_timer_s
        )
        if activity is not None:
            activities.append(activity)
        if mended:
            repaired.append(mended)
    if not sessions:
        activity = _from_records(
            records.times, records.distances, _sport(sport_hint), activity_timer_s
        )
        if activity is not None:
            activities.append(activity)
    if activities:
        return Parsed(activities, error, "; ".join(repaired) or None)
    if error is not None:
        raise UnreadableFile(error)
    if not messages:
        raise UnreadableFile("empty FIT file (no messages)")
    if sessions or records.seen:
        raise NothingToImport("no timestamps")
    raise NothingToImport("no activity data in FIT file")
