"""How spend and the budget read: the report's *Spend* lines, the budget
line under *Needs attention* and in ``due``, and ``rubdown budget``'s table.

Every amount is shown with the currency (``110.00 USD``). The words say what
was spent and what the arithmetic gives; they advise nothing.
"""

from __future__ import annotations

from rubdown.formatting import counted, format_cost

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from rubdown.analysis.spend import BudgetMonth, BudgetView, Spend

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def amount(cents: int, currency: str) -> str:
    """``110.00 USD``."""
    return f"{format_cost(cents)} {currency}"


def month_name(month: str) -> str:
    """``November`` for ``2026-11``."""
    return MONTH_NAMES[int(month[5:7]) - 1]


def budget_words(month: BudgetMonth, currency: str) -> str:
    """The budget as the runner set it: ``120.00 USD a month``, or ``30.00
    USD a week (128.57 USD for November's 30 days)``."""
    budget = month.budget
    words = f"{amount(budget.amount_cents, currency)} a {budget.per}"
    if budget.per == "week":
        from rubdown.analysis.spend import days_in_month

        days = days_in_month(month.month)
        words += (f" ({amount(month.allowed_cents, currency)} for {month_name(month.month)}'s "
                  f"{days} days)")  # fmt: skip
    return words


def over_budget_line(month: BudgetMonth, currency: str) -> str:
    """``recovery spend in November: 250.00 USD, over the budget of 120.00
    USD a month``."""
    return (f"recovery spend in {month_name(month.month)}: "
            f"{amount(month.spent_cents, currency)}, over the budget of "
            f"{budget_words(month, currency)}")  # fmt: skip


def spend_lines(spend: Spend) -> list[str]:
    """The report's *Spend*: the total and the averages, by month, by type;
    nothing when the period has no massage."""
    if not spend.massages:
        return []
    currency = spend.currency
    if not spend.with_cost:
        return [f"no cost recorded for the {counted(spend.massages, 'massage')} of the period"]
    first = f"{amount(spend.total_cents, currency)} on {counted(spend.with_cost, 'massage')}"
    if spend.without_cost:
        first += f" ({spend.without_cost} more without a cost)"
    parts = [first]
    if spend.per_massage_cents is not None:
        parts.append(f"{amount(spend.per_massage_cents, currency)} a massage")
    if spend.per_hour_cents is not None:
        parts.append(f"{amount(spend.per_hour_cents, currency)} an hour")
    lines = [" · ".join(parts)]
    months = [f"{m.month} {amount(m.total_cents, currency)}" for m in spend.by_month
              if m.massages]  # fmt: skip
    if months:
        lines.append("by month: " + " · ".join(months))
    kinds = sorted(((cents, kind) for kind, cents in spend.by_type.items() if cents),
                   key=lambda pair: (-pair[0], pair[1]))  # fmt: skip
    if kinds:
        lines.append("by type: " + " · ".join(f"{k} {amount(c, currency)}" for c, k in kinds))
    return lines


def budget_rows(view: BudgetView) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """``rubdown budget``'s table: each month, what it cost, and (with a
    budget) what the budget allows in it and whether it is over."""
    from rubdown.analysis.spend import BudgetMonth

    currency = view.currency
    rows: list[tuple[str, ...]] = []
    for month in view.months:
        if isinstance(month, BudgetMonth):
            rows.append((month.month, amount(month.spent_cents, currency),
                         amount(month.allowed_cents, currency), "yes" if month.over else ""))
        else:
            rows.append((month.month, amount(month.total_cents, currency)))  # fmt: skip
    if view.budget is None:
        return ("month", "spent"), rows
    return ("month", "spent", "budget", "over"), rows


def budget_lines(view: BudgetView) -> list[str]:
    """What the table is followed by: the average price, and the cadence the
    budget affords at it (or why there is none)."""
    currency = view.currency
    lines = []
    if view.average_price_cents is None:
        lines.append("No massage with a cost yet: no average price.")
    else:
        lines.append(
            f"Average price of the last {_last(view.priced)} with a cost: "
            f"{amount(view.average_price_cents, currency)}"
        )
    if view.budget is None:
        lines.append('No budget set: add [budget] recovery = "120/month" (or "30/week") to the '
                     "config file ('rubdown config path').")  # fmt: skip
    elif view.every_days is not None:
        budget = view.budget
        lines.append(
            f"{amount(budget.amount_cents, currency)} a {budget.per} affords a massage every "
            f"{counted(view.every_days, 'day')} at that price; self-care fills the days between."
        )
    return lines


def print_budget(view: BudgetView, fmt: str) -> None:
    """``rubdown budget`` as a table (or CSV, markdown) and its lines."""
    from rubdown.render import Out, emit_table

    columns, rows = budget_rows(view)
    if fmt == "table":
        out = Out()
        title = "Recovery spend by month"
        if view.budget is not None:
            title += f" · budget {amount(view.budget.amount_cents, view.currency)} a "
            title += view.budget.per
        out.line(title, style="bold")
        out.line()
        out.table(columns, rows, right=("spent", "budget"), gap=2)
        out.line()
        for line in budget_lines(view):
            out.line(line)
        return
    emit_table(columns, rows, fmt, right=("spent", "budget"))
    if fmt == "markdown":
        print()
        print("  \n".join(budget_lines(view)))


def _last(n: int) -> str:
    """``massage`` for one, ``3 massages`` for more: "the last massage with a
    cost", "the last 3 massages with a cost"."""
    return "massage" if n == 1 else counted(n, "massage")
