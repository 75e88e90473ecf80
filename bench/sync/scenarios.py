"""The scenarios, run against one server with all tools interleaved (same server, same run).

Repeats of a scenario that changes data start from the same snapshot: every tool's workspace
is restored and the server's changed files are written back (Radicale derives ETags and sync
tokens from the content, so the server is back in exactly its earlier state).
"""

from __future__ import annotations

import base64
import http.client
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

from bench.cards import generate_cards
from bench.sync.proxy import CountingProxy
from bench.sync.servers import Server, warm_sync_collection
from bench.sync.tools import BenchError, Contactbox, Floor, Run, Tool, Vdirsyncer, mark

Record = Callable[[str, str, Run], None]

SCENARIOS = {
    "initial": "initial import (empty client, full download)",
    "nochange": "no-change re-sync",
    "server_1pct": "1% changed on the server, then sync",
    "check": "check (dry run) with 1% changed on the server (Contactbox only)",
    "local_1pct_twoway": "1% edited locally, two-way sync",
    "local_1pct_oneway": "1% edited locally, OneWay upload",
    "upload": "new local contacts uploaded (OneWay; 1,000 at 1,000)",
}


class Direct:
    """Requests straight to the server (not through the proxy): seeding changes, ETags."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=900)
        token = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
        self.auth = f"Basic {token}"

    def put(self, href: str, text: str) -> None:
        self.conn.request("PUT", href, body=text.encode("utf-8"), headers={
            "Authorization": self.auth, "Content-Type": "text/vcard; charset=utf-8"})  # fmt: skip
        resp = self.conn.getresponse()
        resp.read()
        if resp.status not in (201, 204):
            raise RuntimeError(f"PUT {href}: {resp.status}")

    def etags(self, hrefs: list[str]) -> dict[str, str]:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><C:addressbook-multiget xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>'
            + "".join(f"<D:href>{h}</D:href>" for h in hrefs)
            + "</C:addressbook-multiget>"
        )
        self.conn.request("REPORT", self.server.book_path, body=body.encode(), headers={
            "Authorization": self.auth, "Depth": "1",
            "Content-Type": "application/xml; charset=utf-8"})  # fmt: skip
        resp = self.conn.getresponse()
        root = ET.fromstring(resp.read())
        out = {}
        for r in root.iter("{DAV:}response"):
            href = r.findtext("{DAV:}href") or ""
            out[href] = r.findtext(".//{DAV:}getetag") or ""
        return {h: out.get(h) or out.get(h.replace("@", "%40"), "") for h in hrefs}


class Bench:
    def __init__(
        self,
        server: Server,
        proxy: CountingProxy,
        work: Path,
        n: int,
        *,
        tools: list[str],
        repeat: int,
        record: Record,
        log: Callable[[str], None] = print,
        profile_dir: Path | None = None,
    ) -> None:
        self.server, self.proxy, self.work, self.n = server, proxy, work, n
        self.tool_names, self.repeat, self.record, self.log = tools, repeat, record, log
        self.profile_dir = profile_dir
        self.cards = dict(generate_cards(n))  # uid -> current text on the server
        self.uids = list(self.cards)
        self.k = max(1, math.ceil(n / 100))
        self.direct = Direct(server)
        self.tools: dict[str, Tool] = {}
        self.failed: set[str] = set()  # tools that failed on this server: not run again

    # -- helpers ---------------------------------------------------------------------------

    def href(self, uid: str) -> str:
        return f"{self.server.book_path}{uid}.vcf"

    def pick(self, offset: int) -> list[str]:
        step = max(1, self.n // self.k)
        return [self.uids[(i * step + offset) % self.n] for i in range(self.k)]

    def fresh(self, name: str) -> Tool:
        ws = self.work / "tools" / name
        if ws.exists():
            shutil.rmtree(ws)
        ws.mkdir(parents=True)
        cls = {"contactbox": Contactbox, "vdirsyncer": Vdirsyncer, "floor": Floor}[name]
        tool = cls(ws, self.server, self.proxy)
        if isinstance(tool, Contactbox):
            tool.profile_dir = self.profile_dir
        tool.setup()
        self.tools[name] = tool
        return tool

    def measure(self, scenario: str, tool: Tool, fn: Callable[[], Run]) -> Run:
        if isinstance(tool, Contactbox):
            tool.label = f"{self.server.kind}-{self.n}-{scenario}"
        try:
            run = fn()
        except BenchError as exc:
            if isinstance(tool, Contactbox) or exc.run is None:
                raise
            # A peer failing is a result (e.g. vdirsyncer's single 10,000-card multiget that
            # SabreDAV answers with HTTP 500): record it, leave the tool out from here on.
            run = exc.run
            lines = [ln for ln in run.output.splitlines() if "error" in ln.lower()]
            run.error = (lines[0] if lines else run.output.strip()[-200:])[:200]
            self.record(scenario, tool.name, run)
            self.log(
                f"    {scenario:<18} {tool.name:<10} FAILED after {run.wall:.2f} s: {run.error}"
            )
            self.failed.add(tool.name)
            self.tools.pop(tool.name, None)
            return run
        self.record(scenario, tool.name, run)
        self.log(
            f"    {scenario:<18} {tool.name:<10} {run.wall:7.2f} s  server {run.server_s:6.2f} s  "
            f"cpu {run.cpu:6.2f} s  "
            f"rss {run.rss_mb:6.1f} MB  {run.requests:5d} req  "
            f"{(run.bytes_up + run.bytes_down) / 1e6:7.2f} MB  {run.methods}"
        )
        if isinstance(tool, Contactbox):
            tool.label = ""
        return run

    def settle(self) -> None:
        for tool in self.tools.values():
            tool.sync()

    def change_server(self, uids: list[str], tag: str) -> None:
        for uid in uids:
            self.cards[uid] = mark(self.cards[uid], tag)
            self.direct.put(self.href(uid), self.cards[uid])
        self.warm_history()

    def warm_history(self) -> None:
        """Radicale writes a history entry per changed item (a small file, synced to disk) on
        the next sync-collection: pay that here, untimed, so that the first tool measured after
        a change does not pay for all (at 50,000 cards and 500 changes: 3.3 s)."""
        if self.server.kind == "radicale":
            warm_sync_collection(self.server.port, self.server.book_path)

    def revert_server(self, uids: list[str], added: list[str] = ()) -> None:  # type: ignore[assignment]
        """Put the server back: changed files rewritten with their old text, new ones removed."""
        assert self.server.storage is not None, "revert needs a file storage (Radicale)"
        for uid in uids:
            with open(self.server.storage / f"{uid}.vcf", "w", encoding="utf-8", newline="") as f:
                f.write(self.cards[uid])
        known = {f"{u}.vcf" for u in self.cards}
        for path in self.server.storage.glob("*.vcf"):
            if path.name not in known:
                path.unlink()
        self.warm_history()

    def snapshot(self, name: str) -> Path:
        base = self.work / "snapshots" / name
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        for tname, tool in self.tools.items():
            tool.snapshot(base / tname)
        return base

    # -- scenarios -------------------------------------------------------------------------

    def initial(self) -> None:
        for _ in range(self.repeat):
            for name in self.tool_names:
                if name in self.failed:
                    continue
                tool = self.fresh(name)
                self.measure("initial", tool, tool.sync)

    def nochange(self) -> None:
        for _ in range(self.repeat):
            for tool in self.tools.values():
                fn = tool.nochange if isinstance(tool, Floor) else tool.sync
                self.measure("nochange", tool, fn)

    def server_changed(self) -> None:
        for r in range(self.repeat):
            self.change_server(self.pick(0), f"server-{r}")
            for tool in self.tools.values():
                self.measure("server_1pct", tool, tool.sync)

    def check(self) -> None:
        self.change_server(self.pick(2), "check")
        for _ in range(self.repeat):
            for tool in self.tools.values():
                if isinstance(tool, Contactbox | Floor):
                    self.measure("check", tool, tool.check)
        self.settle()

    def local_changed(self, oneway: bool) -> None:
        scenario = "local_1pct_oneway" if oneway else "local_1pct_twoway"
        base = self.snapshot("local")
        uids = self.pick(1)
        for r in range(self.repeat):
            tag = f"local-{scenario}-{r}"
            for tool in self.tools.values():
                tool.restore(base / tool.name)
                if isinstance(tool, Floor):
                    etags = self.direct.etags([self.href(u) for u in uids])
                    cards = [(self.href(u), etags[self.href(u)], mark(self.cards[u], tag))
                             for u in uids]  # fmt: skip
                    put = lambda t=tool, c=cards: t.put(c, listing=not oneway)  # noqa: E731
                    self.measure(scenario, tool, put)
                elif isinstance(tool, Contactbox):
                    tool.edit(uids, tag)
                    self.measure(scenario, tool, tool.oneway if oneway else tool.sync)
                elif isinstance(tool, Vdirsyncer):
                    if oneway:
                        continue  # vdirsyncer has no one-way mode: its two-way row compares
                    tool.edit(uids, tag)
                    self.measure(scenario, tool, tool.sync)
                self.revert_server(uids)
        for tool in self.tools.values():
            tool.restore(base / tool.name)

    def upload(self, count: int, *, repeat: int = 1, parallel: tuple[int, ...] = (1, 4)) -> None:
        base = self.snapshot("upload")
        new = generate_cards(count, seed=7)  # other seed: other people, other UIDs
        vcf = self.work / "new-contacts.vcf"
        with open(vcf, "w", encoding="utf-8", newline="") as f:
            f.write("".join(text for _, text in new))
        for _ in range(repeat):
            for tool in self.tools.values():
                tool.restore(base / tool.name)
                if isinstance(tool, Floor):
                    for par in parallel:
                        cards = [(self.href(uid), None, text) for uid, text in new]
                        run = tool.put(cards, listing=False, parallel=par)
                        self.record("upload" if par == 1 else f"upload_x{par}", tool.name, run)
                        self.log(f"    upload x{par:<12} floor      {run.wall:7.2f} s  "
                                 f"{run.requests} req")  # fmt: skip
                        self.revert_server([])
                    continue
                if isinstance(tool, Contactbox):
                    tool.add_local(vcf)
                    self.measure("upload", tool, tool.oneway)
                elif isinstance(tool, Vdirsyncer):
                    tool.add_local(new)
                    self.measure("upload", tool, tool.sync)
                self.revert_server([])
        for tool in self.tools.values():
            tool.restore(base / tool.name)


RADICALE_ORDER = ("initial", "nochange", "server_1pct", "check", "local_1pct_twoway",
                  "local_1pct_oneway", "upload")  # fmt: skip
SABRE_ORDER = ("initial", "nochange", "server_1pct")


def run_radicale(
    bench: Bench, *, upload: int, upload_repeat: int = 1, only: set[str] | None = None
) -> None:
    """Every Radicale scenario in order (``only``: a subset; ``initial`` always runs, the
    others start from its result)."""
    bench.log(f"  scenarios at {bench.n} (k = {bench.k} changed cards)")
    steps = {
        "initial": bench.initial,
        "nochange": bench.nochange,
        "server_1pct": bench.server_changed,
        "check": bench.check,
        "local_1pct_twoway": lambda: bench.local_changed(oneway=False),
        "local_1pct_oneway": lambda: bench.local_changed(oneway=True),
        "upload": lambda: bench.upload(upload, repeat=upload_repeat) if upload else None,
    }
    for name in RADICALE_ORDER:
        if name == "initial" or only is None or name in only:
            steps[name]()


def run_sabredav(bench: Bench, *, only: set[str] | None = None) -> None:
    bench.log(f"  SabreDAV scenarios at {bench.n}")
    steps = {"initial": bench.initial, "nochange": bench.nochange,
             "server_1pct": bench.server_changed}  # fmt: skip
    for name in SABRE_ORDER:
        if name == "initial" or only is None or name in only:
            steps[name]()
