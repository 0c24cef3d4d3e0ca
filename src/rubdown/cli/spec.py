"""Every command and option of ``rubdown``, once.

The root help (``root_help``), the lazy root group and each typer command
(``options.typer_callback``), and the fast reader (``fast``) all read this
catalogue; nothing else spells an option. A record field's options are not
declared here: ``log KIND`` takes the fields of that kind from
``rubdown.fields`` (with ``Field.help_for(kind)``), ``edit`` every typed field
(with its ``edit_help``).

Adding an option: an ``Option`` in its command's entry (or a shared one
below), and the keyword the implementing function takes. Adding a command: a
``Command`` entry naming the function that implements it.

Read on every start-up (``--help`` included), so it is plain tuples and
slotted classes: no dataclasses, no typing at run time, and ``fields`` is
imported only when a command's options are asked for.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable

    from rubdown.fields import Field

TEXT, INTEGER, PATH, FLAG = "text", "integer", "path", "flag"  #: what an option takes
RECORD_ID = "record id"  #: an argument that is a record's id


class Option:
    """One option: its spellings (the long one first), the parameter name it
    fills, what it takes (``TEXT``, ``INTEGER`` from ``low`` to ``high``, a
    ``PATH``, or a ``FLAG`` with an ``off`` spelling or none), its help, and
    its default (``None``: not given)."""

    __slots__ = ("name", "spellings", "metavar", "help", "takes", "required", "default",
                 "show_default", "low", "high", "off", "field")  # fmt: skip

    def __init__(
        self,
        name: str,
        spellings: tuple[str, ...],
        help: str,  # noqa: A002
        *,
        metavar: str = "",
        takes: str = TEXT,
        required: bool = False,
        default: object = None,
        show_default: bool = True,
        low: int | None = None,
        high: int | None = None,
        off: str = "",
        field: Field | None = None,
    ) -> None:
        self.name = name
        self.spellings = spellings
        self.metavar = metavar
        self.help = help
        self.takes = takes
        self.required = required
        self.default = False if takes == FLAG and not off and default is None else default
        self.show_default = show_default
        self.low = low
        self.high = high
        self.off = off
        self.field = field

    @property
    def long(self) -> str:
        return self.spellings[0]

    def integer(self, text: str) -> int:
        """The whole number ``text`` gives, within the option's range (a
        ``UsageError`` naming the option otherwise), as click reads it."""
        from rubdown.errors import UsageError

        assert self.low is not None and self.high is not None
        accepted = f"; use {self.low} to {self.high}"
        try:
            number = int(text)
        except ValueError:
            problem = f"'{text}' is not a whole number{accepted}"
            raise UsageError(problem, option=self.long) from None
        if not self.low <= number <= self.high:
            raise UsageError(f"'{text}' is out of range{accepted}", option=self.long)
        return number

    def __repr__(self) -> str:
        return f"Option({self.long!r})"


class Argument:
    """One positional argument: ``takes`` a ``RECORD_ID`` or a ``PATH``
    (``many``: one or more)."""

    __slots__ = ("name", "metavar", "help", "takes", "many")

    def __init__(
        self, name: str, metavar: str, help: str, *, takes: str, many: bool = False  # noqa: A002
    ) -> None:
        self.name = name
        self.metavar = metavar
        self.help = help
        self.takes = takes
        self.many = many


class Command:
    """One command: its words, its help (the first line is what the listing
    shows), the function that runs it (``"module:attribute"`` in
    ``rubdown.cli``; None for a group of commands), its arguments and
    options. ``fields``: a record kind (its fields are options, as ``log``
    takes them) or ``"edit"`` (every typed field). ``hot``: the fast reader
    takes well-formed lines of it. ``asks``: given no record field, it asks
    for them on a terminal (left to typer)."""

    __slots__ = ("words", "help", "target", "arguments", "own_options", "fields", "hot",
                 "asks", "_options")  # fmt: skip

    def __init__(
        self,
        words: tuple[str, ...],
        help: str,  # noqa: A002
        target: str | None = None,
        *,
        arguments: tuple[Argument, ...] = (),
        options: tuple[Option, ...] = (),
        fields: str = "",
        hot: bool = False,
        asks: bool = False,
    ) -> None:
        self.words = words
        self.help = help
        self.target = target
        self.arguments = arguments
        self.own_options = options
        self.fields = fields
        self.hot = hot
        self.asks = asks
        self._options: tuple[Option, ...] | None = None

    @property
    def name(self) -> str:
        return self.words[-1]

    @property
    def short_help(self) -> str:
        return self.help.split("\n", 1)[0]

    @property
    def options(self) -> tuple[Option, ...]:
        """Every option, in the order the help lists them: the record fields
        (if any) first, then the command's own."""
        if self._options is None:
            self._options = field_options(self.fields) + self.own_options
        return self._options

    def function(self) -> Callable[..., object]:
        """The function that runs the command, imported now: it takes the
        values by parameter name (typer gives every one, the fast reader
        those typed)."""
        assert self.target is not None, f"{self} is a group"
        from rubdown import app
        from rubdown.cli import tell

        app.tell = tell  # what opening the database did unasked is said as it happens
        module, attribute = self.target.split(":")
        # __import__, not importlib: importing importlib costs the hot paths.
        return getattr(__import__(f"rubdown.cli.{module}", fromlist=[attribute]), attribute)

    def __repr__(self) -> str:
        return f"Command({' '.join(self.words)!r})"


def field_options(fields: str) -> tuple[Option, ...]:
    """The options of record fields: for a kind, the fields ``log`` takes
    (those it requires first, then in the fields' order); for ``"edit"``,
    every typed field, none required."""
    if not fields:
        return ()
    from rubdown import fields as table

    if fields == "edit":
        return tuple(
            _field_option(f, f.edit_help, required=False) for f in table.FIELDS if f.options
        )
    if fields.startswith(PLAN_FIELDS):  # plan KIND: log KIND's fields, --date required
        kind = fields[len(PLAN_FIELDS):]
        planned = [f for f in table.of_kind(kind) if f.options and table.PLAN in f.kinds]
        planned.sort(key=lambda f: f.name != "start" and kind not in f.required)
        helps = {"start": PLAN_DATE_HELP}
        if kind == "run":
            helps["type"] = "The run type planned; without it any run fulfils the plan."
        return tuple(
            _field_option(f, helps.get(f.name, f.help_for(kind)),
                          required=f.name == "start" or kind in f.required)
            for f in planned
        )  # fmt: skip
    typed = [f for f in table.of_kind(fields) if f.options]
    typed.sort(key=lambda f: fields not in f.required)  # stable: required first
    return tuple(_field_option(f, f.help_for(fields), required=fields in f.required)
                 for f in typed)  # fmt: skip


PLAN_FIELDS = "plan:"  #: ``fields`` of ``plan KIND``: ``plan:KIND``
PLAN_DATE_HELP = ("When it is planned: 2026-12-07, '2026-12-07 17:00', 'mon 17:00' (the next "
                  "Monday); up to two years ahead. A date alone means 12:00.")  # fmt: skip


def _field_option(field: Field, help: str, *, required: bool) -> Option:  # noqa: A002
    return Option(field.name, field.options, help, metavar=field.metavar, required=required,
                  field=field)  # fmt: skip


# -- the catalogue ---------------------------------------------------------------

HELP = """\
A training log for runners who use massage.

Record runs, massages and self-care, then see whether recovery work follows
your hard efforts, and how soon. Data lives in one SQLite file (see
'rubdown db path'); --db PATH or RUBDOWN_DB chooses another.
"""

# Options several commands share.
DB = Option("db", ("--db",), "Database file to use (default: RUBDOWN_DB, else the user data "
            "folder).", metavar="PATH", takes=PATH)  # fmt: skip
VERSION = Option("version", ("--version",), "Print the version and exit.", takes=FLAG)
SINCE = Option("since", ("--since",), "From this day on (2026-11-01, 3w ago).", metavar="WHEN")
UNTIL = Option("until", ("--until",), "Up to and including this day.", metavar="WHEN")
FORMAT = Option("fmt", ("--format", "-f"), "Output format: table (the default), json, csv or "
                "markdown.", metavar="FORMAT", show_default=False)  # fmt: skip
JSON = Option("as_json", ("--json",), "Shorthand for --format json.", takes=FLAG)
PLAN_JSON = Option("as_json", ("--json",), "Print the plan as JSON, as one item of 'plan list "
                   "--json'.", takes=FLAG)  # fmt: skip
FORCE = Option("force", ("--force",), "Replace FILE if it exists.", takes=FLAG)
ID = Argument("record_id", "ID", "The record's id (see 'list').", takes=RECORD_ID)
PLAN_ID = Option("plan", ("--plan",), "The plan this session fulfils (see 'plan list'); by "
                 "default the nearest open plan of its kind within [plans] match_days.",
                 metavar="ID", takes=INTEGER, low=1, high=2**63 - 1)  # fmt: skip
NO_PLAN = Option("no_plan", ("--no-plan",), "Fulfil no plan.", takes=FLAG)

#: The root's own options, as its help lists them (``-h, --help`` is click's).
ROOT_OPTIONS = (DB, VERSION)
HELP_OPTION = ("-h", "--help")

COMMANDS: tuple[Command, ...] = (
    Command(("log",), "Record a run, a massage, a self-care session or a check-in."),
    Command(("log", "run"), "Record a run. With no options on a terminal, asks for the main "
            "fields.", "log_cmd:log_run", fields="run", options=(PLAN_ID, NO_PLAN, DB), hot=True,
            asks=True),
    Command(("log", "massage"), "Record a massage session.", "log_cmd:log_massage",
            fields="massage", options=(PLAN_ID, NO_PLAN, DB), hot=True),
    Command(("log", "self-care"), "Record self-care: foam rolling, stretching, yoga.",
            "log_cmd:log_self_care", fields="self-care", options=(PLAN_ID, NO_PLAN, DB),
            hot=True),
    Command(("log", "check-in"), "Record how you feel on a day: soreness by body area, "
            "fatigue, sleep, stress, mood.\n\nOne check-in per day: another the same day "
            "updates the values it gives and keeps the others ('rubdown undo' restores them). "
            "With no options on a terminal, asks each question (Enter skips).",
            "log_cmd:log_check_in", fields="check-in", options=(DB,), hot=True, asks=True),
    Command(("list",), "List records, oldest first.", "records_cmd:list_records", options=(
        SINCE, UNTIL,
        Option("kind", ("--kind", "-k"), "run, massage, self-care, plan or check-in.",
               metavar="KIND"),
        Option("search", ("--search",), "Only records whose note, therapist or event hold "
               "every word of TEXT (a word finds words it begins; case and accents ignored).",
               metavar="TEXT"),
        Option("missing", ("--missing",), "Only runs without this value: rpe (to rate them "
               "with 'rate' or 'edit ID --rpe N').", metavar="FIELD"),
        FORMAT, JSON, DB,
    )),
    Command(("show",), "Show one record in full.", "records_cmd:show", arguments=(ID,),
            options=(FORMAT, JSON, DB)),
    Command(("edit",), "Change fields of a record; each value is checked as in 'log'.\n\n"
            "An empty value ('--note \"\"') clears an optional field.", "records_cmd:edit",
            arguments=(ID,), fields="edit", options=(DB,)),
    Command(("delete",), "Delete a record ('rubdown undo' brings it back).",
            "records_cmd:delete", arguments=(ID,), options=(DB,)),
    Command(("undo",), "Revert the last write (log, edit, delete, import); repeat to go "
            "further back.", "records_cmd:undo", options=(DB,)),
    Command(("rate",), "Ask, on a terminal, the RPE of each run of the last 14 days that "
            "has none, newest first.\n\nEnter skips a run. Each answer is stored as 'edit ID "
            "--rpe N' stores it ('rubdown undo' reverts the last one). Without a terminal, use "
            "'rubdown list --missing rpe' and 'rubdown edit ID --rpe N'.", "rate_cmd:rate",
            options=(DB,)),
    Command(("report",), "Weekly summary, recovery after each hard effort, and massage "
            "regularity.", "report_cmd:report", hot=True, options=(
        Option("weeks", ("--weeks", "-w"), "The N weeks ending with this week (default 12).",
               metavar="N", takes=INTEGER, low=1, high=520),
        Option("since", ("--since",), "First day of the report.", metavar="WHEN"),
        Option("until", ("--until",), "Last day (a later one is read as today); the report "
               "reads as it would have at its end.", metavar="WHEN"),
        Option("week", ("--week",), "One week, e.g. 2026-W47.", metavar="YYYY-Www"),
        Option("last_week", ("--last-week",), "The last completed week.", takes=FLAG),
        Option("within", ("--within",), "Follow-up window: recovery within this is on time "
               "(default 72).", metavar="HOURS"),
        Option("every", ("--every",), "Target massage cadence: 7d, 2w, 30d, weekly, "
               "biweekly, monthly.", metavar="PERIOD"),
        Option("self_care", ("--self-care",), "Count self-care as recovery (default from "
               "config: off).", takes=FLAG, off="--no-self-care"),
        Option("fmt", ("--format", "-f"), "Output format: table (the default), json, csv, "
               "markdown or html (one self-contained page with charts).", metavar="FORMAT",
               show_default=False),
        JSON,
        Option("output", ("--output", "-o"), "With --format html: write the page to FILE "
               "(mode 0600) instead of standard output.", metavar="FILE", takes=PATH),
        FORCE, DB,
    )),
    Command(("brief",), "A brief for a massage therapist (since the last massage) or a coach "
            "(a block of weeks), in markdown or HTML.\n\nIt states what was logged and never "
            "interprets it. Notes, costs and therapist names are left out unless --include "
            "names them.", "brief_cmd:brief", options=(
        Option("audience", ("--for",), "Who it is for: therapist (the default: since the last "
               "massage) or coach (by default the last 4 weeks).", metavar="WHOM"),
        Option("since", ("--since",), "First day of the brief (2026-11-01, 3w ago).",
               metavar="WHEN"),
        Option("fmt", ("--format", "-f"), "markdown (the default) or html (one "
               "self-contained page).", metavar="FORMAT", show_default=False),
        Option("include", ("--include",), "What else to show, comma-separated: notes, costs, "
               "therapist.", metavar="WHAT"),
        Option("output", ("--output", "-o"), "Write to FILE (mode 0600) instead of standard "
               "output.", metavar="FILE", takes=PATH),
        FORCE, DB,
    )),
    Command(("demo",), "Write a realistic 16-week season into a new database and show its "
            "report.\n\nWithout --db it uses a temporary database, never your own log, and "
            "removes it afterwards; with --db PATH (a new file) the season stays there to "
            "explore.", "report_cmd:demo", options=(FORMAT, JSON, DB)),
    Command(("import",), "Import runs from activity files and exports; duplicates are never "
            "stored twice.\n\nEach file is committed on its own, so an interrupted import "
            "keeps what it finished and running it again imports exactly the rest. 'rubdown "
            "undo' removes everything one import stored. Exits 1 when a file failed (after "
            "importing the others).", "import_cmd:import_files", arguments=(
        Argument("paths", "PATH...", "GPX, TCX or FIT files (also .gz), folders (searched "
                 "recursively), Strava exports (folder or .zip), or rubdown JSON exports.",
                 takes=PATH, many=True),
    ), options=(
        Option("dry_run", ("--dry-run",), "Read everything and report, but write nothing.",
               takes=FLAG),
        Option("as_json", ("--json",), "Print the summary as JSON on stdout.", takes=FLAG),
        DB,
    )),
    Command(("export",), "Export records, oldest first, as JSON, CSV, an iCalendar (.ics) "
            "file or a ledger journal.", "export_cmd:export", options=(
        Option("fmt", ("--format", "-f"), "json (the 'list --json' array; 'rubdown import' "
               "reads it back), csv (one row per record, every field), ics (one calendar "
               "event per session, open plans as tentative events, recovery to book as "
               "to-dos) or ledger (one hledger/ledger transaction per massage with a cost, "
               "to [budget] account).", metavar="FORMAT", default="json"),
        SINCE, UNTIL,
        Option("output", ("--output", "-o"), "Write to FILE (mode 0600) instead of standard "
               "output.", metavar="FILE", takes=PATH),
        FORCE, DB,
    )),
    Command(("plan",), "Plan a session; list, skip or move plans.\n\nA plan does not count "
            "as a run or as recovery; logging the session fulfils it."),
    Command(("plan", "run"), "Plan a run (with no --type, any run fulfils it).",
            "plan_cmd:plan_run", fields="plan:run", options=(PLAN_JSON, DB)),
    Command(("plan", "massage"), "Plan a massage session.", "plan_cmd:plan_massage",
            fields="plan:massage", options=(PLAN_JSON, DB)),
    Command(("plan", "self-care"), "Plan self-care: foam rolling, stretching, yoga.",
            "plan_cmd:plan_self_care", fields="plan:self-care", options=(PLAN_JSON, DB)),
    Command(("plan", "list"), "List the open plans, soonest first (--all: every plan, with "
            "its status and slip).", "plan_cmd:plan_list", options=(
        Option("everything", ("--all",), "Every plan: done, skipped, missed or open.",
               takes=FLAG),
        Option("as_json", ("--json",), "Print the plans as JSON: each as 'list --json' shows "
               "it, with its status, timing, done_id and slip_days.", takes=FLAG),
        DB,
    )),
    Command(("plan", "skip"), "Mark a plan skipped ('rubdown undo' reopens it).",
            "plan_cmd:plan_skip", arguments=(ID,), options=(
        Option("reason", ("--reason",), "Why it was skipped.", metavar="TEXT"), PLAN_JSON, DB,
    )),
    Command(("plan", "move"), "Move a plan to another day or time.", "plan_cmd:plan_move",
            arguments=(ID,), options=(
        Option("date", ("--date", "-d"), PLAN_DATE_HELP, metavar="WHEN", required=True),
        PLAN_JSON, DB,
    )),
    Command(("due",), "What needs doing, most urgent first: recovery windows, plans, "
            "recovery to book, the next massage.", "due_cmd:due", hot=True, options=(
        Option("as_json", ("--json",), "Print {\"now\", \"items\"} as JSON.", takes=FLAG),
        Option("short", ("--short",), "At most one line, nothing when nothing is due (for a "
               "shell prompt).", takes=FLAG),
        Option("check", ("--check",), "Exit 1 when anything is overdue (for cron).",
               takes=FLAG),
        DB,
    )),
    Command(("budget",), "Spend per month against [budget] recovery, the average price, "
            "and how often that budget affords a massage.\n\nThe last 6 calendar months "
            "(this one included) and the mean cost of the last 6 massages that have one; "
            "the budget is set in the config file ('rubdown config path').",
            "budget_cmd:budget", options=(FORMAT, JSON, DB)),
    Command(("db",), "The database file: where it is, whether it is sound, a consistent "
            "copy."),
    Command(("db", "path"), "Print the path of the database in use.", "db_cmd:path_",
            options=(DB,)),
    Command(("db", "check"), "Check the database's integrity (read-only) and give a clear "
            "verdict.", "db_cmd:check", options=(DB,)),
    Command(("db", "backup"), "Write a consistent copy of the database to FILE (mode 0600), "
            "even while others write.", "db_cmd:backup", arguments=(
        Argument("file", "FILE", "Where to write the copy.", takes=PATH),
    ), options=(FORCE, DB)),
    Command(("config",), "Where the configuration file is and what it says."),
    Command(("config", "path"), "Print the configuration file's path (RUBDOWN_CONFIG "
            "overrides it).", "config_cmd:config_path"),
    Command(("config", "show"), "Print the settings in force, as TOML (defaults where the "
            "file is silent).", "config_cmd:config_show"),
    Command(("config", "init"), "Write a commented configuration file with the defaults, if "
            "none exists.", "config_cmd:config_init"),
)  # fmt: skip

BY_WORDS: dict[tuple[str, ...], Command] = {command.words: command for command in COMMANDS}
#: The root's commands, in the order its help lists them.
TOP: tuple[Command, ...] = tuple(c for c in COMMANDS if len(c.words) == 1)
#: The command lines the fast reader takes: words -> command.
HOT: dict[tuple[str, ...], Command] = {c.words: c for c in COMMANDS if c.hot}


def children(group: Command) -> tuple[Command, ...]:
    """The commands of a group, in the order its help lists them."""
    depth = len(group.words) + 1
    return tuple(
        c for c in COMMANDS if len(c.words) == depth and c.words[: depth - 1] == group.words
    )


def spellings(command: Command) -> dict[str, tuple[Option, object]]:
    """Each spelling a command takes -> (its option, the value a flag
    spelling sets; ``None`` for an option that takes a value)."""
    table: dict[str, tuple[Option, object]] = {}
    for option in command.options:
        for spelling in option.spellings:
            table[spelling] = (option, True if option.takes == FLAG else None)
        if option.off:
            table[option.off] = (option, False)
    return table
