"""A local Radicale CardDAV server with a seeded address book, for newcomers and demos.

    python -m bench.demo_server [--port 5232] [--dir DIR] [--contacts 1000] [--user demo]
                                [--password demo] [--book Kontakte] [--no-extra-book]
                                [--reset] [--warm]

The storage is a Radicale filesystem storage (``DIR/collections``) with htpasswd auth
(plain passwords, ``DIR/users``) and a config file (``DIR/radicale.conf``).  The cards are
written straight into the collection folders, as Radicale 3.9's multifilesystem storage
keeps them::

    DIR/collections/collection-root/<user>/                  principal (a plain folder)
    DIR/collections/collection-root/<user>/<book-id>/        one address book
        .Radicale.props    {"D:displayname": "<book>", "tag": "VADDRESSBOOK"}
        <UID>.vcf          one vCard per file

That takes about a second for 1,000 cards, where 1,000 PUTs take minutes (Radicale's PUT
cost grows with the size of the book).  Radicale builds its item cache
(``<book-id>/.Radicale.cache/``) on the first listing of the book; ``--warm`` does that
listing right after the start.  A second start with the same parameters reuses the storage
(and its cache, and whatever a sync changed in it) unless ``--reset`` is given.

``seed_storage()`` is importable for tests and benchmarks.  Only the standard library and
Radicale (started as ``python -m radicale``) are used.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from bench.cards import generate_cards

DEFAULT_DIR = Path(tempfile.gettempdir()) / "contactbox-demo-server"
DEFAULT_PORT = 5232
EXTRA_BOOK = "Bewerber_innen"
EXTRA_CONTACTS = 25
EXTRA_SEED = 1  # another seed than the main book: other people, other UIDs

MARKER = "contactbox-demo.json"  # the parameters a storage was seeded with
CONFIG = "radicale.conf"
USERS = "users"
COLLECTIONS = "collections"
MARKER_FORMAT = 1

STARTUP_TIMEOUT = 30.0
WARM_TIMEOUT = 600.0

PROPFIND_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:getcontenttype/></D:prop></D:propfind>'
)


class DemoServerError(RuntimeError):
    """Something the user must fix (busy port, foreign folder); the message is bilingual."""


# ---------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------


def book_id(name: str) -> str:
    """Folder/URL name of a book: 'Bewerber_innen' -> 'bewerber_innen', 'Kontakte' -> 'kontakte'."""
    s = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9_-]+", "-", s).strip("-")
    return s or "book"


def book_url(root_url: str, user: str, name: str) -> str:
    """The URL of a seeded book below ``root_url`` (which ends with '/')."""
    return f"{root_url}{quote(user, safe='')}/{book_id(name)}/"


def _config_text(folder: Path, port: int) -> str:
    return (
        "# Written by bench/demo_server.py; the port can be overridden with --server-hosts.\n"
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = htpasswd\n"
        f"htpasswd_filename = {folder / USERS}\n"
        "htpasswd_encryption = plain\n"
        "delay = 0\n"
        "[rights]\n"
        "type = owner_only\n"
        "[storage]\n"
        f"filesystem_folder = {folder / COLLECTIONS}\n"
        "[web]\n"
        "type = internal\n"
        "[logging]\n"
        "level = warning\n"
        "mask_passwords = True\n"
    )


def seed_storage(
    dir: str | Path,
    user: str,
    password: str,
    books: Mapping[str, Sequence[tuple[str, str]]],
    *,
    port: int = DEFAULT_PORT,
) -> Path:
    """Create a Radicale storage in ``dir`` holding ``books`` ({display name: cards}) of ``user``.

    Writes ``dir/users`` (htpasswd, plain), ``dir/radicale.conf`` (listening on
    127.0.0.1:``port``; start with ``--server-hosts 127.0.0.1:OTHER`` for another port) and one
    folder per book with its ``.Radicale.props`` and one ``<UID>.vcf`` file per card.  The
    user's earlier collections in ``dir`` are replaced.  Returns the config file's path.
    """
    if ":" in user or "/" in user or not user:
        raise ValueError(f"unusable user name {user!r}")
    folder = Path(dir).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / USERS).write_text(f"{user}:{password}\n", encoding="utf-8")
    config = folder / CONFIG
    config.write_text(_config_text(folder, port), encoding="utf-8")

    principal = folder / COLLECTIONS / "collection-root" / user
    if principal.exists():
        shutil.rmtree(principal)
    principal.mkdir(parents=True)
    seen_ids: set[str] = set()
    for name, cards in books.items():
        bid = book_id(name)
        if bid in seen_ids:
            raise ValueError(f"two books map to the folder {bid!r}")
        seen_ids.add(bid)
        book = principal / bid
        book.mkdir()
        props = {"D:displayname": name, "tag": "VADDRESSBOOK"}
        (book / ".Radicale.props").write_text(json.dumps(props, sort_keys=True), encoding="utf-8")
        for uid, text in cards:
            href = f"{uid}.vcf"
            if "/" in href or href.startswith("."):
                raise ValueError(f"UID {uid!r} is no safe file name")
            # newline="": keep the cards' CRLF exactly as generated
            with open(book / href, "x", encoding="utf-8", newline="") as f:
                f.write(text)
    return config


def _wanted(user: str, password: str, books: Mapping[str, tuple[int, int]]) -> dict[str, object]:
    return {
        "format": MARKER_FORMAT,
        "user": user,
        "password": password,
        "books": {name: {"contacts": n, "seed": seed} for name, (n, seed) in books.items()},
    }


def _reusable(folder: Path, wanted: dict[str, object]) -> bool:
    try:
        found = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if found != wanted or not (folder / CONFIG).is_file():
        return False
    principal = folder / COLLECTIONS / "collection-root" / str(wanted["user"])
    names = wanted["books"]
    assert isinstance(names, dict)
    return all((principal / book_id(name) / ".Radicale.props").is_file() for name in names)


def prepare(
    folder: Path,
    user: str,
    password: str,
    books: Mapping[str, tuple[int, int]],
    *,
    reset: bool = False,
) -> tuple[Path, bool, float]:
    """Seed ``folder`` unless it already holds these books: (config, seeded?, seconds)."""
    folder = folder.resolve()
    wanted = _wanted(user, password, books)
    if not reset and _reusable(folder, wanted):
        return folder / CONFIG, False, 0.0
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise DemoServerError(
            f"Der Ordner {folder} ist nicht leer und gehört nicht zum Demo-Server; bitte einen "
            f"anderen mit --dir angeben.\n"
            f"The folder {folder} is not empty and is no demo server folder; choose another "
            f"one with --dir."
        )
    started = time.perf_counter()
    for stale in (COLLECTIONS, MARKER):
        path = folder / stale
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    cards = {name: generate_cards(n, seed=seed) for name, (n, seed) in books.items()}
    config = seed_storage(folder, user, password, cards)
    (folder / MARKER).write_text(json.dumps(wanted, indent=2, sort_keys=True), encoding="utf-8")
    return config, True, time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Radicale process and requests
# ---------------------------------------------------------------------------------------------


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if nothing listens on host:port (connections in TIME_WAIT don't count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if os.name != "nt":  # as Radicale's server does; on Windows it would allow doubles
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def radicale_argv(config: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        str(config),
        "--server-hosts",
        f"127.0.0.1:{port}",
    ]


def radicale_env() -> dict[str, str]:
    """The environment for Radicale without RADICALE_CONFIG (a user's config must not mix in)."""
    return {k: v for k, v in os.environ.items() if k != "RADICALE_CONFIG"}


def dav_request(
    method: str,
    url: str,
    auth: tuple[str, str] | None,
    *,
    body: str | None = None,
    depth: str | None = None,
    timeout: float = 30.0,
) -> tuple[int, bytes]:
    """One HTTP request with Basic auth (UTF-8) -> (status, body); no proxy, no redirects."""
    headers = {"Content-Type": "application/xml; charset=utf-8"} if body is not None else {}
    if depth is not None:
        headers["Depth"] = depth
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    data = body.encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def vcard_hrefs(multistatus: bytes) -> list[str]:
    """Hrefs of the members (not the collection itself) in a PROPFIND multistatus body."""
    root = ElementTree.fromstring(multistatus)
    hrefs = (r.findtext("{DAV:}href") or "" for r in root.iter("{DAV:}response"))
    return [h for h in hrefs if h and not h.endswith("/")]


def wait_until_up(proc: subprocess.Popen[bytes], port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise DemoServerError(
                f"Radicale hat sich beim Start beendet (Status {proc.returncode}).\n"
                f"Radicale exited during startup (status {proc.returncode})."
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        if time.monotonic() > deadline:
            raise DemoServerError(
                f"Radicale antwortet nicht auf Port {port}.\nRadicale does not answer on {port}."
            )
        time.sleep(0.05)


def warm(
    root_url: str, user: str, password: str, books: Sequence[str]
) -> dict[str, tuple[int, float]]:
    """PROPFIND depth 1 on each book (builds Radicale's item cache): {book: (cards, seconds)}."""
    result: dict[str, tuple[int, float]] = {}
    for name in books:
        started = time.perf_counter()
        status, body = dav_request(
            "PROPFIND",
            book_url(root_url, user, name),
            (user, password),
            body=PROPFIND_ETAGS,
            depth="1",
            timeout=WARM_TIMEOUT,
        )
        if status != 207:
            raise DemoServerError(f"PROPFIND {name}: HTTP {status}")
        result[name] = (len(vcard_hrefs(body)), time.perf_counter() - started)
    return result


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def _shell_quote(s: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", s):
        return s
    return "'" + s.replace("'", "'\"'\"'") + "'"


def account_command(root_url: str, user: str, password: str, label: str = "Demo") -> str:
    """The `contactbox-sync account add` line for this server (PowerShell form on Windows)."""
    cmd = (
        f"contactbox-sync account add {_shell_quote(label)} --url {root_url} "
        f"--user {_shell_quote(user)} --preset radicale"
    )
    if os.name == "nt":
        return f'$env:CONTACTBOX_PASSWORD="{password}"; {cmd}'
    return f"CONTACTBOX_PASSWORD={_shell_quote(password)} {cmd}"


def banner(
    root_url: str,
    user: str,
    password: str,
    books: Mapping[str, int],
    folder: Path,
) -> str:
    books_de = ", ".join(f"„{name}“ ({n} Kontakte)" for name, n in books.items())
    books_en = ", ".join(f'"{name}" ({n} contacts)' for name, n in books.items())
    cmd = account_command(root_url, user, password)
    rule = "=" * 72
    return "\n".join(
        [
            rule,
            "Contactbox Demo-Server (Radicale) läuft – beenden mit Strg+C",
            rule,
            f"  Serveradresse:  {root_url}",
            f"  Benutzer:       {user}",
            f"  Passwort:       {password}",
            f"  Adressbücher:   {books_de}",
            f"  Daten:          {folder}",
            "",
            "  Account in Contactbox Sync anlegen (oder dieselben Angaben im Dialog",
            "  „Account hinzufügen“ eintragen, Servertyp Radicale):",
            "",
            f"    {cmd}",
            "",
            rule,
            "Contactbox demo server (Radicale) is running – stop it with Ctrl+C",
            rule,
            f"  Server address: {root_url}",
            f"  User:           {user}",
            f"  Password:       {password}",
            f"  Address books:  {books_en}",
            f"  Data:           {folder}",
            "",
            "  Add the account to Contactbox Sync (or type the same into the",
            "  “Add account” dialog, server type Radicale):",
            "",
            f"    {cmd}",
            rule,
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.demo_server",
        description=(
            "Lokaler Radicale-CardDAV-Server mit Beispielkontakten für Demos. / "
            "Local Radicale CardDAV server with sample contacts for demos."
        ),
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="Port (127.0.0.1)")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"Daten / data ({DEFAULT_DIR})")
    p.add_argument("--contacts", type=int, default=1000, help="Kontakte im Hauptadressbuch")
    p.add_argument("--user", default="demo")
    p.add_argument("--password", default="demo")
    p.add_argument("--book", default="Kontakte", help="Name des Hauptadressbuchs")
    p.add_argument("--seed", type=int, default=0, help="Zufallsstartwert der Kontakte")
    p.add_argument(
        "--extra-book",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"zweites Adressbuch „{EXTRA_BOOK}“ mit {EXTRA_CONTACTS} Kontakten",
    )
    p.add_argument("--reset", action="store_true", help="Speicher neu anlegen / reseed")
    p.add_argument(
        "--warm", action="store_true", help="Cache nach dem Start aufbauen / build cache"
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.contacts < 0:
        print("--contacts muss >= 0 sein / must be >= 0", file=sys.stderr)
        return 2
    books: dict[str, tuple[int, int]] = {args.book: (args.contacts, args.seed)}
    if args.extra_book and book_id(EXTRA_BOOK) != book_id(args.book):
        books[EXTRA_BOOK] = (EXTRA_CONTACTS, EXTRA_SEED)
    folder: Path = args.dir.resolve()
    root_url = f"http://127.0.0.1:{args.port}/"

    try:
        if not port_is_free(args.port):
            raise DemoServerError(
                f"Port {args.port} ist belegt – läuft der Demo-Server schon? Anderen Port mit "
                f"--port wählen.\nPort {args.port} is in use – is the demo server already "
                f"running? Choose another one with --port."
            )
        config, seeded, seconds = prepare(folder, args.user, args.password, books, reset=args.reset)
        total = sum(n for n, _ in books.values())
        if seeded:
            print(
                f"Speicher angelegt: {total} Kontakte in {seconds:.1f} s / "
                f"storage seeded: {total} contacts in {seconds:.1f} s ({folder})",
                flush=True,
            )
        else:
            print(
                f"Vorhandener Speicher wird weiterverwendet (--reset legt ihn neu an) / "
                f"reusing the existing storage (--reset reseeds it): {folder}",
                flush=True,
            )

        proc = subprocess.Popen(
            radicale_argv(config, args.port),
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=radicale_env(),
        )
        threading.Thread(target=_relay_log, args=(proc,), daemon=True).start()
    except DemoServerError as exc:
        print(exc, file=sys.stderr)
        return 1

    def on_sigterm(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # runs the finally below: Radicale is stopped too

    signal.signal(signal.SIGTERM, on_sigterm)
    interrupted = False
    try:
        try:
            wait_until_up(proc, args.port, STARTUP_TIMEOUT)
            if args.warm:
                print(
                    "Baue Radicales Cache auf (erste Auflistung) … / "
                    "building Radicale's cache (first listing) …",
                    flush=True,
                )
                listed = warm(root_url, args.user, args.password, list(books))
                for name, (n, secs) in listed.items():
                    print(f"  {name}: {n} vCards, {secs:.1f} s", flush=True)
        except DemoServerError as exc:
            print(exc, file=sys.stderr)
            return 1
        counts = {name: n for name, (n, _) in books.items()}
        print(banner(root_url, args.user, args.password, counts, folder), flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        interrupted = True
        print("\nServer wird beendet … / stopping the server …", flush=True)
        return 0
    finally:
        stop_process(proc, interrupted=interrupted)
        if interrupted:
            print("Server beendet. / Server stopped.", flush=True)


# Radicale logs these at INFO before it has read "level = warning" from the config
_STARTUP_NOISE = re.compile(rb"\] \[INFO\] |\] \[WARNING\] Logging level set to")


def _relay_log(proc: subprocess.Popen[bytes]) -> None:
    """Copy Radicale's log (stderr) to ours, without its start-up chatter about log levels."""
    assert proc.stderr is not None
    out = sys.stderr.buffer
    for line in proc.stderr:
        if not _STARTUP_NOISE.search(line):
            out.write(line)
            out.flush()


def stop_process(proc: subprocess.Popen[bytes], *, interrupted: bool = False) -> None:
    """Stop Radicale.  After Ctrl+C it got the SIGINT too and is given time to exit cleanly."""
    steps = ((None, 5.0),) if interrupted else ()
    for step, wait in (*steps, ("terminate", 5.0), ("kill", 5.0)):
        if proc.poll() is not None:
            return
        if step == "terminate":
            proc.terminate()
        elif step == "kill":
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(wait)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
