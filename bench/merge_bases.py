"""What the base texts of the three-way merge (issue 22) cost the data directory.

Imports N generated cards (bench.cards.generate_cards) through the engine's store write
(`app.store.syncstate.import_card`), in the engine's batches, into a fresh data directory,
three ways: "every card" (a base row per card, the rule before issue 21's change: the
base write forced), "as stored" (the store's rule, app.store.basetexts: a row only where
the contact is not stored as synced — none for an import) and "none" (the base write
stubbed out). Reports the rows and bytes of the first, the file's size with them and after
they are dropped (VACUUM), the rows of the second, and the import's time of each, best of
`--repeat`, the three alternating.

    .venv/bin/python -m bench.merge_bases --count 50000 --photo-ratio 0.05
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cards import generate_cards

MODES = ("every card", "as stored", "none")


def _import(path: Path, cards: list[tuple[str, str]], *, mode: str) -> float:
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

        def every_card(*a: Any, **k: Any) -> None:
            real(*a, **{**k, "stored_hash": None})  # as if the contact were not the base

        if mode == "every card":
            syncstate.put_base = every_card  # type: ignore[assignment]
        elif mode == "none":
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
    times: dict[str, list[float]] = {m: [] for m in MODES}
    sizes = {m: (0, 0, 0, 0) for m in MODES}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            for i, mode in enumerate(MODES):
                path = Path(tmp) / f"run{r}-{i}.sqlite3"
                times[mode].append(_import(path, cards, mode=mode))
                if r == 0:
                    sizes[mode] = _sizes(path)
        bare = _without_bases(Path(tmp) / "run0-0.sqlite3")
    n, stored, raw, size = sizes["every card"]
    kept, kept_bytes, _raw, kept_size = sizes["as stored"]
    print(f"{args.count} cards (photo ratio {args.photo_ratio}):")
    print(f"  every card: {n} bases, {stored / 1e6:.1f} MB stored "
          f"({stored / max(n, 1):.0f} B per base)")  # fmt: skip
    print(f"  card texts: {raw / 1e6:.1f} MB ({raw / max(n, 1):.0f} B per card), ratio "
          f"{stored / max(raw, 1):.2f}")  # fmt: skip
    print(f"  data file: {size / 1e6:.1f} MB with a base per card, {bare / 1e6:.1f} MB without "
          f"(+{(size - bare) / 1e6:.1f} MB, +{(size - bare) / max(bare, 1):.0%})")  # fmt: skip
    print(f"  as stored (the rule): {kept} bases, {kept_bytes / 1e6:.1f} MB; data file "
          f"{kept_size / 1e6:.1f} MB")  # fmt: skip
    best = {m: min(t) for m, t in times.items()}
    print(f"  import (best of {args.repeat}): every card {best['every card']:.2f} s, "
          f"as stored {best['as stored']:.2f} s, none {best['none']:.2f} s "
          f"(every card {best['every card'] / best['none'] - 1:+.0%}, "
          f"as stored {best['as stored'] / best['none'] - 1:+.0%} over none)")  # fmt: skip


if __name__ == "__main__":
    main()
