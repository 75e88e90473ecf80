"""Client CPU of a first import and a "Neu anlegen" without a server (no HTTP, no XML).

    python -m bench.sync.replay [--cards 10000] [--repeat 3]

`BookSync` over an in-memory client that lists and hands out the bench's cards
(`bench.cards.generate_cards`, the same as the sync benchmark's) into a fresh database:
what the engine and the store cost per run (reading and hashing the cards, planning,
the inserts and commits, the wipe), measured as process CPU time, which a busy machine
disturbs much less than the wall time of the server benchmark. Prints the best of
`--repeat` for the first import and for the "Neu anlegen" that follows it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.dav.model import Listing, RemoteBook, RemoteCard
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Account, Binding
from app.sync.execute import BookSync
from bench.cards import generate_cards

BOOK = "/bench/kontakte/"


class MemoryClient:
    """The server side of a run: every card listed with its ETag and handed out at once."""

    def __init__(self, cards: dict[str, str]) -> None:
        self.cards = cards
        self.ignored_hrefs: list[str] = []
        self.oversized_hrefs: list[str] = []

    def use_versions(self, href: str, versions: Iterable[str]) -> None:
        pass

    def changes(self, href: str, token: str | None) -> Listing:
        return Listing(etags={h: f'"{i}"' for i, h in enumerate(self.cards)}, sync_token="t")

    def list_etags(self, href: str) -> Listing:
        return self.changes(href, None)

    def multiget(self, href: str, hrefs: Iterable[str]) -> Iterator[RemoteCard]:
        etags = self.changes(href, None).etags
        for h in hrefs:
            yield RemoteCard(h, etags[h], self.cards[h])

    def book_state(self, href: str) -> RemoteBook:
        return RemoteBook(href, "Bench", ctag="c")

    def get(self, href: str) -> RemoteCard | None:
        return None


def one_run(cards: dict[str, str]) -> tuple[float, float]:
    """CPU seconds of a first import and of the "Neu anlegen" after it."""
    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "contactbox.sqlite3")
        try:
            account = Account.create(label="Bench", username="u", server="s")
            binding = Binding.create(
                account=account, remote_href=BOOK, book=cs.ensure_book("Bench"),
                operation="sync", option="server",
            )  # fmt: skip
            figures = []
            for option in ("server", "recreate"):
                binding = Binding.get_by_id(binding.id)
                binding.option = option
                binding.save()
                started = time.process_time()
                report = BookSync(binding, MemoryClient(cards)).run()  # type: ignore[arg-type]
                figures.append(time.process_time() - started)
                assert report.added_local == len(cards) and not report.errors, report
            return figures[0], figures[1]
        finally:
            close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cards = {f"{BOOK}{uid}.vcf": text for uid, text in generate_cards(args.cards)}
    runs = [one_run(cards) for _ in range(args.repeat)]
    first, recreate = (min(r[i] for r in runs) for i in (0, 1))
    print(
        f"{args.cards} cards, best of {args.repeat}: first import CPU {first:.2f} s, "
        f"Neu anlegen CPU {recreate:.2f} s"
    )


if __name__ == "__main__":
    main()
