"""What recovery costs (SPEC section 12): the report's ``spend`` section,
a budget per month or per week, and what ``rubdown budget`` shows.

Money never passes through a float: costs come in as integer cents, every
sum is an integer, every quotient is integer arithmetic rounded once to a
cent, half to even (banker's rounding, as ``decimal`` rounds by default), and
amounts go out as decimal strings (``"110.00"``). A massage belongs to the
month of its own local date (the offset it was recorded with), so one at
23:30 on the last day of a month counts in that month wherever the runner
is now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rubdown.formatting import format_cost
from rubdown.models import Massage, Value

MONTH, WEEK = "month", "week"
#: ``rubdown budget`` shows this many calendar months, this one included...
BUDGET_MONTHS = 6
#: ... and averages the price of this many massages that have a cost.
PRICE_MASSAGES = 6


def divide_cents(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to a whole number (of cents), half
    to even, in integers: exact however large."""
    quotient, rest = divmod(numerator, denominator)
    twice = 2 * rest
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def ceil_div(numerator: int, denominator: int) -> int:
    """``⌈numerator / denominator⌉`` in integers (denominator > 0)."""
    return -(-numerator // denominator)


def money(cents: int | None) -> str | None:
    """Cents as the decimal string JSON shows (``"110.00"``); None stays None."""
    return None if cents is None else format_cost(cents)


def month_key(day: date) -> str:
    """``2026-11``: the calendar month of a local date."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(since: date, until: date) -> list[str]:
    """Every calendar month that overlaps [since, until], oldest first."""
    months = []
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_back(today: date, count: int) -> list[str]:
    """The ``count`` calendar months that end with today's, oldest first."""
    year, month = today.year, today.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return months_between(date(year, month, 1), today)


def days_in_month(month: str) -> int:
    """How many days the month ``2026-11`` has."""
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return (following - date(year, number, 1)).days


class Budget(Value):
    """What the runner means to spend: ``amount_cents`` per ``per`` (``month``
    or ``week``), as ``[budget] recovery`` says it."""

    FIELDS = ("amount_cents", "per")
    __slots__ = FIELDS

    def __init__(self, amount_cents: int, per: str) -> None:
        if per not in (MONTH, WEEK) or amount_cents <= 0:
            raise ValueError(f"not a budget: {amount_cents} per {per}")
        self.amount_cents = amount_cents
        self.per = per

    @classmethod
    def of(cls, setting: tuple[int, str] | None) -> Budget | None:
        """The budget of the config's ``budget`` setting (None: no budget)."""
        return None if setting is None else cls(*setting)

    def over(self, month: str, spent_cents: int) -> bool:
        """Whether ``spent_cents`` in ``month`` is more than the budget allows
        for it: a monthly budget, the amount; a weekly one, the amount for
        each of the month's days at a seventh a day (30/week is 128.57 for
        November's 30 days, 132.86 for a 31-day month). Exact: compared in
        integers, never rounded."""
        if self.per == MONTH:
            return spent_cents > self.amount_cents
        return spent_cents * 7 > self.amount_cents * days_in_month(month)

    def for_month_cents(self, month: str) -> int:
        """What the budget allows in ``month``, rounded to a cent (for showing;
        ``over`` compares exactly)."""
        if self.per == MONTH:
            return self.amount_cents
        return divide_cents(self.amount_cents * days_in_month(month), 7)

    def affordable_every_days(self, price_cents_total: int, count: int) -> int:
        """⌈average price ÷ budget per day⌉ (SPEC 12), the average being
        ``price_cents_total / count``: a month's budget per day is amount × 12
        ÷ 365.25, a week's amount ÷ 7. In integers, so exact."""
        if self.per == MONTH:  # avg / (amount*12/365.25) = total*1461 / (count*amount*48)
            return ceil_div(price_cents_total * 1461, count * self.amount_cents * 48)
        return ceil_div(price_cents_total * 7, count * self.amount_cents)

    def to_json(self) -> dict:
        return {"amount": format_cost(self.amount_cents), "per": self.per}


class MonthSpend(Value):
    """One calendar month of the report's period: what its massages cost and
    how many there were (with a cost or not)."""

    FIELDS = ("month", "total_cents", "massages")
    __slots__ = FIELDS

    def __init__(self, month: str, total_cents: int, massages: int) -> None:
        self.month = month
        self.total_cents = total_cents
        self.massages = massages

    def to_json(self) -> dict:
        return {"month": self.month, "total": format_cost(self.total_cents),
                "massages": self.massages}  # fmt: skip


class BudgetMonth(Value):
    """A month measured against the budget: what was spent in it, whether
    that is over, and (for the words) the budget and what it allows in the
    month, rounded to a cent."""

    FIELDS = ("month", "spent_cents", "over", "budget", "allowed_cents")
    __slots__ = FIELDS

    def __init__(self, month: str, spent_cents: int, over: bool, budget: Budget,
                 allowed_cents: int) -> None:  # fmt: skip
        self.month = month
        self.spent_cents = spent_cents
        self.over = over
        self.budget = budget
        self.allowed_cents = allowed_cents

    def to_json(self) -> dict:
        return {"month": self.month, "spent": format_cost(self.spent_cents), "over": self.over}


def budget_month(budget: Budget | None, month: str, spent_cents: int) -> BudgetMonth | None:
    """``month`` against ``budget`` (None without a budget)."""
    if budget is None:
        return None
    return BudgetMonth(month, spent_cents, budget.over(month, spent_cents), budget,
                       budget.for_month_cents(month))


class Spend(Value):
    """The report's ``spend`` section: the period's massages and their costs.
    ``budget`` and ``this_month`` (the report's last month against the
    budget, over the whole month) are for *Needs attention*, not the JSON."""

    FIELDS = ("currency", "total_cents", "with_cost", "without_cost", "per_massage_cents",
              "per_hour_cents", "by_month", "by_type", "budget", "this_month")  # fmt: skip
    __slots__ = FIELDS

    def __init__(
        self,
        currency: str,
        total_cents: int,
        with_cost: int,
        without_cost: int,
        per_massage_cents: int | None,
        per_hour_cents: int | None,
        by_month: tuple[MonthSpend, ...],
        by_type: dict[str, int],
        budget: Budget | None = None,
        this_month: BudgetMonth | None = None,
    ) -> None:
        self.currency = currency
        self.total_cents = total_cents
        self.with_cost = with_cost
        self.without_cost = without_cost
        self.per_massage_cents = per_massage_cents
        self.per_hour_cents = per_hour_cents
        self.by_month = by_month
        self.by_type = by_type
        self.budget = budget
        self.this_month = this_month

    @property
    def massages(self) -> int:
        return self.with_cost + self.without_cost

    def to_json(self) -> dict:
        """SPEC 12's ``spend``; money as decimal strings."""
        return {
            "currency": self.currency,
            "total": format_cost(self.total_cents),
            "massages_with_cost": self.with_cost,
            "massages_without_cost": self.without_cost,
            "per_massage": money(self.per_massage_cents),
            "per_hour": money(self.per_hour_cents),
            "by_month": [month.to_json() for month in self.by_month],
            "by_type": {kind: format_cost(cents) for kind, cents in self.by_type.items()},
        }


class SpendTally:
    """The spend section counted one massage at a time (``spend`` adds them
    all at once; a streamed report chunk by chunk): sums per month of the
    period and per type, nothing per massage."""

    __slots__ = ("since", "until", "currency", "months", "by_type", "total", "with_cost",
                 "without_cost", "minutes")  # fmt: skip

    def __init__(self, *, since: date, until: date, currency: str) -> None:
        self.since, self.until, self.currency = since, until, currency
        self.months = {month: [0, 0] for month in months_between(since, until)}
        self.by_type: dict[str, int] = {}
        self.total = self.with_cost = self.without_cost = self.minutes = 0

    def add(self, massage: Massage) -> None:
        """Count ``massage`` when its local date is in the period."""
        day = massage.start.date()
        if not self.since <= day <= self.until:
            return
        cents = massage.cost_cents
        month = self.months[month_key(day)]
        month[1] += 1
        self.by_type.setdefault(massage.type, 0)
        if cents is None:
            self.without_cost += 1
            return
        self.with_cost += 1
        self.total += cents
        self.minutes += massage.minutes
        month[0] += cents
        self.by_type[massage.type] += cents

    def result(self, budget: Budget | None = None, this_month_cents: int | None = None) -> Spend:
        this_month = None
        if this_month_cents is not None:
            this_month = budget_month(budget, month_key(self.until), this_month_cents)
        total, with_cost, minutes = self.total, self.with_cost, self.minutes
        return Spend(
            self.currency,
            total,
            with_cost,
            self.without_cost,
            divide_cents(total, with_cost) if with_cost else None,
            divide_cents(total * 60, minutes) if minutes else None,
            tuple(MonthSpend(month, cents, count)
                  for month, (cents, count) in self.months.items()),  # fmt: skip
            dict(sorted(self.by_type.items())),
            budget,
            this_month,
        )


def spend(
    massages: Iterable[Massage],
    *,
    since: date,
    until: date,
    currency: str,
    budget: Budget | None = None,
    this_month_cents: int | None = None,
) -> Spend:
    """The spend of the massages on a local date in [since, until] (others
    are left out). ``per_massage`` = total ÷ massages with a cost, ``per_hour``
    = total ÷ their hours, each rounded half to even to a cent; ``by_month``
    has every month overlapping the period (its ``massages`` counts those
    without a cost too); ``by_type`` every type of a massage in the period,
    alphabetically. ``this_month_cents``: what the whole of ``until``'s month
    cost, for the budget (None: not asked)."""
    tally = SpendTally(since=since, until=until, currency=currency)
    for massage in massages:
        tally.add(massage)
    return tally.result(budget, this_month_cents)


class BudgetView(Value):
    """What ``rubdown budget`` shows (SPEC 12): the budget, the last months
    against it, the average price of the last massages with a cost, and how
    often that price fits the budget."""

    FIELDS = ("currency", "budget", "months", "average_price_cents", "priced", "every_days")
    __slots__ = FIELDS

    def __init__(
        self,
        currency: str,
        budget: Budget | None,
        months: tuple[BudgetMonth | MonthSpend, ...],
        average_price_cents: int | None,
        priced: int,
        every_days: int | None,
    ) -> None:
        self.currency = currency
        self.budget = budget
        self.months = months
        self.average_price_cents = average_price_cents
        #: how many massages the average is of
        self.priced = priced
        self.every_days = every_days

    def to_json(self) -> dict:
        months = []
        for month in self.months:
            if isinstance(month, BudgetMonth):
                months.append(month.to_json())
            else:  # no budget: nothing is over
                months.append({"month": month.month, "spent": format_cost(month.total_cents),
                               "over": None})  # fmt: skip
        return {
            "currency": self.currency,
            "budget": None if self.budget is None else self.budget.to_json(),
            "months": months,
            "average_price": money(self.average_price_cents),
            "affordable_every_days": self.every_days,
        }


def budget_view(
    spent_by_month: dict[str, int],
    recent_costs: Sequence[int],
    *,
    today: date,
    currency: str,
    budget: Budget | None,
) -> BudgetView:
    """``rubdown budget`` from what each month cost (``"2026-11"`` -> cents;
    a month missing cost nothing) and the costs of the latest massages that
    have one (the first ``PRICE_MASSAGES`` are used)."""
    shown: list[BudgetMonth | MonthSpend] = []
    for month in months_back(today, BUDGET_MONTHS):
        cents = spent_by_month.get(month, 0)
        measured = budget_month(budget, month, cents)
        shown.append(measured if measured is not None else MonthSpend(month, cents, 0))
    prices = list(recent_costs[:PRICE_MASSAGES])
    average = divide_cents(sum(prices), len(prices)) if prices else None
    every = None
    if budget is not None and sum(prices) > 0:  # a price of 0.00 fits any cadence
        every = budget.affordable_every_days(sum(prices), len(prices))
    return BudgetView(currency, budget, tuple(shown), average, len(prices), every)
