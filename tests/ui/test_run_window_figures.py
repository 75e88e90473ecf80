"""The run window's figures are the import report's, per book and in total (issue 16).

Against a real Radicale: a first import started from the setup dialog (streaming, in
several parts), a second two-way run with changes on both sides and a conflict next to a
book without changes, and a cancelled import. Each time the window's end state is read as
the user sees it (each book's status, the "Gesamt" row, the line "Übernommen: … von …")
and compared with the columns of the Importbericht that opened with it; the line the
window showed during the apply phase is recorded after every progress signal.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store.contacts import (
    add_contact,
    count_live,
    delete_contact,
    find_live_by_uid,
    get_book,
)
from app.store.contacts import update_contact as save_contact
from app.store.models import Account, AddressBook, Binding
from app.sync import streaming
from app.sync.execute import Progress
from app.sync.jobs import bind_book, book_overview
from app.sync.modes import Mode
from app.sync.report import (
    FIGURE_LABELS_DE,
    FIGURES,
    LOCAL_CHANGES,
    RESULT_FIGURES,
    SERVER_CHANGES,
    RunReport,
    book_summary,
    run_summary,
)
from tests.robustness.faultproxy import FaultProxy, at
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.report_dialog import ReportDialog
from ui.run_window import RunWindow
from ui.setup_dialog import SetupDialog

TIMEOUT = 60_000
APPLIED = re.compile(r"^Übernommen: (\d+) von (\d+) Änderungen$")
ALL_FIGURES = (*FIGURES, "server_only")
LABEL_TO_NAME = {label: name for name, label in FIGURE_LABELS_DE.items()}


def vc(uid: str, fn: str, email: str, note: str = "") -> str:
    given, _, family = fn.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{family};{given};;;"]
    lines.append(f"EMAIL;TYPE=WORK:{email}")
    if note:
        lines.append(f"NOTE:{note}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def card(name: str, i: int, note: str = "") -> str:
    return vc(f"{name}-{i}", f"Person{i} Muster{i}", f"p{i}@example.de", note)


def unique(name: str) -> str:
    """Book names differ between tests: the Radicale server is shared by the session."""
    return f"{name} {uuid.uuid4().hex[:6]}"


def uid_of(text: str) -> str:
    return text.split("UID:", 1)[1].splitlines()[0]


def seed_book(server: DavServer, name: str, count: int) -> str:
    url = server.make_book(display_name=name)
    server.put_cards(url, {f"c{i:04d}.vcf": card(name, i) for i in range(count)}, name)
    return url


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Figuren", server=s.root_url, username=s.user, password=s.password)


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=TIMEOUT)


def bound(account: Account, name: str, mode: Mode, local_book: str | None = None) -> Binding:
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    return bind_book(account, remote, mode, local_book)


class Recorder(QObject):
    """Lives on the GUI thread: after the window handled a progress signal (connected
    before this one, so queued before it), notes the signal and the window's line."""

    def __init__(self, window: RunWindow) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[tuple[Progress, str]] = []
        window.job_started.connect(self._watch)

    def _watch(self, worker: workers.JobWorker) -> None:
        worker.progress.connect(self.on_progress)

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        self.seen.append((progress, self.window.counts_label.text()))


def start(qtbot: QtBot, window: RunWindow) -> Recorder:
    recorder = Recorder(window)
    qtbot.addWidget(window)
    window.show()
    return recorder


def wait_for_end(qtbot: QtBot, window: RunWindow) -> RunReport:
    qtbot.waitUntil(lambda: window.report is not None, timeout=TIMEOUT)
    assert window.report is not None
    return window.report


# ---------------------------------------------------------------- reading both windows


SIDES = {"In Contactbox": LOCAL_CHANGES, "Auf dem Server": SERVER_CHANGES}
WORDS = ("neu", "aktualisiert", "gelöscht")


def shown_figures(text: str) -> dict[str, int]:
    """A summary as the window shows it, by figure name ("Fehler" as "errors"):
    "In Contactbox: 12 neu · 4 aktualisiert" / "Auf dem Server: 1 gelöscht" /
    "Konflikte: 1 · Fehler: 2"; "keine Änderungen" is none."""
    if text == "keine Änderungen":
        return {}
    out: dict[str, int] = {}
    for line in text.splitlines():
        side, _, rest = line.partition(": ")
        if side in SIDES:
            for part in rest.split(" · "):
                value, word = part.split(" ")
                out[SIDES[side][WORDS.index(word)]] = int(value)
            continue
        for part in line.split(" · "):
            label, _, value = part.rpartition(": ")
            out["errors" if label == "Fehler" else LABEL_TO_NAME[label]] = int(value)
    assert all(out.values())  # only what is not zero
    return out


def report_columns(dialog: ReportDialog) -> list[dict[str, int]]:
    """The Importbericht's overview table: one {figure: value} per column (the books in
    order, then "Gesamt"); "–" (book not started) reads as 0."""
    table = dialog.figures_table
    columns: list[dict[str, int]] = [{} for _ in range(table.columnCount() - 1)]
    for row in range(table.rowCount()):
        label = table.item(row, 0).text().strip()
        if label not in LABEL_TO_NAME:
            continue  # a group's heading
        for col, figures in enumerate(columns, start=1):
            text = table.item(row, col).text()
            figures[LABEL_TO_NAME[label]] = 0 if text == "–" else int(text)
    return columns


def errors_tab(dialog: ReportDialog) -> int:
    return dialog.errors_table.rowCount()


def assert_window_shows_the_report(window: RunWindow) -> RunReport:
    """Each book's status and the "Gesamt" row show the figures of the Importbericht's
    column for it, the tooltip all of them; the line of changes agrees; no "0 von 0"."""
    report = window.report
    assert report is not None and window.state == "finished"
    dialog = window.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    *book_columns, total_column = report_columns(dialog)
    assert len(book_columns) == len(report.books) == len(window.rows)
    for row, book, column in zip(window.rows, report.books, book_columns, strict=True):
        assert row.name == book.book
        expected = {n: column[n] for n in RESULT_FIGURES if column[n]}
        if book.errors:
            expected["errors"] = len(book.errors)
        assert shown_figures(row.status.text()) == expected, (row.name, row.status.text())
        tip = dict(line.rsplit(": ", 1) for line in row.status.toolTip().splitlines())
        assert {LABEL_TO_NAME[k]: int(v) for k, v in tip.items()} == column
        assert row.bar.value() == 100
    expected_total = {n: total_column[n] for n in RESULT_FIGURES if total_column[n]}
    if errors_tab(dialog):
        expected_total["errors"] = errors_tab(dialog)
    assert shown_figures(window.total_label.text()) == expected_total
    changes = sum(total_column[n] for n in (*LOCAL_CHANGES, *SERVER_CHANGES, "merged"))
    assert run_summary(report).changes == changes
    line = window.counts_label.text()
    if changes:
        assert line == f"Übernommen: {changes} von {changes} Änderungen"
    else:
        assert line.strip() == ""
    texts = [window.counts_label.text(), window.total_label.text()]
    texts += [row.status.text() for row in window.rows]
    assert not any("0 von 0" in t for t in texts)
    return report


def assert_progress_counted_the_changes(recorder: Recorder, report: RunReport) -> None:
    """During the apply phase the line counted the changes being carried out, upwards,
    and each book's last count is the changes its report column shows."""
    for book in report.books:
        applying = [(p, line) for p, line in recorder.seen if p.book == book.book]
        applying = [(p, line) for p, line in applying if p.phase == "apply"]
        changes = book_summary(book).changes
        if not applying:
            assert changes == 0 and book.unchanged
            continue
        before = 0
        for p, line in applying:
            assert before <= p.changes_done <= p.changes_total
            before = p.changes_done
            match = APPLIED.match(line)
            if p.changes_total:
                assert match is not None, line
                assert (int(match[1]), int(match[2])) == (p.changes_done, p.changes_total)
            else:
                assert line.strip() == ""  # no changes: no "0 von 0"
        last = applying[-1][0]
        assert (last.changes_done, last.changes_total) == (changes, changes), book.book
        assert last.done == last.total and (last.total > 0 or not changes)  # never "0 of 0"


# ---------------------------------------------------------------- the runs


def test_first_import_from_the_setup_dialog_shows_the_reports_figures(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The issue's case: a first import of 300 contacts (here with a second book of 25)
    ended with "300 neu · …" above "Übernommen: 0 von 0 Änderungen"."""
    monkeypatch.setattr(streaming, "STREAM_PART", 70)  # the import comes in five parts
    monkeypatch.setattr(workers.JobWorker, "PROGRESS_INTERVAL", 0.0)  # every step is seen
    contacts, suppliers = unique("Kontakte"), unique("Lieferanten")
    seed_book(radicale_server, contacts, 300)
    seed_book(radicale_server, suppliers, 25)
    setup = SetupDialog(int(account.id), run_countdown=0)
    qtbot.addWidget(setup)
    setup.show()
    qtbot.waitUntil(lambda: bool(setup.overviews), timeout=TIMEOUT)
    setup.set_checked(contacts)
    setup.set_checked(suppliers)
    setup.set_mode(Mode.parse("import", "add"))
    recorders: list[Recorder] = []
    setup.run_started.connect(lambda window: recorders.append(Recorder(window)))
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    window = setup.run_window
    assert isinstance(window, RunWindow) and recorders
    qtbot.addWidget(window)
    report = wait_for_end(qtbot, window)
    assert report.status == "ok"

    assert_window_shows_the_report(window)
    assert_progress_counted_the_changes(recorders[0], report)
    by_name = {row.name: row.status.text() for row in window.rows}
    assert by_name == {
        contacts: "In Contactbox: 300 neu",
        suppliers: "In Contactbox: 25 neu",
    }
    assert window.total_label.text() == "In Contactbox: 325 neu"
    assert window.counts_label.text() == "Übernommen: 325 von 325 Änderungen"
    # while the first part was imported, the rest still to fetch was counted as planned
    first = next(p for p, _ in recorders[0].seen if p.phase == "apply" and p.book == contacts)
    assert first.changes_total == 300


def test_a_second_run_with_changes_on_both_sides_shows_the_reports_figures(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers.JobWorker, "PROGRESS_INTERVAL", 0.0)
    server = radicale_server
    name, quiet_name = unique("Zwei Wege"), unique("Ruhig")
    url = seed_book(server, name, 40)
    seed_book(server, quiet_name, 6)
    # The first run is no streaming import: "Standard" has one contact of the server
    # book (linked, no change) and one of its own (uploaded).
    standard = get_book("Standard")
    add_contact(standard, card(name, 7))
    add_contact(standard, vc("nur-lokal-0", "Lokal Erst", "erst@example.de"))
    two_way = bound(account, name, Mode.parse("sync", "server"), "Standard")
    quiet = bound(account, quiet_name, Mode.parse("import", "add"))
    ids = [int(two_way.id), int(quiet.id)]

    first = RunWindow(int(account.id), ids, countdown=0)
    recorder = start(qtbot, first)
    report = wait_for_end(qtbot, first)
    assert report.status == "ok"
    assert_window_shows_the_report(first)
    assert_progress_counted_the_changes(recorder, report)
    figures = report.books[0].figures()
    assert (figures["added_local"], figures["added_server"]) == (39, 1)
    first.close()

    # On the server: 3 cards changed, 2 deleted, 4 new; card 10 changed on both sides.
    hrefs = {uid_of(text): href for href, text in server.list_cards(url).items()}
    for i in (1, 2, 3, 10):
        filename = unquote(hrefs[f"{name}-{i}"].rsplit("/", 1)[1])
        server.put_card(url, filename, card(name, i, "S"))
    for i in (4, 5):
        server.delete_card(server.url(hrefs[f"{name}-{i}"]))
    for i in range(100, 104):
        server.put_card(url, f"n{i}.vcf", card(name, i))
    # In Contactbox: 2 new, 1 changed, 1 deleted, card 10 changed too: both sides added a
    # note, the server's wins (a conflict on that field), the rest is merged (issue 22).
    for i in (1, 2):
        add_contact(standard, vc(f"nur-lokal-{i}", f"Lokal Neu{i}", f"neu{i}@example.de"))
    for i, note in ((20, "L"), (10, "L")):
        contact = find_live_by_uid(standard, f"{name}-{i}")
        assert contact is not None
        save_contact(contact, card(name, i, note))
    gone = find_live_by_uid(standard, f"{name}-30")
    assert gone is not None
    delete_contact(gone)

    second = RunWindow(int(account.id), ids, countdown=0)
    recorder = start(qtbot, second)
    report = wait_for_end(qtbot, second)
    assert report.status == "ok"
    assert_window_shows_the_report(second)
    assert_progress_counted_the_changes(recorder, report)
    changed, untouched = report.books
    assert {n: v for n, v in changed.figures().items() if n in RESULT_FIGURES and v} == {
        "added_local": 4,
        "updated_local": 3,  # three server edits
        "deleted_local": 2,
        "added_server": 2,
        "updated_server": 1,
        "deleted_server": 1,
        "conflicts": 1,  # card 10: the note decided by the preference
        "merged": 1,  # card 10
    }
    assert untouched.unchanged
    rows = {row.name: row.status.text() for row in second.rows}
    assert rows[quiet_name] == "keine Änderungen"
    assert rows[name] == (
        "In Contactbox: 4 neu · 3 aktualisiert · 2 gelöscht\n"
        "Auf dem Server: 2 neu · 1 aktualisiert · 1 gelöscht\n"
        "Konflikte: 1 · Zusammengeführt: 1"
    )
    assert second.total_label.text() == rows[name]
    assert second.counts_label.text() == "Übernommen: 14 von 14 Änderungen"


def test_a_cancelled_import_shows_what_was_carried_out(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stopped after some contacts: report and window count those, not the whole plan,
    and the line says how many of the planned changes were carried out."""
    monkeypatch.setattr(workers.JobWorker, "PROGRESS_INTERVAL", 0.0)
    name = unique("Groß")
    seed_book(radicale_server, name, 200)
    binding = bound(account, name, Mode.parse("import", "add"))
    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)

    def stop_early(worker: workers.JobWorker) -> None:
        def on_progress(p: Progress) -> None:  # on the worker thread
            if p.phase == "apply" and p.changes_done >= 10:
                worker.cancel()

        worker.progress.connect(on_progress, Qt.ConnectionType.DirectConnection)

    window.job_started.connect(stop_early)
    start(qtbot, window)
    report = wait_for_end(qtbot, window)
    assert report.status == "cancelled"
    book = AddressBook.get(AddressBook.name == name)
    imported = count_live(book)
    assert 10 <= imported < 200
    assert report.books[0].added_local == imported  # the report counts what was done
    dialog = window.report_dialog
    assert isinstance(dialog, ReportDialog)
    column = report_columns(dialog)[0]
    assert column["added_local"] == imported
    assert window.rows[0].status.text() == f"In Contactbox: {imported} neu"
    assert window.total_label.text() == f"In Contactbox: {imported} neu"
    assert window.counts_label.text() == f"Übernommen: {imported} von 200 Änderungen"


def test_a_failed_upload_is_named_and_not_counted_as_carried_out(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    """The server refuses one of two uploads (500): both window and report count one
    change and one error, and the line says one of the two planned changes was made."""
    name = unique("Hochladen")
    seed_book(radicale_server, name, 3)
    s = radicale_server
    with FaultProxy(s.root_url) as proxy:
        account = add_account("Über Proxy", server=proxy.url, username=s.user, password=s.password)
        binding = bound(account, name, Mode.parse("sync", "server"), "Standard")
        first = RunWindow(int(account.id), [int(binding.id)], countdown=0)
        start(qtbot, first)
        assert wait_for_end(qtbot, first).status == "ok"
        first.close()
        for i in (1, 2):
            add_contact(get_book("Standard"), vc(f"hoch-{i}", f"Hoch Laden{i}", f"h{i}@example.de"))
        proxy.reset_log(at({1: "status_500"}, methods={"PUT"}))
        window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
        recorder = start(qtbot, window)
        report = wait_for_end(qtbot, window)
    assert report.status == "errors"
    [book] = report.books
    assert (book.added_server, len(book.errors)) == (1, 1)
    dialog = window.report_dialog
    assert isinstance(dialog, ReportDialog) and errors_tab(dialog) == 1
    assert report_columns(dialog)[0]["added_server"] == 1
    assert window.rows[0].status.text() == "Auf dem Server: 1 neu\nFehler: 1"
    assert window.total_label.text() == "Auf dem Server: 1 neu\nFehler: 1"
    assert window.counts_label.text() == "Übernommen: 1 von 2 Änderungen"
    last = [p for p, _ in recorder.seen if p.phase == "apply"][-1]
    assert (last.changes_done, last.changes_total) == (1, 2)  # the refused one not counted
