"""The servers under test: a seeded, warmed Radicale and Debian's SabreDAV 1.8 (no
sync-collection), both seeded by writing their storage directly."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench import demo_server
from bench.cards import generate_cards

USER = "bench"
PASSWORD = "bench-pw"
BOOK = "Kontakte"
CACHE_ROOT = Path(tempfile.gettempdir()) / "contactbox-bench-sync"


@dataclass
class Server:
    kind: str  # "radicale" | "sabredav"
    port: int  # the real server (the proxy sits in front of it)
    user: str
    password: str
    book_path: str  # "/bench/kontakte/"
    root_path: str  # "/"
    storage: Path | None = None  # Radicale: the book's folder on disk
    seconds_seed: float = 0.0
    seconds_warm: float = 0.0
    version: str = ""

    @property
    def direct_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def radicale_version() -> str:
    import radicale

    return str(radicale.VERSION)


def _seed_pristine(n: int, seed: int) -> tuple[Path, float]:
    """A seeded storage kept between bench runs (``CACHE_ROOT/radicale-N``), reused if intact."""
    folder = CACHE_ROOT / f"radicale-{n}-{seed}"
    _, seeded, seconds = demo_server.prepare(folder, USER, PASSWORD, {BOOK: (n, seed)})
    return folder, seconds if seeded else 0.0


@contextlib.contextmanager
def radicale(n: int, work: Path, *, seed: int = 0, log=print) -> Iterator[Server]:
    """Seed (or reuse) ``n`` cards, copy the storage to ``work``, start Radicale, warm it."""
    pristine, seconds_seed = _seed_pristine(n, seed)
    if seconds_seed:
        log(f"  seeded {n} cards into {pristine} in {seconds_seed:.1f} s")
    folder = work / "radicale"
    started = time.perf_counter()
    shutil.copytree(pristine, folder)
    port = _free_port()
    config = folder / demo_server.CONFIG
    config.write_text(demo_server._config_text(folder, port), encoding="utf-8")
    log_file = open(folder / "radicale.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        demo_server.radicale_argv(config, port),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        env=demo_server.radicale_env(),
    )
    try:
        demo_server.wait_until_up(proc, port, demo_server.STARTUP_TIMEOUT)
        root = f"http://127.0.0.1:{port}/"
        listed = demo_server.warm(root, USER, PASSWORD, [BOOK])
        count, secs = listed[BOOK]
        if count != n:
            raise RuntimeError(f"Radicale lists {count} cards, expected {n}")
        book_path = f"/{quote(USER)}/{demo_server.book_id(BOOK)}/"
        sync_secs = warm_sync_collection(port, book_path)
        log(f"  Radicale up on {port}, warm-up listing of {n} cards: {secs:.1f} s, "
            f"first sync-collection: {sync_secs:.1f} s")  # fmt: skip
        book_folder = folder / "collections" / "collection-root" / USER / demo_server.book_id(BOOK)
        pristine_cache = (
            pristine / "collections" / "collection-root" / USER / demo_server.book_id(BOOK)
        ) / ".Radicale.cache"
        if not (pristine_cache / "history").exists() and (book_folder / ".Radicale.cache").exists():
            shutil.rmtree(pristine_cache, ignore_errors=True)
            shutil.copytree(book_folder / ".Radicale.cache", pristine_cache)  # next run: warm
        yield Server(
            kind="radicale",
            port=port,
            user=USER,
            password=PASSWORD,
            book_path=book_path,
            root_path="/",
            storage=book_folder,
            seconds_seed=seconds_seed,
            seconds_warm=time.perf_counter() - started,
            version=radicale_version(),
        )
    finally:
        demo_server.stop_process(proc)
        log_file.close()


def warm_sync_collection(port: int, book_path: str) -> float:
    """One full sync-collection REPORT, straight to Radicale. Its first one writes a history
    entry per item (10,000 small files, each synced to disk: minutes on a busy machine), which
    the PROPFIND warm-up does not: without this, whichever tool lists first pays for it."""
    import base64
    import http.client

    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    body = (
        '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
        "<D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
        "</D:sync-collection>"
    )
    conn.request("REPORT", book_path, body=body.encode(), headers={
        "Authorization": f"Basic {auth}", "Depth": "0",
        "Content-Type": "application/xml; charset=utf-8"})  # fmt: skip
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status != 207:
        raise RuntimeError(f"sync-collection warm-up: HTTP {resp.status}")
    return time.perf_counter() - started


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def sabredav(n: int, work: Path, *, seed: int = 0, log=print) -> Iterator[Server]:
    """Debian's SabreDAV 1.8 under ``php -S`` (tests/servers), ``n`` cards inserted into its
    SQLite database directly (ETag = md5 of the card, as SabreDAV computes it)."""
    from tests.servers.dav_servers import PASSWORD as SABRE_PW
    from tests.servers.dav_servers import USER as SABRE_USER
    from tests.servers.dav_servers import start_sabredav

    folder = work / "sabredav"
    with start_sabredav(folder, user=SABRE_USER, password=SABRE_PW) as srv:
        started = time.perf_counter()
        cards = generate_cards(n, seed=seed)
        db = sqlite3.connect(folder / "sabredav.sqlite", timeout=60)
        with db:
            (book_id,) = db.execute("SELECT id FROM addressbooks WHERE uri = 'default'").fetchone()
            now = int(time.time())
            db.executemany(
                "INSERT INTO cards (addressbookid, carddata, uri, lastmodified) VALUES (?,?,?,?)",
                [(book_id, text.encode("utf-8"), f"{uid}.vcf", now) for uid, text in cards],
            )
            db.execute("UPDATE addressbooks SET ctag = ctag + 1 WHERE id = ?", (book_id,))
        db.close()
        seconds = time.perf_counter() - started
        log(f"  SabreDAV up on {srv.root_url}, {n} cards inserted in {seconds:.1f} s")
        port = int(srv.root_url.rsplit(":", 1)[1].strip("/"))
        yield Server(
            kind="sabredav",
            port=port,
            user=SABRE_USER,
            password=SABRE_PW,
            book_path=f"/addressbooks/{quote(SABRE_USER)}/default/",
            root_path="/",
            seconds_seed=seconds,
            version="SabreDAV 1.8 (Debian php-sabre-dav)",
        )
