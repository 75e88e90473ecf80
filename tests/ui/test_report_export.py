"""Import report: HTML / CSV export (pure functions) and the report dialog."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from app.sync.details import ItemDetail
from app.sync.report import FIGURE_LABELS_DE, BookReport, ConflictNote, ItemError, RunReport
from tests.ui.test_translations import english  # noqa: F401
from ui.report_dialog import ReportDialog
from ui.report_export import report_to_csv, report_to_html


def sample_report() -> RunReport:
    book = BookReport(
        book="Kunden <Büro>",
        href="/dav/kunden/",
        local_book="Kunden",
        mode="sync/server",
        server_count=42,
        local_count=40,
        added_local=7,
        updated_local=3,
        deleted_server=2,
        conflicts=1,
        skipped_deleted=1,
        guarded=["server"],
        held_back=5,
        errors=[
            ItemError(
                "Erika Mustermann",
                "uid-erika",
                "/dav/kunden/e.vcf",
                "add_local",
                "Die Karte ist keine gültige vCard.",
            )
        ],
        conflict_notes=[ConflictNote("Max Müller", "uid-max", "server")],
        notes=["2 Karten ohne UID bekamen eine abgeleitete UID."],
    )
    report = RunReport(
        account="Büro Kerio", kind="run", started=datetime(2026, 11, 29, 9, 0),
        finished=datetime(2026, 11, 29, 9, 1), status="errors", books=[book],
    )  # fmt: skip
    return report


def test_html_contains_figures_conflicts_errors_and_notes() -> None:
    html = report_to_html(sample_report())
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "Importbericht – Account „Büro Kerio“" in html
    assert "Kunden &lt;Büro&gt;" in html and "<Büro>" not in html  # escaped
    assert FIGURE_LABELS_DE["added_local"] in html
    assert '<td class="n">7</td>' in html and '<td class="n">42</td>' in html
    assert "Max Müller" in html and "Version von Server" in html
    assert "Erika Mustermann" in html and "Die Karte ist keine gültige vCard." in html
    assert "In Contactbox anlegen" in html
    assert "Zurückgehalten: 5 Löschungen" in html
    assert "abgeleitete UID" in html
    assert "mit Fehlern" in html


def test_csv_contains_figures_and_an_error_row() -> None:
    text = report_to_csv(sample_report())
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Bereich", "Adressbuch", "Bezeichnung", "Wert", "Grund"]
    assert all(len(r) == 5 for r in rows)
    figures = {r[2]: r[3] for r in rows if r[0] == "Kennzahl"}
    assert figures[FIGURE_LABELS_DE["server_count"]] == "42"
    assert figures[FIGURE_LABELS_DE["added_local"]] == "7"
    assert figures[FIGURE_LABELS_DE["deleted_server"]] == "2"
    totals = {r[2]: r[3] for r in rows if r[0] == "Gesamt"}
    assert totals[FIGURE_LABELS_DE["updated_local"]] == "3"
    errors = [r for r in rows if r[0] == "Fehler"]
    assert errors == [
        ["Fehler", "Kunden <Büro>", "Erika Mustermann", "In Contactbox anlegen",
         "Die Karte ist keine gültige vCard."]
    ]  # fmt: skip
    assert ["Konflikt", "Kunden <Büro>", "Max Müller", "Version von Server", ""] in rows
    assert any(r[0] == "Hinweis" and "Zurückgehalten" in r[4] for r in rows)


def test_report_round_trips_through_the_history_format() -> None:
    original = sample_report()
    again = RunReport.from_dict(original.to_dict())
    assert report_to_csv(again) == report_to_csv(original)


def test_report_dialog_shows_errors_and_exports(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ReportDialog(sample_report())
    qtbot.addWidget(dialog)
    table = dialog.conflicts_table  # a whole card's conflict only: no column "Felder"
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header == ["Adressbuch", "Kontakt", "Übernommen"]
    assert "<th>Felder</th>" not in report_to_html(sample_report())
    assert dialog.errors_table.rowCount() == 1
    assert dialog.errors_table.item(0, 3).text() == "Die Karte ist keine gültige vCard."
    assert dialog.conflicts_table.rowCount() == 1
    assert dialog.notes_table.rowCount() == 2
    assert dialog.tabs.tabText(2) == "Fehler (1)"

    html_path, csv_path = tmp_path / "bericht.html", tmp_path / "bericht.csv"
    targets = [str(html_path), str(csv_path)]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        staticmethod(lambda *a, **k: (targets.pop(0), "")),
    )  # fmt: skip
    dialog.html_button.click()
    dialog.csv_button.click()
    assert "Erika Mustermann" in html_path.read_text(encoding="utf-8")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheets
    assert "Erika Mustermann" in csv_path.read_text(encoding="utf-8-sig")


def test_a_long_reason_is_shown_whole_not_cut_off(qtbot: QtBot) -> None:
    """The server's own words (issue 17) are often longer than a line: the Grund column wraps,
    the row grows with it — also after the dialog is made narrower — and the tooltip holds the
    whole message plus the technical detail."""
    report = sample_report()
    words = "Meldung des Servers: „Validation error in vCard: N MUST NOT appear more than once“. "
    long = "Der Server hat den Kontakt „Erika Mustermann“ abgelehnt: ungültige vCard. " + words * 3
    report.books[0].errors[0] = ItemError(
        "Erika Mustermann", "uid-erika", "e.vcf", "add_server", long, "HTTP 415"
    )
    dialog = ReportDialog(report)
    qtbot.addWidget(dialog)
    dialog.resize(900, 520)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    qtbot.waitExposed(dialog)
    table = dialog.errors_table
    line = table.fontMetrics().height()
    assert table.wordWrap()
    assert table.rowHeight(0) >= 2 * line  # wrapped, not one elided line
    assert table.item(0, 3).toolTip() == f"{long}\n\nHTTP 415"
    wide = table.rowHeight(0)
    dialog.resize(600, 520)
    qtbot.waitUntil(lambda: table.rowHeight(0) > wide)


def merged_report() -> RunReport:
    """A conflict over a whole card (Max Müller) and a merged contact whose phone and
    e-mail both sides changed differently (Anna Alt: the preference decided those two
    fields, everything else of both versions merged), and a group card changed."""
    report = sample_report()
    book = report.books[0]
    book.merged = 1
    book.conflict_notes.append(
        ConflictNote("Anna Alt", "uid-anna", "server", ["Telefon", "E-Mail"])
    )
    book.details.append(
        ItemDetail("uid-g", "Presse", "contactbox", "changed", book.book, kind="group")
    )
    return report


def _row(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_a_merged_contact_shows_the_fields_the_preference_decided(qtbot: QtBot) -> None:
    report = merged_report()
    dialog = ReportDialog(report)
    qtbot.addWidget(dialog)
    table = dialog.conflicts_table
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header == ["Adressbuch", "Kontakt", "Felder", "Übernommen"]
    assert _row(table, 0) == [
        "Kunden <Büro>", "Max Müller", "–", "Version von Server (die andere steht im Verlauf)"
    ]  # fmt: skip
    assert _row(table, 1) == [
        "Kunden <Büro>", "Anna Alt", "Telefon, E-Mail",
        "Version von Server für diese Felder, alles Übrige zusammengeführt (die andere steht "
        "im Verlauf)",
    ]  # fmt: skip

    html = report_to_html(report)
    assert "<th>Felder</th>" in html
    assert (
        "<td>Anna Alt</td><td>Telefon, E-Mail</td><td>Version von Server für diese Felder, "
        "alles Übrige zusammengeführt</td>" in html
    )
    assert "<td>Max Müller</td><td>–</td><td>Version von Server</td>" in html
    rows = list(csv.reader(io.StringIO(report_to_csv(report)), delimiter=";"))
    assert ["Konflikt", "Kunden <Büro>", "Max Müller", "Version von Server", ""] in rows
    assert [
        "Konflikt", "Kunden <Büro>", "Anna Alt", "Version von Server",
        "Felder: Telefon, E-Mail – alles Übrige zusammengeführt",
    ] in rows  # fmt: skip


def test_a_group_card_is_listed_as_a_group(qtbot: QtBot) -> None:
    dialog = ReportDialog(merged_report())
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(dialog.items_tab)
    assert dialog.items is not None
    assert dialog.items.shown_names() == ["Gruppe: Presse"]


def test_the_decided_fields_in_english(qtbot: QtBot, english: QTranslator) -> None:  # noqa: F811
    report = merged_report()
    dialog = ReportDialog(report)
    qtbot.addWidget(dialog)
    table = dialog.conflicts_table
    assert table.horizontalHeaderItem(2).text() == "Fields"
    assert _row(table, 1)[2:] == [
        "Phone, Email",
        "Version from Server for these fields, everything else merged (the other one is in "
        "the history)",
    ]
    html = report_to_html(report)
    assert "<th>Fields</th>" in html and "<td>Phone, Email</td>" in html
    assert "everything else merged" in html
    rows = list(csv.reader(io.StringIO(report_to_csv(report)), delimiter=";"))
    assert "Fields: Phone, Email – everything else merged" in [r[4] for r in rows]
    dialog.tabs.setCurrentIndex(dialog.items_tab)
    assert dialog.items is not None and dialog.items.shown_names() == ["Group: Presse"]
