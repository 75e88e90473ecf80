"""Render the contact screens for docs/screenshots/ from a throw-away database.

    python -m bench.screenshots [--out docs/screenshots] [--language de|en]

Renders offscreen (no display needed): the Kontakte page in the main window, deleting one
contact (with "Rückgängig"), the contact editor, the history dialog, Termine/Wiedervorlagen
of a contact, the due follow-ups panel, the "delete address book" dialog, a .vcf import
report, the Datensicherung dialog, "Die Datenbank ist beschädigt", the "no password store"
choice, a "Neu anlegen" that waits for a start by hand (sync page, report), the editor's
"Gruppen" field and the account dialog. `--language en` renders the English pass instead
(bench/screenshots_en.py: main window, Kontakte with groups, a report; default out
docs/screenshots/en). Run it after changing one of these screens and look at the pictures
before committing them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent


def portrait() -> QImage:
    """A simple drawn portrait for the example photo."""
    img = QImage(400, 400, QImage.Format.Format_RGB32)
    p = QPainter(img)
    g = QLinearGradient(QPointF(0, 0), QPointF(0, 400))
    g.setColorAt(0, QColor("#8fb3de"))
    g.setColorAt(1, QColor("#3d6499"))
    p.fillRect(0, 0, 400, 400, g)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#f1d2b6"))
    p.drawEllipse(QRectF(130, 80, 140, 170))
    p.setBrush(QColor("#4a3426"))
    p.drawChord(QRectF(125, 70, 150, 120), 0, 180 * 16)
    p.setBrush(QColor("#2f3e56"))
    p.drawEllipse(QRectF(60, 260, 280, 260))
    p.end()
    return img


def save(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(10):
        app.processEvents()
    widget.grab().save(str(path))
    print(path)


def history_card(title: str, phone2: str = "", note: str = "", extra: str = "",
                 email: str = "h.mueller@beispiel.de") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "UID:SHOT-HANS", "FN:Hans Müller", "N:Müller;Hans;;;",
             "ORG:Beispiel GmbH;Vertrieb", f"TITLE:{title}", f"EMAIL;TYPE=WORK:{email}",
             "EMAIL;TYPE=HOME:hans@privat.de", "TEL;TYPE=CELL:+49 171 1234567"]
    if phone2:
        lines.append(f"TEL;TYPE=WORK:{phone2}")
    lines += ["ADR;TYPE=WORK:;;Hauptstr. 1;Berlin;;10115;Deutschland", "BDAY:1975-04-12"]
    if note:
        lines.append(f"NOTE:{note}")
    if extra:
        lines.append(extra)
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def render(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(QFont("DejaVu Sans", 9))
    out.mkdir(parents=True, exist_ok=True)
    from ui.app import install_translations

    install_translations(app, "de")  # Qt's own buttons in German, as in the app

    from app import vcard
    from app.store import agenda
    from app.store.books import create_book
    from app.store.contacts import (
        add_contact,
        delete_contact,
        ensure_book,
        get_book,
        page_contacts,
        update_contact,
    )
    from app.store.db import open_database
    from app.store.models import Account, Binding
    from app.store.vcf import ImportReport
    from bench.cards import generate_cards
    from ui.agenda_widgets import ContactAgendaWidget, DueFollowUpsPanel
    from ui.book_dialogs import DeleteBookDialog
    from ui.contact_editor import ContactEditorDialog, image_to_jpeg
    from ui.history_dialog import HistoryDialog
    from ui.main_window import CONTACTS_PAGE, MainWindow
    from ui.vcf_dialogs import ImportReportDialog

    db_path = Path(tempfile.mkdtemp(prefix="contactbox-shots-")) / "contactbox.sqlite3"
    open_database(db_path)
    std = get_book("Standard")
    for _uid, text in generate_cards(120, seed=3, photo_ratio=0.02):
        add_contact(std, text)
    kunden = ensure_book("Kunden")
    for i, (_uid, text) in enumerate(generate_cards(40, seed=9, photo_ratio=0)):
        c = add_contact(kunden, text)
        if i < 3:
            delete_contact(c)
    create_book("Bewerber")
    office = Account.create(label="Büro Nextcloud", username="anna", server="cloud.example.de")
    Binding.create(account=office, remote_href="/dav/kunden/", remote_name="Kunden",
                   book=kunden, operation="sync", option="contactbox")
    Binding.create(account=office, remote_href="/dav/kontakte/", remote_name="Kontakte",
                   book=std, operation="import", option="update")

    rows = page_contacts(std, limit=10)
    today = datetime.now().date()

    def at(days: int, hour: int = 0, minute: int = 0) -> datetime:
        return agenda.local_to_utc(datetime.combine(today + timedelta(days=days),
                                                    time(hour, minute)))

    person = rows[1].id
    agenda.add_appointment(person, "Beratungsgespräch", at(2, 10), at(2, 11, 30),
                           location="Büro Köln", notes="Unterlagen mitbringen")
    agenda.add_appointment(person, "Messe Hannover",
                           datetime.combine(today + timedelta(days=9), time()),
                           datetime.combine(today + timedelta(days=11), time()), all_day=True)
    agenda.add_appointment(person, "Erstgespräch", at(-14, 9), at(-14, 10))
    agenda.add_followup(person, "Angebot nachfassen", at(0))
    agenda.add_followup(person, "Rückruf wegen Vertrag", at(5, 14))
    done = agenda.add_followup(person, "Unterlagen zusenden", at(-7))
    agenda.complete_followup(done)
    agenda.add_followup(rows[2].id, "Termin bestätigen", at(-2))
    agenda.add_followup(rows[5].id, "Rückruf wegen Vertrag", at(0, 9, 30))

    window = MainWindow()
    window.resize(1280, 780)
    window.show_page(CONTACTS_PAGE)
    window.show()
    window.contacts_page.select_contact(person)
    save(app, window, out / "contacts.png")
    window.contacts_page.delete_selected()  # one contact: at once, with "Rückgängig"
    save(app, window, out / "contacts-undo.png")
    window.contacts_page.undo_bar.undo()
    render_groups(app, out, window, kunden)

    fields = vcard.ContactFields(
        prefix="Dr.", given="Sabine", family="Hoffmann", org="Beispiel GmbH;Vertrieb",
        title="Leiterin Vertrieb",
        emails=[("work", "s.hoffmann@beispiel.de"), ("home", "sabine.hoffmann@web.de")],
        phones=[("work", "+49 89 123456-12"), ("cell", "+49 171 2345678"),
                ("fax,work", "+49 89 123456-99")],
        addresses=[("work", vcard.Address(street="Leopoldstraße 12", city="München",
                                          region="Bayern", postal_code="80802",
                                          country="Deutschland"))],
        birthday="1975-09-03", categories=["Kunde", "VIP"], url="https://www.beispiel.de",
        note="Bevorzugt Termine am Vormittag.",
    )
    text = vcard.set_photo(vcard.new_card(fields, uid="SHOT-1"), image_to_jpeg(portrait()))
    editor = ContactEditorDialog(text)
    editor.resize(780, 640)
    save(app, editor, out / "contact-editor.png")

    hans = add_contact(std, history_card("Einkäufer"))
    update_contact(hans, history_card("Teamleiter Einkauf", phone2="+49 30 1234-0"))
    update_contact(hans, history_card("Teamleiter Einkauf", phone2="+49 30 1234-0",
                                      note="Rückruf bis Freitag", extra="X-SKYPE:hans.mueller"),
                   reason="server-update", note="Vom Server „Büro Nextcloud“")
    update_contact(hans, history_card("Leiter Einkauf", phone2="+49 30 1234-55",
                                      note="Rückruf bis Freitag", extra="X-SKYPE:hans.mueller",
                                      email="hans.mueller@beispiel.de"),
                   reason="conflict", note="Konflikt beim Abgleich: Contactbox-Fassung übernommen")
    history = HistoryDialog(hans.id)
    history.resize(980, 560)
    save(app, history, out / "history.png")

    agenda_widget = ContactAgendaWidget()
    agenda_widget.set_contact(person)
    agenda_widget.resize(460, 440)
    save(app, agenda_widget, out / "agenda.png")
    due = DueFollowUpsPanel()
    due.resize(460, 200)
    save(app, due, out / "due-followups.png")

    delete = DeleteBookDialog("Kunden")
    save(app, delete, out / "delete-book.png")
    report = ImportReport(
        cards_read=214, added=187, duplicates_skipped=19, updated=0, unchanged=0,
        skipped_trashed=2,
        errors=[
            "Outlook-Export.vcf: Karte 58 („Müller GmbH“): Der Kontakt ist keine lesbare "
            "vCard (BEGIN:VCARD … END:VCARD fehlt).",
        ],
        notes=[
            "Outlook-Export.vcf: Karte 12 („Jörg Weber“): ein Kontakt mit dieser UID liegt im "
            "Papierkorb oder wurde gelöscht; er wird nicht erneut importiert.",
        ],
    )
    save(app, ImportReportDialog(report, "Kunden"), out / "vcf-import-report.png")

    # Datensicherung (issue 9): a manual backup and one before "Neu anlegen".
    from app.store.backups import BEFORE_RECREATE, MANUAL, backup_database
    from ui.account_dialog import PasswordStoreDialog
    from ui.backup_dialog import BackupDialog, DamagedDatabaseDialog

    backup_database(db_path, BEFORE_RECREATE)
    backup_database(db_path, MANUAL)
    backups = BackupDialog(path=db_path)
    backups.resize(760, 420)
    save(app, backups, out / "backups.png")
    damaged = DamagedDatabaseDialog(db_path, "file is not a database")
    save(app, damaged, out / "damaged-database.png")
    save(app, PasswordStoreDialog(), out / "no-password-store.png")

    # A run finds no password (not saved, program restarted): it asks and runs again.
    from ui.password_prompt import MISSING, PasswordPrompt

    prompt = PasswordPrompt("Büro", "m.schmidt", MISSING, storable=True)
    prompt.password_edit.setText("geheim-123")
    save(app, prompt, out / "password-prompt.png")

    render_recreate_waiting(app, out, office, std)
    render_reports(app, out)
    from bench.screenshots_check import render_check

    render_check(app, out / "check-dialog.png")
    render_editor_groups(app, out)


def render_groups(app: QApplication, out: Path, window: QWidget, kunden: object) -> None:
    """Issue 19: the groups under each address book with their member counts; a group is
    selected (the table shows its members) and contacts were just dropped onto another."""
    from PySide6.QtWidgets import QAbstractItemView

    from app.store import groups
    from app.store.contacts import AddressBook, page_contacts
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow) and isinstance(kunden, AddressBook)
    people = [c.id for c in page_contacts(kunden, limit=40)]
    # The generated cards bring categories (Presse, VIP, …); two groups more.
    groups.create_group(kunden, "Kunden Nord", people[0:14])
    groups.create_group(kunden, "Bewerber_innen 2026", people[30:33])
    page = window.contacts_page
    page.refresh()
    page.select_group("Kunden", "Presse")
    page.table.selectRow(1)
    moved = page.model.mimeData(page.table.selectionModel().selectedRows())
    page.drop_on_group("Kunden", "Kunden Nord", moved)
    standard = page.book_item("Standard")
    if standard is not None:
        standard.setExpanded(False)  # its many categories would push "Kunden" down
    window.resize(1280, 860)
    book = page.book_item("Kunden")
    if book is not None:
        page.book_list.scrollToItem(book, QAbstractItemView.ScrollHint.PositionAtTop)
    save(app, window, out / "contacts-groups.png")
    window.resize(1280, 780)
    page.undo_bar.dismiss()
    standard = page.book_item("Standard")  # (the tree was built again meanwhile)
    if standard is not None:
        standard.setExpanded(True)


def render_recreate_waiting(app: QApplication, out: Path, office: object, std: object) -> None:
    """ "Neu anlegen" never runs in the background (issue 15): the sync page says that the
    binding waits for a start by hand, and the background run's report names the book."""
    from datetime import UTC

    from app.store.contacts import ensure_book
    from app.store.models import Binding
    from app.sync.jobs import MANUAL_ONLY_DE
    from app.sync.report import BookReport, RunReport
    from ui.main_window import SYNC_PAGE, MainWindow
    from ui.report_dialog import ReportDialog

    now = datetime.now(UTC).replace(tzinfo=None)
    Binding.update(last_sync=now - timedelta(minutes=4), last_status="ok").execute()
    Binding.create(account=office, remote_href="/dav/lieferanten/", remote_name="Lieferanten",
                   book=ensure_book("Lieferanten"), operation="sync", option="recreate",
                   last_sync=now - timedelta(days=2), last_status="ok")
    window = MainWindow()
    window.resize(1180, 620)
    window.show_page(SYNC_PAGE)
    save(app, window, out / "sync-recreate-waiting.png")

    report = RunReport(account="Büro Nextcloud", kind="run", started=now - timedelta(seconds=3))
    report.books = [
        BookReport(book="Kunden", href="/dav/kunden/", local_book="Kunden",
                   mode="sync/contactbox", server_count=37, local_count=37, unchanged=True),
        BookReport(book="Lieferanten", href="/dav/lieferanten/", local_book="Lieferanten",
                   mode="sync/recreate", not_started=MANUAL_ONLY_DE),
    ]
    report.finish(now)
    dialog = ReportDialog(report)
    dialog.resize(900, 520)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # "Hinweise"
    save(app, dialog, out / "report-recreate-skipped.png")


def render_reports(app: QApplication, out: Path) -> None:
    """Issue 17: a calendar run's report speaks of calendars and appointments
    ("Synchronisationsbericht"), and a card the server refused is told in the server's own
    words, the local card untouched."""
    from datetime import UTC

    from app.sync.report import CALENDAR, BookReport, ConflictNote, ItemError, RunReport
    from ui.report_dialog import ReportDialog

    now = datetime.now(UTC).replace(tzinfo=None)
    calendar = RunReport(account="Büro Kalender", kind="run", started=now - timedelta(seconds=2),
                         collection=CALENDAR)
    calendar.books = [
        BookReport(book="Team", href="/dav/team/", local_book="Termine von Anna Weber",
                   mode="sync/server", server_count=118, local_count=118, added_local=3,
                   updated_server=1, conflicts=1, collection=CALENDAR,
                   conflict_notes=[ConflictNote("Jour fixe Vertrieb", "jf-1", "server")]),
    ]
    calendar.finish(now)
    dialog = ReportDialog(calendar)
    dialog.resize(900, 520)
    save(app, dialog, out / "calendar-report.png")

    refused = RunReport(account="Büro Nextcloud", kind="run", started=now - timedelta(seconds=3))
    message = (
        "Der Server hat den Kontakt „Käthe Weiß“ abgelehnt: ungültige vCard. Meldung des "
        "Servers: „Validation error in vCard: N MUST NOT appear more than once in a VCARD "
        "component“. Der Kontakt bleibt in Contactbox unverändert und wird beim nächsten "
        "Abgleich erneut hochgeladen. Damit der Server ihn annimmt, korrigieren Sie ihn bitte "
        "in Contactbox (siehe die Meldung des Servers)."
    )
    refused.books = [
        BookReport(book="Kunden", href="/dav/kunden/", local_book="Kunden",
                   mode="sync/server", server_count=412, local_count=413, added_server=4,
                   errors=[ItemError("Käthe Weiß", "kw-1", "kw-1.vcf", "add_server", message,
                                     "HTTP 415")]),
    ]
    refused.finish(now)
    dialog = ReportDialog(refused)
    dialog.resize(900, 520)
    for index in range(dialog.tabs.count()):
        if dialog.tabs.tabText(index).startswith("Fehler"):
            dialog.tabs.setCurrentIndex(index)
    save(app, dialog, out / "report-server-words.png")


def render_editor_groups(app: QApplication, out: Path) -> None:
    """Issue 19: the editor's "Gruppen" field — the book's groups ticked for the contact,
    a search line above the list once a book has many groups."""
    from app import vcard
    from app.store import groups
    from app.store.contacts import add_contact, ensure_book
    from ui.contact_editor import ContactEditorDialog

    book = ensure_book("Vertrieb")
    fields = vcard.ContactFields(
        given="Jonas", family="Brandt", org="Brandt & Söhne KG", title="Geschäftsführer",
        emails=[("work", "j.brandt@brandt-soehne.de")], phones=[("work", "+49 40 889900-0")],
        note="Messekontakt Hamburg 2026.",
    )
    jonas = add_contact(book, vcard.new_card(fields, uid="SHOT-GROUPS"))
    names = ["Bewerber_innen", "Händler Süd", "Kunden Nord", "Kunden Süd", "Lieferanten",
             "Messe 2026", "Newsletter", "Presse", "Partner", "Vorstand", "Weihnachtskarten"]
    for name in names:
        members = [jonas.id] if name in ("Kunden Nord", "Messe 2026", "Weihnachtskarten") else []
        groups.create_group(book, name, members)
    editor = ContactEditorDialog(jonas.vcard, book="Vertrieb", contact_id=jonas.id)
    editor.resize(780, 640)
    editor.show()
    for _ in range(10):
        app.processEvents()
    assert editor.groups_field is not None
    editor.scroll_area.verticalScrollBar().setValue(editor.scroll_area.verticalScrollBar().maximum())
    editor.groups_field.list.setFocus()
    save(app, editor, out / "contact-editor-groups.png")

    # The account dialog with "Gruppen schreiben als" (Kerio: group vCards), as after a
    # successful check (the answer a real check gives, without a server here).
    from app.dav.discovery import ConnectionResult
    from ui.account_dialog import AccountDialog

    account = AccountDialog()
    account.label_edit.setText("Büro Kerio")
    account.username_edit.setText("alice")
    account.password_edit.setText("geheim-123456")
    account.preset_combo.setCurrentIndex(account.preset_combo.findData("kerio"))
    account.server_edit.setText("mail.example.de")
    account._timer.stop()
    result: ConnectionResult[object] = ConnectionResult(
        ok=True, message="Verbindung erfolgreich: 3 Adressbücher gefunden."
    )
    account._on_check_done(account._generation, result)
    save(app, account, out / "account-dialog.png")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots")
    parser.add_argument("--out", default=None)
    parser.add_argument("--language", choices=("de", "en"), default="de")
    args = parser.parse_args(argv)
    if args.language == "en":
        from bench.screenshots_en import render_english

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setFont(QFont("DejaVu Sans", 9))
        render_english(app, Path(args.out or ROOT / "docs" / "screenshots" / "en"))
        return 0
    render(Path(args.out or ROOT / "docs" / "screenshots"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
