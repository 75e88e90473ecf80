"""A "Neu anlegen" run backs the database up first; the backup restores the state before.

Against a real Radicale, through the `contactbox-sync` CLI, with a real SQLite file.
"""

from __future__ import annotations

import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.store import backups as bk
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Binding
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_runner
from tests.servers.dav_servers import DavServer


def run_cli(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, Any]:
    return cli_runner(home, capsys)(*args)


def local_state(path: Path, book: str) -> dict[str, tuple[str, str | None]]:
    """UID -> (vCard, deleted_at) of every contact of `book`, read straight from the file."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT c.uid, c.vcard, c.deleted_at FROM contact c "
            "JOIN address_book b ON b.id = c.book_id WHERE b.name = ?",
            (book,),
        ).fetchall()
    finally:
        con.close()
    return {uid: (text, deleted) for uid, text, deleted in rows}


def test_recreate_run_leaves_a_backup_that_restores_the_state_before(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    path = home / "contactbox.sqlite3"
    name = f"Kontakte {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    for i in range(5):
        radicale_server.put_card(
            book_url, f"c{i}.vcf", simple_card(f"uid-{i}", f"Person {i}", f"p{i}@example.de")
        )
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    code, out = run_cli(
        capsys,
        home,
        "account", "add", "Test", "--url", radicale_server.root_url,
        "--user", radicale_server.user,
    )  # fmt: skip
    assert code == 0, out
    code, out = run_cli(
        capsys, home, "run", "Test", "--book", name, "--mode", "sync", "--option", "server",
        "--json",
    )  # fmt: skip
    assert code == 0, out
    # Local work the server does not have: an edit, a contact only in Contactbox.
    code, out = run_cli(
        capsys, home, "contacts", "edit", "uid-1", "--book", name, "--org", "Nur lokal GmbH"
    )
    assert code == 0, out
    code, out = run_cli(capsys, home, "contacts", "add", "--book", name, "--fn", "Lokal Liese")
    assert code == 0, out
    close_database()
    before = local_state(path, name)
    assert len(before) == 6 and "Nur lokal GmbH" in before["uid-1"][0]

    code, report = run_cli(
        capsys, home, "run", "Test", "--book", name, "--mode", "sync", "--option", "recreate",
        "--json",
    )  # fmt: skip
    assert code == 0, report
    [book] = report["books"]
    [note] = [n for n in book["notes"] if "gesichert" in n]
    [backup] = [b for b in bk.list_backups(path) if b.reason == bk.BEFORE_RECREATE]
    assert backup.path.name in note  # the report names the file
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    close_database()
    after = local_state(path, name)
    live_after = {uid for uid, (_t, deleted) in after.items() if deleted is None}
    assert live_after == {f"uid-{i}" for i in range(5)}  # re-imported from the server …
    assert all("Nur lokal GmbH" not in t for t, d in after.values() if d is None)  # … wiped

    code, out = run_cli(capsys, home, "backup", "restore", backup.path.name, "--json")
    assert code == 0, out
    assert out["restored_from"] == backup.path.name and out["safety_backup"]
    # The backup was made before the run saved "Neu anlegen": it holds the binding as it
    # was set up before (sync · server), so there is nothing to stop.
    assert out["recreate_stopped"] == []
    close_database()
    assert local_state(path, name) == before  # every contact, edit and text as before

    # The restored binding does not wipe again: the next run is an ordinary two-way run.
    open_database(path)
    [binding] = Binding.select()
    assert (binding.operation, binding.option) == ("sync", "server")
    close_database()
    code, report = run_cli(capsys, home, "sync", "Test", "--json")
    assert code == 0, report
    close_database()
    final = local_state(path, name)
    assert {uid for uid, (_t, d) in final.items() if d is None} == set(before)
    assert "Nur lokal GmbH" in final["uid-1"][0]
    server_uids = {
        line.split(":", 1)[1].strip()
        for text in radicale_server.list_cards(book_url).values()
        for line in text.splitlines()
        if line.startswith("UID:")
    }
    assert len(server_uids) == 6  # Lokal Liese went up; nothing lost, nothing doubled


def test_no_backup_no_wipe(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """If the backup cannot be written, "Neu anlegen" does not run (a guard, not a warning)."""
    home = tmp_path / "home"
    path = home / "contactbox.sqlite3"
    name = f"Kontakte {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    radicale_server.put_card(book_url, "a.vcf", simple_card("uid-a", "Anna", "a@example.de"))
    monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
    code, out = run_cli(
        capsys,
        home,
        "account", "add", "Test", "--url", radicale_server.root_url,
        "--user", radicale_server.user,
    )  # fmt: skip
    assert code == 0, out
    code, out = run_cli(
        capsys, home, "run", "Test", "--book", name, "--mode", "import", "--option", "add",
        "--json",
    )  # fmt: skip
    assert code == 0, out
    close_database()
    before = local_state(path, name)

    def full_disk(*_args: object, **_kwargs: object) -> Path:
        raise bk.BackupError("Die Datensicherung ist fehlgeschlagen (Kein Platz).")

    monkeypatch.setattr(bk, "backup_database", full_disk)
    code, report = run_cli(
        capsys, home, "run", "Test", "--book", name, "--mode", "import", "--option", "recreate",
        "--json",
    )  # fmt: skip
    assert code == 1, report
    assert report["status"] == "failed"
    assert "nicht ausgeführt" in report["message"]
    close_database()
    assert local_state(path, name) == before  # nothing moved to the trash
    open_database(path)
    assert [c.fn for c in cs.list_contacts(cs.get_book(name))] == ["Anna"]
    close_database()
