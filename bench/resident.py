"""The resident tick: the tray's scheduled sync inside the running app (issue 21).

    python -m bench.resident [--cards 10000] [--events 3000] [--repeat 5] [--profile DIR]
                             [--json FILE]

Users leave Contactbox in the tray; every few minutes its scheduler runs a sync inside the
running window. This bench measures exactly that, in ONE long-lived process:

1. Seeds a Radicale with ``--cards`` cards (book "Kontakte", bench.cards) and a calendar
   with ``--events`` events (bench.events), written straight into its storage and kept in
   ``$TMPDIR/contactbox-bench-sync/radicale-resident-N-M`` (with Radicale's item cache and
   sync history once warmed), copied to a work folder for each run.
2. Puts the counting proxy (bench/sync/proxy.py) in front of it — in a child process of its
   own, so that its threads' CPU is not counted as the client's.
3. Makes a throw-away home with an address-book account (the book bound two-way, "Server
   gewinnt") and a calendar account (the calendar bound to the Standardbenutzer), and does
   the first import of both (untimed).
4. Builds the real main window (offscreen) showing Kontakte ▸ Kontakte anzeigen with the
   bound book selected, and the real TrayController with a clock the bench moves forward.
   Each tick: the clock moves past the accounts' Importintervall and the tray's timer fires
   (``tray.timer.timeout``): the same code path as in the tray — the scheduler starts the
   due accounts one after the other on a JobWorker thread, records the results, the store
   watch tells the window, the window follows.
5. Per tick it measures the wall time (timer fired → the last account's run handled on the
   GUI thread), the process CPU (time.process_time) of the tick and of the window's
   follow-up in the next 1.6 s (the store watch's poll + hold), net of the idle rate
   measured before (the stall meter's own timer and the watch's polling), requests and bytes
   through the proxy, and the GUI's longest stall (a 5 ms timer on the GUI thread; from
   the timer firing until the follow-up is done).
6. The floor for the same requests, right before each tick, on a helper thread of the same
   process: the same sync-collection REPORTs for the book and the calendar
   (bench/sync/floor.py's client, standard library only), the changed items fetched by
   multiget and parsed; its CPU is that thread's (time.thread_time). The stall meter runs
   meanwhile with the window idle: the stall the busy machine causes by itself (the server
   and the proxy compete for the 2 CPUs), to compare the tick's stall with.

Scenarios: ``nochange`` (nothing changed anywhere), ``server_1pct`` (1 % of the cards and
of the events changed on the server by PUT before the tick, untimed, Radicale's history
warmed untimed; another change per repeat). Afterwards the server is restored (the
original texts PUT back). A warm-up tick runs untimed after the first import.

The server side (Radicale, the proxy child, the floor, the changes) is
bench/resident_server.py. ``--profile DIR`` writes cProfile files of the worker thread's job
and of the listing request's helper thread (one per account and tick) and of the GUI thread
during each tick. The table is printed as Markdown; the JSON goes to
bench/results/resident-DATE.json (or ``--json FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.resident_server import (
    ROOT,
    FloorPair,
    ProxyChild,
    Radicale,
    ServerChanges,
    delta,
    radicale,
)

SETTLE_MS = 1600  # the store watch: a poll (400 ms) + the hold after an emission (1000 ms)


# ------------------------------------------------------------------------------ the app


class Clock:
    """utcnow() plus an offset the bench moves forward (the tray's injected clock)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        from app.store.models import utcnow

        return utcnow() + self.offset


@dataclass
class Tick:
    scenario: str
    wall_ms: float
    cpu_ms: float  # the tick (all threads), net of the idle rate
    cpu_after_ms: float  # the window's follow-up after the tick, net of the idle rate
    stall_ms: float
    floor_stall_ms: float  # the window idle while the floor's requests run: the machine's
    floor_wall_ms: float
    floor_cpu_ms: float
    requests: int
    kb_down: float
    floor_requests: int
    server_ms: float
    methods: dict[str, int] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    changed: dict[str, int] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.wall_ms / self.floor_wall_ms if self.floor_wall_ms else 0.0


def setup_home(work: Path, proxy_url: str, server: Radicale) -> tuple[Any, Any, str]:
    """The two accounts, their bindings and the first import (untimed)."""
    from app.accounts import add_account, open_session
    from app.dav.discovery import discover_books
    from app.store.db import open_database
    from app.store.models import Binding
    from app.sync import calendar_jobs as cj
    from app.sync.background import background_job
    from app.sync.jobs import bind_book
    from app.sync.modes import Mode
    from bench.gui_import import _memory_keyring
    from bench.sync.servers import PASSWORD, USER

    _memory_keyring()
    (work / "home").mkdir()
    open_database(work / "home" / "contactbox.sqlite3")
    book_account = add_account(
        "Bench", server=proxy_url + "/", username=USER, password=PASSWORD, preset="radicale"
    )
    with open_session(book_account, timeout=600) as session:
        remote = next(b for b in discover_books(session) if b.href.endswith(server.book_path))
    binding = bind_book(book_account, remote, Mode.parse("sync", "server"))
    cal_account = cj.add_calendar_account(
        "Bench Kalender", server=proxy_url + "/", username=USER, password=PASSWORD,
        preset="radicale",
    )  # fmt: skip
    calendar = cj.find_calendar(cj.server_calendars(cal_account), server.calendar_path)
    cj.bind_calendar(cal_account, calendar, cj.get_user("Standardbenutzer"))
    for account in (book_account, cal_account):
        job = background_job(account, "manual")
        assert job is not None
        report = job.run()
        if report.status != "ok":
            raise RuntimeError(f"first import of {account.label}: {report.to_dict()}")
    book_name = Binding.get_by_id(binding.id).book.name
    return book_account, cal_account, str(book_name)


class Resident:
    """The window, the tray and the measured ticks."""

    def __init__(self, proxy: ProxyChild, floor: FloorPair, book: str, profile: Path | None):
        from PySide6.QtWidgets import QApplication

        from bench.contacts_view import StallMeter
        from ui.main_window import CONTACTS_PAGE, MainWindow
        from ui.tray import TrayController

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.proxy, self.floor, self.profile = proxy, floor, profile
        self.clock = Clock()
        self.window = MainWindow(keep_window_state=False)
        self.window.resize(1200, 760)
        self.window.show()
        self.window.show_page(CONTACTS_PAGE)
        self.window.contacts_page.select_book(book)
        self.tray = TrayController(
            self.window, clock=self.clock, tick_ms=24 * 3600 * 1000, first_tick_ms=-1,
            quit_app=lambda: None,
        )  # fmt: skip
        self.meter = StallMeter()
        self.reports: list[Any] = []
        self.tray.run_finished.connect(lambda _account, report: self.reports.append(report))
        self.ticks = 0
        if profile is not None:
            self._profile_workers(profile)
        self.idle_rate = self._idle_rate()

    def _profile_workers(self, folder: Path) -> None:
        from ui.workers import JobWorker

        folder.mkdir(parents=True, exist_ok=True)
        original = JobWorker.run
        bench = self

        def run(worker: JobWorker) -> None:
            prof = cProfile.Profile()
            prof.enable()
            try:
                original(worker)
            finally:
                prof.disable()
                prof.dump_stats(folder / f"tick{bench.ticks:02d}-worker-{time.time_ns()}.prof")

        JobWorker.run = run  # type: ignore[method-assign]

        from app.sync import engine

        helper = engine.in_background

        def profiled(work: Callable[[], Any], name: str = "background") -> Any:
            def wrapped() -> Any:
                prof = cProfile.Profile()
                prof.enable()
                try:
                    return work()
                finally:
                    prof.disable()
                    prof.dump_stats(folder / f"tick{bench.ticks:02d}-{name}-{time.time_ns()}.prof")

            return helper(wrapped, name)

        engine.in_background = profiled  # the listing request's helper thread

    def loop(self, ms: int, until: Callable[[], bool] | None = None, *, on: Any = None) -> None:
        """Run the event loop for `ms` or until `until()`: asked whenever the signal `on`
        comes (no polling: its wake-ups would count as the tick's CPU), else every 20 ms."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        deadline.start(ms)

        def ask(*_args: object) -> None:
            if until is not None and until():
                loop.quit()

        poll = QTimer()
        if on is not None:
            on.connect(ask)
        elif until is not None:
            poll.setInterval(20)
            poll.timeout.connect(ask)
            poll.start()
        loop.exec()
        poll.stop()
        if on is not None:
            on.disconnect(ask)

    def _idle_rate(self) -> float:
        """CPU seconds per second of the idle window (the stall meter ticking, the store
        watch polling): subtracted from the figures."""
        self.loop(SETTLE_MS)
        self.meter.start()
        cpu, t = time.process_time(), time.perf_counter()
        self.loop(3000)
        rate = (time.process_time() - cpu) / (time.perf_counter() - t)
        self.meter.stop()
        return rate

    def _floor(self) -> tuple[dict[str, int], float, float]:
        """The floor on a helper thread: (fetched, wall s, the thread's CPU s)."""
        t, cpu = time.perf_counter(), time.thread_time()
        changed = self.floor.run()
        return changed, time.perf_counter() - t, time.thread_time() - cpu

    def tick(self, scenario: str) -> Tick:
        """The floor, then one scheduled tick of the tray, measured."""
        from PySide6.QtCore import QTimer

        from app.background import in_background

        before = self.proxy.counts()
        self.meter.start()  # the machine's share: the window idle while the server answers
        floor = in_background(self._floor, "floor")
        self.loop(600_000, floor.done)
        floor_stall = self.meter.stop()
        changed, floor_wall, floor_cpu = floor.result()
        floor_counts = delta(self.proxy.counts(), before)

        self.loop(SETTLE_MS)  # whatever is still queued runs before the tick
        self.ticks += 1
        accounts = len(self.tray.scheduler.accounts())
        self.reports.clear()
        self.clock.offset += timedelta(hours=1)  # past every account's Importintervall
        before = self.proxy.counts()
        prof = cProfile.Profile() if self.profile is not None else None
        self.meter.start()
        if prof is not None:
            prof.enable()
        t, cpu = time.perf_counter(), time.process_time()
        QTimer.singleShot(0, self.tray.timer.timeout.emit)  # the tray's timer fires
        self.loop(600_000, lambda: len(self.reports) >= accounts and self.tray._job is None,
                  on=self.tray.run_finished)  # fmt: skip
        wall, cpu_tick = time.perf_counter() - t, time.process_time() - cpu
        t2, cpu2 = time.perf_counter(), time.process_time()
        self.loop(SETTLE_MS)  # the store watch tells the window; the window follows
        after, cpu_after = time.perf_counter() - t2, time.process_time() - cpu2
        stall = self.meter.stop()
        if prof is not None:
            prof.disable()
            assert self.profile is not None
            prof.dump_stats(self.profile / f"tick{self.ticks:02d}-{scenario}-gui.prof")
        counts = delta(self.proxy.counts(), before)
        if len(self.reports) < accounts:
            raise RuntimeError(f"tick {self.ticks}: {len(self.reports)} of {accounts} ran")
        return Tick(
            scenario=scenario,
            wall_ms=round(wall * 1000, 1),
            cpu_ms=round((cpu_tick - self.idle_rate * wall) * 1000, 1),
            cpu_after_ms=round((cpu_after - self.idle_rate * after) * 1000, 1),
            stall_ms=round(stall, 1),
            floor_stall_ms=round(floor_stall, 1),
            floor_wall_ms=round(floor_wall * 1000, 1),
            floor_cpu_ms=round(floor_cpu * 1000, 1),
            requests=counts["requests"],
            kb_down=round(counts["bytes_down"] / 1000, 1),
            floor_requests=floor_counts["requests"],
            server_ms=round(counts["server_s"] * 1000, 1),
            methods=counts["methods"],
            statuses=[r.status for r in self.reports],
            changed=changed,
        )

    def close(self) -> None:
        self.tray._shutdown()
        self.window.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    from app.store.db import close_database

    work = Path(tempfile.mkdtemp(prefix="cbx-bench-resident-"))
    log = _log
    ticks: list[Tick] = []
    try:
        with radicale(args.cards, args.events, work, log) as server:
            proxy = ProxyChild(server.port)
            try:
                started = time.perf_counter()
                _acc, _cal, book = setup_home(work, proxy.url, server)
                log(f"first import (untimed): {time.perf_counter() - started:.1f} s")
                floor = FloorPair(proxy.url, server)
                bench = Resident(proxy, floor, book, args.profile)
                log(f"idle CPU of the window: {bench.idle_rate * 1000:.1f} ms/s")
                warmup = bench.tick("warm-up")
                log(f"warm-up tick (untimed): {warmup.wall_ms} ms, {warmup.statuses}")
                changes = ServerChanges(server, args.cards, args.events)
                for _ in range(args.repeat):
                    ticks.append(bench.tick("nochange"))
                    _say(ticks[-1])
                for r in range(args.repeat):
                    changes.change(f"resident-{r}")
                    ticks.append(bench.tick("server_1pct"))
                    _say(ticks[-1])
                changes.restore()
                log(f"restored; catch-up tick (untimed): {bench.tick('restore').wall_ms} ms")
                bench.close()
                close_database()
            finally:
                proxy.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "meta": {
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "cards": args.cards,
            "events": args.events,
            "repeat": args.repeat,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "commit": _commit(),
            "idle_cpu_ms_per_s": round(bench.idle_rate * 1000, 2),
            "command": "python -m bench.resident " + " ".join(shlex.quote(a) for a in args.argv),
        },
        "summary": summarize(ticks),
        "ticks": [{**asdict(t), "ratio": round(t.ratio, 2)} for t in ticks],
    }


def summarize(ticks: list[Tick]) -> list[dict[str, Any]]:
    rows = []
    for scenario in dict.fromkeys(t.scenario for t in ticks):
        ts = [t for t in ticks if t.scenario == scenario]

        def med(key: str, ts: list[Tick] = ts) -> float:
            return round(statistics.median(getattr(t, key) for t in ts), 1)

        rows.append({
            "scenario": scenario,
            "runs": len(ts),
            "wall_ms": med("wall_ms"),
            "floor_wall_ms": med("floor_wall_ms"),
            "ratio": round(statistics.median(t.ratio for t in ts), 2),
            "ratio_best": round(min(t.ratio for t in ts), 2),
            "cpu_ms": med("cpu_ms"),
            "floor_cpu_ms": med("floor_cpu_ms"),
            "cpu_beyond_floor_ms": round(
                statistics.median(t.cpu_ms - t.floor_cpu_ms for t in ts), 1
            ),
            "cpu_after_ms": med("cpu_after_ms"),
            "stall_ms": med("stall_ms"),
            "stall_max_ms": round(max(t.stall_ms for t in ts), 1),
            "floor_stall_ms": med("floor_stall_ms"),
            "requests": med("requests"),
            "floor_requests": med("floor_requests"),
            "kb_down": med("kb_down"),
        })  # fmt: skip
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| tick | runs | wall ms | floor ms | × floor (best) | CPU ms | floor CPU ms | "
        "CPU beyond floor ms | window after ms CPU | longest stall ms (worst) | stall during "
        "the floor ms | requests (floor) | KB down |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['runs']} | {r['wall_ms']} | {r['floor_wall_ms']} | "
            f"{r['ratio']} ({r['ratio_best']}) | {r['cpu_ms']} | {r['floor_cpu_ms']} | "
            f"{r['cpu_beyond_floor_ms']} | {r['cpu_after_ms']} | {r['stall_ms']} "
            f"({r['stall_max_ms']}) | {r['floor_stall_ms']} | "
            f"{r['requests']:g} ({r['floor_requests']:g}) | "
            f"{r['kb_down']} |"
        )
    return "\n".join(lines)


def _say(t: Tick) -> None:
    _log(f"  {t.scenario:<12} wall {t.wall_ms:7.1f} ms (floor {t.floor_wall_ms:6.1f}, "
         f"×{t.ratio:.2f})  cpu {t.cpu_ms:6.1f} ms (floor {t.floor_cpu_ms:5.1f}) + after "
         f"{t.cpu_after_ms:5.1f}  stall {t.stall_ms:5.1f} ms (floor {t.floor_stall_ms:5.1f})  "
         f"{t.requests} req "
         f"{t.methods} {t.statuses} changed {t.changed}")  # fmt: skip


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "app", "ui"],
                           capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    return out.stdout.strip() + ("+changes" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.resident")
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="cProfile files of each tick into DIR")
    parser.add_argument(
        "--json", type=Path, help="results (default bench/results/resident-DATE.json)"
    )
    args = parser.parse_args(words)
    args.argv = words
    result = run(args)
    out = args.json or ROOT / "bench" / "results" / f"resident-{dt.date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(result["summary"]))
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
