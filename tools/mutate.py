"""Mutation testing for rubdown: which changes to the code does no test notice?

    python tools/mutate.py src/rubdown/parsing/*.py [more modules...] [--jobs 2]
                           [--list-survivors] [--tests 'tests --ignore=tests/x.py']

For each module it makes small mutants, one change each: a comparison turned
(``<`` and ``<=``, ``>`` and ``>=``, ``==`` and ``!=``, ``is``/``in`` and
their negations), ``and`` and ``or`` swapped, arithmetic turned (``+`` and
``-``, ``*`` and ``/``, ``//`` and ``%``), an integer or float constant
moved by one either way, ``min`` and ``max`` swapped, ``return X`` made
``return None``, and a simple statement replaced by ``pass``. Each mutant runs
against the tests that cover its line (learnt from one run of the suite
under coverage.py, one context per test); a mutant that no test fails
"survives".

The working tree is never modified: each mutant is written into a copy of
the package in a temporary directory placed first on ``PYTHONPATH``, and the
tests run from a temporary working directory. Needs coverage.py (the
``mutation`` extra: ``pip install -e '.[test,mutation]'``). Run it by hand,
before a large change; it is not part of CI. See docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "rubdown"
DEFAULT_MODULES = (
    *sorted(str(p.relative_to(ROOT)) for p in (PACKAGE / "analysis").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (PACKAGE / "parsing").glob("*.py")),
    "src/rubdown/importers/gpx.py",
    "src/rubdown/importers/fit.py",
    "src/rubdown/importers/tcx.py",
)
NO_MUTATE = "pragma: no mutate"


# --- the mutants ------------------------------------------------------------------

COMPARE_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip
BINOP_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mod, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
}  # fmt: skip
OP_TEXT = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
    ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
    ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
    ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.And: "and", ast.Or: "or",
}  # fmt: skip
SIMPLE_STATEMENTS = (
    ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.Continue, ast.Break,
    ast.Delete, ast.Assert,
)  # fmt: skip


@dataclass
class Mutant:
    path: Path  # the module in the working tree
    line: int
    end_line: int
    start: tuple[int, int]  # (line, col) of the replaced text
    end: tuple[int, int]
    replacement: str
    description: str
    module_level: bool  # runs at import time (see assign_tests)
    top: ast.stmt | None = None  # the module-level statement holding the mutant
    tests: list[str] = field(default_factory=list)
    outcome: str = ""  # killed, survived, timeout, uncovered, error
    code: int | str | None = None  # pytest's exit code, or "timeout"

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def source(self, original: str) -> str:
        lines = original.splitlines(keepends=True)
        offsets = [0]
        for text in lines:
            offsets.append(offsets[-1] + len(text.encode()))
        data = original.encode()
        a = offsets[self.start[0] - 1] + self.start[1]
        b = offsets[self.end[0] - 1] + self.end[1]
        return (data[:a] + self.replacement.encode() + data[b:]).decode()


def _is_docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    )


class _Finder(ast.NodeVisitor):
    """Walks a module and records one Mutant per applicable change."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.mutants: list[Mutant] = []
        self.depth = 0  # inside a function body when > 0
        self.top: ast.stmt | None = None

    def _skip(self, node: ast.AST) -> bool:
        return any(NO_MUTATE in self.lines[n - 1] for n in range(node.lineno, node.end_lineno + 1))

    def _add(self, node: ast.AST, replacement: str, description: str, span=None) -> None:
        span = span or node
        if self._skip(node):
            return
        self.mutants.append(
            Mutant(
                path=self.path,
                line=node.lineno,
                end_line=node.end_lineno,
                start=(span.lineno, span.col_offset),
                end=(span.end_lineno, span.end_col_offset),
                replacement=replacement,
                description=description,
                module_level=self.depth == 0,
                top=self.top,
            )
        )

    # Nothing inside an f-string (3.11 gives its parts no true positions),
    # nothing under `if TYPE_CHECKING:`, no imports.
    def visit_JoinedStr(self, node):
        return

    def visit_If(self, node):
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self.generic_visit(node)

    def _function(self, node):
        for item in (*node.decorator_list, node.args, node.returns):
            if item is not None:
                self.visit(item)
        self.depth += 1
        for statement in node.body:
            self.visit(statement)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Compare(self, node):
        for index, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap:
                ops = list(node.ops)
                ops[index] = swap()
                new = ast.Compare(left=node.left, ops=ops, comparators=node.comparators)
                self._add(
                    node,
                    f"({ast.unparse(new)})",
                    f"{OP_TEXT[type(op)]} -> {OP_TEXT[swap]}",
                )
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And
        new = ast.BoolOp(op=swap(), values=node.values)
        self._add(node, f"({ast.unparse(new)})", f"{OP_TEXT[type(node.op)]} -> {OP_TEXT[swap]}")
        self.generic_visit(node)

    def visit_BinOp(self, node):
        swap = BINOP_SWAPS.get(type(node.op))
        if swap and not (_is_text(node.left) or _is_text(node.right)):
            new = ast.BinOp(left=node.left, op=swap(), right=node.right)
            self._add(node, f"({ast.unparse(new)})", f"{OP_TEXT[type(node.op)]} -> {OP_TEXT[swap]}")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        swap = BINOP_SWAPS.get(type(node.op))
        if swap and not _is_text(node.value):
            new = ast.AugAssign(target=node.target, op=swap(), value=node.value)
            self._add(node, ast.unparse(new), f"{OP_TEXT[type(node.op)]}= -> {OP_TEXT[swap]}=")
        self._delete(node)
        self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return
        for new in (value + 1, value - 1):
            self._add(node, repr(new), f"{value!r} -> {new!r}")

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in ("min", "max"):
            other = "max" if node.func.id == "min" else "min"
            self._add(node, other, f"{node.func.id} -> {other}", span=node.func)
        self.generic_visit(node)

    def visit_Return(self, node):
        if node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            self._add(node, "return None", "return ... -> return None")
        self.generic_visit(node)

    def _delete(self, node):
        if self.depth and isinstance(node, SIMPLE_STATEMENTS) and not _is_docstring(node):
            first = self.lines[node.lineno - 1][node.col_offset :].split("\n")[0]
            shown = first if len(first) <= 50 else first[:47] + "..."
            self._add(node, "pass", f"delete `{shown}`")

    def generic_visit(self, node):
        if isinstance(node, SIMPLE_STATEMENTS) and not isinstance(node, ast.AugAssign):
            self._delete(node)
        if isinstance(node, ast.Module | ast.ClassDef):
            body = node.body
            fields = [b for b in body if not _is_docstring(b)]
            for item in fields:
                if isinstance(item, ast.Import | ast.ImportFrom):
                    continue
                if isinstance(node, ast.Module):
                    self.top = item
                self.visit(item)
            return
        super().generic_visit(node)


def find_mutants(path: Path) -> list[Mutant]:
    text = path.read_text()
    finder = _Finder(path, text)
    finder.visit(ast.parse(text))
    # Every mutant must still compile; a splice that does not is a tool bug.
    good = []
    for mutant in finder.mutants:
        try:
            ast.parse(mutant.source(text))
        except SyntaxError:
            print(f"tool: skipped {mutant.where()} {mutant.description} (does not parse)")
            continue
        good.append(mutant)
    return good


# --- which tests cover which line ------------------------------------------------------


class _ContextPlugin:
    """Pytest plugin: one coverage context per test (its node id) and each test's time."""

    def __init__(self, cov):
        self.cov = cov
        self.durations: dict[str, float] = defaultdict(float)

    def pytest_runtest_setup(self, item):
        self.cov.switch_context(item.nodeid)

    def pytest_runtest_teardown(self, item):
        self.cov.switch_context(item.nodeid)

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] += report.duration
        if report.when == "teardown":
            self.cov.switch_context("")


def _absolute(arg: str) -> str:
    """A pytest argument naming a path of the project (``tests``, ``--ignore=tests/x.py``),
    made absolute: the suite runs from a temporary directory."""
    option, sep, value = arg.rpartition("=")
    if (ROOT / value).exists() and (not sep or option.startswith("-")):
        return f"{option}{sep}{ROOT / value}"
    return arg


def _collect(out: Path, files: list[str], pytest_args: list[str]) -> int:
    """Child process: the suite under coverage, one context per test."""
    import coverage
    import pytest

    cov = coverage.Coverage(data_file=str(out / "coverage"), include=files)
    cov.start()
    plugin = _ContextPlugin(cov)
    args = [_absolute(a) for a in pytest_args]
    args += [
        "-q",
        "-p",
        "no:cacheprovider",
        f"--rootdir={ROOT}",
        "-c",
        str(ROOT / "pyproject.toml"),
    ]
    code = pytest.main(args, plugins=[plugin])
    cov.stop()
    cov.save()
    (out / "durations.json").write_text(json.dumps(plugin.durations))
    return code


def map_tests(paths: list[Path], pytest_args: list[str], work: Path) -> tuple[dict, dict]:
    """{path: {line: {node ids}}} and {node id: seconds}, from one run of the suite."""
    import coverage

    out = work / "collect"
    out.mkdir()
    files = [str(p) for p in paths]
    print(f"Mapping lines to tests: {' '.join(pytest_args)} under coverage...", flush=True)
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, __file__, "--_collect", str(out), "--_files", *files, "--", *pytest_args],
        cwd=work,
        env=_env(SRC),
        stdout=subprocess.DEVNULL,
    )
    if code not in (0, 1):
        sys.exit(f"The suite did not run under coverage (pytest exit {code}).")
    if code == 1:
        print("warning: some tests failed in the coverage run; results are not reliable.")
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    data = coverage.CoverageData(basename=str(out / "coverage"))
    data.read()
    lines: dict = {}
    for p in paths:
        by_line = data.contexts_by_lineno(str(p)) or {}
        lines[p] = {n: {c for c in ctx if c} for n, ctx in by_line.items()}
    durations = json.loads((out / "durations.json").read_text())
    return lines, durations


def _readers(tree: ast.Module, top: ast.stmt | None) -> set[int] | None:
    """Lines inside functions that a change to module-level statement ``top`` reaches.

    For a function's defaults and decorators: its body. For an assignment
    to private names: the lines that read them, following private names
    built from them (``_DAYISH`` from ``_TIME``). None when the change may
    reach further (a public name, which other modules may import).
    """
    if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
        return set(range(top.body[0].lineno, top.end_lineno + 1))
    if not isinstance(top, ast.Assign | ast.AnnAssign):
        return None
    targets = top.targets if isinstance(top, ast.Assign) else [top.target]
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    if not names or any(not n.startswith("_") or n == "__all__" for n in names):
        return None
    lines: set[int] = set()
    pending = set(names)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        for statement in tree.body:
            uses = [
                n for n in ast.walk(statement)
                if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
            ]  # fmt: skip
            if not uses:
                continue
            if isinstance(statement, ast.Assign):  # another module-level name built from it
                for t in statement.targets:
                    if isinstance(t, ast.Name) and t.id not in seen:
                        if not t.id.startswith("_"):
                            return None
                        pending.add(t.id)
            elif isinstance(statement, ast.FunctionDef | ast.ClassDef):
                lines.update(n.lineno for n in uses)
            else:
                return None
    return lines


def assign_tests(mutants: list[Mutant], lines: dict) -> None:
    """Each mutant's tests: those that ran its lines.

    A module-level mutant (a constant, a table, a default) ran at import,
    outside any test: it gets the tests that ran the lines reading what it
    changes, or, when that cannot be told, every test that ran the module.
    So does a mutant in a function that ran only at import (a table built
    by calling a class or a helper when the module loads): its lines ran,
    but in no test.
    """
    for path in {m.path for m in mutants}:
        by_line = lines[path]
        everyone = set().union(*by_line.values())
        tree = ast.parse(path.read_text())
        for m in mutants:
            if m.path != path:
                continue
            if m.module_level:
                readers = _readers(tree, m.top)
                if readers is None:
                    tests = everyone
                else:
                    tests = set().union(*(by_line.get(n, set()) for n in readers))
            else:
                span = range(m.line, m.end_line + 1)
                tests = set().union(*(by_line.get(n, set()) for n in span))
                if not tests and any(n in by_line for n in span):  # ran at import only
                    tests = everyone
            m.tests = sorted(tests)


# --- running a mutant ------------------------------------------------------------


def _env(path_first: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(path_first), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("COVERAGE_PROCESS_START", None)
    return env


class _SelectPlugin:
    """Pytest plugin: keep only the named tests, quickest first."""

    def __init__(self, wanted: list[str]):
        self.order = {nodeid: i for i, nodeid in enumerate(wanted)}

    def pytest_collection_modifyitems(self, config, items):
        keep = [item for item in items if item.nodeid in self.order]
        keep.sort(key=lambda item: self.order[item.nodeid])
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid not in self.order])
        items[:] = keep


def _run(selection: Path, copy: Path) -> int:
    """Child process: the selected tests against the package copy first on sys.path."""
    import pytest

    import rubdown

    if not Path(rubdown.__file__).resolve().is_relative_to(copy.resolve()):
        print(f"rubdown imported from {rubdown.__file__}, not from the copy", file=sys.stderr)
        return 99
    wanted = json.loads(selection.read_text())
    files = sorted({str(ROOT / nodeid.split("::")[0]) for nodeid in wanted})
    args = [
        *files, "-x", "-q", "--no-header", "-p", "no:cacheprovider",
        f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"),
    ]  # fmt: skip
    return pytest.main(args, plugins=[_SelectPlugin(wanted)])


# Imported once by each fork server, so a mutant's run starts without them.
PRELOAD = (
    "pytest", "hypothesis", "typer", "typer.testing", "rich.console", "rich.table",
    "rich.text", "sqlite_utils", "platformdirs", "decimal", "difflib", "sqlite3",
)  # fmt: skip


def _serve() -> int:
    """Child process: a fork server. It imports the test dependencies (never
    rubdown) once, then for each request on stdin forks a child that runs the
    selected tests against that request's package copy, and answers the code."""
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if any(name == "rubdown" or name.startswith("rubdown.") for name in sys.modules):
        return 97
    current: list[int] = []

    def stop(*_):
        for pid in current:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 98
            try:
                os.setpgid(0, 0)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.chdir(request["slot"])
                copy = Path(request["copy"])
                os.environ.update(_env(copy))  # for the processes the tests start
                sys.dont_write_bytecode = True
                sys.path.insert(0, str(copy))
                code = _run(Path(request["selection"]), copy)
            finally:
                os._exit(code)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        current[:] = [pid]
        deadline = time.monotonic() + request["timeout"]
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code = "timeout"
                break
            time.sleep(0.02)
        current.clear()
        print(json.dumps({"code": code}), flush=True)
    return 0


_local = threading.local()
SERVERS: list[subprocess.Popen] = []


def _server() -> subprocess.Popen:
    """This thread's fork server, started on first use."""
    server = getattr(_local, "server", None)
    if server is None:
        server = subprocess.Popen(
            [sys.executable, __file__, "--_serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_env(SRC.parent / "no-such-dir"),  # rubdown comes from each request's copy
            cwd=tempfile.gettempdir(),
            text=True,
            start_new_session=True,
        )
        SERVERS.append(server)
        _local.server = server
    return server


def _own(test: str, target: Path) -> bool:
    """Is ``test`` in a test file named after ``target``'s area (parsing, analysis...)?"""
    area = target.relative_to(PACKAGE).parts[0].removesuffix(".py")
    return area in Path(test.split("::")[0]).name


def run_tests(tests: list[str], source: str | None, target: Path, work: Path, timeout: float):
    """Run ``tests`` with ``target`` replaced by ``source`` in a package copy: pytest's code.

    The tests of the target's own test files run first, and the others only
    if those all pass: most mutants are killed without collecting the rest.
    """
    slot = Path(tempfile.mkdtemp(dir=work))
    copy = slot / "pkg"
    shutil.copytree(PACKAGE, copy / "rubdown", ignore=shutil.ignore_patterns("__pycache__"))
    if source is not None:
        (copy / target.relative_to(SRC)).write_text(source)
    own = [t for t in tests if _own(t, target)]
    rest = [t for t in tests if not _own(t, target)]
    code = 0
    try:
        for stage in (own, rest):
            if not stage or code != 0:
                continue
            selection = slot / "tests.json"
            selection.write_text(json.dumps(stage))
            server = _server()
            request = {"selection": str(selection), "copy": str(copy), "slot": str(slot),
                       "timeout": timeout}  # fmt: skip
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            answer = server.stdout.readline()
            if not answer:
                sys.exit(f"tool: the fork server stopped (exit {server.wait()})")
            code = json.loads(answer)["code"]
            if code == 99:
                sys.exit("tool: the tests imported rubdown from somewhere else than the copy")
    finally:
        shutil.rmtree(slot, ignore_errors=True)
    return code


def stop_servers() -> None:
    for server in SERVERS:
        with contextlib.suppress(ProcessLookupError):
            server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


STOPPING: list[bool] = []  # set on an interrupt: start no more mutants


def outcome(code) -> str:
    if code == "timeout":
        return "timeout"
    if code == 0:
        return "survived"
    if code in (1, 2, 3):  # failed, interrupted (e.g. import error), internal error
        return "killed"
    return "error"


# --- the command ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--_collect":
        out, rest = Path(argv[1]), argv[3:]
        split = rest.index("--")
        return _collect(out, rest[:split], rest[split + 1 :])
    if argv and argv[0] == "--_serve":
        return _serve()

    parser = argparse.ArgumentParser(
        prog="python tools/mutate.py",
        description="Mutation testing: a score per module and the mutants no test kills.",
    )
    parser.add_argument("modules", nargs="*", help=f"files to mutate (default: {DEFAULT_MODULES})")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--list-survivors", action="store_true", help="print every survivor")
    parser.add_argument(
        "--tests",
        default="tests",
        metavar="PYTEST_ARGS",
        help="what pytest runs to map lines to tests, one quoted string (default: tests)",
    )
    parser.add_argument("--lines", help="only mutants starting in this range, e.g. 300-340")
    parser.add_argument(
        "--timeout",
        type=float,
        default=4.0,
        help="a mutant times out after this many times its tests' usual time, plus 15 s",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every mutant's outcome here")
    args = parser.parse_args(argv)

    paths = [Path(m).resolve() for m in (args.modules or DEFAULT_MODULES)]
    for p in paths:
        if not p.is_file() or not p.is_relative_to(PACKAGE):
            parser.error(f"{p} is not a module of {PACKAGE.relative_to(ROOT)}")

    mutants = [m for p in paths for m in find_mutants(p)]
    if args.lines:
        low, _, high = args.lines.partition("-")
        mutants = [m for m in mutants if int(low) <= m.line <= int(high or low)]
    print(f"{len(mutants)} mutants in {len(paths)} modules", flush=True)
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        with tempfile.TemporaryDirectory(prefix="rubdown-mutate-") as tmp:
            run_all(mutants, paths, args, started, Path(tmp))
    finally:
        stop_servers()

    report(mutants, paths, args.list_survivors, time.monotonic() - started)
    if args.json:
        rows = [
            {"where": m.where(), "mutation": m.description, "outcome": m.outcome,
             "pytest_exit": m.code, "tests": len(m.tests)}
            for m in mutants
        ]  # fmt: skip
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def run_all(mutants: list[Mutant], paths: list[Path], args, started: float, work: Path) -> None:
    lines, durations = map_tests(paths, shlex.split(args.tests), work)
    assign_tests(mutants, lines)
    for m in mutants:
        m.tests.sort(key=lambda t: durations.get(t, 0.0))

    # The unmutated copy must pass every test used, or no result means anything.
    for p in paths:
        used = sorted({t for m in mutants if m.path == p for t in m.tests})
        if used and run_tests(used, None, p, work, timeout=900) != 0:
            sys.exit(f"{p.relative_to(ROOT)}: its covering tests fail without any mutant.")

    texts = {p: p.read_text() for p in paths}
    todo = [m for m in mutants if m.tests]
    for m in mutants:
        if not m.tests:
            m.outcome = "uncovered"

    def one(m: Mutant) -> Mutant:
        if STOPPING:
            return m
        budget = 15 + args.timeout * sum(durations.get(t, 0.0) for t in m.tests)
        m.code = run_tests(m.tests, m.source(texts[m.path]), m.path, work, budget)
        m.outcome = outcome(m.code)
        return m

    done = 0
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        for _ in pool.map(one, todo):
            done += 1
            if done % 25 == 0 or done == len(todo):
                elapsed = time.monotonic() - started
                print(f"  {done}/{len(todo)} mutants run, {elapsed:.0f} s", flush=True)
    except BaseException:
        STOPPING.append(True)
        stop_servers()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def report(mutants: list[Mutant], paths: list[Path], list_all: bool, seconds: float) -> None:
    print()
    print(f"{'module':<36} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} "
          f"{'uncovered':>9} {'score':>6}")  # fmt: skip
    total = defaultdict(int)
    for p in paths:
        ours = [m for m in mutants if m.path == p]
        count = defaultdict(int)
        for m in ours:
            count[m.outcome] += 1
        killed = count["killed"] + count["timeout"]
        score = f"{100 * killed / len(ours):.1f}%" if ours else "-"
        print(
            f"{str(p.relative_to(SRC)):<36} {len(ours):>7} {count['killed']:>6} "
            f"{count['timeout']:>7} {count['survived']:>8} {count['uncovered']:>9} {score:>6}"
        )
        for key, value in count.items():
            total[key] += value
        total["all"] += len(ours)
    if len(paths) > 1 and total["all"]:
        killed = total["killed"] + total["timeout"]
        print(
            f"{'total':<36} {total['all']:>7} {total['killed']:>6} {total['timeout']:>7} "
            f"{total['survived']:>8} {total['uncovered']:>9} {100 * killed / total['all']:.1f}%"
        )
    if total["error"]:
        print(f"{total['error']} mutants ended in a pytest error (counted as survivors).")
    print(f"score = (killed + timeout) / mutants; {seconds:.0f} s in all")
    survivors = [m for m in mutants if m.outcome in ("survived", "uncovered", "error")]
    if survivors and list_all:
        print("\nSurvivors (file:line  mutation  [tests run]):")
        for m in survivors:
            tag = "no covering test" if m.outcome == "uncovered" else f"{len(m.tests)} tests"
            print(f"  {m.where()}  {m.description}  [{tag}]")
    elif survivors:
        print(f"{len(survivors)} survivors; --list-survivors prints them.")


if __name__ == "__main__":
    sys.exit(main())
