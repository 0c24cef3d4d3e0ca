"""``export --format ledger``, read by the real hledger (SPEC 12): it passes
``hledger check --strict`` and its balance is the report's ``spend.total``."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest

from helpers import program

HOSTILE = [
    "Anna;Kim",
    "Bo | the  therapist",
    "tab\there",
    "two  spaces  then ; a comment",
    "* cleared? ! pending?",
    "(code) first",
    "line one\nline two\n2026-01-01 fake transaction",
    "x" * 200,
    "* ! *",
]


def log_massage(rubdown, when: str, cost: str | None, *more: str) -> None:
    args = ["log", "massage", "--type", "deep-tissue", "--minutes", "75", "--date", when, *more]
    if cost is not None:
        args += ["--cost", cost]
    r = rubdown(*args)
    assert r.exit_code == 0, r.stderr


def hledger(journal, *args: str) -> str:
    proc = subprocess.run([program("hledger"), "-f", str(journal), *args], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def total_of(journal, account: str) -> str:
    rows = list(csv.reader(io.StringIO(hledger(journal, "balance", account, "--output-format",
                                               "csv"))))  # fmt: skip
    return dict(rows)["total"]


def export(rubdown, tmp_path, *args: str):
    path = tmp_path / "spend.journal"
    r = rubdown("export", "--format", "ledger", "--output", str(path), "--force", *args)
    assert r.exit_code == 0, r.stderr
    return path


def test_one_transaction_per_massage_with_a_cost(rubdown, tmp_path):
    log_massage(rubdown, "2026-11-03 18:00", "85", "--therapist", "Anna Kim")
    log_massage(rubdown, "2026-11-10 18:00", None)  # no cost: not money spent
    log_massage(rubdown, "2026-11-20 23:30", "110.50")
    r = rubdown("log", "run", "--distance", "10k", "--time", "50:00")
    assert r.exit_code == 0
    text = rubdown("export", "--format", "ledger").stdout
    assert text == (
        "; rubdown export: massages with a cost\n"
        "account expenses:health:massage\n"
        "account assets:cash\n"
        "commodity 1000.00 USD\n"
        "\n"
        "2026-11-03 (#1) Anna Kim | deep-tissue massage, 75 min\n"
        "    expenses:health:massage    85.00 USD\n"
        "    assets:cash\n"
        "\n"
        "2026-11-20 (#3) massage | deep-tissue massage, 75 min\n"
        "    expenses:health:massage    110.50 USD\n"
        "    assets:cash\n"
    )
    path = export(rubdown, tmp_path)
    assert "Exported 2 records" in rubdown("export", "-f", "ledger", "-o", str(path),
                                            "--force").stderr  # fmt: skip


def test_hledger_checks_it_strictly_and_its_total_is_the_reports(rubdown, tmp_path):
    costs = ["85", "110.50", "0.01", "99.99", "1,234.56", "0", "72.5"]
    for day, cost in enumerate(costs, start=2):
        log_massage(rubdown, f"2026-11-{day:02d} 18:00", cost)
    log_massage(rubdown, "2026-10-31 23:30", "45")  # late on October's last day
    path = export(rubdown, tmp_path)
    hledger(path, "check")
    hledger(path, "check", "--strict")
    report = rubdown("report", "--json", "--since", "2026-10-01").json()["spend"]
    assert total_of(path, "expenses") == f"{report['total']} USD"
    monthly = hledger(path, "balance", "expenses", "--monthly", "--output-format", "csv")
    assert "45.00 USD" in monthly  # October's, on October's local date
    assert list(csv.reader(io.StringIO(hledger(path, "balance", "assets", "--output-format",
                                               "csv"))))[-1] == ["total",
                                                                  f"-{report['total']} USD"]


def test_since_and_until_choose_the_days(rubdown, tmp_path):
    for day in ("2026-10-05", "2026-11-05", "2026-11-25"):
        log_massage(rubdown, f"{day} 18:00", "50")
    path = export(rubdown, tmp_path, "--since", "2026-11-01", "--until", "2026-11-20")
    assert total_of(path, "expenses") == "50.00 USD"
    assert rubdown("export", "-f", "ledger", "--since", "someday").exit_code == 2


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_therapist_names_keep_the_syntax(rubdown, tmp_path, name):
    log_massage(rubdown, "2026-11-03 18:00", "85", "--therapist", name,
                "--note", "a note; with\nlines  and\ttabs")  # fmt: skip
    log_massage(rubdown, "2026-11-04 18:00", "15")
    path = export(rubdown, tmp_path)
    hledger(path, "check", "--strict")
    assert total_of(path, "expenses") == "100.00 USD"
    printed = hledger(path, "register", "expenses", "--output-format", "csv")
    assert len(list(csv.DictReader(io.StringIO(printed)))) == 2
    lines = path.read_text().splitlines()
    assert len(lines) == 4 + 2 * 4  # nothing typed made or ended a line
    assert all(len(line) < 160 for line in lines)


@pytest.mark.parametrize(("currency", "shown"), [("EUR", "85.00 EUR"), ("€", "€85.00"),
                                                 ("$", "$85.00"), ("R$", '85.00 "R$"')])
def test_the_configured_currency_as_a_code_a_symbol_or_quoted(rubdown, tmp_path, config_file,
                                                              currency, shown):  # fmt: skip
    config_file.write_text(f'currency = "{currency}"\n')
    log_massage(rubdown, "2026-11-03 18:00", "85")
    path = export(rubdown, tmp_path)
    assert f"    expenses:health:massage    {shown}\n" in path.read_text()
    hledger(path, "check", "--strict")
    assert total_of(path, "expenses") == shown.replace('"', "")  # hledger shows it bare


def test_the_accounts_come_from_the_config(rubdown, tmp_path, config_file):
    config_file.write_text('[budget]\naccount = "expenses:Body Care:massage"\n'
                           'from_account = "liabilities:credit card"\n')  # fmt: skip
    log_massage(rubdown, "2026-11-03 18:00", "85")
    path = export(rubdown, tmp_path)
    hledger(path, "check", "--strict")
    assert total_of(path, "expenses:Body Care") == "85.00 USD"
    assert total_of(path, "liabilities") == "-85.00 USD"


def test_an_unknown_format_lists_ledger(rubdown):
    r = rubdown("export", "--format", "hledger")
    assert r.exit_code == 2 and "ledger" in r.stderr and len(r.stderr.strip().splitlines()) == 1
