"""How the contact list behaves with a big book: open, scroll, jump, sort, search.

    python -m bench.contacts_view [--contacts 50000] [--json FILE]

Builds a throw-away database with ``--contacts`` realistic cards (bench.cards, 5 % with a
photo) in one local address book, opens the real "Kontakte anzeigen" page offscreen and
scripts what a user does: open the book, drag to the end, jump around, sort by every
column both ways, select all (Strg+A), type a search and clear it. For each step it reports
the wall time and the longest time the Qt event loop was blocked (a 5 ms timer measures the
gaps between its ticks: a gap is a moment the window would not react). Run it on a quiet
machine; the figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.store.contact_columns import fill_columns
from app.store.contacts import ensure_book
from app.store.db import close_database, open_database
from app.store.models import Contact, database
from bench.cards import generate_cards

BOOK = "Groß"


@dataclass
class Step:
    name: str
    wall_ms: float
    max_stall_ms: float
    pages_read: int


class StallMeter:
    """Measures the longest gap between ticks of a 5 ms timer while work runs."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.clock = QElapsedTimer()
        self.timer.timeout.connect(self._tick)
        self.max_gap = 0.0
        self._last = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.max_gap = max(self.max_gap, now - self._last)
        self._last = now

    def start(self) -> None:
        self.max_gap = 0.0
        self.clock.start()
        self._last = 0.0
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.max_gap


def seed(n: int) -> float:
    """Insert n generated contacts through the store's column filler; returns seconds."""
    started = time.perf_counter()
    book = ensure_book(BOOK)
    rows = []
    for uid, text in generate_cards(n, seed=7):
        c = Contact(book=book, uid=uid)
        fill_columns(c, text)
        rows.append(dict(c.__data__))
    with database.atomic():
        for start in range(0, len(rows), 2000):
            Contact.insert_many(rows[start : start + 2000]).execute()
    return time.perf_counter() - started


def pump(app: QApplication, ms: int = 30) -> None:
    """Let the event loop paint and handle timers for `ms` milliseconds."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()


def run(n: int) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    home = Path(tempfile.mkdtemp(prefix="contactbox-bench-view-"))
    open_database(home / "contactbox.sqlite3")
    seed_seconds = seed(n)
    from ui.contacts_page import ContactsPage

    meter = StallMeter()
    steps: list[Step] = []

    def measure(name: str, action: Callable[[], None]) -> None:
        reads_before = page.model.total_pages_read
        meter.start()
        t0 = time.perf_counter()
        action()
        pump(app, 0)
        wall = (time.perf_counter() - t0) * 1000
        pump(app, 20)
        stall = meter.stop()
        steps.append(
            Step(name, round(wall, 1), round(stall, 1), page.model.total_pages_read - reads_before)
        )

    meter.start()
    t0 = time.perf_counter()
    page = ContactsPage()
    page.resize(1100, 700)
    page.show()
    page.select_book(BOOK)
    pump(app, 0)
    open_ms = (time.perf_counter() - t0) * 1000
    pump(app, 20)
    steps.append(
        Step(
            "Seite öffnen + Buch wählen",
            round(open_ms, 1),
            round(meter.stop(), 1),
            page.model.total_pages_read,
        )
    )
    assert page.model.rowCount() == n, page.model.rowCount()

    table = page.table
    bar = table.verticalScrollBar()

    def drag_to_end() -> None:
        # 40 steps of a scroll-bar drag from top to bottom, painting after each.
        for k in range(1, 41):
            bar.setValue(bar.maximum() * k // 40)
            app.processEvents()

    measure("Scrollbalken bis zum Ende ziehen (40 Schritte)", drag_to_end)

    rng = random.Random(1)
    jumps: list[float] = []

    def jump_around() -> None:
        for _ in range(100):
            t = time.perf_counter()
            table.scrollTo(page.model.index(rng.randrange(n), 0))
            app.processEvents()
            jumps.append((time.perf_counter() - t) * 1000)

    measure("100 Sprünge an zufällige Stellen", jump_around)
    for column, label in enumerate(page.model.headers):
        for descending in (False, True):
            order = "absteigend" if descending else "aufsteigend"

            def sort(column: int = column, descending: bool = descending) -> None:
                page.model.sort(column, _order(descending))
                table.scrollToTop()

            measure(f"Sortieren: {label} {order}", sort)
    page.model.sort(0, _order(False))

    def search(text: str) -> Callable[[], None]:
        def go() -> None:
            page.search_edit.setText(text)
            page.apply_search()

        return go

    def select_all() -> None:
        # Strg+A as the user presses it, then one paint of the table and its header.
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        table.viewport().repaint()
        table.horizontalHeader().viewport().repaint()

    measure("Alle auswählen (Strg+A)", select_all)
    assert page.selected_count() == n, page.selected_count()
    table.clearSelection()
    measure("Suche „müller“", search("müller"))
    measure("Suche „+49 30“", search("+49 30"))
    measure("Suche „gmbh berlin“ (zwei Wörter)", search("gmbh berlin"))
    measure("Suche leeren", search(""))
    page.close()
    close_database()
    return {
        "contacts": n,
        "seed_seconds": round(seed_seconds, 1),
        "database_mb": round((home / "contactbox.sqlite3").stat().st_size / 1e6, 1),
        "jump_median_ms": round(statistics.median(jumps), 1),
        "jump_max_ms": round(max(jumps), 1),
        "steps": [asdict(s) for s in steps],
    }


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def to_markdown(result: dict[str, object]) -> str:
    lines = [
        f"{result['contacts']:,} contacts, database {result['database_mb']} MB "
        f"(seeded in {result['seed_seconds']} s). A jump to a random row: median "
        f"{result['jump_median_ms']} ms, worst {result['jump_max_ms']} ms.",
        "",
        steps_table(result["steps"]),
    ]
    return "\n".join(lines)


def steps_table(steps: object) -> str:
    """The measured steps (`Step` as dicts) as a Markdown table for docs/PERFORMANCE.md."""
    assert isinstance(steps, list)
    lines = [
        "| Step | Wall time (ms) | Longest UI stall (ms) | Pages read |",
        "|---|---:|---:|---:|",
    ]
    for s in steps:
        lines.append(f"| {s['name']} | {s['wall_ms']} | {s['max_stall_ms']} | {s['pages_read']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.contacts_view")
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = run(args.contacts)
    print(to_markdown(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
