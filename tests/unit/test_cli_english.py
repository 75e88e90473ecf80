"""`contactbox-sync --language en` (issue 20, the CLI part A): accounts, users, backups,
the daemon's refusal, the contact look-up every command shares, the errors of a wrong option
value and the `--help` of these commands speak English — no German word
(tests/i18n_words.py) — and the JSON is the same in both languages. Also: the language
follows LANG in a real subprocess (`python -m app.cli`), German when LANG is German or unset.

Real SQLite store, real (in-memory) keyring backend, the CLI in-process (`cli_raw`); accounts
are added with `--no-check` (no server needed; the server's side is in
tests/servers/test_cli_english_server.py). A text that another part of the core makes
(app/accounts.py, app/store/*, app/dav/*) is let through while it is still the same in both
languages (`not_yet_english`): it is not this part's, and once that part is translated the
check applies to it in full."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from app.store.models import User
from tests.i18n_words import assert_no_german, german_words
from tests.servers.cli_inprocess import cli_raw

ROOT = Path(__file__).resolve().parents[2]
#: The commands of `--help` made by the CLI's other part (contacts, calendar, reports).
OTHER_PART = ("reports", "contacts", "calendar")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "secret")
    monkeypatch.setenv("COLUMNS", "1000")  # --help: one line per option, never wrapped
    return tmp_path / "home"


def en(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return cli_raw(home, capsys, "--language", "en", *args)


def de(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return cli_raw(home, capsys, "--language", "de", *args)


def not_yet_english(text_en: str, text_de: str) -> list[str]:
    """A text of another part of the core, let through while that part still says it in
    German in both languages (the same text); [] once it is translated."""
    return [text_en] if text_en == text_de else []


def same_json(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """The command's JSON in German and in English: the same (and returned)."""
    code_de, out_de, err_de = de(home, capsys, *args, "--json")
    code_en, out_en, err_en = en(home, capsys, *args, "--json")
    assert code_de == code_en == 0, (args, err_de, err_en)
    assert json.loads(out_de) == json.loads(out_en), args
    return json.loads(out_en)


def add_office(home: Path, capsys: pytest.CaptureFixture[str], label: str = "Office") -> None:
    code, out, err = en(home, capsys, "account", "add", label, "--url", "https://dav.example",
                        "--user", "eva", "--no-check", "--interval", "30")  # fmt: skip
    assert code == 0, err
    assert out == f"Account “{label}” added (https://dav.example/).\n"
    assert_no_german(out + err)


# ---------------------------------------------------------------- accounts


def test_account_add_list_show_set_remove_in_english(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = en(home, capsys, "account", "list")
    assert (code, out, err) == (0, "No accounts set up.\n", "")
    add_office(home, capsys)

    code, out, err = en(home, capsys, "account", "list")
    assert code == 0 and out == "Office\teva\thttps://dav.example/\ton\t30 min\t0 address books\n"
    code, out, err = en(home, capsys, "account", "show", "Office")
    assert code == 0, err
    assert out.splitlines() == [
        "Account “Office”",
        "Address: https://dav.example/",
        "User: eva",
        "Status: on",
        "Import interval: 30 min",
        "Groups: as group vCards",
        "Address books: 0",
    ]
    code, out, err = en(home, capsys, "account", "set", "Office", "--enabled", "off",
                        "--interval", "1", "--groups", "both")  # fmt: skip
    assert code == 0, err
    assert out == (
        "Account “Office”: off, import interval 1 min, groups as categories and group vCards.\n"
    )
    code, out, err = en(home, capsys, "account", "remove", "Office")
    assert (code, err) == (0, "")
    assert out == "Account “Office” removed. The contacts in Contactbox are kept.\n"


def test_the_same_account_commands_in_german_still_say_it_in_german(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """German stays the default: the words the English test checks, in German."""
    code, out, err = cli_raw(home, capsys, "account", "add", "Büro", "--url",
                             "https://dav.example", "--user", "eva", "--no-check")  # fmt: skip
    assert (code, out) == (0, "Account „Büro“ angelegt (https://dav.example/).\n"), err
    code, out, _ = cli_raw(home, capsys, "account", "list")
    assert out == "Büro\teva\thttps://dav.example/\tan\t15 Min.\t0 Adressbücher\n"
    code, out, _ = cli_raw(home, capsys, "account", "show", "Büro")
    assert "Importintervall: 15 Min." in out.splitlines()
    assert "Adressbücher: 0" in out.splitlines()


def test_account_errors_and_wrong_option_values_in_english(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_office(home, capsys)
    # A value our parser refuses (through argparse's error): our reason in English.
    code, out, err = en(home, capsys, "account", "set", "Office", "--trust-fingerprint", "zz")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == (
        "contactbox-sync account set: error: argument --trust-fingerprint: not a valid "
        "SHA-256 fingerprint (64 hexadecimal digits, e.g. AB:CD:…)"
    )
    assert_no_german(err)
    for args in (
        ("account", "set", "Office", "--enabled", "maybe"),  # argparse's own words
        ("account", "set", "Office", "--interval", "often"),
        ("account", "add", "Office2", "--url", "https://x.example"),  # --user is missing
        ("account", "show", "Office", "too", "many"),
    ):
        code, out, err = en(home, capsys, *args)
        assert code == 2 and out == "" and "error:" in err, (args, err)
        assert_no_german(err)
    # The unknown account: app/accounts.py says it (the other part's text).
    code, out, err_en = en(home, capsys, "account", "show", "Nobody")
    _, _, err_de = de(home, capsys, "account", "show", "Nobody")
    assert code == 1 and out == "" and err_en.startswith("contactbox-sync: ")
    assert "Nobody" in err_en and err_en.count("\n") == 1
    assert_no_german(err_en, allow=not_yet_english(err_en, err_de))


def test_no_password_and_the_empty_stdin_password_in_english(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONTACTBOX_PASSWORD")
    monkeypatch.setattr(sys, "stdin", _NoTerminal(""))
    code, _, err = en(home, capsys, "account", "add", "X", "--url", "https://x.example",
                      "--user", "u", "--no-check")  # fmt: skip
    assert code == 1
    assert err == (
        "contactbox-sync: No password: please set CONTACTBOX_PASSWORD or type it in the terminal.\n"
    )
    code, _, err = en(home, capsys, "--password-stdin", "account", "list")
    assert code == 1
    assert err == "contactbox-sync: --password-stdin: no password arrived on standard input.\n"


class _NoTerminal:
    """A standard input that is not a terminal, with `text` to read."""

    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        line, self.text = self.text, ""
        return line


def test_account_json_is_the_same_in_both_languages(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    added = []
    for language, label in (("de", "A1"), ("en", "A2")):
        code, out, err = cli_raw(home, capsys, "--language", language, "account", "add", label,
                                 "--url", "https://dav.example", "--user", "eva",
                                 "--no-check", "--json")  # fmt: skip
        assert code == 0, err
        added.append({**json.loads(out), "label": None})
    assert added[0] == added[1]
    assert len(same_json(home, capsys, "account", "list")) == 2
    assert same_json(home, capsys, "account", "show", "A1")["enabled"] is True
    data = same_json(home, capsys, "account", "set", "A1", "--enabled", "off")
    assert data == {"label": "A1", "enabled": False, "interval_minutes": 15, "groups": "cards"}


def test_calendar_accounts_in_english(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = en(home, capsys, "calendar", "account", "list")
    assert (code, out) == (0, "No calendar accounts set up.\n"), err
    code, out, err = en(home, capsys, "calendar", "account", "add", "Cal", "--url",
                        "https://cal.example", "--user", "eva", "--no-check")  # fmt: skip
    assert (code, out) == (0, "Calendar account “Cal” added (https://cal.example/).\n"), err
    code, out, err = en(home, capsys, "calendar", "account", "list")
    assert code == 0 and out.endswith("\ton\t15 min\t0 calendars\n"), out
    code, out, err = en(home, capsys, "calendar", "account", "show", "Cal")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Calendar account “Cal”" and "Interval: 15 min" in lines
    assert lines[-1] == "Calendars: 0"
    default_user = str(User.get_by_id(1).name)  # a stored name (app/store/users.py)
    assert_no_german(out, allow=[default_user])
    code, out, err = en(home, capsys, "calendar", "account", "remove", "Cal")
    assert out == "Calendar account “Cal” removed. The appointments in Contactbox are kept.\n"


# ---------------------------------------------------------------- contacts look-up (common)


def test_the_contact_a_reference_names_is_looked_up_in_english(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = "Standard"  # the default book's stored name
    code, _, err = en(home, capsys, "contacts", "show", "Nobody", "--book", book)
    assert (code, err) == (1, f"contactbox-sync: No contact “Nobody” found in “{book}”.\n")
    code, _, err = en(home, capsys, "contacts", "show", "Nobody", "--trash", "--book", book)
    assert (code, err) == (1, "contactbox-sync: No contact “Nobody” found in the trash.\n")
    code, _, err = en(home, capsys, "contacts", "show", "--book", book)
    assert (code, err) == (2, "contactbox-sync: Please name the contact (number, UID or name).\n")


def test_an_ambiguous_reference_says_how_many_in_both_languages(store: Path) -> None:
    from app.cli.common import CliError, one_contact
    from app.i18n import set_language
    from app.store import contacts as cs
    from tests.servers.cards import simple_card

    book = cs.ensure_book("Team")
    cs.add_contact(book, simple_card("uid-1", "Dora Dach", "dora1@example.org"))
    cs.add_contact(book, simple_card("uid-2", "Dora Dach", "dora2@example.org"))
    with pytest.raises(CliError) as refused:
        one_contact(book, "Dora Dach")
    assert str(refused.value) == "„Dora Dach“ ist mehrdeutig (2 Kontakte); bitte die Nr. angeben."
    set_language("en")
    with pytest.raises(CliError) as refused:
        one_contact(book, "Dora Dach")
    assert str(refused.value) == "“Dora Dach” is ambiguous (2 contacts); please give the number."


# ---------------------------------------------------------------- users


def test_users_in_english_with_real_plural_forms(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = en(home, capsys, "users", "add", "Eve")
    assert (code, out, err) == (0, "User “Eve” added.\n", "")
    assert User.get_by_id(1).name == "Standardbenutzer"  # stored as created, shown translated
    default_user = "Default user"
    code, _, err = cli_raw(home, capsys, "calendar", "event", "add", "--user", "Eve",
                           "--summary", "Dentist", "--start", "2026-12-24T09:00")  # fmt: skip
    assert code == 0, err
    code, out, err = en(home, capsys, "users", "list")
    assert code == 0, err
    assert out.splitlines() == [
        "Eve\t1 appointment\t0 follow-ups\tno calendar synchronized",
        "Default user (current, default)\t0 appointments\t0 follow-ups"
        "\tno calendar synchronized",
    ]
    assert_no_german(out)
    code, out, err = en(home, capsys, "users", "rename", "Eve", "Eva Engel")
    assert (code, out) == (0, "User “Eve” is now called “Eva Engel”.\n"), err
    code, out, err = en(home, capsys, "users", "use", "Eva Engel")
    assert (code, out) == (0, "“Eva Engel” is now the current user.\n"), err
    code, out, err = en(home, capsys, "users", "remove", "Eva Engel")
    assert (code, out) == (2, "")
    assert err == (
        "contactbox-sync: “Eva Engel” is removed only with --yes: the user's 1 appointment and "
        "0 follow-ups are deleted in Contactbox (also their appointments in the trash), and "
        "so is their calendar account. The calendar on the server is kept.\n"
    )
    code, out, err = en(home, capsys, "users", "show-me")  # an unknown action: argparse's
    assert code == 2 and "invalid choice" in err
    code, _, err = en(home, capsys, "users", "use", "Nobody")
    assert err == (
        f"contactbox-sync: There is no user “Nobody” (existing: {default_user}, Eva Engel).\n"
    )
    code, out, err = en(home, capsys, "users", "remove", "Eva Engel", "--yes")
    assert code == 0, err
    assert out == f"User “Eva Engel” removed. Current user: “{default_user}”.\n"
    # The store's refusal (app/store/users.py: the other part's text) of a name taken.
    code, _, err_en = en(home, capsys, "users", "add", default_user)
    _, _, err_de = de(home, capsys, "users", "add", default_user)
    assert code == 1 and err_en.count("\n") == 1
    assert_no_german(err_en, allow=[*not_yet_english(err_en, err_de), default_user])


def test_users_json_is_the_same_in_both_languages(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(same_json(home, capsys, "users", "list")) == 1
    code, _, err = cli_raw(home, capsys, "users", "add", "Eve")
    assert code == 0, err
    assert same_json(home, capsys, "users", "use", "Eve")["current"] is True
    assert same_json(home, capsys, "users", "list")[0]["name"] == "Eve"


# ---------------------------------------------------------------- backups


def test_backups_in_english(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = en(home, capsys, "users", "list")  # the database exists
    assert code == 0, err
    code, out, err = en(home, capsys, "backup", "list")
    assert (code, err) == (0, "")
    assert out.startswith("No backups next to ") and out.endswith(".sqlite3.\n")
    code, out, err = en(home, capsys, "backup", "create")
    assert code == 0 and out.startswith("Backed up: "), err
    name = Path(out.split(": ", 1)[1].strip()).name
    code, out, err = en(home, capsys, "backup", "list")
    assert code == 0, err
    (line,) = out.splitlines()
    date, clock, size, unit, *reason, file = line.split()
    assert file == name and unit == "MB" and "." in size  # 0.3 MB (German: 0,3 MB)
    assert len(date) == 10 and date[4] == date[7] == "-" and len(clock) == 5  # 2026-12-06 21:14
    # The reason's words come from app/store/backups.py (the other part's text).
    reason_en = " ".join(reason)
    _, out_de, _ = de(home, capsys, "backup", "list")
    assert "," in out_de.split()[2] and out_de.split()[0].count(".") == 2  # 06.12.2026, 0,3
    reason_de = " ".join(out_de.split()[4:-1])
    assert_no_german(out, allow=[name, *not_yet_english(reason_en, reason_de)])
    code, out, err = en(home, capsys, "backup", "restore")
    assert (code, out) == (2, "")
    assert err == "contactbox-sync: Please name the backup (file name from “backup list”).\n"
    code, out, err = en(home, capsys, "backup", "delete", name)
    assert (code, out) == (0, f"Deleted: {name}\n"), err


def test_backup_json_is_the_same_in_both_languages(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert same_json(home, capsys, "users", "list")  # the database exists
    assert same_json(home, capsys, "backup", "list") == []
    code, _, err = cli_raw(home, capsys, "backup", "create")
    assert code == 0, err
    (listed,) = same_json(home, capsys, "backup", "list")
    assert listed["reason"] == "manuell"


# ---------------------------------------------------------------- daemon


def test_the_daemon_refuses_a_stdin_password_in_english(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = en(home, capsys, "--password-stdin", "daemon", "--once")
    assert (code, out) == (2, "")
    assert err.startswith("contactbox-sync: --password-stdin applies only to the one account")
    assert_no_german(err)


def _env(**language: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "CONTACTBOX_HOME")
    }
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", COLUMNS="1000", **language)
    return env


def test_the_daemon_speaks_english_until_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(tmp_path / "h"), "--language", "en",
         "daemon"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == (
            "Contactbox Sync is running in the background (stop with Ctrl+C or SIGTERM).\n"
        )
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped."
    assert_no_german(first + out + err)


# ---------------------------------------------------------------- --help


HELP_PAGES = [
    (),
    ("account",),
    *(("account", a) for a in ("add", "list", "show", "check", "remove", "set")),
    ("books",),
    ("check",),
    ("run",),
    ("sync",),
    ("binding",),
    ("daemon",),
    ("users",),
    *(("users", a) for a in ("list", "add", "rename", "remove", "use")),
    ("backup",),
    ("calendar", "account"),
    *(("calendar", "account", a) for a in ("add", "list", "show", "check", "remove")),
]


@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda p: " ".join(p) or "top")
def test_help_is_english(
    page: tuple[str, ...], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, help_en, err = en(home, capsys, *page, "--help")
    assert code == 0, err
    _, help_de, _ = de(home, capsys, *page, "--help")
    assert help_en != help_de
    # The other part's commands in the list of commands, while it is not yet English.
    pending = [
        line
        for line in help_en.splitlines()
        if line.split()[:1] and line.split()[0] in OTHER_PART and line in help_de.splitlines()
    ]
    assert_no_german(help_en, allow=pending)
    if page == ("users", "rename"):
        assert "name NEW" in help_en.splitlines()[0]


# ---------------------------------------------------------------- the language from LANG


def _cli(tmp_path: Path, *args: str, **language: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--home", str(tmp_path / "h"), *args],
        cwd=ROOT, env=_env(**language), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def test_the_language_follows_lang_in_a_real_process(tmp_path: Path) -> None:
    english = _cli(tmp_path, "account", "list", LANG="en_US.UTF-8")
    assert (english.returncode, english.stdout) == (0, "No accounts set up.\n"), english.stderr
    help_en = _cli(tmp_path, "--help", LANG="en_US.UTF-8").stdout
    assert "Contactbox Sync without a window" in help_en
    assert "Manage remote accounts" in help_en and "Backups of the database" in help_en
    for language in ({"LANG": "de_DE.UTF-8"}, {}):
        german = _cli(tmp_path, "account", "list", **language)
        assert german.stdout == "Keine Accounts eingerichtet.\n", (language, german.stderr)
        help_de = _cli(tmp_path, "--help", **language).stdout
        assert "Remote-Accounts verwalten" in help_de, language
        assert "Contactbox Sync ohne Oberfläche" in help_de
        assert german_words(help_de)  # German, not English
    # --language wins over LANG.
    german = _cli(tmp_path, "--language", "de", "account", "list", LANG="en_US.UTF-8")
    assert german.stdout == "Keine Accounts eingerichtet.\n"
