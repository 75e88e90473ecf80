"""What the base texts of the three-way merge (issue 22) cost the data directory.

Imports N generated cards (bench.cards.generate_cards) through the engine's store write
(`app.store.syncstate.import_card`, which keeps each card's base in `item_base`), in the
engine's batches, into a fresh data directory; then reports the bases' rows and bytes,
the file's size with them and after they are dropped (VACUUM), and the import's time with
and without the base write (the same cards, the base write stubbed out), best of
`--repeat`.

    .venv/bin/python -m bench.merge_bases --count 50000 --photo-ratio 0.05
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.cards import generate_cards


def _import(path: Path, cards: list[tuple[str, str]], *, bases: bool) -> float:
    from app.store import contacts as cs
    from app.store import syncbase, syncstate
    from app.store.db import close_database, open_database
    from app.store.models import Account, Binding

    open_database(path)
    try:
        account = Account.create(label="Bench", server="https://dav.example", username="b")
        book = cs.get_book("Standard")
        binding = Binding.create(account=account, remote_href="/b/", book=book, operation="sync")
        real = syncstate.put_base
        if not bases:
            syncstate.put_base = lambda *a, **k: None  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            for first in range(0, len(cards), 1000):
                with syncbase.batch():
                    for uid, text in cards[first : first + 1000]:
                        syncstate.import_card(binding, f"/b/{uid}.vcf", "e", text, uid)
            return time.perf_counter() - start
        finally:
            syncstate.put_base = real  # type: ignore[assignment]
    finally:
        close_database()


def _sizes(path: Path) -> tuple[int, int, int, int]:
    """(bases, their bytes, their texts' bytes, file size) of the data file."""
    import sqlite3

    con = sqlite3.connect(path)
    q = "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM item_base"
    n, stored = con.execute(q).fetchone()
    raw = con.execute("SELECT COALESCE(SUM(LENGTH(vcard)), 0) FROM contact").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("VACUUM")
    con.close()
    return int(n), int(stored), int(raw), path.stat().st_size


def _without_bases(path: Path) -> int:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("DELETE FROM item_base")
    con.commit()
    con.execute("VACUUM")
    con.close()
    return path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=50_000)
    ap.add_argument("--photo-ratio", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    cards = generate_cards(args.count, photo_ratio=args.photo_ratio)
    with_bases: list[float] = []
    without: list[float] = []
    sizes = (0, 0, 0, 0)
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            for bases, times in ((True, with_bases), (False, without)):
                path = Path(tmp) / f"run{r}-{bases}.sqlite3"
                times.append(_import(path, cards, bases=bases))
                if bases and r == 0:
                    sizes = _sizes(path)
        n, stored, raw, size = sizes
        path = Path(tmp) / "run0-True.sqlite3"
        bare = _without_bases(path)
    print(f"{args.count} cards (photo ratio {args.photo_ratio}):")
    print(f"  bases: {n}, {stored / 1e6:.1f} MB stored ({stored / max(n, 1):.0f} B per base)")
    print(f"  card texts: {raw / 1e6:.1f} MB ({raw / max(n, 1):.0f} B per card), ratio "
          f"{stored / max(raw, 1):.2f}")  # fmt: skip
    print(f"  data file: {size / 1e6:.1f} MB with bases, {bare / 1e6:.1f} MB without "
          f"(+{(size - bare) / 1e6:.1f} MB, +{(size - bare) / max(bare, 1):.0%})")  # fmt: skip
    print(f"  import: {min(with_bases):.2f} s with bases, {min(without):.2f} s without "
          f"(best of {args.repeat}; +{min(with_bases) / min(without) - 1:.0%})")  # fmt: skip


if __name__ == "__main__":
    main()
