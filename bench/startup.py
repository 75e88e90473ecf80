"""``python -m bench.startup``: how long `contactbox-sync` takes to start (issue 21).

Measures, each as a fresh child process (the launcher of bench/sync/rusage.py: wall time,
user+sys CPU, peak RSS), interleaved round by round so that every figure of a round saw the
same load:

* **bare** — ``python -c pass`` with the same interpreter and site-packages: the floor of
  any Python command; and the bare import of the libraries a sync needs, and of what its
  HTTP client (app/dav/http.py) builds on, http.client and ssl, alone;
* ``contactbox-sync --version``, ``--help`` and ``account list`` (one account with one bound
  book);
* with ``--desktop-keyring`` also ``account list`` and ``sync`` as on a desktop, without
  ``PYTHON_KEYRING_BACKEND`` (which the bench otherwise sets, and which spares keyring its
  search for a backend): keyring then finds its backend itself - here keyrings.alt's
  plaintext file, the one the variable names, as on this machine nothing else is viable -
  or, since issue 21, loads the one it found before (app/keyring_memo.py; one unmeasured
  run per tree first, so "after" is measured with its memo in place);
* a no-change ``contactbox-sync sync LABEL`` of a 1,000-card book on a local Radicale
  (through the counting proxy of bench/sync, seeded and warmed as there), and the protocol
  **floor** for it (bench/sync/floor.py: the same one sync-collection REPORT, standard library
  only, started with ``python -S``).

The Contactbox commands run the installed entry point (``contactbox-sync`` next to the
interpreter) with ``PYTHONPATH`` set to a source tree: the current checkout ("after") and,
with ``--before REF`` (a git ref, exported with ``git archive``, or a folder), another one
("before"), measured in the same rounds. Both trees are byte-compiled first, as an installed
package is. ``--importtime`` adds the biggest imports of ``--version`` and ``sync`` per tree
(``python -X importtime``; its own tracing makes those figures larger than in a plain run).

    .venv/bin/python -m bench.startup --before main --repeat 15 --importtime
    .venv/bin/python -m bench.startup --before main --repeat 10 --desktop-keyring
    .venv/bin/python -m bench.startup --no-sync            # no Radicale: the first three only
    .venv/bin/python -m bench.startup --before main --installed   # as a wheel install starts

``--installed`` runs the bare interpreter and the entry point from a fresh venv of the same
base Python that reaches this venv's packages through one .pth line (bench/sync/tools.py
`installed_layout`): an editable install (``pip install -e .``, this checkout's) makes every
start of its venv import its finder, ~13–18 ms of every figure here, which an installed wheel
does not pay (``python -m bench.sync run --installed`` runs Contactbox so too).

Results: a Markdown table on stdout and ``bench/results/startup-DATE.json`` (medians and every
raw run). The machine is shared: figures are upper bounds; compare ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.sync import tools
from bench.sync.proxy import CountingProxy
from bench.sync.servers import radicale

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "contactbox-sync"
#: The interpreter of the bare runs and of `-X importtime`: this one, or with --installed the
#: one of the installed layout (bench/sync/tools.py `installed_layout`).
PYTHON = sys.executable
COMMANDS = ("version", "help", "account_list", "sync", "account_list_desktop", "sync_desktop")
#: The third-party libraries a sync cannot do without, imported and nothing else: what the
#: interpreter pays for them before Contactbox's own code runs.
LIBRARIES = "import http.client, ssl, lxml.etree, peewee, keyring"
#: The standard library's HTTP and TLS alone, which app/dav/http.py builds on (niquests
#: until issue 21: the largest single part of LIBRARIES then).
HTTP_CLIENT = "import http.client, ssl"


def export_tree(ref: str, into: Path) -> Path:
    """A git ref's `app/` (and what it needs to run) as files in `into`, or an existing
    folder as it is."""
    if Path(ref).is_dir():
        return Path(ref).resolve()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "app", "resources"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    target = into / f"tree-{ref.replace('/', '-')}"
    target.mkdir(parents=True)
    archive_file = into / "tree.tar"
    archive_file.write_bytes(archive)
    with tarfile.open(archive_file) as tar:
        tar.extractall(target, filter="data")
    archive_file.unlink()
    return target


def compile_tree(tree: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "app")], check=True, env=env
    )


class TreeContactbox(tools.Contactbox):
    """The bench's Contactbox client (bench/sync/tools.py) running the code of `tree`;
    `desktop`: without PYTHON_KEYRING_BACKEND (see `desktop_env`)."""

    def __init__(self, workspace: Path, server: object, proxy: CountingProxy, tree: Path) -> None:
        super().__init__(workspace, server, proxy)  # type: ignore[arg-type]
        self.exe = str(EXE)  # (the installed layout's, with --installed)
        self.tree = tree
        self.desktop = False

    def env(self) -> dict[str, str]:
        env = super().env()
        env["PYTHONPATH"] = str(self.tree)
        return desktop_env(env, self.ws) if self.desktop else env

    def desktop_sync(self) -> tools.Run:
        self.desktop = True
        try:
            return self.cli("sync", tools.LABEL, "--json", proxy=True)
        finally:
            self.desktop = False


def _use_installed_layout(work: Path) -> None:
    global PYTHON, EXE
    PYTHON, EXE = tools.installed_layout(work)


def desktop_env(env: dict[str, str], workspace: Path) -> dict[str, str]:
    """`env` as a desktop's: no PYTHON_KEYRING_BACKEND (keyring finds its backend itself)
    and an empty keyring configuration folder (no keyringrc.cfg of this machine's user)."""
    config = workspace / "xdg-config"
    config.mkdir(exist_ok=True)
    return {k: v for k, v in env.items() if k != "PYTHON_KEYRING_BACKEND"} | {
        "XDG_CONFIG_HOME": str(config)
    }


def plain_env(tree: Path, home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONTACTBOX_", "PYTHONPATH")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env |= {"PYTHONPATH": str(tree), "CONTACTBOX_HOME": str(home)}
    return env


def importtime(argv: list[str], env: dict[str, str], top: int = 15, runs: int = 5) -> list[dict]:
    """The biggest imports of a command (`python -X importtime`, `runs` times: the median
    of each module's figures): name, nesting depth, self and cumulative milliseconds, the
    largest cumulative first."""
    seen: dict[str, list[tuple[int, float, float]]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-X", "importtime", *argv],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line[len("import time:") :].split("|")
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            seen.setdefault(name.strip(), []).append(
                (depth, int(own) / 1000, int(cumulative) / 1000)
            )
    rows = [
        {
            "name": name,
            "depth": found[0][0],
            "self_ms": statistics.median(f[1] for f in found),
            "cum_ms": statistics.median(f[2] for f in found),
        }
        for name, found in seen.items()
    ]
    return sorted(rows, key=lambda r: -r["cum_ms"])[:top]


def median(runs: list[tools.Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.startup")
    p.add_argument("--before", help="a git ref or folder to compare with (e.g. main)")
    p.add_argument("--repeat", type=int, default=11, help="rounds (medians are reported)")
    p.add_argument("--cards", type=int, default=1000, help="book size of the sync scenario")
    p.add_argument(
        "--no-sync", action="store_true", help="no Radicale: --version, --help, account list"
    )
    p.add_argument(
        "--importtime", action="store_true", help="also the biggest imports (-X importtime)"
    )
    p.add_argument(
        "--desktop-keyring",
        action="store_true",
        help="also account list and sync without PYTHON_KEYRING_BACKEND (keyring's own search)",
    )
    p.add_argument(
        "--installed",
        action="store_true",
        help="as a wheel install runs: without the editable install's finder (installed_layout)",
    )
    p.add_argument(
        "--out", type=Path, help="results JSON (default bench/results/startup-DATE.json)"
    )
    args = p.parse_args(argv)
    if not EXE.exists():
        raise SystemExit(f"{EXE} is missing (pip install -e .)")
    work = Path(tempfile.mkdtemp(prefix="cbx-bench-startup-"))
    if args.installed:
        _use_installed_layout(work)
    trees = {"after": ROOT}
    if args.before:
        trees = {"before": export_tree(args.before, work), **trees}
    for tree in trees.values():
        compile_tree(tree)
    raw: dict[str, dict[str, list[tools.Run]]] = {name: {c: [] for c in COMMANDS} for name in trees}
    raw["bare"] = {"bare": [], "libraries": [], "http_client": []}
    raw["floor"] = {"sync": []}
    imports: dict[str, dict[str, list[dict]]] = {}
    try:
        if args.no_sync:
            run_rounds(args, trees, work, None, None, raw, imports)
        else:
            with (
                radicale(args.cards, work / "radicale") as server,
                CountingProxy(server.port) as proxy,
            ):
                run_rounds(args, trees, work, server, proxy, raw, imports)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "command": "python -m bench.startup "
        + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:])),
        "repeat": args.repeat,
        "cards": 0 if args.no_sync else args.cards,
        "installed": bool(args.installed),
    }
    rows = summarize(raw)
    out = args.out or ROOT / "bench" / "results" / f"startup-{dt.date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "meta": meta,
                "rows": rows,
                "importtime": imports,
                "raw": {
                    t: {c: [r.as_dict() for r in runs] for c, runs in cs.items()}
                    for t, cs in raw.items()
                },
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    print(table(rows, meta["cards"]))
    for tree, by_command in imports.items():
        for command, found in by_command.items():
            print(f"\nBiggest imports, {tree}, {command} (python -X importtime, cumulative ms):")
            for r in found:
                print(
                    f"  {r['name']}: {r['cum_ms']:.1f} (self {r['self_ms']:.1f}, "
                    f"nested {r['depth']} deep)"
                )
    print(f"\nresults: {out}")
    return 0


def run_rounds(
    args: argparse.Namespace,
    trees: dict[str, Path],
    work: Path,
    server: object,
    proxy: CountingProxy | None,
    raw: dict,
    imports: dict,
) -> None:
    """Set every tree's client up, then measure all commands round by round."""
    clients: dict[str, TreeContactbox] = {}
    floor = None
    homes: dict[str, Path] = {}
    for name, tree in trees.items():
        ws = work / "clients" / name
        ws.mkdir(parents=True)
        if server is not None and proxy is not None:
            client = TreeContactbox(ws, server, proxy, tree)
            client.setup()  # `account add Bench … --no-check`
            client.sync()  # the first `run … --mode sync`: binds the book, imports every card
            clients[name] = client
            homes[name] = client.home
        else:
            homes[name] = ws / "home"
            env = plain_env(tree, homes[name]) | {
                "CONTACTBOX_PASSWORD": "x",
                "PYTHON_KEYRING_BACKEND": tools.PLAINTEXT_KEYRING,
                "XDG_DATA_HOME": str(ws / "xdg"),
            }
            tools.run_child(
                [
                    str(EXE),
                    "account",
                    "add",
                    "Bench",
                    "--url",
                    "https://dav.example",
                    "--user",
                    "bench",
                    "--no-check",
                ],
                env=env,
            )
    if server is not None and proxy is not None:
        floor = tools.Floor(work / "clients" / "floor", server, proxy)  # type: ignore[arg-type]
        floor.setup()
        floor.sync()  # its sync token
    if args.desktop_keyring:
        for client in clients.values():
            client.desktop_sync()  # unmeasured: keyring's search, the memo written (after)
    for r in range(args.repeat):
        raw["bare"]["bare"].append(tools.run_child([PYTHON, "-c", "pass"]))
        raw["bare"]["libraries"].append(tools.run_child([PYTHON, "-c", LIBRARIES]))
        raw["bare"]["http_client"].append(tools.run_child([PYTHON, "-c", HTTP_CLIENT]))
        for name, tree in trees.items():
            env = plain_env(tree, homes[name])
            for command, words in (
                ("version", ["--version"]),
                ("help", ["--help"]),
                ("account_list", ["account", "list"]),
            ):
                raw[name][command].append(tools.run_child([str(EXE), *words], env=env))
            if args.desktop_keyring:
                desktop = desktop_env(env, work / "clients" / name)
                run = tools.run_child([str(EXE), "account", "list"], env=desktop)
                raw[name]["account_list_desktop"].append(run)
            if name in clients:
                run = clients[name].cli("sync", tools.LABEL, "--json", proxy=True)
                raw[name]["sync"].append(run)
                if args.desktop_keyring:
                    raw[name]["sync_desktop"].append(clients[name].desktop_sync())
        if floor is not None:
            raw["floor"]["sync"].append(floor.nochange())
        print(f"  round {r + 1}/{args.repeat}", flush=True)
    if args.importtime:
        for name, tree in trees.items():
            env = plain_env(tree, homes[name])
            imports[name] = {"--version": importtime([str(EXE), "--version"], env)}
            if name in clients:
                imports[name]["sync"] = importtime(
                    [str(EXE), "--home", str(homes[name]), "sync", tools.LABEL], clients[name].env()
                )


def summarize(raw: dict) -> list[dict]:
    bare = median(raw["bare"]["bare"], "wall")
    floor_runs = raw["floor"]["sync"]
    floor = median(floor_runs, "wall") if floor_runs else None
    rows = [
        {
            "tree": "",
            "command": "`python -c pass`",
            "wall_ms": bare * 1000,
            "cpu_ms": median(raw["bare"]["bare"], "cpu") * 1000,
            "rss_mb": median(raw["bare"]["bare"], "rss_mb"),
            "x_bare": 1.0,
        }
    ]
    for key, code in (("libraries", LIBRARIES), ("http_client", HTTP_CLIENT)):
        libraries = raw["bare"].get(key)
        if not libraries:
            continue
        wall = median(libraries, "wall")
        rows.append(
            {
                "tree": "",
                "command": f"`python -c '{code}'`",
                "wall_ms": wall * 1000,
                "cpu_ms": median(libraries, "cpu") * 1000,
                "rss_mb": median(libraries, "rss_mb"),
                "x_bare": wall / bare,
            }
        )
    if floor_runs:
        rows.append(
            {
                "tree": "",
                "command": "floor: the one no-change REPORT (`python -S`, stdlib)",
                "wall_ms": floor * 1000,
                "cpu_ms": median(floor_runs, "cpu") * 1000,
                "rss_mb": median(floor_runs, "rss_mb"),
                "x_bare": floor / bare,
                "requests": floor_runs[0].requests,
            }
        )
    for tree, by_command in raw.items():
        if tree in ("bare", "floor"):
            continue
        for command, runs in by_command.items():
            if not runs:
                continue
            wall = median(runs, "wall")
            row = {
                "tree": tree,
                "command": command,
                "wall_ms": wall * 1000,
                "cpu_ms": median(runs, "cpu") * 1000,
                "rss_mb": median(runs, "rss_mb"),
                "x_bare": wall / bare,
                "runs": len(runs),
            }
            if command in ("sync", "sync_desktop") and floor:
                row |= {"x_floor": wall / floor, "requests": runs[0].requests}
            rows.append(row)
    return rows


WORDS = {
    "version": "`contactbox-sync --version`",
    "help": "`contactbox-sync --help`",
    "account_list": "`contactbox-sync account list`",
    "sync": "`contactbox-sync sync` (no change, {cards} cards)",
    "account_list_desktop": "`contactbox-sync account list`, desktop keyring",
    "sync_desktop": "`contactbox-sync sync` (no change, {cards} cards), desktop keyring",
}


def table(rows: list[dict], cards: int) -> str:
    lines = [
        "| command | tree | wall ms | CPU ms | peak RSS MB | × bare | × floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        what = WORDS.get(r["command"], r["command"]).format(cards=f"{cards:,}")
        x_floor = f"{r['x_floor']:.2f}×" if "x_floor" in r else ""
        lines.append(
            f"| {what} | {r['tree']} | {r['wall_ms']:.0f} | {r['cpu_ms']:.0f} | "
            f"{r['rss_mb']:.0f} | {r['x_bare']:.2f}× | {x_floor} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
