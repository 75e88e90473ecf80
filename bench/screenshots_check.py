"""The screenshot of "Ausgewählte Ordner prüfen" with its list of single changes (issue 22):
a check of one book in the manual's example, a changed contact selected (its fields alt →
neu below the list). Called by bench/screenshots.py (German) and bench/screenshots_en.py
(English, English names; the fields' names are the core's and come translated)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.sync.details import FieldChange, ItemDetail
from app.sync.modes import Mode
from app.sync.report import BookReport, RunReport

_PEOPLE = {
    "de": ("Lieferanten", "Käthe Weiß", "Jörg Bäcker", "Özlem Yılmaz", "Bernd Krüger",
           "Ulrike Sommer", "Max Mustermann", "firma-weiss.de", "Kaiserstr. 12"),
    "en": ("Suppliers", "Kate White", "George Baker", "Olivia Young", "Ben Cruz",
           "Ursula Summer", "John Doe", "white-ltd.example", "12 King St"),
}  # fmt: skip


def check_report(language: str = "de") -> RunReport:
    book, kate, george, olivia, ben, ursula, john, domain, street = _PEOPLE[language]
    work, mobile = ("Arbeit", "Mobil") if language == "de" else ("Work", "Mobile")
    now = datetime.now(UTC).replace(tzinfo=None)
    b = BookReport(
        book=book, href="/dav/b/", local_book=book, mode="sync/server", server_count=214,
        local_count=213, added_local=2, updated_local=1, deleted_local=1, added_server=1,
        updated_server=1, conflicts=1, merged=1,
    )  # fmt: skip
    b.details = [
        ItemDetail("k1", kate, "contactbox", "changed", book, (
            FieldChange("Telefon", f"{work}: +49 30 1234567", f"{work}: +49 30 7654321"),
            FieldChange("E-Mail", "", f"{work}: k.white@{domain}"),
        )),
        ItemDetail("k2", george, "contactbox", "new", book),
        ItemDetail("k3", olivia, "contactbox", "new", book),
        ItemDetail("k4", ben, "contactbox", "deleted", book),
        ItemDetail("k5", ursula, "server", "changed", book, (
            FieldChange("Adresse", f"{work}: {street}; 10115 Berlin",
                        f"{work}: {street}; 20095 Hamburg"),
        )),
        ItemDetail("k6", john, "server", "new", book),
        ItemDetail("k7", "Anna Weber", "contactbox", "conflict", book, (
            FieldChange("Telefon", f"{mobile}: +49 171 111", f"{mobile}: +49 171 222"),
        )),
        ItemDetail("k8", "Paul Peters", "server", "merged", book, (
            FieldChange("Telefon", f"{work}: +49 40 555", f"{work}: +49 40 556"),
            FieldChange("E-Mail", "", f"{work}: p.peters@{domain}"),
        )),
    ]  # fmt: skip
    report = RunReport(account="Büro Nextcloud" if language == "de" else "Office Nextcloud",
                       kind="check", started=now - timedelta(seconds=2), books=[b])  # fmt: skip
    report.finish(now)
    return report


def render_check(app: QApplication, path: Path, language: str = "de") -> None:
    from bench.screenshots import save
    from ui.check_dialog import CheckDialog
    from ui.item_list import NAME

    dialog = CheckDialog(check_report(language), Mode.parse("sync", "server"))
    dialog.resize(1000, 640)
    dialog.items.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    names = dialog.items.shown_names()
    dialog.items.select_row(names.index(_PEOPLE[language][1]))  # the changed contact
    save(app, dialog, path)
