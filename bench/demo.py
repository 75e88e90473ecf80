"""The whole demo in one command: seeded Radicale + a throw-away Contactbox home + the window.

    python -m bench.demo [--contacts 300] [--port 0] [--home DIR] [--no-gui] [--system-keyring]

1. seeds and starts the demo Radicale of ``bench.demo_server`` (user demo / demo, the books
   "Kontakte" with ``--contacts`` cards and "Bewerber_innen" with 25) on 127.0.0.1 —
   ``--port 0`` (the default) takes a free port;
2. creates a Contactbox home (a temporary folder, removed at the end, or ``--home DIR``,
   which is kept) and adds the account "Demo" there through the core
   (``app.accounts.add_account``), then lists the server's books with their counts;
3. starts the window (``python -m ui.app --home HOME``) and waits for it;
4. stops Radicale and removes the temporary folders when the window is closed, on Ctrl+C
   or SIGTERM.

Keyring: the app keeps passwords in the keyring under "account-<number>", the same key for
every home, so the demo must not write into the user's real keyring (it would overwrite the
password of the user's own first account).  By default the demo therefore uses the plain-text
file keyring of ``keyrings.alt`` in a temporary ``XDG_DATA_HOME``, for itself and for the
window it starts (``PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring``), and says so.
``--system-keyring`` uses the system's keyring instead.

``--no-gui`` does steps 1, 2 and 4 only and prints the account set-up (for tests and scripts).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from bench import demo_server
from bench.demo_server import EXTRA_BOOK, EXTRA_CONTACTS, EXTRA_SEED, DemoServerError

ROOT = Path(__file__).resolve().parents[1]
LABEL = "Demo"
USER = "demo"
PASSWORD = "demo"
BOOK = "Kontakte"
PLAINTEXT_KEYRING = "keyrings.alt.file.PlaintextKeyring"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.demo",
        description=(
            "Demo in einem Befehl: Radicale mit Beispielkontakten, Account „Demo“ und das "
            "Fenster. / One-command demo: Radicale with sample contacts, the account "
            '"Demo" and the window.'
        ),
    )
    p.add_argument("--contacts", type=int, default=300, help="Kontakte in „Kontakte“ (300)")
    p.add_argument("--port", type=int, default=0, help="Port des Servers; 0 = freier Port")
    p.add_argument(
        "--home",
        type=Path,
        help="Contactbox-Datenverzeichnis (bleibt erhalten); sonst ein temporäres",
    )
    p.add_argument(
        "--no-gui",
        action="store_true",
        help="nur Server und Account einrichten, ausgeben und beenden / no window",
    )
    p.add_argument(
        "--system-keyring",
        action="store_true",
        help="den Schlüsselbund des Systems verwenden statt einer temporären Datei",
    )
    return p


def _say(text: str) -> None:
    print(text, flush=True)


def use_demo_keyring(folder: Path, env: dict[str, str]) -> Path:
    """Plain-text keyring in ``folder`` (as XDG_DATA_HOME) for us and for the window."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    env["PYTHON_KEYRING_BACKEND"] = PLAINTEXT_KEYRING
    env["XDG_DATA_HOME"] = str(folder)
    os.environ["PYTHON_KEYRING_BACKEND"] = PLAINTEXT_KEYRING
    os.environ["XDG_DATA_HOME"] = str(folder)
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    return Path(backend.file_path)


def add_demo_account(home: Path, root_url: str) -> tuple[bool, list[tuple[str, int]]]:
    """Account "Demo" in ``home`` for the server at ``root_url``.

    Returns (newly created?, [(server book, cards on the server)]).

    An existing "Demo" account (a kept ``--home``) is pointed at this server.
    """
    from app import secrets
    from app.accounts import add_account
    from app.dav.discovery import build_base_url
    from app.paths import data_home, database_path
    from app.store.db import close_database, open_database
    from app.store.models import Account
    from app.sync.jobs import book_overview

    open_database(database_path(data_home(home)))
    try:
        account = Account.get_or_none(Account.label == LABEL)
        created = account is None
        if account is None:
            account = add_account(
                LABEL, server=root_url, username=USER, password=PASSWORD, preset="radicale"
            )
        else:
            account.server, account.port, account.path = root_url, None, ""
            account.username, account.preset = USER, "radicale"
            account.base_url = build_base_url(root_url, None, "", "radicale")
            account.save()
            secrets.set_password(account.id, PASSWORD)
        return created, [(ov.remote.display_name, ov.server_count) for ov in book_overview(account)]
    finally:
        close_database()


def stop_child(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.contacts < 0:
        print("--contacts muss >= 0 sein / must be >= 0", file=sys.stderr)
        return 2

    def on_sigterm(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # runs the finally blocks: Radicale is stopped

    signal.signal(signal.SIGTERM, on_sigterm)
    work = Path(tempfile.mkdtemp(prefix="contactbox-demo-"))
    radicale: subprocess.Popen[bytes] | None = None
    window: subprocess.Popen[bytes] | None = None
    env = dict(os.environ)
    try:
        port = args.port or free_port()
        root_url = f"http://127.0.0.1:{port}/"
        home = (args.home or work / "home").resolve()
        if not args.system_keyring:
            keyring_file = use_demo_keyring(work / "xdg-data", env)
            _say(
                "Schlüsselbund: Das Demo-Passwort liegt im Klartext-Schlüsselbund von "
                f"keyrings.alt in einem temporären Ordner ({keyring_file}); gesetzt für die "
                f"Demo und das Fenster: PYTHON_KEYRING_BACKEND={PLAINTEXT_KEYRING}, "
                f"XDG_DATA_HOME={work / 'xdg-data'}.\n"
                "Keyring: the demo password is kept in keyrings.alt's plain-text keyring in a "
                "temporary folder (see above), for the demo and the window; your system "
                "keyring is not touched (--system-keyring uses it)."
            )

        books = {BOOK: (args.contacts, 0), EXTRA_BOOK: (EXTRA_CONTACTS, EXTRA_SEED)}
        if not demo_server.port_is_free(port):
            raise DemoServerError(
                f"Port {port} ist belegt – anderen mit --port wählen (0 = freier Port).\n"
                f"Port {port} is in use – choose another one with --port (0 = a free one)."
            )
        config, _seeded, seconds = demo_server.prepare(work / "server", USER, PASSWORD, books)
        total = args.contacts + EXTRA_CONTACTS
        _say(f"Server-Speicher: {total} Kontakte in {seconds:.1f} s / seeded {total} contacts")
        radicale = subprocess.Popen(
            demo_server.radicale_argv(config, port),
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=demo_server.radicale_env(),
        )
        threading.Thread(target=demo_server._relay_log, args=(radicale,), daemon=True).start()
        demo_server.wait_until_up(radicale, port, demo_server.STARTUP_TIMEOUT)
        _say(
            f"Radicale läuft / is running: {root_url}  (Benutzer/user {USER}, "
            f"Passwort/password {PASSWORD}, PID {radicale.pid})"
        )

        created, found = add_demo_account(home, root_url)
        listing = ", ".join(f"„{name}“ ({n})" for name, n in found)
        if created:
            _say(f"Account „{LABEL}“ angelegt / added in {home}")
        else:
            _say(f"Account „{LABEL}“ auf diesen Server umgestellt / pointed at this server: {home}")
        _say(f"  Adressbücher auf dem Server / books on the server: {listing}")
        prefix = (
            ""
            if args.system_keyring
            else (f"PYTHON_KEYRING_BACKEND={PLAINTEXT_KEYRING} XDG_DATA_HOME={work / 'xdg-data'} ")
        )
        _say(
            "  Kommandozeile, solange die Demo läuft / command line while the demo runs:\n"
            f"    {prefix}contactbox-sync --home {home} books {LABEL}"
        )

        if args.no_gui:
            _say("--no-gui: Server wird beendet / stopping the server.")
            return 0

        argv_gui = [sys.executable, "-m", "ui.app", "--home", str(home)]
        _say("Fenster wird gestartet / starting the window: " + " ".join(argv_gui))
        _say(
            "Beim Schließen des Fensters wird Radicale beendet / closing the window stops Radicale."
        )
        window = subprocess.Popen(argv_gui, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        code = window.wait()
        _say(f"Fenster beendet (Status {code}) / window closed (status {code}).")
        return 0 if code == 0 else 1
    except DemoServerError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say("\nDemo wird beendet … / stopping the demo …")
        return 130
    except Exception as exc:  # the core's errors are German one-liners
        print(f"Demo fehlgeschlagen / demo failed: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not stop this
        with contextlib.suppress(KeyboardInterrupt):
            stop_child(window)
            if radicale is not None:
                demo_server.stop_process(radicale)
                _say("Radicale beendet / stopped.")
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
