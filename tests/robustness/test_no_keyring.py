"""No keyring on a headless Linux: a clear choice, never a crash, never a silent fallback.

The CLI runs as a subprocess with `PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring`
(what `keyring` picks when there is no Secret Service, KWallet or other backend) against a
real Radicale. The three ways out of the German message are each walked to a real sync:
(b) `--password-store file`, (c) `--password-store session` + `--password-stdin`; (a),
setting up a keyring, is the normal path every other test takes. The GUI's dialog with
the same three choices is tested in tests/ui/test_account_dialog.py.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail as fail_backend

from app import secrets
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer

ROOT = Path(__file__).resolve().parents[2]


class Cli:
    def __init__(self, tmp_path: Path, password: str) -> None:
        self.home = tmp_path / "home"
        self.password_file = tmp_path / "config" / "passwords.json"
        self.password = password
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON_KEYRING", "CONTACTBOX_"))
        } | {
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            secrets.PASSWORD_FILE_ENV: str(self.password_file),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def __call__(
        self, *args: str, stdin: str = "", with_env_password: bool = False
    ) -> subprocess.CompletedProcess[str]:
        env = self.env | ({"CONTACTBOX_PASSWORD": self.password} if with_env_password else {})
        return subprocess.run(
            [sys.executable, "-m", "app.cli", "--home", str(self.home), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )


@pytest.fixture
def book(radicale_server: DavServer) -> str:
    name = f"Ohne Schlüsselbund {uuid.uuid4().hex[:6]}"
    url = radicale_server.make_book(display_name=name)
    for i in range(2):
        radicale_server.put_card(url, f"k{i}.vcf", simple_card(f"k{i}", f"Kai{i} Kein"))
    return name


def _add(cli: Cli, server: DavServer, *options: str) -> subprocess.CompletedProcess[str]:
    return cli(
        *options, "account", "add", "Konto", "--url", server.root_url, "--user", server.user,
        with_env_password=True,
    )  # fmt: skip


def _assert_clean(done: subprocess.CompletedProcess[str], password: str) -> None:
    assert "Traceback" not in done.stderr
    assert password not in done.stdout and password not in done.stderr


def test_without_keyring_account_add_explains_the_choice(
    tmp_path: Path, radicale_server: DavServer
) -> None:
    cli = Cli(tmp_path, radicale_server.password)
    done = _add(cli, radicale_server)
    assert done.returncode == 1, done.stderr
    _assert_clean(done, cli.password)
    for words in (
        "kein Passwortspeicher (Schlüsselbund) gefunden",
        "GNOME Keyring",
        "KWallet",
        "nur Ihr Benutzerkonto lesen kann",
        "unverschlüsselt",
        "bei jedem Abgleich",
        "--password-store file",
        "--password-store session",
        "--password-stdin",
    ):
        assert words in done.stderr, words
    listed = cli("account", "list", "--json")
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"  # nothing half-saved
    assert not cli.password_file.exists()


def test_choice_file_stores_owner_only_and_later_calls_use_it(
    tmp_path: Path, radicale_server: DavServer, book: str
) -> None:
    cli = Cli(tmp_path, radicale_server.password)
    done = _add(cli, radicale_server, "--password-store", "file")
    assert done.returncode == 0, done.stderr
    _assert_clean(done, cli.password)
    assert stat.S_IMODE(cli.password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.password_file.parent.stat().st_mode) == 0o700
    assert cli.password.encode() not in cli.password_file.read_bytes()
    assert not str(cli.password_file).startswith(str(cli.home))  # outside the data folder
    # Later calls, without any option: the file is found and used.
    check = cli("account", "check", "Konto")
    assert check.returncode == 0, check.stderr
    run = cli("run", "Konto", "--book", book, "--mode", "import", "--json")
    assert run.returncode == 0, run.stderr
    assert '"added_local": 2' in run.stdout
    _assert_clean(run, cli.password)
    # Removing the account removes its password from the file.
    assert cli("account", "remove", "Konto").returncode == 0
    assert "account-" not in cli.password_file.read_text()


def test_choice_session_asks_for_the_password_at_each_call(
    tmp_path: Path, radicale_server: DavServer, book: str
) -> None:
    cli = Cli(tmp_path, radicale_server.password)
    done = _add(cli, radicale_server, "--password-store", "session")
    assert done.returncode == 0, done.stderr
    assert not cli.password_file.exists()
    # Without the password: a clear error, no crash.
    check = cli("account", "check", "Konto")
    assert check.returncode == 1
    _assert_clean(check, cli.password)
    assert "--password-stdin" in check.stderr
    run = cli("run", "Konto", "--book", book, "--mode", "import", "--json")
    assert run.returncode == 1
    assert "--password-stdin" in run.stderr
    _assert_clean(run, cli.password)
    # With it on stdin: check and sync work.
    check = cli("--password-stdin", "account", "check", "Konto", stdin=cli.password + "\n")
    assert check.returncode == 0, check.stderr
    run = cli(
        "--password-stdin", "run", "Konto", "--book", book, "--mode", "import", "--json",
        stdin=cli.password + "\n",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert '"added_local": 2' in run.stdout
    _assert_clean(run, cli.password)
    empty = cli("--password-stdin", "account", "check", "Konto", stdin="")
    assert empty.returncode == 1 and "kein Passwort" in empty.stderr


# ---------------------------------------------------------------- the module itself


@pytest.fixture
def failing_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail_backend.Keyring())
    path = tmp_path / "cfg" / "passwords.json"
    monkeypatch.setenv(secrets.PASSWORD_FILE_ENV, str(path))
    yield path
    keyring.set_keyring(previous)
    secrets.choose_store(None)
    secrets.forget_session()


def test_secrets_without_keyring(failing_keyring: Path, store: Path) -> None:
    assert not secrets.system_store_available()
    assert secrets.active_store() is None
    with pytest.raises(secrets.NoPasswordStore):
        secrets.set_password(7, "geheim-123")
    with pytest.raises(secrets.NoPasswordStore):
        secrets.get_password(7)
    secrets.delete_password(7)  # nothing to delete: no error
    secrets.choose_store(secrets.STORE_FILE)
    secrets.set_password(7, "geheim-123")
    secrets.set_password(8, "ÄÖÜ ß – 𝄞")  # any Unicode survives the file
    secrets.choose_store(None)
    assert secrets.active_store() == secrets.STORE_FILE
    assert secrets.get_password(7) == "geheim-123"
    assert secrets.get_password(8) == "ÄÖÜ ß – 𝄞"
    secrets.delete_password(7)
    with pytest.raises(secrets.SecretError):
        secrets.get_password(7)
    failing_keyring.write_text("{kaputt", encoding="utf-8")
    with pytest.raises(secrets.SecretError) as info:
        secrets.get_password(8)
    assert "beschädigt" in str(info.value)


def test_secrets_with_a_keyring_never_touch_the_file(
    failing_keyring: Path, store: Path
) -> None:
    from tests.conftest import MemoryKeyring

    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    assert secrets.active_store() == secrets.STORE_SYSTEM
    secrets.set_password(3, "im-schluesselbund")
    assert memory.store[(secrets.SERVICE, secrets.entry_name(3))] == "im-schluesselbund"
    assert not failing_keyring.exists()
