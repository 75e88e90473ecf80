"""How `contactbox-sync` runs one command line (`main`, the entry point): parse it (the
contact reference of `contacts` may come after the options), choose the password store,
read --password-stdin's password for the one account the command names (and forget it
when the call ends), open the database (not for `backup`), run the command, and turn every
refusal of the core into one line on stderr and its exit code (app/cli/common.py).

Start-up stays lean: this module, the parser and app/cli/__init__.py import no store,
network, keyring or sync code (`--version` and `--help` end before any is needed); the
database is opened, and each command's implementation imported, only when a command runs.
The command line's own `sync` sends its first listing request before the database opens
(app/sync/head_start.py `early_head_start`: read with sqlite3 when the schema is current).
The core's refusals are recognized by their classes — looked up among the modules already
loaded (`_refusal`): an exception of a module never imported cannot have been raised."""

from __future__ import annotations

import argparse
import contextlib
import gettext
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from app import i18n, secrets
from app.cli.account_words import use_stdin_password
from app.cli.backup import BACKUP_HINT
from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CliError
from app.cli.contacts import NEEDS_REF, take_words
from app.cli.parser import build_parser
from app.i18n import N_, _
from app.paths import data_home, database_path
from app.secrets import NO_STORE_MESSAGE, NoPasswordStore

if TYPE_CHECKING:
    from app.store.models import Account

NO_STORE_CLI = N_(
    "Auf diesem Computer wurde kein Passwortspeicher (Schlüsselbund) gefunden, daher kann "
    "das Passwort nicht sicher gespeichert werden. Sie können: (a) einen Schlüsselbund "
    "einrichten – z. B. GNOME Keyring (Paket „gnome-keyring“) oder KWallet, bei einer "
    "Installation mit pip auch „pip install keyrings.alt“ – und erneut aufrufen; "
    "(b) --password-store file angeben: das Passwort wird in einer Datei gespeichert, die "
    "nur Ihr Benutzerkonto lesen kann – unverschlüsselt: wer Zugriff auf Ihr Benutzerkonto "
    "oder eine Sicherung davon hat, kann es lesen; (c) --password-store session angeben: "
    "nichts wird gespeichert, das Passwort geben Sie bei jedem Abgleich mit "
    "--password-stdin ein."
)


DAEMON_STDIN = N_(
    "--password-stdin gilt nur für den einen Account, den ein Befehl nennt, und nicht für "
    "„daemon“: der gleicht alle Accounts ab, jeden mit seinem gespeicherten Passwort. "
    "Bitte speichern Sie die Passwörter (im Schlüsselbund oder mit --password-store file) "
    "und rufen Sie „daemon“ ohne --password-stdin auf."
)


def _stdin_account(args: argparse.Namespace) -> Account | None:
    """The existing account the command names, which --password-stdin's password is for
    (None: the command adds the account - `app.cli.accounts.password` takes it - or names none)."""
    label = getattr(args, "label", None)
    if not label or getattr(args, "action", None) == "add":
        return None
    from app.store.models import Account

    kind = "caldav" if args.command == "calendar" else "carddav"
    account: Account | None = Account.get_or_none((Account.label == label) & (Account.kind == kind))
    return account


def _password_from_stdin() -> str:
    """One line from stdin (without its line end) as this call's password."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CliError(_("--password-stdin: auf der Standardeingabe kam kein Passwort an."))
    return password


#: The core's refusals that end a command with their message on stderr (exit 1), in the
#: order they are tried: (module, class name, how its message is read).
_REFUSALS: tuple[tuple[str, str, str], ...] = (
    ("app.store.db", "DamagedDatabaseError", "damaged"),
    ("app.store.dbfile", "BackupError", "str"),  # (app.store.backups re-exports it)
    ("app.accounts", "AccountError", "str"),
    ("app.sync.jobs", "JobError", "str"),
    ("app.store.contacts", "StoreError", "str"),
    ("app.secrets", "SecretError", "str"),
    ("app.store.db", "DatabaseError", "str"),
    ("app.dav.errors", "DavError", "message"),
    ("app.vcard.errors", "CardError", "message"),
)


def _refusal(exc: Exception) -> str | None:
    """The one line for a refusal of the core (`_REFUSALS`), None for any other exception.
    Only modules already loaded are asked: an exception of a module never imported cannot
    have been raised, and looking it up must not import it."""
    for module_name, class_name, how in _REFUSALS:
        module = sys.modules.get(module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if cls is None or not isinstance(exc, cls):
            continue
        if how == "damaged":
            return f"{exc} {_(BACKUP_HINT)}"
        if how == "message":
            return str(getattr(exc, "message", exc))
        return str(exc)
    return None


def _fail(message: str, code: int = EXIT_FAIL) -> NoReturn:
    print(f"contactbox-sync: {message}", file=sys.stderr)
    raise SystemExit(code)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, options and the contact reference in any order: argparse hands
    out `contacts ACTION [REF] [WORT …]` in one go, so in `contacts show --book B REF` the
    REF after the options is left over — `take_words` puts it (and with `contacts group`
    the group and its contacts) where it belongs."""
    # First the options before the command and the command's name, with no command's own
    # options built (`--version`, `--help` and a wrong command end here), then the parser
    # with only that command built (app/cli/parser.py).
    command = build_parser(only=()).parse_known_args(argv)[0].command
    parser = build_parser(only=(command,))
    args, extra = parser.parse_known_args(argv)
    if args.command == "contacts":
        extra = take_words(args, extra)
    if extra:
        # argparse's own words (as parse_args() says them: Python's gettext, not ours)
        parser.error(gettext.gettext("unrecognized arguments: %s") % " ".join(extra))
    return args


def language_option(argv: Sequence[str]) -> str | None:
    """The value of `--language X` / `--language=X` before the parser is built (its help
    texts are in that language already); None if not given."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--language" and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--language="):
            return word.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line: `argv`, or (None) the process's own, as the entry point
    `contactbox-sync` and `python -m app.cli` call it — then the process ends here, by
    `_exit_now` (the caller's `sys.exit` is not reached)."""
    if argv is not None:
        return _run(argv)
    try:
        code = _run(sys.argv[1:], own_process=True)
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        code = exc.code or 0
    _exit_now(code)


def _exit_now(code: int) -> NoReturn:
    """End the process as the interpreter would, without its teardown of every module
    (~40 ms after a `sync`, which loads ~600; issue 21): no other thread may still run,
    the database is closed (SQLite checkpoints and removes its -wal file as on any close),
    the exit handlers run (logging's flush among them) and stdout and stderr are flushed.
    If any of that is not so, the interpreter ends the process itself, as before."""
    import threading

    if any(
        t.is_alive() and not t.daemon
        for t in threading.enumerate()
        if t is not threading.main_thread()
    ):
        raise SystemExit(code)
    try:
        store_db = sys.modules.get("app.store.db")
        if store_db is not None:
            store_db.close_database()
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        raise SystemExit(code) from None  # (what failed is said by the normal exit)
    os._exit(code)


def _run(words: Sequence[str], *, own_process: bool = False) -> int:
    """`own_process`: the command line's own process (`main()`), which a command may use
    for what an in-process caller must not see (app/sync/head_start.py)."""
    words = list(words)
    i18n.set_language(language_option(words) or i18n.language_from_environment())
    args = _parse(words)
    args.own_process = own_process
    if args.command == "contacts" and args.action in NEEDS_REF and not args.ref:
        _fail(_("Bitte den Kontakt angeben (Nr., UID oder Name)."), EXIT_USAGE)
    if args.password_stdin and args.command == "daemon":
        _fail(_(DAEMON_STDIN), EXIT_USAGE)
    remembered: int | None = None
    try:
        with contextlib.ExitStack() as early:
            if args.password_store:
                secrets.choose_store(args.password_store)
            stdin_password = _password_from_stdin() if args.password_stdin else None
            calendar_run = args.command == "calendar" and args.calendar_command == "run"
            if own_process and (args.command in ("sync", "run") or calendar_run):
                # The first listing request goes out before the store and the sync code
                # load, which then load while the server answers (app/sync/head_start.py).
                from app.sync.head_start import CalendarRun, OneBook, early_head_start

                what: OneBook | CalendarRun | None = None
                if args.command == "run":
                    what = OneBook(args.book, args.mode, args.option, args.local_book)
                elif calendar_run:
                    what = CalendarRun(args.user)
                args.early_start = early.enter_context(
                    early_head_start(
                        database_path(data_home(args.home)), args.label, stdin_password, what
                    )
                )
            if args.command != "backup":  # backups work on a damaged database too
                from app.store.db import open_database

                open_database(database_path(data_home(args.home)))
                if stdin_password is not None:
                    use_stdin_password(stdin_password)
                    account = _stdin_account(args)
                    if account is not None:
                        secrets.remember_for_session(account.id, stdin_password)
                        remembered = account.id
            code: int = args.func(args)
    except CliError as exc:
        _fail(str(exc), exc.code)
    except NoPasswordStore as exc:
        # (the message of app/secrets.py, in German or already translated there)
        no_store = str(exc) in (NO_STORE_MESSAGE, _(NO_STORE_MESSAGE))
        _fail(_(NO_STORE_CLI) if no_store else str(exc))
    except KeyboardInterrupt:
        _fail(_("Abgebrochen."), 130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        said = _refusal(exc)
        if said is not None:
            _fail(said)
        if isinstance(exc, ValueError):
            _fail(str(exc), EXIT_USAGE)
        raise
    finally:
        use_stdin_password(None)
        if remembered is not None:  # this call's password is not kept for a next call
            secrets.forget_for_session(remembered)
    return code
