"""``export --format ledger``: the massages that have a cost as plain-text
accounting, the journal format hledger and ledger read.

One transaction per massage with a cost, on its local date: the therapist
as payee (``massage`` without one), the type and length as the note, the
cost booked to ``[budget] account`` and balanced by ``[budget]
from_account`` (its amount left for the reader to infer, as journals
usually write it). The accounts and the commodity are declared first, so
``hledger check --strict`` passes. Text users typed is made one safe line:
no control character, tab or run of spaces (two spaces end an account or
description in places), no ``;`` (a comment), no ``|`` (hledger's payee/note
mark), no leading ``*`` or ``!`` (a status mark), at most
``MAX_PAYEE_CHARS`` characters. Notes are not written: a journal is about
money (the JSON export keeps them).
"""

from __future__ import annotations

from collections.abc import Iterable

from rubdown.formatting import format_cost
from rubdown.models import Massage, Record

MAX_PAYEE_CHARS = 80
#: Amounts are written with this many decimals (costs are whole cents).
DECIMALS = 2
_SYMBOLS = "$€£¥₹₩₽₺₪₫₱₦₴₸₡"


def payee(text: str | None) -> str:
    """``text`` as one safe payee (``massage`` when nothing is left of it)."""
    if not text:
        return "massage"
    kept = "".join(ch if ch.isprintable() else " " for ch in text)
    kept = " ".join(kept.replace(";", ",").replace("|", "/").split())
    kept = kept.lstrip("*! ")
    if len(kept) > MAX_PAYEE_CHARS:
        kept = kept[: MAX_PAYEE_CHARS - 1].rstrip() + "…"
    return kept or "massage"


def commodity(currency: str) -> tuple[str, bool]:
    """How the journal writes the configured currency, and whether it stands
    before the amount: a code (letters) after it (``85.00 USD``), a currency
    symbol before it (``$85.00``), anything else quoted after it
    (``85.00 "R$"``), as hledger requires of a symbol with other characters."""
    label = currency.strip()
    if label.isalpha():
        return label, False
    if len(label) == 1 and label in _SYMBOLS:
        return label, True
    return '"' + label.replace('"', "'") + '"', False


def amount(cents: int, currency: str) -> str:
    """``85.00 USD`` or ``$85.00``."""
    symbol, before = commodity(currency)
    number = format_cost(cents)
    return f"{symbol}{number}" if before else f"{number} {symbol}"


def to_ledger(
    records: Iterable[Record], *, currency: str, account: str, from_account: str
) -> tuple[str, int]:
    """The journal of the massages with a cost among ``records`` (oldest
    first), and how many transactions it holds."""
    lines = [
        "; rubdown export: massages with a cost",
        f"account {account}",
        f"account {from_account}",
        f"commodity {amount(100000, currency)}",
    ]
    count = 0
    for record in records:
        if not isinstance(record, Massage) or record.cost_cents is None:
            continue
        count += 1
        day = record.start.date().isoformat()
        note = f"{record.type} massage, {record.minutes} min"
        lines += [
            "",
            f"{day} (#{record.id}) {payee(record.therapist)} | {note}",
            f"    {account}    {amount(record.cost_cents, currency)}",
            f"    {from_account}",
        ]
    return "\n".join(lines) + "\n", count
