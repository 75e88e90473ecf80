"""The server side of bench/resident.py: the seeded Radicale with a book and a calendar,
the counting proxy in a child process, the floor's REPORTs and the changes on the server.

    python -m bench.resident_server UPSTREAM_PORT    # the proxy child (bench/resident.py)
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOOK = "Kontakte"
MARKER = "contactbox-bench-resident.json"

# ------------------------------------------------------------------------------ server


def pristine(n: int, m: int) -> Path:
    """A Radicale storage with `n` cards and `m` events, kept between runs."""
    from bench import demo_server
    from bench.sync.calendar_bench import write_calendar
    from bench.sync.servers import CACHE_ROOT, PASSWORD, USER

    folder = CACHE_ROOT / f"radicale-resident-{n}-{m}"
    wanted = {"cards": n, "events": m, "user": USER, "format": 1}
    with contextlib.suppress(OSError, ValueError):
        if json.loads((folder / MARKER).read_text(encoding="utf-8")) == wanted:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    demo_server.prepare(folder, USER, PASSWORD, {BOOK: (n, 0)})
    write_calendar(folder, m, 0)
    (folder / MARKER).write_text(json.dumps(wanted), encoding="utf-8")
    return folder


@dataclass
class Radicale:
    port: int
    book_path: str
    calendar_path: str


@contextlib.contextmanager
def radicale(n: int, m: int, work: Path, log: Callable[[str], None]) -> Iterator[Radicale]:
    from bench import demo_server
    from bench.sync.calendar_bench import CALENDAR, warm
    from bench.sync.servers import USER, _free_port

    source = pristine(n, m)
    folder = work / "radicale"
    shutil.copytree(source, folder)
    port = _free_port()
    config = folder / demo_server.CONFIG
    config.write_text(demo_server._config_text(folder, port), encoding="utf-8")
    log_file = open(folder / "radicale.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(demo_server.radicale_argv(config, port), stdin=subprocess.DEVNULL,
                            stdout=log_file, stderr=subprocess.STDOUT,
                            env=demo_server.radicale_env())  # fmt: skip
    try:
        demo_server.wait_until_up(proc, port, demo_server.STARTUP_TIMEOUT)
        server = Radicale(port, f"/{USER}/{demo_server.book_id(BOOK)}/", f"/{USER}/{CALENDAR}/")
        started = time.perf_counter()
        for path in (server.book_path, server.calendar_path):
            warm(port, path)  # item cache and sync history, untimed
            cache = folder / "collections" / "collection-root" / path.strip("/") / ".Radicale.cache"
            kept = source / "collections" / "collection-root" / path.strip("/") / ".Radicale.cache"
            if not (kept / "history").exists() and cache.exists():
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(cache, kept)  # the next run starts warm
        log(f"Radicale up on {port}: {n:,} cards, {m:,} events, warmed in "
            f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        yield server
    finally:
        demo_server.stop_process(proc)
        log_file.close()


class Direct:
    """PUTs straight to Radicale (the changes "on the server", untimed)."""

    def __init__(self, port: int) -> None:
        from bench.sync.servers import PASSWORD, USER

        self.port = port
        self.auth = (USER, PASSWORD)

    def put(self, href: str, text: str, content_type: str) -> None:
        import base64
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        conn.request("PUT", href, body=text.encode("utf-8"), headers={
            "Authorization": f"Basic {token}", "Content-Type": content_type})  # fmt: skip
        resp = conn.getresponse()
        resp.read()
        conn.close()
        if resp.status not in (201, 204):
            raise RuntimeError(f"PUT {href}: HTTP {resp.status}")


# ------------------------------------------------------------------------------ proxy


class ProxyChild:
    """bench/sync/proxy.py's CountingProxy in a child process (`counts()` asks it)."""

    def __init__(self, upstream: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.resident_server", str(upstream)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"

    def counts(self) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("counts\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def proxy_child(upstream: int) -> int:
    from bench.sync.proxy import CountingProxy

    with CountingProxy(upstream) as proxy:
        print(proxy.port, flush=True)
        for line in sys.stdin:
            if line.strip() == "counts":
                c = proxy.snapshot()
                print(json.dumps({**asdict(c), "methods": proxy.methods()}), flush=True)
    return 0


def delta(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    methods = {
        k: v - before["methods"].get(k, 0)
        for k, v in after["methods"].items()
        if v - before["methods"].get(k, 0)
    }
    return {
        "requests": after["requests"] - before["requests"],
        "bytes_up": after["bytes_up"] - before["bytes_up"],
        "bytes_down": after["bytes_down"] - before["bytes_down"],
        "server_s": round(after["server_s"] - before["server_s"], 4),
        "methods": methods,
    }


# ------------------------------------------------------------------------------ floor


class FloorPair:
    """The floor: the same sync-collection REPORTs for the book and the calendar (with the
    floor's own tokens), the changed items fetched and parsed; nothing stored."""

    def __init__(self, base: str, server: Radicale) -> None:
        from bench.sync.floor import SYNC_BODY, Client
        from bench.sync.servers import PASSWORD, USER

        plan = {"base": base, "user": USER, "password": PASSWORD, "batch": 500}
        self.book = Client({**plan, "book": server.book_path})
        self.calendar = Client({**plan, "book": server.calendar_path, "kind": "calendar"})
        self.tokens = {}
        for name, client in (("book", self.book), ("calendar", self.calendar)):
            root = client.xml("REPORT", client.book, SYNC_BODY.format(token=""), "0")
            self.tokens[name] = root.findtext("{DAV:}sync-token") or ""

    def run(self) -> dict[str, int]:
        fetched = {}
        for name, client in (("book", self.book), ("calendar", self.calendar)):
            client._local = threading.local()  # a fresh connection, as after minutes idle
            out = client.sync(self.tokens[name])
            self.tokens[name] = out["token"]
            fetched[name] = out["fetched"]
        return fetched


# ------------------------------------------------------------------------------ scenarios


class ServerChanges:
    """1 % of the cards and of the events changed on the server, and put back."""

    def __init__(self, server: Radicale, n: int, m: int) -> None:
        from bench.cards import generate_cards
        from bench.events import generate_events

        self.server, self.direct = server, Direct(server.port)
        cards, events = dict(generate_cards(n, seed=0)), dict(generate_events(m, 0))
        self.cards = self._pick(cards)
        self.events = self._pick(events)

    @staticmethod
    def _pick(items: dict[str, str]) -> dict[str, str]:
        uids = list(items)
        k = max(1, math.ceil(len(uids) / 100))
        step = max(1, len(uids) // k)
        return {uids[(i * step) % len(uids)]: items[uids[(i * step) % len(uids)]] for i in range(k)}

    def _put_all(self, card: Callable[[str], str], event: Callable[[str], str]) -> None:
        from bench.sync.calendar_bench import warm

        s = self.server
        for uid, text in self.cards.items():
            self.direct.put(f"{s.book_path}{uid}.vcf", card(text), "text/vcard; charset=utf-8")
        for uid, text in self.events.items():
            self.direct.put(
                f"{s.calendar_path}{uid}.ics", event(text), "text/calendar; charset=utf-8"
            )
        for path in (s.book_path, s.calendar_path):
            warm(s.port, path)  # Radicale's history of the changes, untimed

    def change(self, tag: str) -> None:
        from bench.events import mark_event
        from bench.sync.tools import mark

        self._put_all(lambda t: mark(t, tag), lambda t: mark_event(t, tag))

    def restore(self) -> None:
        self._put_all(lambda t: t, lambda t: t)


if __name__ == "__main__":
    sys.exit(proxy_child(int(sys.argv[1])))
