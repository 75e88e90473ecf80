"""What the per-item details (issue 22, app/sync/details.py) cost a check of many changes.

In-process, against an in-memory CardDAV book (no HTTP: what is measured is Contactbox's own
work): N contacts synced, then every card changed on the server (a new phone number and a new
e-mail each), then a check (`BookSync(dry_run=True)`). The check is timed with the details as
built now (their fields compared later: `ItemDetail.fields` on first read) and with them
switched off (`DetailList.add_all`/`add` doing nothing: the check as
before issue 22), alternately, best of `--repeat`; then what comparing every item's fields
costs later (as saving the report does), Python's allocation peak (tracemalloc) of one check
each way, and the size of the details kept before and after their fields are compared.

    .venv/bin/python -m bench.check_details --cards 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from app.dav.model import Listing, RemoteBook, RemoteCard, WriteResult
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Account, Binding
from app.sync import details as details_mod
from app.sync.execute import BookSync

HREF = "/dav/book/"


def card(i: int, tel: str, email: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-{i}\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
        f"EMAIL;TYPE=WORK:{email}\r\nTEL;TYPE=CELL:{tel}\r\nORG:Firma {i % 50}\r\n"
        f"NOTE:Kunde seit {2000 + i % 20}\r\nEND:VCARD\r\n"
    )


class MemoryBook:
    """An in-memory CardDAV book with the calls a run makes (no sync-collection)."""

    def __init__(self) -> None:
        self.cards: dict[str, tuple[str, str]] = {}  # href -> (etag, text)
        self.ctag = 0

    def put(self, name: str, text: str) -> None:
        href = f"{HREF}{name}.vcf"
        old = self.cards.get(href)
        etag = f'"{int(old[0].strip(chr(34))) + 1}"' if old else '"1"'
        self.cards[href] = (etag, text)
        self.ctag += 1

    # CollectionClient and BookClient
    def changes(self, href: str, token: str | None) -> Listing:
        raise NotImplementedError

    def list_etags(self, href: str) -> Listing:
        return Listing(etags={h: e for h, (e, _t) in self.cards.items()}, full=True)

    def multiget(self, href: str, hrefs: Iterable[str]) -> Iterator[RemoteCard]:
        for h in hrefs:
            etag, text = self.cards[h]
            yield RemoteCard(h, etag, text)

    def get(self, href: str) -> RemoteCard | None:
        found = self.cards.get(href)
        return RemoteCard(href, *found) if found else None

    def create(self, href: str, text: str, *, name: str) -> WriteResult:
        self.put(name, text)
        return WriteResult(f"{HREF}{name}.vcf", self.cards[f"{HREF}{name}.vcf"][0])

    def update(self, href: str, text: str, etag: str) -> WriteResult:
        self.cards[href] = (f'"{int(etag.strip(chr(34))) + 1}"', text)
        self.ctag += 1
        return WriteResult(href, self.cards[href][0])

    def delete(self, href: str, etag: str) -> None:
        del self.cards[href]

    def read_only(self, href: str) -> bool:
        return False

    def book_state(self, book_href: str) -> RemoteBook:
        return RemoteBook(HREF, "Bench", ctag=str(self.ctag))

    def card_href(self, book_href: str, name: str) -> str:
        return f"{HREF}{name}.vcf"

    def use_versions(self, book_href: str, versions: Iterable[str]) -> None:
        pass


def setup(n: int) -> tuple[Binding, MemoryBook]:
    server = MemoryBook()
    for i in range(n):
        server.put(f"c{i}", card(i, f"+49 30 {i:06d}", f"p{i}@example.de"))
    account = Account.create(label="Bench", server="https://dav.example", username="b")
    book = cs.ensure_book("Bench")
    binding = Binding.create(account=account, remote_href=HREF, remote_name="Bench", book=book,
                             operation="sync", option="server", supports_sync=False)  # fmt: skip
    report = BookSync(binding, server).run()  # the first run: every card imported
    assert report.added_local == n, report
    for i in range(n):  # every card changed on the server
        server.put(f"c{i}", card(i, f"+49 40 {i:06d}", f"neu{i}@example.de"))
    return binding, server


def check(binding: Binding, server: MemoryBook) -> Any:
    return BookSync(Binding.get_by_id(binding.id), server, dry_run=True).run()


def stored(report: Any) -> list[dict[str, Any]]:
    """The details as saving a report stores them (every item's fields compared)."""
    return [d.to_dict() for d in report.details]


def _held(report: Any, then: Any) -> int:
    """What the report's details hold (bytes) after `then()` (tracemalloc running)."""
    then()
    gc.collect()
    with_list = tracemalloc.get_traced_memory()[0]
    report.details = []
    gc.collect()
    return int(with_list - tracemalloc.get_traced_memory()[0])


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--cards", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "bench.db")
        binding, server = setup(args.cards)
        on = (details_mod.DetailList.add_all, details_mod.DetailList.add)

        def switch(enabled: bool) -> None:
            if enabled:
                details_mod.DetailList.add_all, details_mod.DetailList.add = on  # type: ignore[method-assign]
            else:
                details_mod.DetailList.add_all = lambda *a, **k: None  # type: ignore[method-assign]
                details_mod.DetailList.add = lambda *a, **k: None  # type: ignore[method-assign]

        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.repeat):
            for enabled in (False, True):
                switch(enabled)
                t0 = time.perf_counter()
                report = check(binding, server)
                times[enabled].append(time.perf_counter() - t0)
                assert report.updated_local == args.cards, report
                assert len(report.details) == (args.cards if enabled else 0)
        peaks = {}
        for enabled in (False, True):
            switch(enabled)
            tracemalloc.start()
            report = check(binding, server)
            peaks[enabled] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        switch(True)
        saving = []  # the fields left for later, compared as saving the report does
        for _ in range(args.repeat):
            report = check(binding, server)
            t0 = time.perf_counter()
            stored(report)
            saving.append(time.perf_counter() - t0)
        tracemalloc.start()
        report = check(binding, server)
        held_pending = _held(report, lambda: None)
        report = check(binding, server)
        stored(report)
        kept = sum(len(d.name) + sum(len(f.old) + len(f.new) for f in d.fields)
                   for d in report.details)  # fmt: skip
        sample = report.details[0]
        held_bytes = _held(report, lambda: None)
        tracemalloc.stop()
        close_database()
    off_best, on_best = min(times[False]), min(times[True])
    print(f"cards changed on the server: {args.cards:,}; best of {args.repeat}")
    med_off, med_on = (sorted(times[k])[len(times[k]) // 2] for k in (False, True))
    print(f"check without details: {off_best:.2f} s (median {med_off:.2f})")
    print(f"check with details:    {on_best:.2f} s (median {med_on:.2f})")
    print(f"per item: {(on_best - off_best) / args.cards * 1e3:.2f} ms")
    print(f"ratio: {on_best / off_best:.2f}x")
    print(f"allocation peak: {peaks[False] / 1e6:.1f} MB without, {peaks[True] / 1e6:.1f} MB with")
    print(f"fields compared later (as saving the report does): {min(saving):.2f} s "
          f"({min(saving) / args.cards * 1e3:.3f} ms per item)")  # fmt: skip
    print(f"details held before their fields are compared: {held_pending / 1e6:.1f} MB "
          f"({held_pending // args.cards} bytes per item: the two texts kept)")  # fmt: skip
    print(f"details held with their fields: {held_bytes / 1e6:.1f} MB ({held_bytes // args.cards} "
          f"bytes per item; {kept // args.cards} characters of text each)")  # fmt: skip
    print(f"one item: {sample}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
