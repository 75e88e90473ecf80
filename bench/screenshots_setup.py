"""Render the setup dialog "Import / Synchronisation einrichten" against a throw-away Radicale.

    python -m bench.screenshots_setup [--out docs/screenshots] [--operation sync|oneway|import]

setup-dialog.png at the dialog's default size: four server books, one with a long name, one
bound and switched off ("deaktiviert"), one bound with Synchronisation · Server; and
setup-read-only.png: a book the account may only read (a Radicale with a rights file, as in
tests/servers/test_read_only.py), chosen for Synchronisation. Offscreen, temporary databases
and a memory keyring backend. Look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from bench.screenshots_users import save, settle
from tests.conftest import MemoryKeyring
from tests.servers.dav_servers import DavServer, start_radicale

ROOT = Path(__file__).resolve().parent.parent
LONG_NAME = "Gemeinsamer Kalender der Geschäftsleitung (Vertretung)"


def vc(uid: str, fn: str) -> str:
    given, _, family = fn.partition(" ")
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{family};{given};;;\r\n"
        "END:VCARD\r\n"
    )


def seed(server: DavServer, name: str, count: int) -> None:
    url = server.make_book(display_name=name)
    cards = {f"c{i:03d}.vcf": vc(f"{name}-{i}", f"Person{i} Muster{i}") for i in range(count)}
    server.put_cards(url, cards, display_name=name)


def render(out: Path, operation: str = "sync") -> None:
    from app.accounts import add_account
    from app.store.db import close_database, open_database
    from app.sync.jobs import AccountJob, bind_book, book_overview, set_binding_enabled
    from app.sync.modes import Mode
    from ui.setup_dialog import SetupDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(QFont("DejaVu Sans", 9))
    from ui.app import install_translations

    install_translations(app, "de")  # German numerus forms and Qt's own texts, as in the app
    keyring.set_keyring(MemoryKeyring())
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, start_radicale(Path(tmp)) as server:
        open_database(Path(tmp) / "contactbox.sqlite3")
        for name, count in (("Kontakte", 48), ("Lieferanten", 60), (LONG_NAME, 23),
                            ("Bewerber_innen", 12)):  # fmt: skip
            seed(server, name, count)
        account = add_account(
            "Büro Radicale", server=server.root_url, username=server.user,
            password=server.password,
        )  # fmt: skip
        remotes = {ov.remote.display_name: ov.remote for ov in book_overview(account)}
        suppliers = bind_book(account, remotes["Lieferanten"], Mode.parse("sync", "server"))
        board = bind_book(account, remotes[LONG_NAME], Mode.parse("import", "update"))
        AccountJob(account, [suppliers, board]).run()
        set_binding_enabled(int(board.id), False)

        dialog = SetupDialog(int(account.id))
        settle(app, lambda: bool(dialog.overviews))
        dialog.set_checked("Kontakte")
        dialog.set_checked("Lieferanten")
        dialog.set_mode(Mode.parse(operation, "server" if operation == "sync" else ""))
        save(app, dialog, out / "setup-dialog.png")
        dialog.close()
        settle(app)
        close_database()
    render_read_only(app, out)


def render_read_only(app: QApplication, out: Path) -> None:
    from dataclasses import replace

    from app.accounts import add_account
    from app.store.db import close_database, open_database
    from app.sync.modes import Mode
    from tests.servers import test_read_only as rights
    from ui.setup_dialog import SetupDialog

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "radicale"
        folder.mkdir()
        users = {rights.FILLER: rights.FILLER_PASSWORD}
        with start_radicale(folder, rights=rights.RIGHTS, more_users=users) as server:
            open_database(Path(tmp) / "contactbox.sqlite3")
            filler = replace(server, user=rights.FILLER, password=rights.FILLER_PASSWORD)
            filler.make_book("nur-lesen-firma", display_name="Firmenadressbuch")
            filler.make_book("eigen-kontakte", display_name="Kontakte")
            account = add_account(
                "Nextcloud Büro", server=server.root_url, username=server.user,
                password=server.password,
            )  # fmt: skip
            dialog = SetupDialog(int(account.id))
            settle(app, lambda: bool(dialog.overviews))
            dialog.set_mode(Mode.parse("sync", "server"))
            dialog.set_checked("Firmenadressbuch")
            save(app, dialog, out / "setup-read-only.png")
            dialog.close()
            settle(app)
            close_database()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--operation", default="sync", choices=("sync", "oneway", "import"))
    args = parser.parse_args(argv)
    render(args.out, args.operation)


if __name__ == "__main__":
    main()
