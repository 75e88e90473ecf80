"""``python -m bench.parse_listing``: the cost of reading a big DAV answer (issue 21).

Parses, in-process, two answers as Radicale sends them and reads every entry as the sync
does (href, status, content type and ETag of a listing; ETag and card text of a multiget):

* a sync-collection answer listing 10,000 cards (``--entries``): href, a propstat with
  getetag and getcontenttype, the status; the sync-token at the end;
* an addressbook-multiget answer of 500 cards (``--cards``) with address-data.

For each: the best and the median of ``--repeat`` wall times; the peak of Python allocations
during one parse and what the result still holds afterwards (tracemalloc, warm caches; it does
not see libxml2's own mallocs, so the tree is missing there); and the growth of the process's
peak RSS over one cold parse in a fresh child process (VmHWM, reset after the body is built),
which does include the tree. With ``--before REF`` (a git ref) the ``app/dav/xml.py`` of that
ref is loaded as a second module and measured alternately in the same rounds.

    .venv/bin/python -m bench.parse_listing --before main --repeat 9
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from app.dav import xml

BASE = "http://127.0.0.1:5232/alice/book/"
COLLECTION = "/alice/book/"


def listing_body(n: int) -> bytes:
    """A Radicale sync-collection answer listing `n` cards (Radicale's default namespace)."""
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns=\"DAV:\">"]
    for i in range(n):
        parts.append(
            f"<response><href>{COLLECTION}card-{i:05d}-4f1c2b7e-9a1d-4c55.vcf</href>"
            f'<propstat><prop><getetag>"{i:08x}d41d8cd98f00b204e9800998ecf8427e"</getetag>'
            "<getcontenttype>text/vcard;charset=utf-8</getcontenttype></prop>"
            "<status>HTTP/1.1 200 OK</status></propstat></response>"
        )
    parts.append("<sync-token>http://radicale.org/ns/sync/6c8b2f3e1d</sync-token></multistatus>")
    return "".join(parts).encode()


def _card(i: int) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:card-{i:05d}-4f1c2b7e-9a1d-4c55\r\nFN:Erika Mustermann {i}\r\n"
        f"N:Mustermann {i};Erika;;;\r\nORG:Beispiel GmbH\r\n"
        f"EMAIL;TYPE=INTERNET,WORK:erika.{i}@example.org\r\n"
        f"TEL;TYPE=CELL:+49 170 {i:07d}\r\nTEL;TYPE=WORK:+49 30 1234 {i:04d}\r\n"
        "ADR;TYPE=WORK:;;Musterstraße 1;Berlin;;10115;Deutschland\r\n"
        "NOTE:Eine Notiz mit &lt;Zeichen&gt; &amp; mehr\r\n"
        "REV:2026-12-07T00:00:00Z\r\nEND:VCARD\r\n"
    )


def multiget_body(n: int) -> bytes:
    """A Radicale addressbook-multiget answer with `n` cards."""
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<multistatus xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
    ]
    for i in range(n):
        parts.append(
            f"<response><href>{COLLECTION}card-{i:05d}-4f1c2b7e-9a1d-4c55.vcf</href>"
            f'<propstat><prop><getetag>"{i:08x}d41d8cd98f00b204e9800998ecf8427e"</getetag>'
            f"<CR:address-data>{_card(i)}</CR:address-data></prop>"
            "<status>HTTP/1.1 200 OK</status></propstat></response>"
        )
    parts.append("</multistatus>")
    return "".join(parts).encode()


def read_listing(mod: Any, body: bytes) -> Any:
    """Parse a listing and read every entry as `CollectionLister._apply_sync_entry` does."""
    ms = mod.parse_multistatus(body, BASE, collection=COLLECTION)
    etags = {}
    for entry in ms:
        if entry.ok and entry.text(mod.GETCONTENTTYPE) is not None:
            etags[entry.href] = entry.text(mod.GETETAG) or ""
    return ms, etags


def read_multiget(mod: Any, body: bytes) -> Any:
    """Parse a multiget and read every card as `CollectionReader._items_from` does."""
    ms = mod.parse_multistatus(body, BASE, collection=COLLECTION)
    cards = []
    for entry in ms:
        text = entry.raw_text(mod.ADDRESS_DATA)
        if entry.ok and text is not None:
            cards.append((entry.href, entry.text(mod.GETETAG), text.replace("\n", "\r\n")))
    return ms, cards


def _seconds(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _allocations(fn: Callable[[], Any]) -> tuple[float, float]:
    """(peak during, still held after) in MB of Python allocations, result kept alive."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    held = tracemalloc.get_traced_memory()[0]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak / 1e6, held / 1e6


def _module_of(ref: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{ref}:app/dav/xml.py"], check=True, capture_output=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "xml_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("xml_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _vm(field: str) -> int:
    """A /proc/self/status figure in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(module: ModuleType, scenario: str, size: int) -> None:
    """In a fresh process: the growth of peak RSS (MB) over one parse, printed."""
    reader, body = (
        (read_listing, listing_body(size))
        if scenario == "listing"
        else (read_multiget, multiget_body(size))
    )
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = _vm("VmHWM")
    result = reader(module, body)
    print((_vm("VmHWM") - before) / 1024, (_vm("VmRSS") - before) / 1024, len(result[1]))


def _rss(ref: str | None, scenario: str, size: int) -> tuple[float, float]:
    """(peak growth, growth still held) in MB, measured in a fresh child process."""
    cmd = [sys.executable, "-m", "bench.parse_listing", "--child", scenario, str(size)]
    if ref:
        cmd += ["--before", ref]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", metavar="REF", help="also measure app/dav/xml.py of REF")
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(_module_of(args.before) if args.before else xml, args.child[0], int(args.child[1]))
        return 0
    refs = {"before": args.before, "after": None}
    trees = {"after": xml}
    if args.before:
        trees = {"before": _module_of(args.before), "after": xml}
    scenarios = {
        f"listing {args.entries:,}": (read_listing, listing_body(args.entries), "listing"),
        f"multiget {args.cards:,}": (read_multiget, multiget_body(args.cards), "multiget"),
    }
    sizes = {"listing": args.entries, "multiget": args.cards}
    print(
        "| answer | body KB | tree | best ms | median ms | Python peak MB | Python held MB "
        "| RSS peak +MB | RSS held +MB |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, (reader, body, kind) in scenarios.items():
        times: dict[str, list[float]] = {t: [] for t in trees}
        for _round in range(args.repeat):
            for tree, mod in trees.items():
                times[tree].append(_seconds(partial(reader, mod, body)))
        for tree, mod in trees.items():
            peak, held = _allocations(partial(reader, mod, body))
            rss = min(_rss(refs[tree], kind, sizes[kind]) for _run in range(3))
            runs = sorted(times[tree])
            print(
                f"| {name} | {len(body) // 1024:,} | {tree} | {runs[0] * 1000:.0f} "
                f"| {runs[len(runs) // 2] * 1000:.0f} | {peak:.1f} | {held:.1f} "
                f"| {rss[0]:.1f} | {rss[1]:.1f} |"
            )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
