"""How the list of single changes (ui/item_list.py, issue 22) behaves with many items.

    python -m bench.check_list [--items 10000] [--repeat 3] [--json FILE]

Builds a check's report with ``--items`` planned changes over two books (a realistic mix:
new and changed on both sides, deleted, merged, conflicts; a changed item has one to three
fields alt → neu), opens the real check dialog ("Ausgewählte Ordner prüfen") offscreen and
scripts what a user does: sort by every column both ways, filter by each action, search
(a name, a value), select rows, scroll to the end. Then the same list as a stored report's
(a throw-away database, `save_report` with the details) opened from the history: the
Importbericht, and its tab "Einzelne Änderungen" shown (`report_details` read then, on a
background thread, the list filled when it is read).

For each step: the wall time and the longest time the Qt event loop was blocked
(bench.contacts_view.StallMeter: a 5 ms timer's longest gap). Each run's steps are repeated
``--repeat`` times; the table gives the best wall time and the median of the longest stalls.
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
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.store.db import close_database, open_database
from app.store.reports import save_report
from app.sync.details import ACTIONS, FieldChange, ItemDetail
from app.sync.report import BookReport, RunReport
from bench.contacts_view import StallMeter, pump, steps_table

_GIVEN = ("Anna", "Bernd", "Jörg", "Özlem", "Ulrike", "Mia", "Karl", "Lena", "Nora", "Ümit")
_FAMILY = ("Müller", "Schmidt", "Weiß", "Özdemir", "Bauer", "Krämer", "Nowak", "Lange")
_FIELDS = ("Telefon", "E-Mail", "Adresse", "Firma", "Notiz", "Geburtstag")


def make_report(n: int, seed: int = 3) -> RunReport:
    """A check of two books with `n` items changed in all."""
    rng = random.Random(seed)
    books = [
        BookReport(book="Kunden", href="/k/", local_book="Kunden", mode="sync/server"),
        BookReport(book="Lieferanten", href="/l/", local_book="Lieferanten", mode="sync/server"),
    ]
    weights = (30, 40, 10, 5, 5)  # new, changed, deleted, merged, conflict
    for i in range(n):
        book = books[i % 2]
        action = rng.choices(ACTIONS, weights)[0]
        side = rng.choice(("server", "contactbox"))
        fields: tuple[FieldChange, ...] = ()
        if action in ("changed", "merged", "conflict"):
            fields = tuple(
                FieldChange(name, f"{name} alt {i}", f"{name} neu {i}")
                for name in rng.sample(_FIELDS, rng.randint(1, 3))
            )
        name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} {i}"
        book.details.append(ItemDetail(f"uid-{i}", name, side, action, book.book, fields))
    report = RunReport(account="Büro", kind="check", started=datetime.now(UTC), books=books)
    report.finish(datetime.now(UTC))
    return report


class Steps:
    """Measured steps: name -> the wall times and longest stalls of each repetition."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.meter = StallMeter()
        self.wall: dict[str, list[float]] = {}
        self.stall: dict[str, list[float]] = {}

    def measure(self, name: str, action: Callable[[], object]) -> object:
        self.meter.start()
        t0 = time.perf_counter()
        result = action()
        pump(self.app, 0)
        wall = (time.perf_counter() - t0) * 1000
        pump(self.app, 20)
        stall = self.meter.stop()
        self.wall.setdefault(name, []).append(wall)
        self.stall.setdefault(name, []).append(stall)
        return result

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "name": name,
                "wall_ms": round(min(walls), 1),
                "max_stall_ms": round(statistics.median(self.stall[name]), 1),
                "pages_read": "–",
            }
            for name, walls in self.wall.items()
        ]


def one_round(
    app: QApplication,
    steps: Steps,
    report: RunReport,
    stored: dict[str, object],
    report_id: int,
) -> None:
    """The user's steps once: the check dialog, then the stored Importbericht."""
    from ui.check_dialog import CheckDialog
    from ui.item_list import ACTION, COLUMN_COUNT, ItemList
    from ui.report_dialog import ReportDialog

    n = len(report.details())

    def open_check() -> CheckDialog:
        dialog = CheckDialog(report)
        dialog.show()
        return dialog

    dialog = steps.measure("Prüfen-Dialog öffnen (Liste gefüllt)", open_check)
    assert isinstance(dialog, CheckDialog)
    items: ItemList = dialog.items
    assert items.proxy.rowCount() == n
    for column in range(1, COLUMN_COUNT):
        label = items.model.headers[column]
        for order, word in ((Qt.SortOrder.AscendingOrder, "aufsteigend"),
                            (Qt.SortOrder.DescendingOrder, "absteigend")):  # fmt: skip

            def sort(column: int = column, order: Qt.SortOrder = order) -> None:
                items.table.sortByColumn(column, order)

            steps.measure(f"Sortieren: {label} {word}", sort)
    for action in (*ACTIONS, None):

        def choose(action: str | None = action) -> None:
            items.set_action(action)

        steps.measure(f"Filter Aktion: {action or 'Alle'}", choose)
    steps.measure("Suche „müller“", lambda: items.set_search("müller"))
    steps.measure("Suche „telefon neu 12“", lambda: items.set_search("telefon neu 12"))
    steps.measure("Suche leeren", lambda: items.set_search(""))
    items.table.sortByColumn(ACTION, Qt.SortOrder.AscendingOrder)

    def select_rows() -> None:
        for row in range(0, 2000, 20):
            items.select_row(row)
            app.processEvents()

    steps.measure("100 Zeilen auswählen (Felder anzeigen)", select_rows)

    def scroll_to_end() -> None:
        bar = items.table.verticalScrollBar()
        for k in range(1, 41):
            bar.setValue(bar.maximum() * k // 40)
            app.processEvents()

    steps.measure("Scrollbalken bis zum Ende ziehen (40 Schritte)", scroll_to_end)
    dialog.close()
    dialog.deleteLater()
    pump(app, 10)

    def open_report() -> ReportDialog:
        shown = ReportDialog(RunReport.from_dict(stored), report_id=report_id)
        shown.show()
        return shown

    shown = steps.measure("Gespeicherter Importbericht öffnen", open_report)
    assert isinstance(shown, ReportDialog)

    def show_tab() -> None:
        # report_details is read on a background thread; measured until the list is there
        shown.tabs.setCurrentIndex(shown.items_tab)
        while shown.items is None:
            app.processEvents()

    steps.measure("Reiter „Einzelne Änderungen“ zeigen (im Hintergrund gelesen)", show_tab)
    assert shown.items is not None and shown.items.proxy.rowCount() == n
    shown.close()
    shown.deleteLater()
    pump(app, 10)


def run(n: int, repeat: int) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    home = Path(tempfile.mkdtemp(prefix="contactbox-bench-checklist-"))
    open_database(home / "contactbox.sqlite3")
    report = make_report(n)
    stored = report.to_dict()
    stored["kind"] = "run"
    report_id = save_report(None, stored, "manual", report.details_dicts())
    steps = Steps(app)

    for _ in range(repeat):
        one_round(app, steps, report, stored, report_id)
    close_database()
    return {"items": n, "repeat": repeat, "steps": steps.rows()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_list")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = run(args.items, args.repeat)
    print(
        f"{result['items']:,} planned changes; best wall time and median longest stall "
        f"of {result['repeat']} runs.\n"
    )
    print(steps_table(result["steps"]).replace("| Pages read |", "| |"))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
