"""A password reaches exactly one account of exactly one data directory.

* Two data directories (`--home`), each with its account number 1, share the user's
  keyring (and password file) but keep their own passwords: both sync against a real
  Radicale, each with its own login (issue 15, item 8).
* Entries of the version before (``account-<id>``, one for every data directory) are taken
  over without asking again - only by accounts that existed before the update; the
  default data directory moves the entry, another one copies it (docs/RELIABILITY.md).
* `--password-stdin` is the password of the one account the command names, never of
  another, and is refused for `daemon` (item 7).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail as fail_backend

from app import secrets
from app.accounts import add_account, check_account, get_account
from app.store import identity
from app.store.backups import backup_database, restore_backup
from app.store.db import close_database, open_database
from app.store.models import Account, MetaEntry, RunReport, database
from tests.conftest import MemoryKeyring
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_raw
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer, start_radicale

pytestmark = pytest.mark.servers

BOB, BOB_PASSWORD = "bob", "Bobs-eigenes-Passwort-42"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    """A Radicale with two logins: alice (the fixture's) and bob."""
    folder = tmp_path_factory.mktemp("radicale-two-logins")
    with start_radicale(folder, more_users={BOB: BOB_PASSWORD}) as s:
        yield s


def _bob(server: DavServer) -> DavServer:
    return replace(server, user=BOB, password=BOB_PASSWORD, home_url=server.url(f"/{BOB}/"))


@pytest.fixture(autouse=True)
def _clean_session() -> Iterator[None]:
    yield
    secrets.forget_session()
    secrets.choose_store(None)
    if database.obj is not None:
        close_database()


# ---------------------------------------------------------------- two data directories


def test_two_data_directories_with_account_1_keep_their_own_passwords(
    server: DavServer, tmp_path: Path
) -> None:
    """Real processes sharing one keyring (keyrings.alt's file): the second directory's
    `account add` used to overwrite the first one's password, whose sync then sent bob's
    password to alice's login (and failed)."""
    xdg = tmp_path / "xdg"  # one keyring for both, as on a desktop
    alice_home = CliProcesses(tmp_path / "buero", xdg)
    bob_home = CliProcesses(tmp_path / "demo", xdg)
    bob = _bob(server)
    books = {}
    for who, home, login in (("alice", alice_home, server), ("bob", bob_home, bob)):
        name = f"Kontakte von {who}"
        url = login.make_book(display_name=name)
        login.put_card(url, f"{who}.vcf", simple_card(f"{who}-1", f"{who.title()} Person"))
        books[who] = name
        added = home.call(
            "account", "add", "Konto", "--url", server.root_url, "--user", login.user,
            extra_env={"CONTACTBOX_PASSWORD": login.password},
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    for who, home in (("alice", alice_home), ("bob", bob_home)):
        run = home.call("run", "Konto", "--book", books[who], "--mode", "import", "--json")
        assert run.returncode == 0, f"{who}: {run.stderr}"
        report = json.loads(run.stdout)
        assert report["books"][0]["added_local"] == 1, report
        contacts = home.call("contacts", "list", "--book", books[who], "--json")
        assert [c["fn"] for c in json.loads(contacts.stdout)] == [f"{who.title()} Person"]
    # both are account number 1 of their database; the shared keyring holds two entries
    # (keyrings.alt escapes the names: "-" is _2d, "@" is _40)
    text = next(xdg.rglob("keyring_pass.cfg")).read_text(encoding="utf-8")
    assert text.count("account_2d1_40") == 2, text


def test_in_process_two_databases_switch_back_and_forth(tmp_path: Path) -> None:
    """The GUI and tests open one database after another in one process: the keyring
    entry and the session memory follow the open database."""
    a, b = tmp_path / "a" / "contactbox.sqlite3", tmp_path / "b" / "contactbox.sqlite3"
    for path, password in ((a, "pw-a"), (b, "pw-b")):
        path.parent.mkdir()
        open_database(path)
        account = add_account("Konto", server="https://dav.example.de", username="u",
                              password=password)  # fmt: skip
        assert account.id == 1
        close_database()
    open_database(a)
    assert secrets.get_password(1) == "pw-a"
    secrets.remember_for_session(1, "nur-a-in-dieser-sitzung")
    close_database()
    open_database(b)
    assert secrets.get_password(1) == "pw-b"
    close_database()
    open_database(a)
    assert secrets.get_password(1) == "nur-a-in-dieser-sitzung"


def test_password_file_keeps_two_data_directories_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a keyring (choice (b), the owner-only file): the same rule."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail_backend.Keyring())
    monkeypatch.setenv(secrets.PASSWORD_FILE_ENV, str(tmp_path / "cfg" / "passwords.json"))
    secrets.choose_store(secrets.STORE_FILE)
    dbs = []
    for name, password in (("a", "datei-a"), ("b", "datei-b")):
        path = tmp_path / name / "contactbox.sqlite3"
        path.parent.mkdir()
        open_database(path)
        add_account("Konto", server="https://dav.example.de", username="u", password=password)
        close_database()
        dbs.append(path)
    secrets.choose_store(None)
    for path, password in zip(dbs, ("datei-a", "datei-b"), strict=True):
        open_database(path)
        assert secrets.active_store() == secrets.STORE_FILE
        assert secrets.get_password(1) == password
        close_database()
    assert len(json.loads(secrets.password_file().read_text(encoding="utf-8"))) == 2


# ---------------------------------------------------------------- taking over old entries


def _old_database(path: Path, login: DavServer, *labels: str) -> None:
    """A database as the version before per-database entries left it: accounts, no id."""
    path.parent.mkdir(parents=True, exist_ok=True)
    open_database(path)
    for label in labels:
        Account.create(label=label, username=login.user, server=login.root_url,
                       base_url=login.root_url)  # fmt: skip
    MetaEntry.delete().where(
        (MetaEntry.key == identity.DATABASE_ID_KEY)
        | MetaEntry.key.startswith(identity.LEGACY_PREFIX)
    ).execute()
    close_database()


@pytest.fixture
def default_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's default data directory, inside the test's folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("CONTACTBOX_HOME", raising=False)
    home = tmp_path / "xdg-data" / "contactbox-sync"
    from app.paths import default_home as paths_default_home

    assert paths_default_home() == home
    return home


def test_default_directory_moves_the_old_entry_and_syncs_without_asking(
    server: DavServer, default_home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = default_home / "contactbox.sqlite3"
    _old_database(path, server, "Büro")
    memory_keyring.store[(secrets.SERVICE, "account-1")] = server.password
    open_database(path)
    account = get_account("Büro")
    assert identity.is_legacy(account.id)
    assert check_account(account).ok  # the real server accepts the taken-over password
    assert memory_keyring.store == {(secrets.SERVICE, secrets.entry_name(1)): server.password}
    assert not identity.is_legacy(account.id)
    close_database()
    # another pre-update directory with an account 1 finds nothing any more: it asks
    other = tmp_path / "anderswo" / "contactbox.sqlite3"
    _old_database(other, server, "Demo")
    open_database(other)
    with pytest.raises(secrets.SecretError, match="kein Passwort gespeichert"):
        secrets.get_password(1)


def test_other_directory_copies_the_old_entry_and_leaves_it(
    server: DavServer, default_home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    old = (secrets.SERVICE, "account-1")
    memory_keyring.store[old] = server.password
    elsewhere = tmp_path / "kopie" / "contactbox.sqlite3"
    _old_database(elsewhere, server, "Büro")
    open_database(elsewhere)
    assert check_account(get_account("Büro")).ok
    copied = secrets.entry_name(1)
    assert memory_keyring.store[(secrets.SERVICE, copied)] == server.password
    assert memory_keyring.store[old] == server.password  # left for the default directory
    close_database()
    _old_database(default_home / "contactbox.sqlite3", server, "Büro")
    open_database(default_home / "contactbox.sqlite3")
    assert secrets.get_password(1) == server.password
    assert old not in memory_keyring.store  # the default directory moved it
    assert secrets.entry_name(1) != copied
    close_database()
    open_database(elsewhere)
    assert secrets.get_password(1) == server.password  # its copy stays


def test_new_databases_and_new_accounts_never_take_an_old_entry(
    server: DavServer, default_home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """The README's demo after the update: a new directory's account 1 neither reads nor
    overwrites the user's password of account 1."""
    old = (secrets.SERVICE, "account-1")
    memory_keyring.store[old] = "das-echte-Passwort"
    new = tmp_path / "demo" / "contactbox.sqlite3"
    new.parent.mkdir()
    open_database(new)
    Account.create(label="Demo", username="u", server="s", base_url="s")  # no password yet
    with pytest.raises(secrets.SecretError):
        secrets.get_password(1)
    secrets.set_password(1, "demo-pw")
    assert memory_keyring.store[old] == "das-echte-Passwort"
    close_database()
    # an old database: its account 1 takes over, an account added after the update does not
    path = default_home / "contactbox.sqlite3"
    _old_database(path, server, "Büro")
    open_database(path)
    later = Account.create(label="Neu", username="u", server="s", base_url="s")
    memory_keyring.store[(secrets.SERVICE, f"account-{later.id}")] = "fremd"
    with pytest.raises(secrets.SecretError):
        secrets.get_password(later.id)
    assert secrets.get_password(1) == "das-echte-Passwort"


def test_old_entry_in_the_password_file_is_taken_over_too(
    default_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: DavServer
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail_backend.Keyring())
    file = tmp_path / "cfg" / "passwords.json"
    monkeypatch.setenv(secrets.PASSWORD_FILE_ENV, str(file))
    secrets._write_file({"account-1": "YWx0LWRhdGVp"})  # base64 of "alt-datei"
    path = default_home / "contactbox.sqlite3"
    _old_database(path, server, "Büro")
    open_database(path)
    assert secrets.get_password(1) == "alt-datei"
    assert list(json.loads(file.read_text(encoding="utf-8"))) == [secrets.entry_name(1)]


def test_setting_or_removing_a_password_settles_the_old_entry(
    server: DavServer, default_home: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.store[(secrets.SERVICE, "account-1")] = "alt"
    memory_keyring.store[(secrets.SERVICE, "account-2")] = "alt-2"
    path = default_home / "contactbox.sqlite3"
    _old_database(path, server, "Eins", "Zwei")
    open_database(path)
    secrets.set_password(1, "neu")  # typed again before it was ever read
    assert secrets.get_password(1) == "neu"
    assert (secrets.SERVICE, "account-1") not in memory_keyring.store
    secrets.delete_password(2)  # the account removed before its first sync
    assert memory_keyring.store == {(secrets.SERVICE, secrets.entry_name(1)): "neu"}
    assert not identity.is_legacy(1) and not identity.is_legacy(2)


def test_restoring_a_backup_from_before_keeps_the_passwords(
    server: DavServer, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """A backup made before the update has no database id: restored, it takes the id of
    the database it replaces, so its accounts find the entries they have now."""
    path = tmp_path / "home" / "contactbox.sqlite3"
    _old_database(path, server, "Büro")
    old_backup = backup_database(path, "manuell")
    memory_keyring.store[(secrets.SERVICE, "account-1")] = server.password
    open_database(path)
    assert secrets.get_password(1) == server.password
    before = secrets.entry_name(1)
    close_database()
    restore_backup(path, old_backup)
    open_database(path)
    assert secrets.entry_name(1) == before
    assert check_account(get_account("Büro")).ok


# ---------------------------------------------------------------- --password-stdin


def _cli(home: Path, capsys: pytest.CaptureFixture[str], *args: str,
         stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None,
         ) -> tuple[int, str, str]:  # fmt: skip
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli_raw(home, capsys, *args)


def test_password_stdin_is_the_named_accounts_only(
    server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Two accounts with the same login at the same real server, both with a wrong stored
    password: the right one on stdin opens "Büro" only - not "Zweit", neither in that
    call nor in a later one of the same process."""
    home = tmp_path / "home"
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "falsch-gespeichert")
    for label in ("Büro", "Zweit"):
        code, _, err = _cli(home, capsys, "account", "add", label, "--url", server.root_url,
                            "--user", server.user, "--no-check")  # fmt: skip
        assert code == 0, err
    monkeypatch.delenv("CONTACTBOX_PASSWORD")
    code, out, err = _cli(home, capsys, "--password-stdin", "account", "check", "Büro",
                          "--json", stdin=server.password + "\n", monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["ok"], err
    assert secrets.get_password(get_account("Zweit").id) == "falsch-gespeichert"
    assert secrets.get_password(get_account("Büro").id) == "falsch-gespeichert"
    code, out, _ = _cli(home, capsys, "account", "check", "Zweit", "--json")
    assert code == 1 and not json.loads(out)["ok"]
    code, out, _ = _cli(home, capsys, "account", "check", "Büro", "--json")
    assert code == 1  # this call's password was not kept for the next call either


def test_password_stdin_is_refused_for_the_daemon(
    server: DavServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring,
) -> None:  # fmt: skip
    home = tmp_path / "home"
    monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
    code, _, err = _cli(home, capsys, "account", "add", "Büro", "--url", server.root_url,
                        "--user", server.user)  # fmt: skip
    assert code == 0, err
    stdin = io.StringIO("ein-passwort-fuer-alle\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = _cli(home, capsys, "--password-stdin", "daemon", "--once")
    assert code == 2
    assert out == "" and err.count("\n") == 1
    assert "--password-stdin" in err and "„daemon“" in err and "Schlüsselbund" in err
    assert stdin.tell() == 0  # not even read
    open_database(home / "contactbox.sqlite3")
    assert RunReport.select().count() == 0  # nothing ran


def test_daemon_refusal_from_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--home", str(tmp_path / "h"), "--password-stdin",
         "daemon"],
        input="geheim\n", capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("contactbox-sync: --password-stdin gilt nur für den einen")
    assert "Traceback" not in done.stderr
