"""``rubdown list``, ``show``, ``edit``, ``delete`` and ``undo``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rubdown.cli.options import (
    DbOption,
    FormatOption,
    JsonOption,
    SinceOption,
    UntilOption,
    day_range,
    open_store,
    output_format,
    parsed,
    say,
    settings,
)
from rubdown.models import Run

if TYPE_CHECKING:
    from collections.abc import Callable


def record_id_problem(text: str) -> str:
    return f"'{text}' is not a record id; ids are whole numbers from 1 ('rubdown list' shows them)"


def record_id(value: str) -> int:
    """The parser of ``ID``: a whole number SQLite can hold, else a usage error."""
    from rubdown.store import MAX_ID

    text = value.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    raise typer.BadParameter(record_id_problem(value))


class IdCommand(typer.core.TyperCommand):
    """A command that takes a record id: ``delete -1`` is an id that is not
    one (click would report "No such option: -1")."""

    def parse_args(self, ctx, args):
        typed = list(args)  # click consumes args
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            option = getattr(exc, "option_name", None) or ""
            if type(exc).__name__ == "NoSuchOption" and _negative(option):
                token = next((a for a in typed if a.startswith(option) and _negative(a)), option)
                raise typer.BadParameter(
                    record_id_problem(token), ctx=ctx, param_hint="'ID'"
                ) from None
            raise


def _negative(token: str) -> bool:
    """Whether ``token`` is a negative number (``-1``, ``-2.5``)."""
    return token[:1] == "-" and token[1:2].isdigit() and token[1:].replace(".", "", 1).isdigit()


IdArgument = Annotated[
    int,
    typer.Argument(metavar="ID", parser=record_id, help="The record's id (see 'list')."),
]


def list_records(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", metavar="KIND", help="run, massage or self-care.")
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List records, oldest first."""
    from rubdown import parsing

    fmt = output_format(fmt, as_json)
    since_d, until_d = day_range(since, until)
    kinds = None if kind is None else (parsed("--kind", parsing.parse_kind, kind),)
    filters = [f"{name} {value}" for name, value in (
        ("--since", since), ("--until", until), ("--kind", kind)) if value is not None
    ]  # fmt: skip
    with open_store(ctx, db, write=False) as store:
        records = store.records(since=since_d, until=until_d, kinds=kinds)
        total = store.count() if not records and filters else 0
    from rubdown import render

    if fmt == "json":
        render.print_json([render.record_json(r) for r in records])
        return
    if not records and fmt == "table":
        if total:
            noun = "record" if total == 1 else "records"
            say(
                f"No records match {' '.join(filters)}; the log holds {total} {noun} "
                "('rubdown list' shows them all)."
            )
        else:
            say("No records yet. Log one with 'rubdown log run --distance 10k --time 55:00'.")
        return
    cfg = settings()
    columns, rows = render.list_table(records, cfg.units, cfg.currency)
    render.emit_table(
        columns,
        rows,
        fmt,
        right=("id",),
        shrink=("note", "details"),
        drop=("source", "kind", "note", "type"),  # a source is shown whole or not at all
    )


def show(
    ctx: typer.Context,
    record_id: IdArgument,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one record in full."""
    fmt = output_format(fmt, as_json)
    with open_store(ctx, db, write=False) as store:
        record = store.get(record_id)
    from rubdown import render

    data = render.record_json(record)
    if fmt == "json":
        render.print_json(data)
        return
    rows: list[tuple[str, ...]] = [(key, render.show_value(value)) for key, value in data.items()]
    render.emit_table(("field", "value"), rows, fmt)


# option name -> (record field, parser name, kinds it applies to, may be cleared)
EDITABLE = {
    "date": ("start", None, ("run", "massage", "self-care"), False),
    "type": ("type", None, ("run", "massage", "self-care"), False),
    "distance": ("distance_m", None, ("run",), True),
    "time": ("duration_s", "parse_duration", ("run",), True),
    "rpe": ("rpe", "parse_rpe", ("run",), True),
    "event": ("event", "parse_name", ("run",), True),
    "leg": ("leg", "parse_leg", ("run",), True),
    "minutes": ("minutes", "parse_minutes", ("massage", "self-care"), False),
    "therapist": ("therapist", "parse_name", ("massage",), True),
    "cost": ("cost_cents", "parse_cost", ("massage",), True),
    "focus": ("focus", "parse_focus", ("massage",), True),
    "note": ("note", "parse_note", ("run", "massage", "self-care"), True),
}


def edit(
    ctx: typer.Context,
    record_id: IdArgument,
    date: Annotated[str | None, typer.Option("--date", "-d", metavar="WHEN", help="When.")] = None,
    type_: Annotated[
        str | None, typer.Option("--type", metavar="TYPE", help="Type, for the record's kind.")
    ] = None,
    distance: Annotated[
        str | None, typer.Option("--distance", "-D", metavar="DIST", help="Run distance.")
    ] = None,
    time: Annotated[
        str | None, typer.Option("--time", "-t", metavar="TIME", help="Run moving time.")
    ] = None,
    rpe: Annotated[str | None, typer.Option("--rpe", metavar="N", help="Run RPE 0-10.")] = None,
    event: Annotated[
        str | None, typer.Option("--event", metavar="NAME", help="Run event name.")
    ] = None,
    leg: Annotated[str | None, typer.Option("--leg", metavar="N", help="Relay leg.")] = None,
    minutes: Annotated[
        str | None,
        typer.Option("--minutes", "-m", metavar="N", help="Massage or self-care minutes."),
    ] = None,
    therapist: Annotated[
        str | None, typer.Option("--therapist", metavar="NAME", help="Massage therapist.")
    ] = None,
    cost: Annotated[
        str | None, typer.Option("--cost", metavar="AMOUNT", help="Massage cost.")
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", metavar="AREA,...", help="Massage focus areas.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", metavar="TEXT", help="Note, any kind.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Change fields of a record; each value is checked as in 'log'.

    An empty value ('--note ""') clears an optional field.
    """
    from rubdown import clock, parsing

    typed = {
        "date": date, "type": type_, "distance": distance, "time": time, "rpe": rpe,
        "event": event, "leg": leg, "minutes": minutes, "therapist": therapist,
        "cost": cost, "focus": focus, "note": note,
    }  # fmt: skip
    given = {k: v for k, v in typed.items() if v is not None}
    if not given:
        raise typer.BadParameter(
            "nothing to change: give the fields to change, e.g. --distance 12k or --note ''"
        )
    from rubdown.cli.core import check_pace, confirmation

    cfg = settings()
    now = clock.now()
    typed_date = None
    with open_store(ctx, db, write=True, create=False) as store:
        record = store.get(record_id)
        kind = record.kind
        fields: dict = {}
        for option, value in given.items():
            field, parser, kinds, clearable = EDITABLE[option]
            if kind not in kinds:
                allowed = ", ".join(f"--{o}" for o, spec in EDITABLE.items() if kind in spec[2])
                raise typer.BadParameter(
                    f"a {kind} has no {option}; fields of a {kind}: {allowed}",
                    param_hint=f"'--{option}'",
                )
            if value.strip() == "":
                if not clearable:
                    raise typer.BadParameter(
                        f"--{option} cannot be empty", param_hint=f"'--{option}'"
                    )
                fields[field] = () if field == "focus" else None
                continue
            if option == "date":
                typed_date = parsed("--date", lambda v: parsing.read_when(v, now=now), value)
                fields[field] = typed_date.start
                continue
            parse: Callable[[str], object]
            if option == "type":
                parse = lambda v: parsing.parse_type(kind, v)  # noqa: E731
            elif option == "distance":
                parse = lambda v: parsing.parse_distance(v, unit=cfg.units)  # noqa: E731
            elif option == "cost":
                parse = lambda v: parsing.parse_cost(v, currency=cfg.currency)  # noqa: E731
            else:
                assert parser is not None  # only date, type, distance and cost have none
                parse = getattr(parsing, parser)
            fields[field] = parsed(f"--{option}", parse, value)
        if isinstance(record, Run) and {"distance_m", "duration_s"} & set(fields):
            check_pace(
                fields.get("distance_m", record.distance_m),
                fields.get("duration_s", record.duration_s),
                distance, time, cfg.units,
            )  # fmt: skip
        before, after = store.update(record_id, fields)
    say(confirmation("Edited", after, cfg, now, typed_date))


def delete(ctx: typer.Context, record_id: IdArgument, db: DbOption = None) -> None:
    """Delete a record ('rubdown undo' brings it back)."""
    from rubdown import clock, render

    cfg = settings()
    with open_store(ctx, db, write=True, create=False) as store:
        record = store.delete(record_id)
    say(
        f"Deleted {render.summary(record, cfg.units, cfg.currency, clock.now())}"
        " ('rubdown undo' restores it)"
    )


def undo(ctx: typer.Context, db: DbOption = None) -> None:
    """Revert the last write (log, edit, delete, import); repeat to go further back."""
    from rubdown import clock, render
    from rubdown.errors import RubdownError

    cfg = settings()
    with open_store(ctx, db, write=True, create=False) as store:
        undone = store.undo()
    if undone is None:
        raise RubdownError("Nothing to undo: there is no write left to revert.")
    now = clock.now()
    described = "; ".join(render.summary(r, cfg.units, cfg.currency, now) for r in undone.records)
    verb = {
        "log": "Undid log of",
        "edit": "Undid edit: restored",
        "delete": "Undid delete: restored",
        "import": "Undid import of",
    }[undone.action]
    if undone.action == "import" and len(undone.records) > 3:
        described = f"{len(undone.records)} records"
    say(f"{verb} {described}")


#: The command class of each command function that needs its own (read by the root group).
COMMAND_CLASSES = {"show": IdCommand, "edit": IdCommand, "delete": IdCommand}
