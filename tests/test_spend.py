"""What recovery costs (SPEC 12): the report's ``spend``, the budget, ``due``,
``rubdown budget``, and the currency of a typed cost."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubdown.analysis.spend import Budget, budget_view, divide_cents, spend
from rubdown.models import Massage
from rubdown.parsing import MAX_COST_CENTS

ZONE = timezone(timedelta(hours=-5))


def massage(day: date, cents: int | None, minutes: int = 60, kind: str = "sports") -> Massage:
    return Massage(None, datetime(day.year, day.month, day.day, 12, tzinfo=ZONE), kind, minutes,
                   cost_cents=cents)  # fmt: skip


def log_massage(rubdown, when: str, cost: str | None = None, *more: str) -> None:
    args = ["log", "massage", "--type", "sports", "--minutes", "60", "--date", when, *more]
    if cost is not None:
        args += ["--cost", cost]
    r = rubdown(*args)
    assert r.exit_code == 0, r.stderr


def spend_json(rubdown, *args: str) -> dict:
    r = rubdown("report", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return r.json()["spend"]


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# -- exact money ----------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, MAX_COST_CENTS), min_size=1, max_size=3000),
       st.lists(st.integers(1, 600), min_size=1, max_size=5))  # fmt: skip
def test_totals_over_thousands_of_costs_are_the_exact_integer_sum(costs, lengths):
    day = date(2026, 11, 1)
    massages = [massage(day, cents, lengths[i % len(lengths)]) for i, cents in enumerate(costs)]
    section = spend(massages, since=day, until=day, currency="USD").to_json()
    total = sum(costs)
    assert section["total"] == f"{total // 100}.{total % 100:02d}"
    assert Decimal(section["total"]) * 100 == total  # a decimal string, no float on the way
    assert section["by_month"] == [{"month": "2026-11", "total": section["total"],
                                    "massages": len(costs)}]  # fmt: skip
    cent = Decimal("0.01")
    mean = (Decimal(total) / 100 / len(costs)).quantize(cent, ROUND_HALF_EVEN)
    assert section["per_massage"] == str(mean)
    minutes = sum(m.minutes for m in massages)
    per_hour = (Decimal(total) * 60 / minutes / 100).quantize(cent, ROUND_HALF_EVEN)
    assert section["per_hour"] == str(per_hour)


@given(st.integers(0, 10**15), st.integers(1, 10**6))
def test_division_rounds_half_to_even_like_decimal(numerator, denominator):
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_EVEN)
    assert divide_cents(numerator, denominator) == int(expected)


def test_halves_go_to_the_even_cent():
    day = date(2026, 11, 2)
    pair = spend([massage(day, 1), massage(day, 0)], since=day, until=day, currency="USD")
    assert pair.to_json()["per_massage"] == "0.00"  # 0.005 -> 0.00
    pair = spend([massage(day, 3), massage(day, 0)], since=day, until=day, currency="USD")
    assert pair.to_json()["per_massage"] == "0.02"  # 0.015 -> 0.02


# -- the report's spend -----------------------------------------------------------


def test_report_spend_section(rubdown):
    log_massage(rubdown, "2026-10-20 18:00", "85")
    log_massage(rubdown, "2026-11-03 18:00", "110.50")
    log_massage(rubdown, "2026-11-10 18:00")
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "90", "--cost", "$70",
                "--date", "2026-11-20 18:00")  # fmt: skip
    assert r.exit_code == 0
    section = spend_json(rubdown, "--since", "2026-10-01")
    assert list(section) == ["currency", "total", "massages_with_cost", "massages_without_cost",
                             "per_massage", "per_hour", "by_month", "by_type"]  # fmt: skip
    assert section == {
        "currency": "USD",
        "total": "265.50",
        "massages_with_cost": 3,
        "massages_without_cost": 1,
        "per_massage": "88.50",
        "per_hour": "75.86",  # 265.50 over 3.5 hours
        "by_month": [
            {"month": "2026-10", "total": "85.00", "massages": 1},
            {"month": "2026-11", "total": "180.50", "massages": 2 + 1},
        ],
        "by_type": {"sports": "195.50", "thai": "70.00"},
    }
    table = rubdown("report", "--since", "2026-10-01").stdout
    assert "Spend" in table
    assert "265.50 USD on 3 massages (1 more without a cost)" in table
    assert "88.50 USD a massage · 75.86 USD an hour" in table
    markdown = rubdown("report", "--since", "2026-10-01", "--format", "markdown").stdout
    assert "\n## Spend\n\n265.50 USD on 3 massages" in markdown


def test_every_month_of_the_period_is_listed_and_no_massage_means_no_spend_lines(rubdown):
    section = spend_json(rubdown, "--since", "2026-08-31", "--until", "2026-11-01")
    assert [m["month"] for m in section["by_month"]] == ["2026-08", "2026-09", "2026-10",
                                                         "2026-11"]  # fmt: skip
    assert section["total"] == "0.00" and section["per_massage"] is None
    assert section["per_hour"] is None and section["by_type"] == {}
    assert "Spend" not in rubdown("report").stdout


def test_massages_without_any_cost_say_so(rubdown):
    log_massage(rubdown, "2026-11-10 18:00")
    assert "no cost recorded for the 1 massage of the period" in rubdown("report").stdout


def _in_zone(monkeypatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "Europe/Berlin"])
def test_a_massage_late_on_the_last_day_belongs_to_that_month(rubdown, monkeypatch, zone):
    _in_zone(monkeypatch, zone)
    log_massage(rubdown, "2026-10-31 23:30", "80")  # another day, even month, in UTC east or west
    log_massage(rubdown, "2026-11-01 00:30", "20")
    section = spend_json(rubdown, "--since", "2026-10-01")
    assert section["by_month"][:2] == [
        {"month": "2026-10", "total": "80.00", "massages": 1},
        {"month": "2026-11", "total": "20.00", "massages": 1},
    ]
    _in_zone(monkeypatch, "Pacific/Auckland")  # read from a zone far from both
    section = spend_json(rubdown, "--since", "2026-10-01")
    assert [m["total"] for m in section["by_month"][:2]] == ["80.00", "20.00"]


# -- the budget setting --------------------------------------------------------------


@pytest.mark.parametrize("bad", ["120", "-5/month", "120/fortnight", "abc/month", "0/week",
                                 "12.345/month", "120/year", "€120/month"])  # fmt: skip
def test_a_bad_budget_is_a_config_error_naming_the_key_and_what_it_accepts(
    rubdown, config_file, bad
):
    config_file.write_text(f'[budget]\nrecovery = "{bad}"\n')
    line = one_line_error(rubdown("report"), 1)
    assert "budget.recovery" in line and '"120/month"' in line and '"30.50/week"' in line
    assert repr(bad) in line or bad in line


@pytest.mark.parametrize("bad", ["", "expenses::massage", "a  b", "a;b", ":a", "a\tb"])
def test_a_bad_ledger_account_is_a_config_error(rubdown, config_file, bad):
    config_file.write_text(f'[budget]\naccount = "{bad}"\n'.replace("\t", "\\t"))
    line = one_line_error(rubdown("export", "--format", "ledger"), 1)
    assert "budget.account" in line and "expenses:health:massage" in line


@pytest.mark.parametrize(("text", "shown"), [("120/month", "120.00/month"),
                                             (" 30.5 / Week ", "30.50/week"), ("", "")])
def test_a_budget_reads_and_shows_back(rubdown, config_file, text, shown):  # fmt: skip
    config_file.write_text(f'[budget]\nrecovery = "{text}"\n')
    r = rubdown("config", "show")
    assert r.exit_code == 0 and f'recovery = "{shown}"' in r.stdout


# -- over budget: the report and due -------------------------------------------------


def test_a_month_over_budget_needs_attention_and_is_due(rubdown, config_file):
    config_file.write_text('[budget]\nrecovery = "120/month"\n')
    log_massage(rubdown, "2026-10-30 18:00", "200")  # last month: history, not due
    log_massage(rubdown, "2026-11-02 18:00", "60")
    assert rubdown("due", "--json").json()["items"] == []
    assert "budget" not in rubdown("report").stdout
    log_massage(rubdown, "2026-11-20 18:00", "60.01")
    line = "recovery spend in November: 120.01 USD, over the budget of 120.00 USD a month"
    assert f"• R{line[1:]}" in rubdown("report").stdout
    items = rubdown("due", "--json").json()["items"]
    assert items == [{"what": "budget", "id": None, "due": None, "overdue": False,
                      "text": line}]  # fmt: skip
    assert rubdown("due", "--short").stdout == line + "\n"
    assert rubdown("due", "--check").exit_code == 0  # over budget is not overdue
    past = rubdown("report", "--until", "2026-10-31").stdout
    assert "over the budget" not in past  # a past report's attention is history


def test_a_weekly_budget_is_prorated_to_the_days_of_the_month(rubdown, config_file):
    config_file.write_text('[budget]\nrecovery = "30/week"\n')
    log_massage(rubdown, "2026-11-05 18:00", "128.57")  # 30 × 30 / 7 = 128.571...
    assert rubdown("due", "--json").json()["items"] == []
    log_massage(rubdown, "2026-11-06 18:00", "0.01")
    [item] = rubdown("due", "--json").json()["items"]
    assert item["text"] == ("recovery spend in November: 128.58 USD, over the budget of 30.00 "
                            "USD a week (128.57 USD for November's 30 days)")  # fmt: skip


def test_without_a_budget_due_reads_no_spend(rubdown):
    log_massage(rubdown, "2026-11-02 18:00", "900")
    assert rubdown("due", "--json").json()["items"] == []


# -- rubdown budget -------------------------------------------------------------------


def test_budget_json(rubdown, config_file):
    config_file.write_text('[budget]\nrecovery = "120/month"\n')
    log_massage(rubdown, "2026-04-10 18:00", "1000")  # before the six months; not a recent price
    for day, cost in [("2026-06-10", "10"), ("2026-07-10", "80"), ("2026-08-10", "90"),
                      ("2026-09-10", "85"), ("2026-10-10", "95"), ("2026-11-02", "100"),
                      ("2026-11-20", "100")]:  # fmt: skip
        log_massage(rubdown, f"{day} 18:00", cost)
    log_massage(rubdown, "2026-11-25 18:00")  # no cost: not a price
    r = rubdown("budget", "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert list(data) == ["currency", "budget", "months", "average_price",
                          "affordable_every_days"]  # fmt: skip
    assert data["currency"] == "USD"
    assert data["budget"] == {"amount": "120.00", "per": "month"}
    assert data["months"] == [
        {"month": "2026-06", "spent": "10.00", "over": False},
        {"month": "2026-07", "spent": "80.00", "over": False},
        {"month": "2026-08", "spent": "90.00", "over": False},
        {"month": "2026-09", "spent": "85.00", "over": False},
        {"month": "2026-10", "spent": "95.00", "over": False},
        {"month": "2026-11", "spent": "200.00", "over": True},
    ]
    # the last six prices: 80, 90, 85, 95, 100, 100 -> 550 / 6 = 91.666...
    assert data["average_price"] == "91.67"
    # ⌈(550/6) ÷ (120 × 12 ÷ 365.25)⌉ = ⌈23.25...⌉
    assert data["affordable_every_days"] == 24
    table = rubdown("budget").stdout
    assert "affords a massage every 24 days at that price; self-care fills the days between" in (
        table
    )
    rows = [line.split() for line in table.splitlines()]
    assert ["2026-11", "200.00", "USD", "120.00", "USD", "yes"] in rows
    assert ["2026-10", "95.00", "USD", "120.00", "USD"] in rows


def test_budget_per_week_and_without_a_budget(rubdown, config_file):
    log_massage(rubdown, "2026-11-02 18:00", "88.50")
    data = rubdown("budget", "--json").json()
    assert data["budget"] is None and data["affordable_every_days"] is None
    assert data["average_price"] == "88.50"
    assert {m["over"] for m in data["months"]} == {None}
    table = rubdown("budget").stdout
    assert "No budget set" in table
    assert "Average price of the last massage with a cost: 88.50 USD" in table
    config_file.write_text('[budget]\nrecovery = "30/week"\n')
    data = rubdown("budget", "--json").json()
    assert data["budget"] == {"amount": "30.00", "per": "week"}
    assert data["affordable_every_days"] == 21  # ⌈88.50 ÷ (30 ÷ 7)⌉ = ⌈20.65⌉
    assert data["months"][-1] == {"month": "2026-11", "spent": "88.50", "over": False}


def test_budget_with_no_massages(rubdown, config_file):
    config_file.write_text('[budget]\nrecovery = "120/month"\n')
    data = rubdown("budget", "--json").json()
    assert data["average_price"] is None and data["affordable_every_days"] is None
    assert [m["month"] for m in data["months"]] == [f"2026-{m:02d}" for m in range(6, 12)]


def test_the_cadence_formula_is_exact_at_its_edges():
    month = Budget(36525, "month")  # 365.25 a month: 12.00 a day exactly
    view = budget_view({}, [1200], today=date(2026, 11, 29), currency="USD", budget=month)
    assert view.every_days == 1
    view = budget_view({}, [1201], today=date(2026, 11, 29), currency="USD", budget=month)
    assert view.every_days == 2
    week = Budget(700, "week")
    assert budget_view({}, [2100, 0], today=date(2026, 1, 5), currency="USD",
                       budget=week).every_days == 11  # 10.50 at 1.00 a day  # fmt: skip
    months = budget_view({}, [], today=date(2026, 2, 5), currency="USD", budget=week).months
    assert [m.month for m in months] == ["2025-09", "2025-10", "2025-11", "2025-12",
                                         "2026-01", "2026-02"]  # fmt: skip


@pytest.mark.parametrize("args", [("budget", "--format", "xml"), ("budget", "--json", "-f", "csv"),
                                  ("budget", "--weeks", "3")])  # fmt: skip
def test_budget_bad_input_is_one_line_exit_2(rubdown, args):
    one_line_error(rubdown(*args), 2)


# -- currency ---------------------------------------------------------------------------


@pytest.mark.parametrize("cost", ["€85", "£85", "85 EUR", "85 gbp"])
def test_a_cost_in_another_currency_is_refused(rubdown, cost):
    r = rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--cost", cost)
    line = one_line_error(r, 2)
    assert "costs are in USD" in line and "converts no currency" in line
    assert rubdown("list", "--json").json() == []


def test_every_amount_is_shown_with_the_configured_currency(rubdown, config_file):
    config_file.write_text('currency = "EUR"\n[budget]\nrecovery = "50/month"\n')
    log_massage(rubdown, "2026-11-02 18:00", "€85")
    assert spend_json(rubdown)["currency"] == "EUR"
    report = rubdown("report").stdout
    assert "85.00 EUR on 1 massage" in report and "over the budget of 50.00 EUR a month" in report
    assert "85.00 EUR" in rubdown("budget").stdout


def test_the_budget_month_is_local_far_east_of_utc(rubdown, config_file, monkeypatch):
    _in_zone(monkeypatch, "Pacific/Auckland")  # 1 November 00:30 there is 31 October in UTC
    config_file.write_text('[budget]\nrecovery = "100/month"\n')
    log_massage(rubdown, "2026-10-31 23:30", "500")  # October's: not this month's
    log_massage(rubdown, "2026-11-01 00:30", "100")
    assert rubdown("due", "--json").json()["items"] == []
    log_massage(rubdown, "2026-11-01 00:40", "0.01")
    [item] = rubdown("due", "--json").json()["items"]
    assert item["text"].startswith("recovery spend in November: 100.01 USD")
    months = rubdown("budget", "--json").json()["months"]
    assert months[-2:] == [{"month": "2026-10", "spent": "500.00", "over": True},
                           {"month": "2026-11", "spent": "100.01", "over": True}]  # fmt: skip
