"""The store announces its committed changes (app/store/changes.py): triggers count them
per scope, ChangeWatcher tells which scopes moved — also for writes of another process."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from app.accounts import add_account
from app.store import agenda, changes, users
from app.store import contacts as cs
from app.store.changes import Changes, ChangeWatcher
from app.store.db import MIGRATIONS, close_database, open_database, schema_version
from app.store.models import Binding, Contact, RunReport

REPO = Path(__file__).resolve().parents[2]


def card(uid: str, name: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n"


def test_each_kind_of_change_is_told_once_under_its_scope(store: Path) -> None:
    watcher = ChangeWatcher(store)
    assert not watcher.poll()  # the first look only takes stock
    assert not watcher.poll()

    standard = cs.get_book("Standard")
    contact = cs.add_contact(standard, card("u1", "Anna Alt"))
    found = watcher.poll()
    assert found.scopes == {f"contacts:{standard.id}"}
    assert found.contact_books == {standard.id}
    assert found.touches_contacts(standard.id) and not found.touches_contacts(standard.id + 1)
    assert not found.touches(changes.ACCOUNTS)
    assert not watcher.poll()  # told once

    other = cs.ensure_book("Kunden")
    assert watcher.poll().scopes == {changes.BOOKS}
    cs.update_contact(contact, card("u1", "Anna Neu"))
    assert watcher.poll().scopes == {f"contacts:{standard.id}"}
    cs.delete_contact(cs.get_contact(contact.id))  # to the trash: an update of the row
    assert watcher.poll().scopes == {f"contacts:{standard.id}"}
    moved = cs.add_contact(other, card("u2", "Bert"))
    assert watcher.poll().contact_books == {other.id}
    Contact.update(book=standard).where(Contact.id == moved.id).execute()
    assert watcher.poll().contact_books == {other.id, standard.id}  # both lists changed

    account = add_account("Büro", server="https://dav.example", username="eva", password="x")
    assert watcher.poll().scopes == {changes.ACCOUNTS}
    binding = Binding.create(
        account=account, remote_href="/eva/kunden/", book=other, operation="sync"
    )
    assert watcher.poll().scopes == {changes.BINDINGS}
    Binding.update(last_status="ok").where(Binding.id == binding.id).execute()
    assert watcher.poll().scopes == {changes.BINDINGS}
    RunReport.create(account=account, status="ok", data="{}")
    assert watcher.poll().scopes == {changes.REPORTS}
    users.add_user("Zweite Person")
    assert watcher.poll().scopes == {changes.USERS}
    start = datetime(2026, 12, 7, 9, 0)
    agenda.add_appointment(None, "Termin", start, start + timedelta(hours=1))
    assert watcher.poll().scopes == {changes.APPOINTMENTS}
    agenda.add_followup(contact.id, "Anrufen", start)
    assert watcher.poll().scopes == {changes.FOLLOWUPS}
    Contact.update(vcard=Contact.vcard).execute()  # every row, both now in Standard
    assert watcher.poll().scopes == {f"contacts:{standard.id}"}


def test_a_write_of_another_process_is_seen(store: Path) -> None:
    watcher = ChangeWatcher(store)
    watcher.poll()
    script = (
        "import sys; from pathlib import Path\n"
        "from app.store.db import open_database\n"
        "from app.store import contacts as cs\n"
        "open_database(Path(sys.argv[1]))\n"
        "cs.add_contact(cs.ensure_book('Kunden'), "
        "'BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nUID:p1\\r\\nFN:Peter\\r\\nEND:VCARD\\r\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(store)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = watcher.poll()
    kunden = cs.get_book("Kunden")
    assert changes.BOOKS in found.scopes and found.contact_books == {kunden.id}


def test_a_lost_file_is_retried_and_then_everything_is_told(store: Path, tmp_path: Path) -> None:
    missing = ChangeWatcher(tmp_path / "nothing-here.sqlite3")
    assert not missing.poll()  # no error, nothing to tell
    watcher = ChangeWatcher(store)
    watcher.poll()
    watcher.reset()  # e.g. a backup was restored over the file
    found = watcher.poll()
    assert found.everything and found.touches(changes.REPORTS) and found.touches_contacts(7)
    assert not watcher.poll()


def test_migration_to_v6_installs_the_counters(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    step = next(i for i, m in enumerate(MIGRATIONS) if m.__name__ == "_announce_changes_v6")
    for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'announce_%'"
    ).fetchall():
        db.execute_sql(f'DROP TRIGGER "{name}"')
    db.execute_sql("DROP TABLE store_change")  # as a v5 file has it
    db.execute_sql(f"UPDATE meta_entry SET value = '{step}' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert schema_version(db) == len(MIGRATIONS)
        triggers = db.execute_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'announce_%'"
        ).fetchone()[0]
        assert triggers == 3 * 10  # nine tables and empty_group (v8)
        watcher = ChangeWatcher(path)
        watcher.poll()
        cs.add_contact(cs.get_book("Standard"), card("m1", "Migriert"))
        assert watcher.poll().touches_contacts(cs.get_book("Standard").id)
        MIGRATIONS[step](db)  # idempotent
    finally:
        close_database()


def test_changes_is_falsy_when_empty() -> None:
    assert not Changes()
    assert Changes(frozenset({"x"}))
    assert Changes(everything=True).touches_contacts()
