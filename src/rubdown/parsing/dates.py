"""When things happened (``--date``, ``--since``), ISO weeks, windows in hours
and massage cadences in days."""

from __future__ import annotations

from rubdown.errors import ParseError

from ._text import _compact, _match, _norm, _q

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from datetime import date, datetime


# --- dates and times ---------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIN_YEAR = 1900
MAX_YEAR = 2100
#: A record may start at most this long after now (as ``parse_when`` allows).
FUTURE_LIMIT_S = 24 * 3600

_TIME = r"(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2}))?"
_ISO = (
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[t ](?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2})(?:\.(?P<frac>[0-9]{1,6}))?)?"
    r" ?(?P<off>z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DAYISH = (
    r"(?:(?P<word>[a-z]+)|(?P<n>[0-9]{1,6}) ?(?P<unit>d|days?|w|wks?|weeks?) ago)"
    r"(?: (?:at )?" + _TIME + r")?"
)
_AGO = r"(?P<n>[0-9]{1,6}) ?(?P<unit>h|hrs?|hours?|m|mins?|minutes?) ago"

_WHEN_HELP = (
    "use 2026-11-21, 2026-11-21 07:30, today, yesterday, a weekday (sat), 3d ago or 3h ago, "
    "optionally followed by a time (yesterday 07:30)"
)


def _weekday(word: str) -> int | None:
    """Monday=0 for a weekday name or any prefix of one at least 3 letters long."""
    if len(word) >= 3:
        for index, name in enumerate(_WEEKDAYS):
            if name.startswith(word):
                return index
    return None


def _clock(m, text: str) -> tuple[int, int, int]:
    if m["hh"] is None:
        return 12, 0, 0
    hh, mm, ss = int(m["hh"]), int(m["mm"]), int(m["ss"] or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise ParseError(f"Invalid time in {_q(text)}: use HH:MM from 00:00 to 23:59")
    return hh, mm, ss


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(
            f"Invalid date {_q(text)}: years from {MIN_YEAR} to {MAX_YEAR} are accepted"
        )


def _local(day: date, clock: tuple[int, int, int], text: str) -> tuple[datetime, str | None]:
    """A local wall time as an aware datetime, with the UTC offset in force then,
    and a notice when the clocks skipped that time.

    A time the clocks repeat (the hour after a fall-back change) is its first
    occurrence. A time they skip (inside a spring-forward gap, such as 02:30
    on a night clocks go from 02:00 to 03:00) is read with the offset in
    force before the gap, as RFC 5545 does: it lands as far after the gap
    (03:30), never before it, and the notice says so.
    """
    from datetime import datetime, timedelta, timezone

    _check_year(day.year, text)
    try:
        wall = datetime(day.year, day.month, day.day, *clock)
        local = wall.astimezone()
        notice = None
        if local.replace(tzinfo=None) != wall:  # in a gap
            before = (wall - timedelta(hours=3)).astimezone().utcoffset()
            assert before is not None  # astimezone() gives an aware time
            local = wall.replace(tzinfo=timezone(before)).astimezone()
            notice = (
                f"{wall:%H:%M} did not exist that night (the clocks went forward), "
                f"so it is {local:%H:%M}"
            )
        return local, notice
    except (OverflowError, OSError, ValueError):
        raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}") from None


class When:
    """What a ``--date`` said: the instant, whether a time of day was given,
    and a notice when the time typed did not exist (a spring-forward gap)."""

    __slots__ = ("notice", "start", "timed")

    def __init__(self, start: datetime, *, timed: bool, notice: str | None = None) -> None:
        self.start = start
        self.timed = timed
        self.notice = notice


def _moment(text: str, now: datetime, *, ahead: bool = False) -> When:
    """The instant ``text`` names, without the future check.

    Instants relative to now (``now``, ``3h ago``) are to the minute, like
    the default time of a record: seconds are dropped.
    """
    from datetime import UTC, date, datetime, timedelta, timezone

    s = _norm(text)
    if now.tzinfo is None:
        now = now.astimezone()

    if s == "now":
        return When(now.astimezone().replace(second=0, microsecond=0), timed=True)

    if m := _match(_AGO, s):
        n = int(m["n"])
        delta = timedelta(hours=n) if m["unit"].startswith("h") else timedelta(minutes=n)
        try:
            result = (now - delta).astimezone()
        except (OverflowError, OSError, ValueError):
            raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}") from None
        _check_year(result.year, text)
        return When(result.replace(second=0, microsecond=0), timed=True)

    if m := _match(_ISO, s):
        year, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
        _check_year(year, text)
        try:
            calendar_day = date(year, month, day)
        except ValueError:
            raise ParseError(f"Invalid date {_q(text)}: there is no such day") from None
        clock = _clock(m, text)
        notice = None
        if m["off"] is None:
            result, notice = _local(calendar_day, clock, text)
        else:
            off = m["off"]
            if off == "z":
                tz = UTC
            else:
                digits = off[1:].replace(":", "")
                oh, om = int(digits[:2]), int(digits[2:] or 0)
                if oh > 23 or om > 59:
                    raise ParseError(
                        f"Invalid UTC offset in {_q(text)}: use Z or +HH:MM/-HH:MM up to 23:59"
                    )
                sign = -1 if off[0] == "-" else 1
                tz = timezone(sign * timedelta(hours=oh, minutes=om))
            result = datetime(year, month, day, *clock, tzinfo=tz)
        if m["frac"]:
            result = result.replace(microsecond=int(m["frac"].ljust(6, "0")))
        return When(result, timed=m["hh"] is not None, notice=notice)

    today = now.astimezone().date()
    if m := _match(_TIME, s):
        result, notice = _local(today, _clock(m, text), text)
        return When(result, timed=True, notice=notice)

    if m := _match(_DAYISH, s):
        word = m["word"]
        if word is None:
            n = int(m["n"])
            days = n * 7 if m["unit"].startswith("w") else n
        elif word == "today":
            days = 0
        elif word == "yesterday":
            days = 1
        elif (weekday := _weekday(word)) is not None:
            days = (today.weekday() - weekday) % 7 or 7
            if ahead:  # a plan's weekday is the next one
                days = -((weekday - today.weekday()) % 7 or 7)
        else:
            days = None
        if days is not None:
            try:
                past = today - timedelta(days=days)
            except OverflowError:
                raise ParseError(
                    f"Invalid date {_q(text)}: years from {MIN_YEAR} to {MAX_YEAR} are accepted"
                ) from None
            result, notice = _local(past, _clock(m, text), text)
            return When(result, timed=m["hh"] is not None, notice=notice)

    raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}")


def read_when(text: str, *, now: datetime) -> When:
    """What ``text`` says about when something happened (see :func:`parse_when`),
    with whether it gave a time of day and any notice about that time."""
    from datetime import timedelta

    found = _moment(text, now)
    if now.tzinfo is None:
        now = now.astimezone()
    if not found.timed and found.start > now and found.start.date() == now.astimezone().date():
        # A date alone is 12:00, but today's 12:00 is not yet: now instead, or
        # a run logged as "today" in the morning would wait for noon to be in
        # the log's totals and in today's report (which never reads past now).
        found.start = now.astimezone().replace(second=0, microsecond=0)
    if found.start - now > timedelta(hours=24):
        shown = found.start.isoformat(sep=" ", timespec="minutes")
        raise ParseError(
            f"Date {_q(text)} is in the future ({shown}); "
            "rubdown logs what happened, up to a day ahead"
        )
    return found


def read_plan_when(text: str, *, now: datetime) -> When:
    """When a plan is for: the forms of :func:`parse_when`, but a weekday
    name (``mon``) is the next such day (today excluded), and the future is
    not refused here (how far ahead a plan may lie is the store's limit)."""
    return _moment(text, now, ahead=True)


def parse_when(text: str, *, now: datetime) -> datetime:
    """When something happened, as an aware datetime.

    Accepts ``now``; ``today``, ``yesterday``; weekday names or prefixes of at
    least three letters (``sat``, ``thurs``: the most recent such day, today
    excluded); ``3d ago``/``2w ago`` (local calendar days); ``3h ago``/``90m
    ago`` (instants, to the minute); a bare ``HH:MM`` (today); ISO dates and
    date-times, with or without a UTC offset or ``Z``. A date-ish form may be
    followed by ``HH:MM`` (or ``at HH:MM``). A date without a time means 12:00
    local, or now (to the minute) when that is today's 12:00 and it has not
    come yet.

    Local wall times get the system time zone's offset for that date (DST
    aware); an explicit offset is kept as given. More than 24 hours after
    ``now`` is refused.
    """
    return read_when(text, now=now).start


def parse_date(text: str, *, now: datetime) -> date:
    """The calendar date ``text`` names (for ``--since``/``--until``).

    Same forms as :func:`parse_when`. The date is the one as written: local
    for relative forms and plain ISO, the given offset's for ISO with an
    offset. Future dates are not refused here.
    """
    return _moment(text, now).start.date()



# --- windows and cadences --------------------------------------------------


def parse_hours(text: str) -> float:
    """A window in hours, 1 to 1440: ``72``, ``48h``, ``36.5 hours``, ``3d``."""
    s = _norm(text)
    m = _match(r"([0-9]{1,5}(?:\.[0-9]{1,3})?) ?(h|hr|hrs|hour|hours|d|day|days)?", s)
    hours = None
    if m:
        hours = float(m[1]) * (24 if (m[2] or "h").startswith("d") else 1)
    if hours is None or not 1 <= hours <= 1440:
        raise ParseError(
            f"Invalid window {_q(text)}: use hours from 1 to 1440, e.g. 72, 48h or 3d"
        )
    return hours


def parse_iso_week(text: str) -> str:
    """An ISO week label such as ``2026-W47`` (normalised to upper case)."""
    s = _norm(text).upper()
    m = _match(r"([0-9]{4})-?W([0-9]{1,2})", s)
    if m:
        from datetime import date

        year, week = int(m[1]), int(m[2])
        try:
            if MIN_YEAR <= year <= MAX_YEAR:
                date.fromisocalendar(year, week, 1)
                return f"{year}-W{week:02d}"
        except ValueError:
            pass
    raise ParseError(f"Invalid week {_q(text)}: use an ISO week such as 2026-W47")


_PERIOD_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
}
_PERIOD_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7,
                 "week": 7, "weeks": 7, "mo": 30, "month": 30, "months": 30}  # fmt: skip


def parse_period_days(text: str) -> int:
    """A massage cadence in days, 1 to 366.

    ``7d``, ``14 days``, ``2w``, ``1 month`` (30 days), or ``daily``,
    ``weekly``, ``biweekly``/``bi-weekly``/``fortnightly`` (every 14 days),
    ``monthly`` (30). ``every`` may come first: ``every 2 weeks``, ``every
    week``. A bare number is refused: ``14`` could be days or weeks, so it
    must say which.
    """
    s = _norm(text)
    every = _match(r"every (.+)", s)
    if every:  # "every 2 weeks", "every week" (not "every weekly")
        s = every[1]
        days = _PERIOD_UNITS.get(s)
    else:
        days = _PERIOD_WORDS.get(_compact(s))
    if days is None and (m := _match(r"([0-9]{1,4}) ?([a-z]*)", s)):
        if not m[2]:
            n = int(m[1])
            ways = [f"{n}{unit}" for unit, per in (("d", 1), ("w", 7)) if 1 <= n * per <= 366]
            raise ParseError(
                f"Invalid period {_q(text)}: say days or weeks, e.g. {' or '.join(ways)}"
                if ways
                else f"Invalid period {_q(text)}: use 1 to 366 days, e.g. 14d or 2w"
            )
        per = _PERIOD_UNITS.get(m[2])
        days = None if per is None else int(m[1]) * per
    if days is None or not 1 <= days <= 366:
        raise ParseError(
            f"Invalid period {_q(text)}: use 7d, 2w, 4w, 30d, weekly, biweekly (every 2 weeks), "
            "fortnightly or monthly (1 to 366 days)"
        )
    return days
