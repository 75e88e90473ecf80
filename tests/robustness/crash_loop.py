"""Crash loop: `contactbox-sync run` killed (SIGKILL) at N seeded random points, resumed.

Two scenarios against a real server (Radicale by default, SabreDAV 1.8 with --server):

* **twoway**: a book of `contacts` cards, bound two-way ("Synchronisation", preference
  *Server*). Every round changes both sides (Contactbox: new, edited, deleted; server:
  new, edited, deleted; one contact edited on both sides), then runs a sync that is
  killed at the round's point, then reruns it until it completes. Points are spread over
  the whole run: the listing (sync-collection / PROPFIND), the multiget, the local
  commits (a fraction of the apply phase), the uploads (PUT) and the deletions (DELETE),
  each either as the request arrives (it never reaches the server) or after the server
  carried it out but before the client hears the answer.
* **recreate**: the same book; every round changes the server (new, edited, deleted) and
  Contactbox (edits that "Neu anlegen" must discard), then starts a "Neu anlegen" run
  (`--option recreate`) killed at the listing, the multiget, right after the wipe, or at
  a fraction of the import; it is resumed the way the GUI and the scheduler resume it —
  `contactbox-sync sync`, i.e. the binding as stored.

After every kill: `PRAGMA integrity_check`, no UID twice on either side, nothing on
either side that never existed. After every resume: both sides hold exactly the expected
contacts (FN, TEL and equal `normalized_hash` on both sides), each once; a conflict's
losing local version is in the contact's history; a "Neu anlegen" moved the old book to
the trash exactly once. At the end one clean run must be a no-op. Figures: kills per
phase, runs, items lost, duplicates, time.

    python -m tests.robustness.crash_loop --points 50 --contacts 2000 --seed 1
    python -m tests.robustness.crash_loop --scenario recreate --points 50 --contacts 2000

`tests/robustness/test_crash_loop.py` runs a smaller count in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from app import vcard
from tests.robustness.faultproxy import DropConnection, FaultProxy, Logged
from tests.servers import dav_servers
from tests.servers.cards import simple_card
from tests.servers.dav_servers import CARDDAV, DavServer, parse_multistatus
from tests.servers.terminal import TerminalStderr

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 600.0
ACCOUNT = "Test"

TWOWAY_PHASES = ("list", "fetch", "local", "upload", "delete")
RECREATE_PHASES = ("list", "fetch", "wipe", "import")
#: request phases: the n-th such request of the run is where the client dies
REQUEST_PHASES = frozenset({"list", "fetch", "upload", "delete"})

Content = tuple[str, str]  # (FN, first TEL)


class LoopFailure(AssertionError):
    """An invariant broke; the message says which and where."""


def card(uid: str, fn: str, tel: str) -> str:
    return simple_card(uid, fn, f"{uid}@example.de", tel=tel)


def content_of(text: str) -> Content:
    s = vcard.summarize(text)
    return s.fn, s.phones[0] if s.phones else ""


def request_phase(method: str, body: bytes) -> str | None:
    if method == "PROPFIND":
        return "list"
    if method == "REPORT":
        return "fetch" if b"addressbook-multiget" in body else "list"
    if method == "PUT":
        return "upload"
    if method == "DELETE":
        return "delete"
    return None


# ---------------------------------------------------------------- kill points


@dataclass(frozen=True)
class KillPoint:
    """Where to kill: the n-th request of a phase (at "request" or at "answer"), or a
    fraction of the apply phase ("local", "import"; "wipe" = before the first import)."""

    phase: str
    nth: int = 1
    moment: str = "answer"  # "request" | "answer" (request phases)
    fraction: float = 0.0  # progress phases

    def label(self) -> str:
        if self.phase in REQUEST_PHASES:
            when = "before the server" if self.moment == "request" else "after the server"
            return f"{self.phase} #{self.nth} ({when})"
        if self.phase == "wipe":
            return "wipe (before the first import)"
        return f"{self.phase} at {self.fraction:.0%}"


def draw_points(
    rng: random.Random, phases: tuple[str, ...], n: int, per_run: dict[str, int]
) -> list[KillPoint]:
    """n points, the phases evenly spread (shuffled), positions seeded; `per_run`: how
    many requests of a phase a run surely makes."""
    order = [phases[i % len(phases)] for i in range(n)]
    rng.shuffle(order)
    points = []
    for phase in order:
        moment = rng.choice(("request", "answer"))
        if phase in REQUEST_PHASES:
            points.append(KillPoint(phase, rng.randint(1, max(1, per_run[phase])), moment))
        else:
            points.append(KillPoint(phase, fraction=rng.uniform(0.02, 0.98)))
    return points


# ---------------------------------------------------------------- the subprocess runner


_PROGRESS_RE = re.compile(r"(list|fetch|apply) (\d+)/(\d+)\s*$")


@dataclass
class RunResult:
    code: int
    killed: bool
    stdout: str
    stderr: str
    seconds: float

    def report(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.stdout)
        except json.JSONDecodeError as exc:
            raise LoopFailure(f"no JSON report (exit {self.code}): {self.stderr[-800:]}") from exc
        return data


class Runner:
    """Runs the CLI as a subprocess through the proxy and kills it at a `KillPoint`."""

    def __init__(self, home: Path, env: dict[str, str], proxy: FaultProxy) -> None:
        self.home, self.env, self.proxy = home, env, proxy
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.point: KillPoint | None = None
        self.counts: Counter[str] = Counter()
        self.target_request = 0
        self.fired = threading.Event()
        self.dead = threading.Event()
        proxy.on_request = self._on_request
        proxy.on_answer = self._on_answer

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "app.cli", "--home", str(self.home), *args]

    def call(self, *args: str, extra_env: dict[str, str] | None = None) -> RunResult:
        start = time.monotonic()
        proc = subprocess.run(
            self.argv(*args), cwd=REPO_ROOT, env={**self.env, **(extra_env or {})},
            capture_output=True, timeout=RUN_TIMEOUT, check=False,
        )  # fmt: skip
        return RunResult(
            proc.returncode, killed=False, stdout=proc.stdout.decode("utf-8", "replace"),
            stderr=proc.stderr.decode("utf-8", "replace"), seconds=time.monotonic() - start,
        )  # fmt: skip

    # -- kill switch -------------------------------------------------------------------

    def _kill(self) -> None:
        proc = self.proc
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGKILL)
            self.dead.wait(30)

    def _on_request(self, entry: Logged, body: bytes) -> None:
        phase = request_phase(entry.method, body)
        with self.lock:
            point = self.point
            if point is None or phase != point.phase or self.fired.is_set():
                return
            self.counts[phase] += 1
            if self.counts[phase] != point.nth:
                return
            if point.moment == "answer":
                self.target_request = entry.n
                return
            self.fired.set()
        self._kill()
        raise DropConnection()

    def _on_answer(self, entry: Logged, status: int, body: bytes) -> None:
        with self.lock:
            if entry.n != self.target_request or self.fired.is_set():
                return
            self.fired.set()
        self._kill()
        raise DropConnection()

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        point = self.point
        if point is None or phase != "apply" or total == 0 or self.fired.is_set():
            return
        if point.phase == "wipe" or done >= max(1, int(total * point.fraction)):
            self.fired.set()
            proc = self.proc
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGKILL)

    # -- one run -----------------------------------------------------------------------

    def run(self, *args: str, point: KillPoint | None = None) -> RunResult:
        with self.lock:
            self.point, self.counts, self.target_request = point, Counter(), 0
            self.fired.clear()
            self.dead.clear()
        start = time.monotonic()
        argv = self.argv(*args, "--json", *(["--progress"] if point is not None else []))
        # stderr is a terminal: --progress writes every step there (to a pipe only a few
        # lines per second), and a kill at a fraction of the apply phase must land there.
        terminal = TerminalStderr()
        proc = subprocess.Popen(
            argv, cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=terminal.slave,
        )  # fmt: skip
        terminal.started()
        self.proc = proc
        out_chunks: list[bytes] = []
        err_chunks: list[bytes] = []
        progress_kill = point is not None and point.phase not in REQUEST_PHASES

        def read_err() -> None:
            pending = ""
            while chunk := terminal.read(65536):
                err_chunks.append(chunk)
                if not progress_kill:
                    continue
                pending += chunk.decode("utf-8", "replace")
                *tokens, pending = re.split(r"[\r\n]", pending)
                for token in tokens:
                    if m := _PROGRESS_RE.search(token):
                        self._on_progress(m.group(1), int(m.group(2)), int(m.group(3)))

        def read_out() -> None:
            assert proc.stdout is not None
            out_chunks.append(proc.stdout.read())

        threads = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
        for t in threads:
            t.start()
        try:
            code = proc.wait(RUN_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            self.dead.set()
            for t in threads:
                t.join(30)
            terminal.close()
            with self.lock:
                self.point = None
                self.proc = None
        return RunResult(
            code,
            killed=self.fired.is_set() and code == -signal.SIGKILL,
            stdout=b"".join(out_chunks).decode("utf-8", "replace"),
            stderr=b"".join(err_chunks).decode("utf-8", "replace"),
            seconds=time.monotonic() - start,
        )


# ---------------------------------------------------------------- both sides

_ALL_CARDS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    f'<C:addressbook-query xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
    "<D:prop><D:getetag/><C:address-data/></D:prop></C:addressbook-query>"
)


_SYNC_ALL = (
    '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
    "<D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
    "</D:sync-collection>"
)


@dataclass
class Side:
    """UID -> list of (content, normalized hash, text): a list, so doubles show."""

    cards: dict[str, list[tuple[Content, str, str]]] = field(default_factory=dict)

    def add(self, text: str, uid: str | None = None) -> None:
        uid = uid or vcard.summarize(text).uid or ""
        self.cards.setdefault(uid, []).append((content_of(text), vcard.normalized_hash(text), text))

    def duplicates(self) -> list[str]:
        return sorted(u for u, v in self.cards.items() if len(v) > 1)

    def content(self, uid: str) -> Content | None:
        got = self.cards.get(uid)
        return got[0][0] if got else None


class Book:
    """The bound book on both sides, read directly (the server not through the proxy)."""

    def __init__(self, server: DavServer, url: str, name: str, db: Path) -> None:
        self.server, self.url, self.name, self.db = server, url, name, db

    def server_side(self) -> Side:
        side = Side()
        if self.server.name == "radicale":
            resp = self.server.request("REPORT", self.url, body=_ALL_CARDS, depth=1)
            if resp.status_code != 207:
                raise LoopFailure(f"server listing failed: {resp.status_code}")
            for props in parse_multistatus(resp.content or b"").values():
                data = props.get(f"{{{CARDDAV}}}address-data")
                if data is not None:
                    side.add(data.text or "")
        else:
            for text in self.server.list_cards(self.url).values():
                side.add(text)
        return side

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db, timeout=30)

    def local_side(self) -> tuple[Side, int, dict[str, list[str]]]:
        """(live contacts, number in the trash, live UID -> history texts)."""
        con = self._connect()
        try:
            row = con.execute("SELECT id FROM address_book WHERE name = ?", (self.name,)).fetchone()
            side = Side()
            if row is None:
                return side, 0, {}
            ids: dict[int, str] = {}
            trashed = 0
            for cid, uid, text, deleted in con.execute(
                "SELECT id, uid, vcard, deleted_at FROM contact WHERE book_id = ?", (row[0],)
            ):
                if deleted is None:
                    side.add(text, uid)
                    ids[cid] = uid
                else:
                    trashed += 1
            history: dict[str, list[str]] = {}
            for cid, text in con.execute("SELECT contact_id, vcard FROM contact_version"):
                if cid in ids:
                    history.setdefault(ids[cid], []).append(text)
            return side, trashed, history
        finally:
            con.close()

    def integrity(self) -> str:
        con = self._connect()
        try:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            con.close()

    def server_hrefs(self) -> dict[str, str]:
        """UID -> href of the server's cards (to edit or delete them as another client)."""
        out: dict[str, str] = {}
        if self.server.name == "radicale":
            resp = self.server.request("REPORT", self.url, body=_ALL_CARDS, depth=1)
            for href, props in parse_multistatus(resp.content or b"").items():
                data = props.get(f"{{{CARDDAV}}}address-data")
                if data is not None:
                    out[vcard.summarize(data.text or "").uid or ""] = href
        else:
            for href, text in self.server.list_cards(self.url).items():
                out[vcard.summarize(text).uid or ""] = href
        return out


# ---------------------------------------------------------------- the loop


@dataclass
class Figures:
    scenario: str
    server: str
    contacts: int
    seed: int
    points: int = 0
    kills: int = 0
    kills_by_phase: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)  # points the run passed without dying
    runs: int = 0
    resume_runs: Counter[int] = field(default_factory=Counter)  # runs needed -> rounds
    items_lost: int = 0
    duplicates: int = 0
    unexpected: int = 0
    conflicts_checked: int = 0
    wipes: int = 0
    final_contacts: int = 0
    trash: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "server": self.server,
            "contacts": self.contacts,
            "seed": self.seed,
            "points": self.points,
            "kills": self.kills,
            "kills_by_phase": dict(sorted(self.kills_by_phase.items())),
            "missed_points": self.missed,
            "runs": self.runs,
            "runs_to_converge_after_kill": dict(sorted(self.resume_runs.items())),
            "items_lost": self.items_lost,
            "duplicates": self.duplicates,
            "unexpected": self.unexpected,
            "conflicts_checked": self.conflicts_checked,
            "wipes": self.wipes,
            "final_contacts": self.final_contacts,
            "trash": self.trash,
            "seconds": round(self.seconds, 1),
            "failures": self.failures,
        }


class CrashLoop:
    def __init__(
        self,
        server: DavServer,
        workdir: Path,
        *,
        contacts: int,
        points: int,
        seed: int,
        scenario: str,
        changes: int = 3,
        log: Any = None,
    ) -> None:
        self.server = server
        self.rng = random.Random(f"crash-loop-{scenario}-{seed}")
        self.n_contacts, self.n_points, self.changes = contacts, points, changes
        self.scenario = scenario
        self.log = log or (lambda line: None)
        self.figures = Figures(scenario, server.name, contacts, seed)
        self.home = workdir / "home"
        xdg = workdir / "xdg"
        xdg.mkdir(parents=True, exist_ok=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("CONTACTBOX_HOME", "CONTACTBOX_PASSWORD", "PYTHONPATH")
        }
        env.update(
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            XDG_DATA_HOME=str(xdg),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=str(REPO_ROOT),
        )
        self.name = f"Crash {scenario} {uuid.uuid4().hex[:6]}"
        self.proxy = FaultProxy(server.root_url).start()
        self.runner = Runner(self.home, env, self.proxy)
        self.book = Book(
            server, server.make_book(display_name=self.name), self.name,
            self.home / "contactbox.sqlite3",
        )  # fmt: skip
        self.expected: dict[str, Content] = {}
        self.ever: set[str] = set()  # every UID that existed on either side
        self.conflict_losers: dict[str, Content] = {}  # UID -> local version that lost
        self.serial = 0

    def close(self) -> None:
        self.proxy.close()

    # -- helpers -----------------------------------------------------------------------

    def _check(self, ok: bool, message: str) -> None:
        if not ok:
            self.figures.failures.append(message)
            raise LoopFailure(message)

    def _new_uid(self, side: str) -> str:
        self.serial += 1
        uid = f"{side}-{self.serial:05d}"
        self.ever.add(uid)
        return uid

    def _tel(self) -> str:
        self.serial += 1
        return f"+49 30 9{self.serial:07d}"

    def _sync_args(self, option: str = "server") -> tuple[str, ...]:
        return ("run", ACCOUNT, "--book", self.name, "--mode", "sync", "--option", option)

    @contextlib.contextmanager
    def _local(self) -> Iterator[Any]:
        """The store of the data home, opened in this process (no sync runs meanwhile)."""
        from app.store import contacts as cs
        from app.store.db import close_database, open_database

        open_database(self.book.db)
        try:
            yield cs
        finally:
            close_database()

    # -- set-up ------------------------------------------------------------------------

    def set_up(self) -> None:
        added = self.runner.call(
            "account", "add", ACCOUNT, "--url", self.proxy.url, "--user", self.server.user,
            extra_env={"CONTACTBOX_PASSWORD": self.server.password},
        )  # fmt: skip
        self._check(added.code == 0, f"account add failed: {added.stderr}")
        texts = {}
        for _ in range(self.n_contacts):
            uid = self._new_uid("s")
            self.expected[uid] = (f"Person Ärger {uid}", self._tel())
            texts[f"{uid}.vcf"] = card(uid, *self.expected[uid])
        # Radicale checks UID uniqueness per card of a collection PUT: 2,000 cards take
        # longer than the helpers' request timeout on a busy machine.
        saved, dav_servers.REQUEST_TIMEOUT = dav_servers.REQUEST_TIMEOUT, 900.0
        try:
            self.server.put_cards(self.book.url, texts, display_name=self.name)
            # Radicale builds its item and sync-token caches on the first listing: do it
            # now, so that the client's first run is not measured against it.
            self.server.propfind(
                self.server.home_url,
                ["{DAV:}sync-token", "{http://calendarserver.org/ns/}getctag"],
                depth=1,
            )
            self.server.request("REPORT", self.book.url, body=_SYNC_ALL, depth=1)
        finally:
            dav_servers.REQUEST_TIMEOUT = saved
        first = self.runner.run(*self._sync_args())
        self.figures.runs += 1
        self._check(first.code == 0, f"first run failed: {first.stderr[-800:]}")
        self.converged("set-up")

    # -- changes -----------------------------------------------------------------------

    def _pick(self, n: int, taken: set[str]) -> list[str]:
        pool = sorted(set(self.expected) - taken)
        chosen = self.rng.sample(pool, min(n, len(pool)))
        taken.update(chosen)
        return chosen

    def change_both_sides(self, *, local_changes: bool = True) -> None:
        """Server: new, edited, deleted; Contactbox: new, edited, deleted; one conflict."""
        k = self.changes
        taken: set[str] = set()
        hrefs = self.book.server_hrefs()
        srv_edit = self._pick(k, taken)
        srv_del = self._pick(max(1, k - 1), taken)
        loc_edit = self._pick(k, taken) if local_changes else []
        loc_del = self._pick(max(1, k - 1), taken) if local_changes else []
        both = self._pick(1, taken)
        # ---- the server, as another client
        for uid in srv_edit + both:
            self.expected[uid] = (self.expected[uid][0], self._tel())
            name = hrefs[uid].rsplit("/", 1)[-1]
            self.server.put_card(self.book.url, unquote(name), card(uid, *self.expected[uid]))
        for uid in srv_del:
            self.server.delete_card(self.server.url(hrefs[uid]))
            del self.expected[uid]
        for _ in range(k):
            uid = self._new_uid("s")
            self.expected[uid] = (f"Neu Server {uid}", self._tel())
            self.server.put_card(self.book.url, f"{uid}.vcf", card(uid, *self.expected[uid]))
        # ---- Contactbox
        with self._local() as cs:
            book = cs.get_book(self.name)
            for uid in both:
                c = cs.find_live_by_uid(book, uid)
                self._check(c is not None, f"{uid} missing locally before the round")
                loser = (self.expected[uid][0], self._tel())
                cs.update_contact(c, card(uid, *loser))
                if self.scenario == "twoway":
                    self.conflict_losers[uid] = loser  # preference Server: the local loses
            for uid in loc_edit:
                c = cs.find_live_by_uid(book, uid)
                self._check(c is not None, f"{uid} missing locally before the round")
                if self.scenario == "twoway":
                    self.expected[uid] = (self.expected[uid][0] + " Lokal", self._tel())
                    cs.update_contact(c, card(uid, *self.expected[uid]))
                else:  # Neu anlegen discards this edit: the server's card comes back
                    cs.update_contact(c, card(uid, self.expected[uid][0] + " weg", self._tel()))
            for uid in loc_del:
                c = cs.find_live_by_uid(book, uid)
                self._check(c is not None, f"{uid} missing locally before the round")
                cs.delete_contact(c)
                if self.scenario == "twoway":
                    del self.expected[uid]
            if local_changes:
                for _ in range(k):
                    uid = self._new_uid("l")
                    content = (f"Neu Lokal Müller {uid}", self._tel())
                    cs.add_contact(book, card(uid, *content))
                    if self.scenario == "twoway":
                        self.expected[uid] = content

    # -- checks ------------------------------------------------------------------------

    def after_kill(self, label: str) -> None:
        self._check(self.book.integrity() == "ok", f"{label}: integrity_check failed")
        server = self.book.server_side()
        local, _, _ = self.book.local_side()
        for where, side in (("server", server), ("Contactbox", local)):
            dups = side.duplicates()
            self.figures.duplicates += len(dups)
            self._check(not dups, f"{label}: UIDs twice in {where}: {dups[:5]}")
            strange = sorted(set(side.cards) - self.ever)
            self.figures.unexpected += len(strange)
            self._check(not strange, f"{label}: unknown UIDs in {where}: {strange[:5]}")

    def differences(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(lost or wrong, extra, differing between the sides, duplicates)."""
        server = self.book.server_side()
        local, _, _ = self.book.local_side()
        dups = server.duplicates() + local.duplicates()
        lost = sorted(
            u
            for u, content in self.expected.items()
            if server.content(u) != content or local.content(u) != content
        )
        extra = sorted((set(server.cards) | set(local.cards)) - set(self.expected))
        differ = sorted(
            u
            for u in set(server.cards) & set(local.cards)
            if server.cards[u][0][1] != local.cards[u][0][1]
        )
        return lost, extra, differ, dups

    def converged(self, label: str) -> None:
        lost, extra, differ, dups = self.differences()
        self._check(
            not (lost or extra or differ or dups),
            f"{label}: lost/wrong {lost[:5]} ({len(lost)}), extra {extra[:5]}, "
            f"normalized cards differ {differ[:5]}, duplicates {dups[:5]}",
        )
        _, _, history = self.book.local_side()
        for uid, loser in self.conflict_losers.items():
            if uid in self.expected:
                kept = any(content_of(t) == loser for t in history.get(uid, []))
                self._check(kept, f"{label}: the losing local version of {uid} is not kept")
                self.figures.conflicts_checked += 1
        self.conflict_losers.clear()

    # -- rounds ------------------------------------------------------------------------

    def resume(self, label: str, args: tuple[str, ...]) -> None:
        """Rerun until a run completes without errors (at most 3), then check."""
        for n in range(1, 4):
            out = self.runner.run(*args)
            self.figures.runs += 1
            report = out.report()
            if out.code == 0 and not report.get("errors"):
                self.figures.resume_runs[n] += 1
                break
            self.log(f"  {label}: resume run {n} exit {out.code}: {report.get('errors')}")
        else:
            self._check(False, f"{label}: no clean run after 3 reruns")
        self.converged(label)

    def round(self, i: int, point: KillPoint) -> None:
        label = f"point {i + 1} ({point.label()})"
        if self.scenario == "twoway":
            self.change_both_sides()
            killed = self.runner.run(*self._sync_args(), point=point)
            resume_args = self._sync_args()
        else:
            self.change_both_sides(local_changes=True)
            _, trash_before, _ = self.book.local_side()
            live_before = len(self.book.local_side()[0].cards)
            killed = self.runner.run(*self._sync_args("recreate"), point=point)
            resume_args = ("sync", ACCOUNT)
        self.figures.runs += 1
        if killed.killed:
            self.figures.kills += 1
            self.figures.kills_by_phase[point.phase] += 1
            self.after_kill(label)
        else:
            self.figures.missed.append(point.label())
            self._check(killed.code == 0, f"{label}: unkilled run failed: {killed.stderr[-800:]}")
        self.resume(label, resume_args)
        if self.scenario == "recreate":
            _, trash_after, _ = self.book.local_side()
            self._check(
                trash_after - trash_before == live_before,
                f"{label}: {trash_after - trash_before} contacts went to the trash, "
                f"{live_before} were in the book (wiped twice or not at all?)",
            )
            self.figures.wipes += 1
        self.log(
            f"{label}: {'killed' if killed.killed else 'NOT killed'} after "
            f"{killed.seconds:.1f} s; converged"
        )

    def run(self) -> Figures:
        start = time.monotonic()
        try:
            self.set_up()
            phases = TWOWAY_PHASES if self.scenario == "twoway" else RECREATE_PHASES
            k = self.changes
            per_run = (
                {"list": 2, "fetch": 1, "upload": 2 * k, "delete": max(1, k - 1)}
                if self.scenario == "twoway"
                else {"list": 1, "fetch": -(-self.n_contacts // 500)}
            )
            points = draw_points(self.rng, phases, self.n_points, per_run)
            self.figures.points = len(points)
            for i, point in enumerate(points):
                self.round(i, point)
            # One clean run at the end: a no-op, both sides equal.
            final = self.runner.run(*self._sync_args())
            self.figures.runs += 1
            report = final.report()
            self._check(final.code == 0, f"final run failed: {final.stderr[-800:]}")
            book = report["books"][0]
            busy = {
                k: book[k]
                for k in (
                    "added_local", "updated_local", "deleted_local", "added_server",
                    "updated_server", "deleted_server", "conflicts",
                )
                if book[k]
            }  # fmt: skip
            self._check(not busy, f"the final run is no no-op: {busy}")
            self.converged("final")
            self._check(self.book.integrity() == "ok", "final: integrity_check failed")
            local, trash, _ = self.book.local_side()
            self.figures.final_contacts = len(local.cards)
            self.figures.trash = trash
        except LoopFailure:
            lost, _, _, dups = self.differences()
            self.figures.items_lost = len(lost)
            self.figures.duplicates += len(dups)
            raise
        finally:
            self.figures.seconds = time.monotonic() - start
        return self.figures


# ---------------------------------------------------------------- command line


def _start_server(name: str, tmp: Path) -> contextlib.AbstractContextManager[DavServer]:
    if name == "sabredav":
        return dav_servers.start_sabredav(tmp)
    return dav_servers.start_radicale(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--changes", type=int, default=3, help="changes of each kind per round")
    parser.add_argument("--scenario", choices=("twoway", "recreate", "both"), default="both")
    parser.add_argument("--server", choices=("radicale", "sabredav"), default="radicale")
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    args = parser.parse_args(argv)
    scenarios = ("twoway", "recreate") if args.scenario == "both" else (args.scenario,)
    results = []
    failed = False
    with (
        tempfile.TemporaryDirectory(prefix="crash-loop-") as tmp,
        _start_server(args.server, Path(tmp)) as server,
    ):
        for scenario in scenarios:
            loop = CrashLoop(
                    server, Path(tmp) / scenario, contacts=args.contacts, points=args.points,
                    seed=args.seed, scenario=scenario, changes=args.changes,
                    log=lambda line: print(line, file=sys.stderr, flush=True),
                )  # fmt: skip
            try:
                loop.run()
            except LoopFailure as exc:
                failed = True
                print(f"FAILED: {exc}", file=sys.stderr)
            finally:
                loop.close()
            results.append(loop.figures.as_dict())
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            print(f"\n{r['scenario']} on {r['server']}: {r['contacts']} contacts, seed {r['seed']}")
            for key, value in r.items():
                if key not in ("scenario", "server", "contacts", "seed"):
                    print(f"  {key}: {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
