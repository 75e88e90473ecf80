"""The group cards' own figures in the check dialog ("Ausgewählte Ordner prüfen"), the
import report and its HTML/CSV export (issue 19), from a real check and run against Radicale:
a book of 3 people and 2 group cards shows "Kontakte auf dem Server: 3" and "Gruppen auf
dem Server: 2", and the group changes apart from the contacts' ("Gruppen geändert").
A calendar report has no group figures."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store import contacts as cs
from app.store import groups
from app.sync.jobs import AccountJob, PendingBinding, book_overview
from app.sync.modes import Mode
from app.sync.report import CALENDAR, BookReport, RunReport, run_summary
from app.vcard import groups as vgroups
from tests.servers.cards import simple_card
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui.check_dialog import CheckDialog
from ui.report_dialog import ReportDialog
from ui.report_export import report_to_csv, report_to_html
from ui.run_window import RunWindow


def rows(table: QTableWidget) -> dict[str, list[str]]:
    """The report's overview: label -> the row's other cells (each book, "Gesamt")."""
    out = {}
    for r in range(table.rowCount()):
        if table.columnSpan(r, 0) > 1:
            continue  # a part's header ("Bestand", "Gruppen", …)
        cells = [table.item(r, c).text().strip() for c in range(table.columnCount())]
        out[cells[0]] = cells[1:]
    return out


def headers(table: QTableWidget) -> list[str]:
    return [table.item(r, 0).text() for r in range(table.rowCount()) if table.columnSpan(r, 0) > 1]


def test_check_and_report_show_the_group_figures(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    s = radicale_server
    name = f"Presseverteiler {uuid.uuid4().hex[:6]}"
    url = s.make_book(display_name=name)
    cards = {f"p{i}.vcf": simple_card(f"p{i}", f"Person{i} Muster", f"p{i}@example.de")
             for i in range(3)}  # fmt: skip
    cards["g1.vcf"] = vgroups.new_group_card("Presse", ["p0", "p1"], uid="g1")
    cards["g2.vcf"] = vgroups.new_group_card("Kunden", ["p2"], dialect=vgroups.APPLE, uid="g2")
    s.put_cards(url, cards, name)
    account = add_account("Gruppen", server=s.root_url, username=s.user, password=s.password)
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    mode = Mode.parse("sync", "server")

    check = AccountJob(account, [], pending=[PendingBinding(remote, mode)], dry_run=True).run()
    dialog = CheckDialog(check, mode)
    qtbot.addWidget(dialog)
    table = dialog.table
    shown = {
        table.verticalHeaderItem(r).text(): table.item(r, 0).text() for r in range(table.rowCount())
    }
    assert shown["Kontakte auf dem Server"] == "3"
    assert shown["Gruppen auf dem Server"] == "2"
    assert shown["Neu in Contactbox"] == "3"
    assert shown["Gruppen geändert"] == "2"  # the group cards counted apart
    assert table.item(list(shown).index("Gruppen geändert"), 0).font().bold()

    report = AccountJob(account, [], pending=[PendingBinding(remote, mode)]).run()
    assert report.status == "ok", report.to_dict()
    book = cs.get_book(name)
    assert cs.count_live(book) == 3 and len(groups.list_groups(book)) == 2
    report_dialog = ReportDialog(report)
    qtbot.addWidget(report_dialog)
    overview = rows(report_dialog.figures_table)
    assert overview["Kontakte auf dem Server"] == ["3", "3"]
    assert overview["Kontakte in Contactbox"] == ["3", "3"]
    assert overview["Gruppen auf dem Server"] == ["2", "2"]
    assert overview["Gruppen in Contactbox"] == ["2", "2"]
    assert overview["Gruppen geändert"] == ["2", "2"]
    assert overview["Neu in Contactbox"] == ["3", "3"]
    assert "Gruppen" in headers(report_dialog.figures_table)

    html = report_to_html(report)
    assert "<tr><td>Gruppen auf dem Server</td>" in html
    assert '<td class="n"><b>2</b></td>' in html
    csv_lines = report_to_csv(report).splitlines()
    assert f"Kennzahl;{name};Gruppen geändert;2;" in csv_lines
    assert "Gesamt;;Kontakte auf dem Server;3;" in csv_lines

    # The run window's end state: the group changes on a line of their own.
    window = RunWindow(account.id, [], countdown=60)
    qtbot.addWidget(window)
    window.cancel()  # only its texts are wanted here
    summary = run_summary(report)
    assert summary.changes == 5  # 3 contacts and 2 group cards
    assert window._summary_lines(summary) == ["In Contactbox: 3 neu", "Gruppen: 2 geändert"]


def test_a_calendar_report_has_no_group_figures(qtbot: QtBot, store: Path) -> None:
    report = RunReport("Kalender", "run", datetime(2026, 12, 1, 9, 0), collection=CALENDAR)
    report.books.append(BookReport("Büro", "/c/", "Büro", "sync/server", collection=CALENDAR))
    dialog = ReportDialog(report)
    qtbot.addWidget(dialog)
    assert "Gruppen" not in headers(dialog.figures_table)
    assert not any("Gruppen" in label for label in rows(dialog.figures_table))
    assert "Gruppen" not in report_to_html(report) + report_to_csv(report)
    assert set(report.totals()) == set(report.books[0].figures())
    assert "server_groups" not in report.totals()
