"""The house's rules: the core never imports Qt (every app module, loaded in a fresh
interpreter), the forbidden arrows between the rooms (read from the source), and the
dependencies (each one declared is used, each one used is declared)."""

from __future__ import annotations

import ast
import importlib.metadata
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parents[2]


def test_core_modules_do_not_load_qt() -> None:
    modules = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
    assert "app.sync.plan" in modules and "app.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"Qt loaded by the core: {out.stdout}"


def test_cli_starts_without_qt() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app.cli", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "contactbox-sync" in out.stdout
    assert "PySide6" not in out.stderr


def test_the_http_stack_and_keyring_load_only_when_needed() -> None:
    """The HTTP client (app/dav/http.py with http.client) and keyring (~0.1 s) load when a
    session opens or a password is read: the window and the CLI's local commands start
    without them."""
    code = (
        "import sys\n"
        "import app.cli, app.accounts, app.sync.jobs, app.daemon\n"
        "mods = ('app.dav.http', 'http.client', 'keyring', 'niquests')\n"
        "print(','.join(m for m in mods if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


# ----------------------------------------------------------------------------- the arrows
# docs/ARCHITECTURE.md ("The map") draws them; these are the forbidden ones, read from the
# source (every import statement, also inside functions and under TYPE_CHECKING).

FIRST_PARTY = ("app", "ui")


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, absolute; `from a import b` counts as a and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _sources(*folders: str) -> list[Path]:
    """The project's own .py files (not a virtual environment a bench made, e.g.
    bench/.venv-vdirsyncer)."""
    return sorted(
        p
        for folder in folders
        for p in (ROOT / folder).rglob("*.py")
        if not any(part.startswith(".venv") for part in p.relative_to(ROOT).parts)
    )


def _is_cli(module: str) -> bool:
    """app.cli (a module today, maybe a package tomorrow) and app.cli_* (its siblings)."""
    return module == "app.cli" or module.startswith(("app.cli.", "app.cli_"))


def _under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


# (who, which imports it must not have, why)
FORBIDDEN: list[tuple[str, tuple[str, ...], str]] = [
    ("app", ("PySide6", "shiboken6", "ui"), "the core never imports Qt or the window"),
    ("app.store", ("app.sync", "app.dav", "app.cli"), "the store never syncs or speaks HTTP"),
    ("app.dav", ("app.store", "app.sync"), "the DAV layer never persists or plans"),
    ("app.items", ("app",), "the planner's item types are a leaf (standard library only)"),
    ("app.i18n", ("app",), "the core's translations are a leaf (standard library gettext only)"),
]


def _violations() -> list[str]:
    found = []
    for path in _sources(*FIRST_PARTY):
        module = _module_name(path)
        imports = _imports(path)
        for who, banned, why in FORBIDDEN:
            if not _under(module, who):
                continue
            bad = sorted(i for i in imports if _under(i, *banned))
            if bad:
                found.append(f"{module} imports {', '.join(bad)} ({why})")
        if not _is_cli(module):
            bad = sorted(i for i in imports if _is_cli(i))
            if bad:
                found.append(f"{module} imports {', '.join(bad)} (nothing imports the CLI)")
    return found


def test_layer_contracts() -> None:
    """The forbidden arrows of docs/ARCHITECTURE.md: none in app/ or ui/."""
    assert _violations() == []


def test_layer_contracts_see_a_violation(tmp_path: Path) -> None:
    """The reader finds relative, nested and `from app import cli` imports."""
    pkg = tmp_path / "app" / "store"
    pkg.mkdir(parents=True)
    lines = ["from ..sync import plan", "def f():", "    from app import cli",
             "    import app.dav.session"]  # fmt: skip
    (pkg / "x.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    imports = _imports(pkg / "x.py", root=tmp_path)
    assert {"app.sync.plan", "app.cli", "app.dav.session"} <= imports
    assert _is_cli("app.cli") and _is_cli("app.cli_users") and _is_cli("app.cli.events")
    assert not _is_cli("app.client")


# Import cycles between modules (function-level imports count: they are arrows too). These
# are known and go with the splits of issue 18; a new one, or a known one that grows, fails.
KNOWN_CYCLES: list[set[str]] = []


def _cycles() -> list[set[str]]:
    """The modules of app/ and ui/ that reach each other (strongly connected, 2 or more)."""
    modules = {_module_name(p): p for p in _sources(*FIRST_PARTY)}
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    reachable = {m: reach(m) for m in graph}
    found: list[set[str]] = []
    for m in sorted(graph):
        group = {m} | {o for o in reachable[m] if m in reachable[o]}
        if len(group) > 1 and group not in found:
            found.append(group)
    return found


def test_no_new_import_cycles() -> None:
    """db <-> backups and store -> sync.plan are gone; what is left is listed above."""
    new = [c for c in _cycles() if c not in KNOWN_CYCLES]
    assert new == [], f"import cycles: {new}"


# --------------------------------------------------------------------------- dependencies
# Every runtime dependency is imported by app/ or ui/, every third-party import there is
# declared (not merely pulled in by another package); tests and bench import only what the
# runtime or the `test` extra declares.

# Declared without an import: zoneinfo reads its time zones from the `tzdata` package where
# the system has none (Windows); app/ical.py resolves every TZID through zoneinfo.
DATA_ONLY = {"tzdata"}
# Imported only if installed, never required: certifi's CA bundle for a Python that comes with
# no trust store at all (app/dav/http.py `tls_context`).
OPTIONAL = {"certifi"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_norm(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return _requirement_names(project["dependencies"]), _requirement_names(extras["test"])


def _third_party(*folders: str) -> dict[str, set[str]]:
    """Top-level name -> the distributions that provide it, for every third-party import."""
    provides = importlib.metadata.packages_distributions()
    local = {*FIRST_PARTY, "bench", "tests", "__future__"}
    tops: set[str] = set()
    for path in _sources(*folders):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                tops.add(node.module.split(".")[0])
    tops -= local | set(sys.stdlib_module_names)
    return {top: {_norm(d) for d in provides.get(top, [])} for top in sorted(tops)}


def test_every_runtime_import_is_declared_and_every_dependency_used() -> None:
    runtime, _test = _declared()
    imported = _third_party(*FIRST_PARTY)
    undeclared = {
        top: dists
        for top, dists in imported.items()
        if not dists & runtime and top not in OPTIONAL
    }
    assert undeclared == {}, f"imported by app/ or ui/, not a runtime dependency: {undeclared}"
    used = set().union(*imported.values())
    unused = runtime - used - DATA_ONLY
    assert unused == set(), f"runtime dependencies app/ and ui/ never import: {unused}"
    assert {"caldav", "vobject"}.isdisjoint(runtime)


def test_tests_and_bench_import_only_declared_packages() -> None:
    runtime, test = _declared()
    imported = _third_party("tests", "bench")
    undeclared = {t: d for t, d in imported.items() if not d & (runtime | test)}
    assert undeclared == {}, f"imported by tests/ or bench/, not declared: {undeclared}"
