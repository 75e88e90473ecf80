"""Database backups (app/store/backups.py) and damaged files, on real SQLite files.

The damaged files are made for real: cut short, pages overwritten with garbage, emptied,
replaced by a text file. `damage()` is shared with the GUI's start-up test.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.store import backups as bk
from app.store import contacts as cs
from app.store.db import (
    SCHEMA_VERSION,
    DamagedDatabaseError,
    close_database,
    open_database,
)
from app.store.models import database

DAMAGES = ("truncated", "garbage_pages", "zero_bytes", "text_file")


def card(uid: str, fn: str, note: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    if note:
        lines.append(f"NOTE:{note}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT fn FROM contact ORDER BY fn")]
    finally:
        con.close()


def make_database(path: Path, *fns: str, note: str = "") -> None:
    """A closed database (no -wal left) holding contacts `fns` in "Standard"."""
    open_database(path)
    book = cs.get_book("Standard")
    with database.atomic():
        for i, fn in enumerate(fns):
            cs.add_contact(book, card(f"u{i}-{fn}", fn, note))
    close_database()
    assert not path.with_name(path.name + "-wal").exists()


def damage(path: Path, kind: str) -> None:
    """Damage the (closed) database file for real."""
    size = path.stat().st_size
    if kind == "truncated":
        with open(path, "r+b") as f:
            f.truncate(size // 2)
    elif kind == "garbage_pages":
        with open(path, "r+b") as f:  # pages 2-4: the roots of the first tables
            f.seek(4096)
            f.write(os.urandom(3 * 4096))
    elif kind == "zero_bytes":
        path.write_bytes(b"")
    elif kind == "text_file":
        path.write_text("Kontakte\nAnna;anna@example.org\n", encoding="utf-8")
    else:
        raise ValueError(kind)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- create, list, restore


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna Äbel")
    first = bk.backup_database(path, bk.MANUAL)
    open_database(path)
    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert Brandt"))
    close_database()
    assert names(first) == ["Anna Äbel"]  # a whole, self-contained copy
    assert not first.with_name(first.name + "-wal").exists()

    [listed] = bk.list_backups(path)
    assert (listed.path, listed.reason, listed.size) == (first, "manuell", first.stat().st_size)
    assert listed.reason_de == "Manuell gesichert"

    result = bk.restore_backup(path, first)
    assert names(path) == ["Anna Äbel"]
    assert result.safety_backup is not None and result.damaged_kept is None
    assert names(result.safety_backup) == ["Anna Äbel", "Bert Brandt"]  # nothing lost
    assert result.safety_backup.name.startswith("contactbox.vor-wiederherstellung-")
    open_database(path)  # the restored file opens and is the current schema
    assert [c.fn for c in cs.list_contacts(cs.get_book("Standard"))] == ["Anna Äbel"]
    close_database()
    for b in bk.list_backups(path):
        assert mode(b.path) == 0o600


def test_restore_while_another_connection_reads(tmp_path: Path) -> None:
    """A reader (another process would be the same) sees the old, then the new state."""
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    backup = bk.backup_database(path, bk.MANUAL)
    open_database(path)
    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert"))
    close_database()
    reader = sqlite3.connect(path)
    assert [r[0] for r in reader.execute("SELECT fn FROM contact ORDER BY fn")] == [
        "Anna",
        "Bert",
    ]
    bk.restore_backup(path, backup)
    assert [r[0] for r in reader.execute("SELECT fn FROM contact")] == ["Anna"]
    reader.close()
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_a_restored_binding_set_to_neu_anlegen_continues_as_server(tmp_path: Path) -> None:
    """A backup of a two-way binding still set to "Neu anlegen" (a run by hand that had not
    wiped yet) does not wipe again after the restore: it continues as "Server"."""
    from app.store.models import Account, Binding

    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna Äbel")
    open_database(path)
    account = Account.create(label="Büro", username="u", server="x", base_url="http://x/")
    Binding.create(
        account=account, remote_href="/b/", remote_name="Kunden", book=cs.get_book("Standard"),
        operation="sync", option="recreate",
    )  # fmt: skip
    close_database()
    backup = bk.backup_database(path, bk.BEFORE_RECREATE)
    result = bk.restore_backup(path, backup)
    assert result.recreate_stopped == ["Kunden"]
    open_database(path)
    [binding] = Binding.select()
    assert (binding.operation, binding.option) == ("sync", "server")
    close_database()


def test_prune_keeps_the_newest_per_reason_and_every_manual_backup(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    manual = [bk.backup_database(path, bk.MANUAL) for _ in range(3)]
    made = [bk.backup_database(path, bk.BEFORE_RECREATE) for _ in range(bk.KEEP_PER_REASON + 3)]
    migration = bk.backup_database(path, "vor-migration-v2")
    left = bk.list_backups(path)
    recreate = [b.path for b in left if b.reason == bk.BEFORE_RECREATE]
    assert recreate == list(reversed(made[-bk.KEEP_PER_REASON :]))  # newest first
    assert all(not p.exists() for p in made[:3])
    assert sorted(b.path for b in left if b.reason == bk.MANUAL) == sorted(manual)
    assert [b.path for b in left if b.reason.startswith("vor-migration")] == [migration]
    # keep=0 still never removes the newest of a reason
    bk.prune_backups(path, keep=0)
    assert [b.path for b in bk.list_backups(path) if b.reason == bk.BEFORE_RECREATE] == [made[-1]]


def test_delete_only_a_listed_backup(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    b = bk.backup_database(path, bk.MANUAL)
    with pytest.raises(bk.BackupError):
        bk.delete_backup(path, path)  # the database itself is no backup
    assert path.exists()
    bk.delete_backup(path, b)
    assert not b.exists() and bk.list_backups(path) == []


def test_a_backup_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    b = bk.backup_database(path, bk.MANUAL)
    con = sqlite3.connect(b)
    con.execute(
        "UPDATE meta_entry SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(bk.BackupError, match="neueren Version"):
        bk.restore_backup(path, b)
    assert path.read_bytes() == before


def test_restore_is_refused_while_another_process_syncs(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna")
    b = bk.backup_database(path, bk.MANUAL)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.store.lock import sync_lock\n"
            "with sync_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = path.read_bytes()
        with pytest.raises(bk.BackupError, match="andere Synchronisation"):
            bk.restore_backup(path, b)
        assert path.read_bytes() == before
        assert [x.reason for x in bk.list_backups(path)] == ["manuell"]  # nothing made
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------- damaged databases


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_database_is_detected_at_open_and_left_untouched(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, *(f"Kontakt {i:03}" for i in range(200)))
    bk.backup_database(path, bk.MANUAL)  # there were data: an empty file is damage too
    damage(path, kind)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    assert str(path) in str(caught.value) and "beschädigt" in str(caught.value)
    assert caught.value.path == path
    assert path.read_bytes() == before  # nothing written to the damaged file


def test_an_empty_file_without_backups_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    path.write_bytes(b"")  # e.g. the first start was killed before the first write
    open_database(path)
    assert cs.get_book("Standard") is not None
    close_database()


@pytest.mark.parametrize("kind", DAMAGES)
def test_restore_over_a_damaged_database_keeps_the_damaged_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, "Anna", "Bert")
    backup = bk.backup_database(path, bk.BEFORE_RECREATE)
    damage(path, kind)
    damaged_bytes = path.read_bytes()
    result = bk.restore_backup(path, backup)
    assert result.safety_backup is None
    assert result.damaged_kept is not None
    assert result.damaged_kept.read_bytes() == damaged_bytes  # renamed, never deleted
    assert result.damaged_kept.name.startswith("contactbox.beschaedigt-")
    assert result.damaged_kept not in [b.path for b in bk.list_backups(path)]
    open_database(path)
    assert sorted(c.fn for c in cs.list_contacts(cs.get_book("Standard"))) == ["Anna", "Bert"]
    close_database()
    assert mode(path) == 0o600


def test_deep_damage_is_found_by_the_backup_check(tmp_path: Path) -> None:
    """Garbage in a data page far from the roots: quick_check finds it; a backup of such a
    database is refused (a useless copy would push good ones out), and so is a restore
    from a damaged backup."""
    path = tmp_path / "contactbox.sqlite3"
    make_database(path, *(f"Kontakt {i:04}" for i in range(300)), note="Notiz " * 500)
    good = bk.backup_database(path, bk.MANUAL)
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as f:
        f.seek((pages * 3 // 4) * 4096)
        f.write(os.urandom(4096))
    assert bk.check_database(path) is None  # the cheap check at open does not read it …
    assert bk.check_database(path, thorough=True)  # … quick_check does
    with pytest.raises(bk.BackupError, match="beschädigt"):
        bk.backup_database(path, bk.BEFORE_RECREATE)
    assert [b.path for b in bk.list_backups(path)] == [good]  # no useless copy left

    bad_backup = path.with_name("contactbox.manuell-20200101-000000.sqlite3")
    bad_backup.write_bytes(path.read_bytes())
    current = path.read_bytes()
    with pytest.raises(bk.BackupError, match="nicht lesbar"):
        bk.restore_backup(path, bad_backup)
    assert path.read_bytes() == current
    result = bk.restore_backup(path, good)  # the good one repairs it
    assert result.safety_backup is None  # a copy of the damaged file would be useless …
    assert result.damaged_kept is not None and result.damaged_kept.read_bytes() == current  # … kept
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert len(names(path)) == 300


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE fotos (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DamagedDatabaseError, match="keine Contactbox-Datenbank"):
        open_database(path)
    assert [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")] == [
        "fotos"
    ]


# ---------------------------------------------------------------- owner-only files


def test_database_wal_shm_backups_and_directory_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    path = home / "contactbox.sqlite3"
    old = os.umask(0o022)
    try:
        open_database(path)
        cs.add_contact(cs.get_book("Standard"), card("u1", "Anna"))
        wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
        assert wal.exists() and shm.exists()
        assert (mode(home), mode(path), mode(wal), mode(shm)) == (0o700, 0o600, 0o600, 0o600)
        b = bk.backup_database(path, bk.MANUAL)
        assert mode(b) == 0o600
        close_database()
        os.chmod(path, 0o644)  # e.g. copied in by hand: made private again at open
        open_database(path)
        assert mode(path) == 0o600
        close_database()
    finally:
        os.umask(old)


# ---------------------------------------------------------------- the CLI


def run_cli(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["--home", str(home), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    close_database()
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_list_create_restore_and_a_damaged_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    path = home / "contactbox.sqlite3"
    make_database(path, "Anna")
    code, out, _ = run_cli(capsys, home, "backup", "create", "--json")
    assert code == 0
    made = json.loads(out)["file"]
    open_database(path)
    cs.add_contact(cs.get_book("Standard"), card("u-b", "Bert"))
    close_database()

    damage(path, "garbage_pages")
    code, _, err = run_cli(capsys, home, "contacts", "list")
    assert code == 1
    assert str(path) in err and "beschädigt" in err and "backup restore" in err

    code, out, _ = run_cli(capsys, home, "backup", "list", "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert entry["file"] == made and entry["reason"] == "manuell" and entry["size"] > 0

    code, out, _ = run_cli(capsys, home, "backup", "restore", made)
    assert code == 0 and "beschädigte Datenbank bleibt erhalten" in out
    assert names(path) == ["Anna"]
    assert len(list(home.glob("contactbox.beschaedigt-*.sqlite3"))) == 1

    code, _, err = run_cli(capsys, home, "backup", "restore", "gibt-es-nicht.sqlite3")
    assert code == 1 and "backup list" in err
