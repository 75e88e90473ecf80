"""The English pass of bench/screenshots.py (issue 20): a few key screens of the window
in English, into docs/screenshots/en/.

    python -m bench.screenshots --language en [--out docs/screenshots/en]

The language is set as `contactbox --language en` sets it (ui/app.install_translations:
the window's translation, the core's catalogue, QLocale's dates and numbers), over a
throw-away database with English-speaking example data: the main window's
Adressbuch-Synchronisierung page, the Kontakte page with its group tree and a group
selected, and an import report with conflicts, an error and notes. Look at the pictures
before committing them.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

PEOPLE = [
    ("Olivia", "Bennett", "Northwind Traders", "Press"),
    ("Liam", "Carter", "Contoso Ltd", "Customers East"),
    ("Emma", "Davies", "Fabrikam Inc", "Customers East"),
    ("Noah", "Edwards", "Adventure Works", "Press"),
    ("Ava", "Foster", "Northwind Traders", "Customers East"),
    ("Lucas", "Gray", "Tailspin Toys", ""),
    ("Mia", "Hughes", "Wide World Importers", "Press"),
    ("Ethan", "Irving", "Contoso Ltd", ""),
    ("Sophia", "Jenkins", "Fabrikam Inc", "Customers West"),
    ("Mason", "Kelly", "Litware Inc", "Customers West"),
    ("Isabella", "Lewis", "Proseware", ""),
    ("James", "Morgan", "Adventure Works", "Customers West"),
    ("Charlotte", "Nash", "Tailspin Toys", ""),
    ("Benjamin", "Owens", "Wide World Importers", "Customers East"),
    ("Amelia", "Parker", "Northwind Traders", ""),
    ("Henry", "Quinn", "Litware Inc", "Press"),
    ("Harper", "Reed", "Proseware", ""),
    ("Jack", "Stone", "Contoso Ltd", "Customers West"),
]


def card(i: int, given: str, family: str, org: str, category: str) -> str:
    lines = [
        "BEGIN:VCARD", "VERSION:3.0", f"UID:shot-en-{i}", f"FN:{given} {family}",
        f"N:{family};{given};;;", f"ORG:{org}",
        f"EMAIL;TYPE=WORK:{given.lower()}.{family.lower()}@example.com",
        f"TEL;TYPE=WORK:+1 555 01{i:02d}",
    ]  # fmt: skip
    if category:
        lines.append(f"CATEGORIES:{category}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def render_english(app: QApplication, out: Path) -> None:
    from bench.screenshots import save
    from ui.app import install_translations

    install_translations(app, "en")
    out.mkdir(parents=True, exist_ok=True)

    from app.store import groups
    from app.store.contacts import add_contact, ensure_book, get_book
    from app.store.db import open_database
    from app.store.models import Account, Binding
    from app.sync.report import BookReport, ConflictNote, ItemError, RunReport
    from ui.main_window import CONTACTS_PAGE, SYNC_PAGE, MainWindow
    from ui.report_dialog import ReportDialog

    open_database(Path(tempfile.mkdtemp(prefix="contactbox-shots-en-")) / "contactbox.sqlite3")
    customers = ensure_book("Customers")
    ids = [add_contact(customers, card(i, *p)).id for i, p in enumerate(PEOPLE)]
    groups.create_group(customers, "Newsletter", ids[:6])
    applicants = ensure_book("Applicants")
    for i, p in enumerate(PEOPLE[:4]):
        add_contact(applicants, card(100 + i, *p))
    now = datetime.now(UTC).replace(tzinfo=None)
    office = Account.create(label="Office Nextcloud", username="anna", server="cloud.example.com")
    Binding.create(account=office, remote_href="/dav/customers/", remote_name="Customers",
                   book=customers, operation="sync", option="contactbox",
                   last_sync=now - timedelta(minutes=4), last_status="ok")  # fmt: skip
    Binding.create(account=office, remote_href="/dav/contacts/", remote_name="Contacts",
                   book=get_book("Standard"), operation="import", option="update",
                   last_sync=now - timedelta(days=2), last_status="ok")  # fmt: skip

    window = MainWindow(language="en", keep_window_state=False)
    window.resize(1180, 620)
    window.show_page(SYNC_PAGE)
    save(app, window, out / "main-window.png")

    window.resize(1280, 780)
    window.show_page(CONTACTS_PAGE)
    page = window.contacts_page
    page.refresh()
    page.select_group("Customers", "Press")
    page.table.selectRow(0)
    save(app, window, out / "contacts-groups.png")

    report = RunReport(account="Office Nextcloud", kind="run", started=now - timedelta(seconds=3))
    report.books = [
        BookReport(
            book="Customers", href="/dav/customers/", local_book="Customers",
            mode="sync/contactbox", server_count=18, local_count=18, added_local=2,
            updated_server=3, conflicts=1,
            conflict_notes=[ConflictNote("Liam Carter", "shot-en-1", "contactbox")],
            errors=[ItemError("Jack Stone", "shot-en-17", "js.vcf", "add_server",
                              "HTTP 415 Unsupported Media Type", "HTTP 415")],
        ),
        BookReport(book="Contacts", href="/dav/contacts/", local_book="Standard",
                   mode="import/update", server_count=40, local_count=40, unchanged=True),
    ]  # fmt: skip
    report.finish(now)
    dialog = ReportDialog(report)
    dialog.resize(900, 520)
    save(app, dialog, out / "import-report.png")

    from bench.screenshots_check import render_check

    render_check(app, out / "check-dialog.png", "en")
