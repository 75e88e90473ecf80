"""The calendar benchmark: ``python -m bench.sync calendar [--sizes 1000,5000] [--repeat 3]``.

Like the address-book runs (bench/README.md), for one CalDAV calendar on Radicale: the
calendar is seeded straight into Radicale's storage (``bench.events``: ~10 % weekly series
in Europe/Berlin, some with an exception and a moved occurrence, all-day events, alarms,
attendees), Radicale is warmed (item cache and sync history, untimed), and each tool syncs
it through the counting proxy as a fresh child process:

* **contactbox** — ``contactbox-sync calendar run Bench --json`` (account and binding made
  once per workspace, untimed); ``--app DIR`` runs another checkout's ``app`` (before/after);
* **vdirsyncer** — CalDAV collection ↔ filesystem storage (``.ics``), ``discover`` untimed;
* **floor** — bench/sync/floor.py with calendar-multiget: sync-collection + multigets of 500.

Scenarios: ``initial`` (an empty client, fresh for every repeat), ``nochange``,
``server_1pct`` (k = 1 % of the events changed on the server before each repeat: an extra
property in the master, PUT straight to Radicale, then its history warmed untimed).
Results: ``bench/results/calendar-DATE.json`` and the table on stdout.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from bench import demo_server
from bench.events import generate_events, mark_event
from bench.sync import report, tools
from bench.sync.proxy import CountingProxy
from bench.sync.servers import CACHE_ROOT, PASSWORD, USER, Server, _free_port, radicale_version
from bench.sync.tools import LABEL, BenchError, Contactbox, Floor, Run, Tool, Vdirsyncer, run_child

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = "termine"
MARKER = "contactbox-bench-calendar.json"
PROPS = {"D:displayname": "Termine", "tag": "VCALENDAR",
         "C:supported-calendar-component-set": "VEVENT"}  # fmt: skip
SCENARIOS = ("initial", "nochange", "server_1pct")


# ------------------------------------------------------------------------------ server


def _seed(n: int, seed: int) -> Path:
    """A Radicale storage with ``n`` events, kept between runs (``CACHE_ROOT/radicale-cal-N``)."""
    folder = CACHE_ROOT / f"radicale-cal-{n}-{seed}"
    wanted = {"events": n, "seed": seed, "user": USER, "format": 1}
    with contextlib.suppress(OSError, ValueError):
        if json.loads((folder / MARKER).read_text(encoding="utf-8")) == wanted:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    write_calendar(folder, n, seed)
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    (folder / MARKER).write_text(json.dumps(wanted), encoding="utf-8")
    return folder


def write_calendar(folder: Path, n: int, seed: int) -> None:
    """The user's calendar CALENDAR with ``n`` generated events in a Radicale storage."""
    cal = folder / "collections" / "collection-root" / USER / CALENDAR
    cal.mkdir(parents=True)
    (cal / ".Radicale.props").write_text(json.dumps(PROPS, sort_keys=True), encoding="utf-8")
    for uid, text in generate_events(n, seed):
        with open(cal / f"{uid}.ics", "x", encoding="utf-8", newline="") as f:
            f.write(text)


def _request(port: int, method: str, path: str, body: str, depth: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    conn.request(method, path, body=body.encode(), headers={
        "Authorization": f"Basic {auth}", "Depth": depth,
        "Content-Type": "application/xml; charset=utf-8"})  # fmt: skip
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


def warm(port: int, path: str) -> None:
    """Item cache (PROPFIND Depth 1) and sync history (a full sync-collection), untimed."""
    propfind = ('<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
                "<D:getetag/></D:prop></D:propfind>")  # fmt: skip
    sync = ('<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
            "<D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
            "</D:sync-collection>")  # fmt: skip
    for method, body, depth in (("PROPFIND", propfind, "1"), ("REPORT", sync, "0")):
        status = _request(port, method, path, body, depth)
        if status != 207:
            raise RuntimeError(f"warm-up {method} {path}: HTTP {status}")


@contextlib.contextmanager
def radicale_calendar(n: int, work: Path, *, log: Callable[[str], None]) -> Iterator[Server]:
    pristine = _seed(n, 0)
    folder = work / "radicale"
    shutil.copytree(pristine, folder)
    port = _free_port()
    config = folder / demo_server.CONFIG
    config.write_text(demo_server._config_text(folder, port), encoding="utf-8")
    log_file = open(folder / "radicale.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(demo_server.radicale_argv(config, port), stdin=subprocess.DEVNULL,
                            stdout=log_file, stderr=subprocess.STDOUT,
                            env=demo_server.radicale_env())  # fmt: skip
    try:
        demo_server.wait_until_up(proc, port, demo_server.STARTUP_TIMEOUT)
        path = f"/{USER}/{CALENDAR}/"
        started = time.perf_counter()
        warm(port, path)
        log(f"  Radicale up on {port} with {n:,} events, warmed in "
            f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        yield Server(kind="radicale", port=port, user=USER, password=PASSWORD, book_path=path,
                     root_path="/", storage=folder / "collections" / "collection-root" / USER
                     / CALENDAR, version=radicale_version())  # fmt: skip
    finally:
        demo_server.stop_process(proc)
        log_file.close()


def put_direct(server: Server, href: str, text: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    auth = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}", "Content-Type": "text/calendar; charset=utf-8"}
    conn.request("PUT", href, body=text.encode("utf-8"), headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status not in (201, 204):
        raise RuntimeError(f"PUT {href}: HTTP {resp.status}")


# ------------------------------------------------------------------------------- tools


class ContactboxCal(Contactbox):
    app_dir: Path = ROOT  # the checkout whose `app` is measured (PYTHONPATH of the child)

    def env(self) -> dict[str, str]:
        env = super().env()
        env["PYTHONPATH"] = str(self.app_dir)
        return env

    def setup(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.ws / "xdg").mkdir(exist_ok=True)
        self.cli("calendar", "account", "add", LABEL, "--url", self.proxy.url + "/",
                 "--user", self.server.user, "--preset", "radicale", "--no-check")  # fmt: skip
        self.cli("calendar", "bind", LABEL, self.server.book_path, "--user", "Standardbenutzer")

    def sync(self) -> Run:
        run = self.cli("calendar", "run", LABEL, "--json", proxy=True)
        try:
            data = json.loads(run.output[run.output.index("{") :])
        except ValueError as exc:
            raise BenchError(f"calendar run: no JSON:\n{run.output[-2000:]}") from exc
        if data.get("status") != "ok":
            raise BenchError(f"calendar run: {json.dumps(data)[:2000]}")
        return run


class VdirsyncerCal(Vdirsyncer):
    def setup(self) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        (self.ws / "status").mkdir(exist_ok=True)
        self.config.write_text(
            "[general]\n"
            f'status_path = "{self.ws / "status"}/"\n\n'
            "[pair bench]\n"
            'a = "bench_local"\nb = "bench_remote"\ncollections = null\n'
            'conflict_resolution = "b wins"\n\n'
            "[storage bench_local]\n"
            f'type = "filesystem"\npath = "{self.storage}/"\nfileext = ".ics"\n\n'
            "[storage bench_remote]\n"
            f'type = "caldav"\nurl = "{self.proxy.url + self.server.book_path}"\n'
            f'username = "{self.server.user}"\npassword = "{self.server.password}"\n',
            encoding="utf-8",
        )
        run_child([self.exe, "-c", str(self.config), "discover"], stdin=b"")


class FloorCal(Floor):
    kind = "calendar"


# ---------------------------------------------------------------------------- scenarios


class CalendarBench:
    def __init__(self, server: Server, proxy: CountingProxy, work: Path, n: int, *,
                 tools: list[str], repeat: int, record: Callable[[str, str, Run], None],
                 log: Callable[[str], None]) -> None:  # fmt: skip
        self.server, self.proxy, self.work, self.n = server, proxy, work, n
        self.tool_names, self.repeat, self.record, self.log = tools, repeat, record, log
        self.events = dict(generate_events(n, 0))
        self.uids = list(self.events)
        self.k = max(1, math.ceil(n / 100))
        self.tools: dict[str, Tool] = {}

    def fresh(self, name: str) -> Tool:
        ws = self.work / "tools" / name
        shutil.rmtree(ws, ignore_errors=True)
        ws.mkdir(parents=True)
        cls = {"contactbox": ContactboxCal, "vdirsyncer": VdirsyncerCal, "floor": FloorCal}[name]
        tool = cls(ws, self.server, self.proxy)
        tool.setup()
        self.tools[name] = tool
        return tool

    def measure(self, scenario: str, tool: Tool, fn: Callable[[], Run]) -> None:
        run = fn()
        self.record(scenario, tool.name, run)
        self.log(f"    {scenario:<12} {tool.name:<10} {run.wall:7.2f} s  server "
                 f"{run.server_s:6.2f} s  cpu {run.cpu:6.2f} s  rss {run.rss_mb:6.1f} MB  "
                 f"{run.requests:4d} req  {run.methods}")  # fmt: skip

    def initial(self) -> None:
        for _ in range(self.repeat):
            for name in self.tool_names:
                tool = self.fresh(name)
                self.measure("initial", tool, tool.sync)

    def nochange(self) -> None:
        for _ in range(self.repeat):
            for tool in self.tools.values():
                self.measure(
                    "nochange", tool, tool.nochange if isinstance(tool, Floor) else tool.sync
                )

    def server_changed(self) -> None:
        step = max(1, self.n // self.k)
        for r in range(self.repeat):
            for i in range(self.k):
                uid = self.uids[(i * step) % self.n]
                self.events[uid] = mark_event(self.events[uid], f"server-{r}")
                put_direct(self.server, f"{self.server.book_path}{uid}.ics", self.events[uid])
            warm(self.server.port, self.server.book_path)  # Radicale's history, untimed
            for tool in self.tools.values():
                self.measure("server_1pct", tool, tool.sync)


# ---------------------------------------------------------------------------------- main


def build_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("calendar", help="calendar sync: Contactbox vs vdirsyncer vs the floor")
    c.add_argument("--sizes", default="1000,5000", help="events in the calendar (comma-separated)")
    c.add_argument("--repeat", type=int, default=3)
    c.add_argument("--tools", default="contactbox,vdirsyncer,floor")
    c.add_argument("--scenarios", default="", help="only these (initial always runs); '' = all")
    c.add_argument("--app", type=Path, default=ROOT,
                   help="the checkout whose app/ Contactbox runs (e.g. a worktree of the "
                        "commit before a change)")  # fmt: skip
    c.add_argument(
        "--out", type=Path, help="results JSON (default bench/results/calendar-DATE.json)"
    )


def main(args: argparse.Namespace, argv: Sequence[str]) -> int:
    names = [t for t in args.tools.split(",") if t]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    only = {s for s in args.scenarios.split(",") if s} or set(SCENARIOS)
    if "vdirsyncer" in names:
        tools.ensure_vdirsyncer()
    ContactboxCal.app_dir = args.app.resolve()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ContactboxCal.app_dir / "app")],
                   check=True, env=env)  # fmt: skip
    started = time.perf_counter()
    raw: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="cbx-bench-cal-"))
    partial = work.parent / f"{work.name}-partial.json"
    print(f"work folder {work} (runs so far: {partial})", flush=True)

    def log(msg: str) -> None:
        print(msg, flush=True)

    try:
        for n in sizes:
            log(f"radicale calendar with {n:,} events")
            folder = work / f"cal-{n}"
            folder.mkdir()
            with (
                radicale_calendar(n, folder, log=log) as server,
                CountingProxy(server.port) as proxy,
            ):

                def record(scenario: str, tool: str, run: Run, _n: int = n) -> None:
                    raw.append({"server": "radicale", "size": _n, "scenario": scenario,
                                "tool": tool, "run": run.as_dict()})  # fmt: skip
                    partial.write_text(json.dumps(raw), encoding="utf-8")

                bench = CalendarBench(server, proxy, folder, n, tools=names, repeat=args.repeat,
                                      record=record, log=log)  # fmt: skip
                bench.initial()
                if "nochange" in only:
                    bench.nochange()
                if "server_1pct" in only:
                    bench.server_changed()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = report.summarize(raw)
    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "radicale": radicale_version(),
        "vdirsyncer": tools.vdirsyncer_version() if "vdirsyncer" in names else "",
        "app": str(ContactboxCal.app_dir),
        "app_commit": _commit(ContactboxCal.app_dir),
        "repeat": args.repeat,
        "command": "python -m bench.sync " + " ".join(shlex.quote(a) for a in argv),
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = args.out or ROOT / "bench" / "results" / f"calendar-{dt.date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "rows": rows, "raw": raw}, indent=1), encoding="utf-8")
    print(table(rows))
    print(f"results: {out} ({meta['seconds']} s; Contactbox from {meta['app']} at "
          f"{meta['app_commit']})")  # fmt: skip
    return 0


def table(rows: list[dict]) -> str:
    return report.table(rows).replace("| server | cards |", "| server | events |", 1)


def _commit(path: Path) -> str:
    out = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    dirty = subprocess.run(["git", "-C", str(path), "status", "--porcelain", "app"],
                           capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    return out.stdout.strip() + ("+changes" if dirty else "")
