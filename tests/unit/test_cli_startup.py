"""Start-up of `contactbox-sync` (issue 21): each command loads only what it uses.

`--version` and `--help` load no network, keyring or database code; `account list`,
`calendar account list`, `account show` and `contacts list` read the store and load no HTTP
stack, XML parser or keyring. Opening a database whose schema is current loads none of the
code only a migration needs (the vCard and iCalendar packages, the collation, the change
triggers); an older one still migrates, importing it then. A `sync` loads no calendar
code, and the command line's own `sync` of a current database connects to the server before
peewee, lxml and the sync code load (app/sync/head_start.py); of an older one it migrates
first. Each case runs the entry point (`app.cli:main`) in a fresh interpreter (`python -c`)
and then looks at `sys.modules` — what a user's process would have loaded — and at the
output, so a command that stopped working cannot pass. (Speed itself is measured in
bench/startup.py, never here.)"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli.account_words import STYLE_WORDS
from app.cli.contact_commands import STORE_DUPLICATES
from app.cli.contacts import DUPLICATES
from app.cli.parser import build_parser
from app.store import contacts as cstore
from app.store import groups
from app.store.db import close_database, open_database
from app.store.migrations import SCHEMA_VERSION
from app.store.models import Account, Binding
from app.store.vcf import DUPLICATE_MODES
from tests.servers.cli_inprocess import cli_raw

ROOT = Path(__file__).resolve().parents[2]

#: Loaded by no command that neither talks to a server nor reads the store.
DATABASE_AND_NETWORK = ("http.client", "lxml", "keyring", "peewee", "platformdirs", "app.dav",
                        "app.store", "app.sync", "app.accounts", "app.vcard")  # fmt: skip
#: Loaded by no command that only reads the store (`reports` does load app/sync/report.py,
#: which words a report; `account list` no app.sync at all).
NETWORK = ("http.client", "lxml", "keyring", "app.dav", "app.accounts", "app.sync.jobs",
           "app.sync.engine", "app.sync.calendar_jobs")  # fmt: skip
#: Needed only by a migration that runs (app/store/migrations.py imports them inside it) or
#: by the calendar: opening a current database loads none of them.
MIGRATION_ONLY = ("app.vcard", "app.ical", "app.store.appointment_text", "app.store.collation",
                  "app.store.changes")  # fmt: skip
#: An address book `sync` needs none of these (the calendar's code and the migrations' own).
CALENDAR_AND_MIGRATION = ("app.ical", "app.store.appointment_text", "app.store.changes",
                          "app.store.calsync", "app.sync.calendar", "app.sync.calendar_jobs",
                          "app.dav.caldav",
                          # the merge: only when both sides changed a contact
                          "app.vcard.merge", "app.vcard.merge_units",
                          "app.vcard.changes")  # fmt: skip
#: A no-change `sync` of bound books parses, hashes and writes no card and discovers no
#: book (issue 21): app.vcard loads each name when first used, app/store/groups.py the
#: group-card code inside the functions that write groups, and discovery only where a
#: book is looked for. (app.vcard.model and labels, the error class and field labels the
#: engine names, are small.)
NO_CHANGE_SYNC_NEEDS_NONE = ("app.vcard.parse", "app.vcard.summary", "app.vcard.hashing",
                             "app.vcard.conversion", "app.vcard.edit", "app.vcard.fields",
                             "app.vcard.groups", "app.vcard.syntax", "app.vcard.emit",
                             "app.vcard.photo", "app.vcard.split", "app.vcard.sanitizing",
                             "app.vcard.uids", "app.vcard.export", "app.dav.discovery")  # fmt: skip

#: Loaded by a no-change `sync` only where it needs them (issue 21, each imported where it is
#: used): a server's refusal (app.dav.refusal), the vCard dataclasses (app.vcard.model;
#: CardError lives in app.vcard.errors), the contact store (app.store.contacts; a sync
#: counts with app.store.live_count), the group cards (app.store.groups), the backups
#: (app.store.backups; an open checks the file with app.store.dbfile) and the store's
#: side of a merge (app.store.syncmerge). A module-level import of any of them again
#: fails here (and in tests/servers/test_head_start.py, after a real no-change run).
NO_CHANGE_SYNC_LEAVES_OUT = ("app.dav.refusal", "app.vcard.model", "app.store.contacts",
                             "app.store.groups", "app.store.backups",
                             "app.store.syncmerge")  # fmt: skip

_RUN = (
    "import json, sys\n"
    "from app.cli import main\n"
    "try:\n"
    "    rc = main(json.loads(sys.argv[1]))\n"
    "except SystemExit as exc:\n"
    "    rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)\n"
    "sys.stdout.flush()\n"
    "print('\\n@@' + json.dumps({'rc': rc, 'modules': sorted(sys.modules)}))\n"
)


def python_fresh(
    script: str,
    *args: str,
    home: Path,
    stdin: str | None = None,
    env_update: dict[str, str | None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -c SCRIPT ARGS` in a fresh interpreter on this checkout, with `home` as the
    data folder, no CONTACTBOX_ or LC_ variables and LANG=C (`env_update`: variables set,
    or removed where None)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTACTBOX_", "LC_"))}
    env |= {"CONTACTBOX_HOME": str(home), "LANG": "C", "PYTHONPATH": str(ROOT)}
    for name, value in (env_update or {}).items():
        env.pop(name, None)
        if value is not None:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_fresh(
    *argv: str,
    home: Path,
    stdin: str | None = None,
    env_update: dict[str, str | None] | None = None,
) -> tuple[int, str, str, set[str]]:
    """`contactbox-sync ARGV` in a fresh interpreter (`stdin`: what it reads there;
    `env_update`: variables set, or removed where None): (exit code, stdout, stderr, the
    modules it loaded)."""
    done = python_fresh(_RUN, json.dumps(list(argv)), home=home, stdin=stdin, env_update=env_update)
    out, _sep, tail = done.stdout.rpartition("\n@@")
    result = json.loads(tail)
    return int(result["rc"]), out, done.stderr, set(result["modules"])


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of `names` (a package counts with its submodules) are among `modules`."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


# ---------------------------------------------------------------- --version and --help


def test_version_loads_no_network_or_database_code(tmp_path: Path) -> None:
    rc, out, _err, modules = run_fresh("--version", home=tmp_path)
    assert rc == 0
    assert out.strip() == "contactbox-sync 0.1.0"
    assert loaded(modules, DATABASE_AND_NETWORK) == []


def test_version_alone_ends_before_the_command_line_loads(tmp_path: Path) -> None:
    """`contactbox-sync --version` as its own process prints what argparse's version
    action prints and ends without loading the command line (entry, parser, argparse)."""
    run = (
        "import json, sys\n"
        "from app.cli import main\n"
        "sys.argv = ['contactbox-sync', '--version']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print('@@' + json.dumps([exc.code, sorted(sys.modules)]))\n"
    )
    done = python_fresh(run, home=tmp_path)
    shown, _, tail = done.stdout.partition("@@")
    code, modules = json.loads(tail)
    assert code == 0 and done.stderr == ""
    argparse_says = io.StringIO()
    with contextlib.redirect_stdout(argparse_says), pytest.raises(SystemExit):
        build_parser(only=()).parse_args(["--version"])
    assert shown == argparse_says.getvalue() == "contactbox-sync 0.1.0\n"
    assert {"app.cli.entry", "app.cli.parser", "argparse"}.isdisjoint(modules)


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (("--help",), ["account", "contacts", "calendar", "backup", "--password-store"]),
        (("account", "add", "--help"), ["--trust-fingerprint", "--groups", "categories"]),
        (("calendar", "account", "add", "--help"), ["--for-user"]),
        (("calendar", "event", "add", "--help"), ["--duration", "ISO 8601"]),
        (("contacts", "--help"), ["--duplicates", "new-uid", "--group"]),
        (("sync", "--help"), ["--allow-mass-delete", "--progress"]),
        (("backup", "--help"), ["restore"]),
    ],
)
def test_help_builds_the_whole_parser_without_network_or_database_code(
    tmp_path: Path, argv: tuple[str, ...], shown: list[str]
) -> None:
    rc, out, _err, modules = run_fresh(*argv, home=tmp_path)
    assert rc == 0
    assert out.startswith("usage: contactbox-sync")
    assert [word for word in shown if word not in out] == []
    assert loaded(modules, DATABASE_AND_NETWORK) == []
    assert not (tmp_path / "contactbox.sqlite3").exists()  # no database was opened


def test_the_help_speaks_the_language_chosen_before_the_parser_is_built(tmp_path: Path) -> None:
    _rc, german, _err, _modules = run_fresh("--help", home=tmp_path)
    _rc, english, _err, modules = run_fresh("--language", "en", "--help", home=tmp_path)
    assert "Datenverzeichnis" in german and "Data folder" not in german
    assert "Data folder" in english and "Datenverzeichnis" not in english
    assert loaded(modules, DATABASE_AND_NETWORK) == []


def test_wrong_usage_is_refused_before_anything_is_loaded(tmp_path: Path) -> None:
    rc, _out, err, modules = run_fresh("contacts", "frobnicate", home=tmp_path)
    assert rc == 2
    assert "invalid choice" in err
    assert loaded(modules, DATABASE_AND_NETWORK) == []


# ---------------------------------------------------------------- commands that read the store


@pytest.fixture
def home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    """A data home with an address book account bound to one server book, a calendar
    account and a contact (made in-process, with the tests' memory keyring)."""
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "geheim")
    home = tmp_path / "home"
    for args in (
        ("account", "add", "Firma", "--url", "https://dav.example", "--user", "eva",
         "--preset", "nextcloud", "--no-check"),
        ("calendar", "account", "add", "Termine", "--url", "https://cal.example", "--user",
         "eva", "--no-check"),
        ("contacts", "add", "--fn", "Anna Berg", "--email", "anna@example.org"),
    ):  # fmt: skip
        code, _out, err = cli_raw(home, capsys, *args)
        assert code == 0, (args, err)
    open_database(home / "contactbox.sqlite3")
    Binding.create(
        account=Account.get(Account.label == "Firma"),
        remote_href="/dav/eva/kontakte/",
        remote_name="Kontakte",
        book=cstore.ensure_book("Firma Kontakte"),
        operation="sync",
        option="server",
    )
    close_database()
    return home


def test_account_list_reads_the_store_without_the_http_stack(home: Path) -> None:
    rc, out, err, modules = run_fresh("--home", str(home), "account", "list", "--json", home=home)
    assert rc == 0, err
    [account] = json.loads(out)
    assert account["label"] == "Firma" and account["groups"] == "categories"
    assert account["books"] == [
        {"name": "Kontakte", "href": "/dav/eva/kontakte/", "local_book": "Firma Kontakte",
         "mode": "sync", "option": "server", "enabled": True, "last_sync": None}
    ]  # fmt: skip
    assert loaded(modules, (*NETWORK, "app.sync")) == []
    assert loaded(modules, MIGRATION_ONLY) == []  # the schema is current: nothing migrates
    assert "peewee" in modules  # (it did read the store)


def test_an_older_schema_still_migrates_importing_the_card_code_then(home: Path) -> None:
    """Version 8 fills the group columns from the cards (app/store/migrations.py imports the
    vCard package inside it): a version-7 file opened by a fresh process is migrated."""
    path = home / "contactbox.sqlite3"
    open_database(path)
    card = ("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c1\r\nFN:Carl Dorn\r\n"
            "CATEGORIES:Presse,Kunden\r\nEND:VCARD\r\n")  # fmt: skip
    cstore.add_contact(cstore.ensure_book("Firma Kontakte"), card)
    close_database()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE contact SET kind = '', members = '', categories = ''")
        con.execute("UPDATE meta_entry SET value = '7' WHERE key = 'schema_version'")
    con.close()
    rc, out, err, modules = run_fresh("--home", str(home), "account", "list", home=home)
    assert rc == 0, err
    assert "Firma" in out
    assert "app.vcard" in modules  # (the migration read the cards)
    con = sqlite3.connect(path)
    try:
        version = con.execute("SELECT value FROM meta_entry WHERE key = 'schema_version'")
        assert int(version.fetchone()[0]) == SCHEMA_VERSION
        categories = con.execute("SELECT categories FROM contact WHERE uid = 'c1'")
        assert categories.fetchone()[0] == "\x1fPresse\x1fKunden\x1f"
    finally:
        con.close()


def test_sync_loads_no_calendar_or_migration_code(home: Path) -> None:
    """A no-change `sync` needs the store, the HTTP stack and the address book engine; a
    server that refuses the connection (port 1 on this machine) ends the run after the
    sync code has loaded, with the report's network error. What it needs only for a
    refusal, a merge, a backup or a new binding is not imported at module level
    (`NO_CHANGE_SYNC_LEAVES_OUT`)."""
    open_database(home / "contactbox.sqlite3")
    Account.update(base_url="http://127.0.0.1:1/dav/").where(Account.label == "Firma").execute()
    close_database()
    rc, out, err, modules = run_fresh(
        "--home", str(home), "--password-stdin", "sync", "Firma", "--json", home=home,
        stdin="geheim\n",
    )  # fmt: skip
    report = json.loads(out)
    assert rc == 1, err
    assert report["status"] == "failed" and report["error_kind"] == "network"
    assert {"app.dav.http", "app.sync.engine", "app.dav.carddav"} <= modules  # (it did try)
    assert loaded(modules, CALENDAR_AND_MIGRATION) == []
    assert loaded(modules, NO_CHANGE_SYNC_NEEDS_NONE) == []
    assert loaded(modules, NO_CHANGE_SYNC_LEAVES_OUT) == []
    assert "app.vcard" in modules  # (named by the store and the engine, but not used)
    assert {"app.vcard.errors", "app.store.dbfile", "app.store.live_count"} <= modules


#: The command line's own process (`main()` without arguments, as `contactbox-sync` runs
#: it): which modules are loaded when the listing request's thread starts and when it
#: connects to the server (an audit hook: the first `socket.connect`).
_RUN_AS_COMMAND = (
    "import json, sys, threading\n"
    "seen = {}\n"
    "def note(what):\n"
    "    if what not in seen:\n"
    "        seen[what] = sorted(m for m in sys.modules if m.startswith(('app.', 'peewee',\n"
    "                                                                      'lxml')))\n"
    "        print('@@' + json.dumps([what, seen[what]]), file=sys.stderr, flush=True)\n"
    "def hook(event, args):\n"
    "    if event == 'socket.connect':\n"
    "        note('connect')\n"
    "sys.addaudithook(hook)\n"
    "start = threading.Thread.start\n"
    "def started(thread):\n"
    "    if thread.name == 'dav-listing':\n"
    "        note('thread')\n"
    "    start(thread)\n"
    "threading.Thread.start = started\n"
    "from app.cli import main\n"
    "sys.argv = ['contactbox-sync', *json.loads(sys.argv[1])]\n"
    "main()\n"
)

#: Not yet loaded when a `sync` of a current database sends its first request: the store
#: (peewee, the models), the XML parser, the CardDAV client and the sync code.
BEFORE_THE_REQUEST_NONE = ("peewee", "lxml", "app.store.models", "app.store.db",
                           "app.store.migrations", "app.accounts", "app.dav.xml",
                           "app.dav.carddav", "app.sync.jobs", "app.sync.engine",
                           "app.sync.execute", "app.sync.report", "app.cli.report_commands",
                           "app.cli.book_commands")  # fmt: skip


def run_as_command(home: Path, *argv: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    """`contactbox-sync ARGV` as its own process: the run, and the modules loaded at the
    listing thread's start ("thread") and at the first connect ("connect")."""
    done = python_fresh(_RUN_AS_COMMAND, json.dumps(list(argv)), home=home, stdin="geheim\n")
    seen = dict(json.loads(line[2:]) for line in done.stderr.splitlines() if line.startswith("@@"))
    return done, seen


def test_the_command_lines_sync_asks_the_server_before_the_store_opens(home: Path) -> None:
    """app/sync/head_start.py: with the schema current, the listing request goes out on its
    thread (here to a port that refuses the connection) before peewee, the models, lxml and
    the sync code are imported; they load while the server answers. The run then ends as
    always (the same report), the process by the fast exit with the database closed."""
    open_database(home / "contactbox.sqlite3")
    Account.update(base_url="http://127.0.0.1:1/dav/").where(Account.label == "Firma").execute()
    Binding.update(supports_sync=True, sync_token="http://radicale.org/ns/sync/1").execute()
    close_database()
    done, seen = run_as_command(
        home, "--home", str(home), "--password-stdin", "sync", "Firma", "--json"
    )
    report = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert report["status"] == "failed" and report["error_kind"] == "network"
    assert set(seen) == {"thread", "connect"}, done.stderr
    assert "app.dav.session" in seen["thread"]  # (the session is open)
    assert loaded(set(seen["thread"]), BEFORE_THE_REQUEST_NONE) == []
    assert loaded(set(seen["connect"]), BEFORE_THE_REQUEST_NONE) == []
    assert "app.dav.sync_report" in seen["connect"]  # (the REPORT is on its way)
    assert not (home / "contactbox.sqlite3-wal").exists()  # (closed before the fast exit)


def test_an_older_schema_is_migrated_before_the_request_goes_out(home: Path) -> None:
    """A file of an older schema is not read ahead: the store opens and migrates it first,
    then the listing request goes out (app/sync/head_start.py `head_start`, from the
    models) — the run is the same."""
    open_database(home / "contactbox.sqlite3")
    Account.update(base_url="http://127.0.0.1:1/dav/").where(Account.label == "Firma").execute()
    Binding.update(supports_sync=True, sync_token="http://radicale.org/ns/sync/1").execute()
    close_database()
    path = home / "contactbox.sqlite3"
    con = sqlite3.connect(path)
    with con:  # (version 12's migration makes a table if it is missing: repeatable)
        con.execute("UPDATE meta_entry SET value = '11' WHERE key = 'schema_version'")
    con.close()
    done, seen = run_as_command(
        home, "--home", str(home), "--password-stdin", "sync", "Firma", "--json"
    )
    report = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert report["status"] == "failed" and report["error_kind"] == "network"
    assert {"peewee", "app.store.models", "app.store.migrations"} <= set(seen["thread"])
    assert "peewee" in seen["connect"]
    con = sqlite3.connect(path)
    try:
        version = con.execute("SELECT value FROM meta_entry WHERE key = 'schema_version'")
        assert int(version.fetchone()[0]) == SCHEMA_VERSION
    finally:
        con.close()


def test_a_sync_without_a_database_asks_nothing_and_says_so(tmp_path: Path) -> None:
    """No database file yet: nothing is read or asked ahead; the store is made and the run
    says, as before, that there is no such account."""
    home = tmp_path / "home"
    done, seen = run_as_command(home, "--home", str(home), "--password-stdin", "sync", "Firma")
    assert done.returncode == 1
    assert "Den Account „Firma“ gibt es nicht" in done.stderr
    assert seen == {}
    assert (home / "contactbox.sqlite3").is_file()


def test_a_fallback_keyring_is_searched_for_at_every_start(tmp_path: Path) -> None:
    """As on a computer without a desktop keyring (no PYTHON_KEYRING_BACKEND; here only
    keyrings.alt's plaintext file is viable, priority 0.5): the backend keyring's search
    finds is a fallback and is not remembered (app/keyring_memo.py), so a later start
    searches again — a desktop keyring set up meanwhile would be chosen, as keyring itself
    would. (With a desktop keyring the memo's fast path applies: test_keyring_fast.py.)"""
    home = tmp_path / "home"
    desktop: dict[str, str | None] = {
        "PYTHON_KEYRING_BACKEND": None,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no keyringrc.cfg
        "XDG_DATA_HOME": str(tmp_path / "data"),  # (keyrings.alt's file)
    }

    def backend_modules(modules: set[str]) -> set[str]:
        return {m for m in modules if m.startswith(("keyring.backends.", "keyrings."))}

    rc, _out, err, first = run_fresh(
        "account", "add", "Firma", "--url", "http://127.0.0.1:1/dav/", "--user", "eva",
        "--no-check", home=home, env_update=desktop | {"CONTACTBOX_PASSWORD": "geheim"},
    )  # fmt: skip
    assert rc == 0, err
    assert "keyrings.alt.file" in first
    assert not (home / "keyring-backend.json").exists()
    rc, out, err, later = run_fresh(
        "account", "check", "Firma", "--json", home=home, env_update=desktop
    )
    check = json.loads(out)
    assert rc == 1 and "lehnt Verbindungen" in check["message"], err  # (the password was read)
    assert backend_modules(later) == backend_modules(first)  # keyring searched again


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("calendar", "account", "list"), "Termine"),
        (("account", "show", "Firma"), "Kontakte (/dav/eva/kontakte/)"),
        (("calendar", "account", "show", "Termine"), "Kalender: 0"),
        (("contacts", "list"), "Anna Berg"),
        (("contacts", "books"), "Firma Kontakte"),
        (("users", "list"), "Termin"),
        (("reports",), "Noch keine Berichte."),
    ],
)
def test_commands_that_only_read_the_store_load_no_network_code(
    home: Path, argv: tuple[str, ...], expected: str
) -> None:
    rc, out, err, modules = run_fresh("--home", str(home), *argv, home=home)
    assert rc == 0, err
    assert expected in out
    assert loaded(modules, NETWORK) == []


def test_an_unknown_account_still_gets_the_cores_message(home: Path) -> None:
    """`account show` reads the store first; only for a label it does not find does it ask
    app/accounts.py, whose refusal names the accounts there are."""
    rc, out, err, _modules = run_fresh("--home", str(home), "account", "show", "Nope", home=home)
    assert rc == 1 and out == ""
    assert err.startswith("contactbox-sync: Den Account „Nope“ gibt es nicht")
    assert "Firma" in err


# ------------------------------------------------ the parser's copies of the core's words


def test_the_parsers_choices_are_the_stores() -> None:
    """The parser names the group styles and duplicate rules without importing the store:
    its words must stay the store's."""
    assert tuple(STYLE_WORDS) == groups.STYLES
    modes = {STORE_DUPLICATES.get(word, word) for word in DUPLICATES}
    assert modes == set(DUPLICATE_MODES)


# ------------------------------------------------ building only the command that runs

SAMPLE_LINES = [
    ["--home", "/tmp/x", "account", "add", "A", "--url", "u", "--user", "e", "--groups", "both"],
    ["account", "set", "A", "--enabled", "off", "--json"],
    ["--password-stdin", "sync", "A", "--progress"],
    ["run", "A", "--book", "/b/", "--mode", "import", "--option", "update"],
    ["calendar", "account", "list", "--json"],
    ["calendar", "event", "add", "--summary", "S", "--start", "2026-12-24", "--duration", "2d"],
    ["contacts", "show", "--book", "B", "--trash"],
    ["contacts", "import", "f.vcf", "--duplicates", "new-uid"],
    ["users", "rename", "Eva", "Eva B."],
    ["backup", "restore", "x.sqlite3", "--json"],
    ["reports", "A", "--id", "3"],
    ["daemon", "--once"],
    ["binding", "disable", "A", "--book", "B"],
]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_parser_without_any_command_built_lists_the_same_commands(language: str) -> None:
    from app import i18n
    from app.cli.parser import build_parser

    i18n.set_language(language)
    try:
        assert build_parser(only=()).format_help() == build_parser().format_help()
    finally:
        i18n.set_language("de")


@pytest.mark.parametrize("argv", SAMPLE_LINES, ids=lambda a: " ".join(a[:3]))
def test_a_command_line_parses_the_same_with_only_its_command_built(argv: list[str]) -> None:
    """app/cli/entry.py finds the command with nothing built, then builds only it: every
    option and the function that runs must come out as with the whole parser."""
    from app.cli.parser import build_parser

    command = build_parser(only=()).parse_known_args(argv)[0].command
    assert command == next(w for w in argv if not w.startswith("-") and w != "/tmp/x")
    only = build_parser(only=(command,)).parse_known_args(argv)
    whole = build_parser().parse_known_args(argv)
    assert vars(only[0]) == vars(whole[0]) and only[1] == whole[1]


# ------------------------------------------------ the end of the command line's process


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (["--version"], 0, "contactbox-sync 0.1.0"),
        (["contacts", "frobnicate"], 2, "invalid choice"),
        (["account", "show", "Nope"], 1, "gibt es nicht"),
    ],
)
def test_the_command_lines_process_ends_with_its_code_output_and_exit_handlers(
    tmp_path: Path, argv: list[str], code: int, said: str
) -> None:
    """`main()` without arguments ends the process itself (os._exit, app/cli/entry.py):
    the exit code is the command's, everything printed arrives, and the exit handlers
    (logging's, and any other) still run — after the command's output."""
    run = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print('exit handler ran', flush=True))\n"
        "from app.cli import main\n"
        "sys.argv = ['contactbox-sync', *json.loads(sys.argv[1])]\n"
        "main()\n"
        "print('not reached')\n"
    )
    done = python_fresh(run, json.dumps(argv), home=tmp_path)
    assert done.returncode == code, done.stderr
    assert said in done.stdout + done.stderr
    assert done.stdout.endswith("exit handler ran\n") and "not reached" not in done.stdout
