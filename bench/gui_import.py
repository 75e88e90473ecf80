"""Does the window stay responsive while it imports a big book?

    python -m bench.gui_import [--contacts 10000] [--page contacts] [--json FILE]
    python -m bench.gui_import --vcf [--contacts 10000] [--cancel-at 0.5] [--json FILE]

Seeds a local Radicale with ``--contacts`` realistic cards (bench.cards), adds an account
in a throw-away home, binds the book ("Einmalig importieren / Ergänzen") and runs it in the
real run window ("Vorgang starten") with the main window open, offscreen. A 5 ms timer on
the GUI thread measures every gap between its ticks: a gap is a moment the window would not
react to the user. Reports the import time, the longest gap and how many gaps were over
50 / 100 ms. With ``--page contacts`` the Kontakte page is in view during the import, so
the window re-reads the growing book as the store announces it (ui/store_watch.py) — the
worst case for the GUI thread. Figures go into docs/PERFORMANCE.md.

With ``--vcf`` there is no server: a ``--contacts``-card .vcf file (bench.cards, 5 % with a
photo) is imported on the Kontakte page ("vCard importieren", duplicates "überspringen"),
then every contact is selected and deleted ("In den Papierkorb", confirmed) and taken back
("Rückgängig"); each step measured like the import above (wall time, longest gap, gaps over
50 / 100 ms, and how many progress figures the window showed). ``--cancel-at F`` adds a
second import of a fresh book that presses "Abbrechen" once a fraction F of the cards is
done: how long the cancel takes to land and what the book holds then. The same script runs
on code without the worker (the import then blocks the window: one long gap).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from bench import demo_server
from bench.demo import free_port

USER, PASSWORD, BOOK = "bench", "bench", "Kontakte"


class GapMeter:
    """Every gap between the ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.clock = QElapsedTimer()
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.at: list[tuple[float, float, str]] = []  # (time ms, gap ms, phase) of gaps > 50 ms
        self.phase = "start"
        self._last = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        gap = now - self._last
        self.gaps.append(gap)
        if gap > 50:
            self.at.append((round(now), round(gap, 1), self.phase))
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self._last = 0.0
        self.timer.start()

    def stop(self) -> None:
        self._tick()
        self.timer.stop()


def _memory_keyring() -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(Memory())


def run(n: int, page: str = "sync") -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="contactbox-bench-gui-"))
    config, _seeded, seed_seconds = demo_server.prepare(
        work / "radicale", USER, PASSWORD, {BOOK: (n, 11)}
    )
    port = free_port()
    proc = subprocess.Popen(
        demo_server.radicale_argv(config, port),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=demo_server.radicale_env(),
    )
    try:
        demo_server.wait_until_up(proc, port, 30)
        root = f"http://127.0.0.1:{port}/"
        demo_server.warm(root, USER, PASSWORD, [BOOK])
        return _measure(work, root, n, seed_seconds, page)
    finally:
        demo_server.stop_process(proc)


def _measure(work: Path, root: str, n: int, seed_seconds: float, page: str) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _memory_keyring()
    from app.accounts import add_account, open_session
    from app.dav.discovery import discover_books
    from app.store.db import open_database
    from app.sync.jobs import bind_book
    from app.sync.modes import Mode
    from ui.main_window import CONTACTS_PAGE, MainWindow
    from ui.run_window import RunWindow

    open_database(work / "contactbox.sqlite3")
    account = add_account("Bench", server=root, username=USER, password=PASSWORD)
    with open_session(account, timeout=300) as session:  # Radicale's first home listing of
        remote = next(b for b in discover_books(session) if b.display_name == BOOK)  # 10k: slow
    binding = bind_book(account, remote, Mode.parse("import", "add"))

    window = MainWindow()
    window.resize(1200, 760)
    window.show()
    if page == "contacts":
        window.show_page(CONTACTS_PAGE)
    app.processEvents()
    meter = GapMeter()
    run_window = RunWindow(account.id, [binding.id], window, countdown=0)

    def watch(worker: object) -> None:
        def phase(p: object) -> None:
            meter.phase = f"{p.phase} {p.done}/{p.total}"  # type: ignore[attr-defined]

        worker.progress.connect(phase)  # type: ignore[attr-defined]

    run_window.job_started.connect(watch)
    meter.start()
    started = time.perf_counter()
    run_window.show()
    while run_window.report is None and time.perf_counter() - started < 1800:
        app.processEvents()
        time.sleep(0.001)
    seconds = time.perf_counter() - started
    meter.phase = "report"
    for _ in range(50):  # the report window opens after the run: measure that too
        app.processEvents()
        time.sleep(0.005)
    meter.stop()
    report = run_window.report
    assert report is not None, "the run did not finish"
    gaps = meter.gaps
    return {
        "contacts": n,
        "page": page,
        "seed_seconds": round(seed_seconds, 1),
        "import_seconds": round(seconds, 1),
        "added": report.totals()["added_local"],
        "status": report.status,
        "longest_gap_ms": round(max(gaps), 1),
        "gaps_over_50ms": sum(g > 50 for g in gaps),
        "gaps_over_100ms": sum(g > 100 for g in gaps),
        "ticks": len(gaps),
        "long_gaps": meter.at,
    }


# ---------------------------------------------------------------- .vcf import, bulk delete


def _patch_dialogs(path: Path, reports: list[object]) -> None:
    """The file chooser answers `path`, the options dialog "Importieren" (skip), the report
    closes at once (kept in `reports`); deleting many needs no confirmation."""
    from PySide6.QtWidgets import QFileDialog

    from ui import contacts_deleting, vcf_dialogs

    QFileDialog.getOpenFileNames = staticmethod(  # type: ignore[method-assign]
        lambda *_a, **_k: ([str(path)], "")
    )
    vcf_dialogs.ImportOptionsDialog.exec = lambda self: 1  # type: ignore[method-assign]
    vcf_dialogs.ImportReportDialog.exec = (  # type: ignore[method-assign]
        lambda self: reports.append(self.report) or 0
    )
    contacts_deleting.DeletingPart.confirm_delete = (  # type: ignore[method-assign]
        lambda self, count: True
    )


def _progress_window() -> object | None:
    """The progress window of this version (None: it has none, the work blocks)."""
    try:
        from ui.work_progress import WorkProgressDialog
    except ImportError:
        return None
    w = QApplication.activeModalWidget()
    return w if isinstance(w, WorkProgressDialog) else None


def _step(
    app: QApplication, meter: GapMeter, name: str, action: object, *, cancel_at: int = 0
) -> dict[str, object]:
    """Run `action` from the event loop (as a click would) and measure the GUI thread until
    it returns. `cancel_at`: press Abbrechen once the window shows that many done."""
    done: list[float] = []
    figures: set[tuple[int, int]] = set()
    clicked: list[float] = []

    def run() -> None:
        action()  # type: ignore[operator]
        done.append(time.perf_counter())

    def watch() -> None:
        if done:
            return
        w = _progress_window()
        if w is not None:
            figures.add(w.figures)  # type: ignore[attr-defined]
            if cancel_at and not clicked and w.figures[0] >= cancel_at:  # type: ignore[attr-defined]
                clicked.append(time.perf_counter())
                w.cancel_button.click()  # type: ignore[attr-defined]
        QTimer.singleShot(5, watch)

    settle = time.perf_counter()  # what the last step left queued (a relayout, the column
    while time.perf_counter() - settle < 1.5:  # layout's 400 ms save) is done first, as
        app.processEvents()  # when a user clicks a moment later
        time.sleep(0.005)
    meter.phase = name
    meter.at.clear()
    meter.start()
    started = time.perf_counter()
    QTimer.singleShot(0, run)
    QTimer.singleShot(0, watch)
    while not done and time.perf_counter() - started < 3600:
        app.processEvents()
        time.sleep(0.001)
    while time.perf_counter() - done[0] < 0.5:  # what the step left queued (a repaint,
        app.processEvents()  # the store watch's news of the commit) counts too
        time.sleep(0.001)
    meter.stop()
    gaps = meter.gaps
    result: dict[str, object] = {
        "seconds": round(done[0] - started, 2),
        "longest_gap_ms": round(max(gaps), 1),
        "gaps_over_50ms": sum(g > 50 for g in gaps),
        "gaps_over_100ms": sum(g > 100 for g in gaps),
        "progress_figures_shown": len(figures - {(0, 0)}),
        "long_gaps": [(at, gap) for at, gap, _phase in meter.at],  # (ms into the step, ms)
    }
    if clicked:
        result["cancel_to_closed_ms"] = round((done[0] - clicked[0]) * 1000, 1)
    return result


def run_vcf(n: int, cancel_at: float = 0.0) -> dict[str, object]:
    """The .vcf import, bulk delete and Rückgängig of `n` cards in the window (no server)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from app.store.contacts import ensure_book
    from app.store.db import open_database
    from app.store.models import Contact
    from bench.cards import generate_cards, write_vcf
    from ui.main_window import CONTACTS_PAGE, MainWindow

    work = Path(tempfile.mkdtemp(prefix="contactbox-bench-vcf-"))
    path = write_vcf(work / "kontakte.vcf", generate_cards(n, seed=7))
    open_database(work / "contactbox.sqlite3")
    ensure_book("Standard")
    if cancel_at:
        ensure_book("Abbruch")
    reports: list[object] = []
    _patch_dialogs(path, reports)
    window = MainWindow()
    window.resize(1200, 760)
    window.show()
    window.show_page(CONTACTS_PAGE)
    page = window.contacts_page
    page.select_book("Standard")
    app.processEvents()
    meter = GapMeter()
    result: dict[str, object] = {"cards": n, "file_mb": round(path.stat().st_size / 1e6, 1)}
    result["import"] = _step(app, meter, "import", page.import_vcf)
    result["imported"] = Contact.select().where(Contact.deleted_at.is_null()).count()

    result["select_all"] = _step(app, meter, "select all", page.table.selectAll)
    result["delete_all"] = _step(app, meter, "delete", page.delete_selected)
    result["live_after_delete"] = Contact.select().where(Contact.deleted_at.is_null()).count()
    result["undo"] = _step(app, meter, "undo", page.undo_bar.undo)
    result["live_after_undo"] = Contact.select().where(Contact.deleted_at.is_null()).count()
    if cancel_at:
        page.select_book("Abbruch")
        app.processEvents()
        step = _step(app, meter, "import+cancel", page.import_vcf, cancel_at=int(n * cancel_at))
        report = reports[-1]
        step["cards_read"] = report.cards_read  # type: ignore[attr-defined]
        step["not_imported"] = getattr(report, "cancelled", 0)
        from app.store.contacts import get_book

        step["in_book"] = Contact.select().where(Contact.book == get_book("Abbruch")).count()
        result["import_cancelled"] = step
    window.close()
    _wait_for_workers(app)
    return result


def _wait_for_workers(app: QApplication) -> None:
    """Let the worker threads end before the interpreter does."""
    try:
        from ui.workers import running_count
    except ImportError:
        return
    started = time.perf_counter()
    while running_count() and time.perf_counter() - started < 30:
        app.processEvents()
        time.sleep(0.01)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gui_import")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument(
        "--page", choices=["sync", "contacts"], default="sync",
        help="the page in view during the import (contacts: it follows the growing book)",
    )  # fmt: skip
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    parser.add_argument(
        "--vcf", action="store_true",
        help="no server: import a .vcf file in the window, delete all, Rückgängig",
    )  # fmt: skip
    parser.add_argument(
        "--cancel-at", type=float, default=0.0,
        help="with --vcf: a second import pressing Abbrechen at this fraction of the cards",
    )  # fmt: skip
    args = parser.parse_args(argv)
    result = run_vcf(args.contacts, args.cancel_at) if args.vcf else run(args.contacts, args.page)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
