"""Per-card time of `summarize_and_hash` (issue 21): the current code against the frozen
pre-issue-21 copy in tests/unit/reference_hashing.py, alternately in one process, best of N.

    python -m bench.hash_cards [--cards 10000] [--repeat 7] [--seed 0]

Checks on the way that both give the same summary and hash for every card.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from app.vcard import summarize_and_hash
from bench.cards import generate_cards


def _best(fn: Callable[[str], object], cards: list[str]) -> float:
    t = time.perf_counter()
    for c in cards:
        fn(c)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> None:
    """Run the comparison and print µs per card, before and after."""
    from tests.unit.reference_hashing import summarize_and_hash as reference

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cards", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    cards = [text for _, text in generate_cards(args.cards, seed=args.seed)]
    if any(reference(c) != summarize_and_hash(c) for c in cards):
        raise SystemExit("summary or hash differs from the reference")
    old: list[float] = []
    new: list[float] = []
    for _ in range(args.repeat):
        old.append(_best(reference, cards))
        new.append(_best(summarize_and_hash, cards))
    n = len(cards)
    print(f"{n} cards, best of {args.repeat} (median in brackets), µs per card")
    o, w = sorted(old), sorted(new)
    print(f"before {o[0] / n * 1e6:7.1f} ({o[len(o) // 2] / n * 1e6:.1f})  total {o[0]:.2f} s")
    print(f"after  {w[0] / n * 1e6:7.1f} ({w[len(w) // 2] / n * 1e6:.1f})  total {w[0]:.2f} s")
    print(f"ratio  {o[0] / w[0]:.2f}x")


if __name__ == "__main__":
    main()
