"""``rubdown report`` and ``rubdown demo``: the report ``rubdown.app``
computes, printed in the format asked for. Typer-free: the fast reader calls
``report`` as typer does."""

from __future__ import annotations

from rubdown import app
from rubdown.app import reporting
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def show_report(page: reporting.ReportPage, fmt: str) -> None:
    from rubdown import render_report

    if fmt == "json":
        from rubdown.render import print_json

        print_json(page.report.to_json())
    elif fmt == "csv":
        render_report.print_csv(page.report)
    elif fmt == "markdown":
        render_report.print_markdown(page.report, page.units, page.now)
    else:
        render_report.print_table(page.report, page.units, page.now)


def report(
    db: Path | None = None, *, fmt: str | None = None, as_json: bool = False,
    output: Path | None = None, force: bool = False, **options: object,
) -> None:  # fmt: skip
    """Weekly summary, recovery after each hard effort, and massage regularity."""
    fmt = app.output_format(fmt, as_json, also=("html",))
    if (output is not None or force) and fmt != "html":
        from rubdown.errors import UsageError

        option = "--output" if output is not None else "--force"
        raise UsageError(f"{option} is for --format html; other formats print to standard "
                         "output", option=option)  # fmt: skip
    if force and output is None:
        from rubdown.errors import UsageError

        raise UsageError("--force replaces the --output FILE; give --output", option="--force")
    if fmt == "json":
        reporting.report_json(_write_json, db=db, **options)
        return
    with reporting.gc_paused():  # the report's objects hold no cycles (see gc_paused)
        result = reporting.report(db=db, **options)
        for notice in result.notices:  # said last: a usage error prints nothing else
            say(notice)
        if fmt == "html":
            write_html(result, output, force=force, db=db)
        else:
            show_report(result, fmt)


def write_html(page: reporting.ReportPage, output: Path | None, *, force: bool,
               db: Path | None) -> None:  # fmt: skip
    """The report as one HTML page: on stdout, or in ``output`` (mode 0600)."""
    import sys

    from rubdown.render_html import report_html

    html = report_html(page.report.to_json(), page.units)
    if output is None:
        sys.stdout.write(html)
        return
    app.write_export(output, html.encode("utf-8"), overwrite=force, db=db)
    say(f"Wrote the report to {output}")


def _write_json(notices: tuple[str, ...], document: object) -> None:
    from rubdown import render

    for notice in notices:  # said first: the document may be written as it is made
        say(notice)
    if type(document) is dict:  # a whole report (a short period)
        render.print_json(document)
    else:
        render.print_json_stream(document)


def demo(db: Path | None = None, *, fmt: str | None = None, as_json: bool = False) -> None:
    """Write a realistic 16-week season into a new database and show its report."""
    fmt = app.output_format(fmt, as_json)
    result, kept = reporting.demo(db=db)
    show_report(result, fmt)
    if kept is not None:
        say(f"\nDemo database: {kept}\nExplore it: rubdown --db {kept} list   (or: report --json)")
    else:
        say(
            "\nThis demo's database was temporary and has been removed. To keep one to "
            "explore: rubdown demo --db demo.db, then rubdown --db demo.db list"
        )
