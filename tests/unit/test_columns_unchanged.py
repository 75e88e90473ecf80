"""Issue 21 made the contact row's derived columns cheaper (`contact_row`, `sort_key`,
`search_text`); every database stores them (list, sort and search columns), so they must
not change for any card. These tests compare the current code with the frozen copy in
tests/unit/reference_columns.py over the sample cards, generated bench cards,
Hypothesis-mutated cards (tests/unit/test_hash_unchanged.py's) and arbitrary text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import collation
from app.store.contact_columns import ROW_COLUMNS, contact_row, derived_columns
from app.vcard import CardError, decode_bytes, split_cards, summarize_and_hash
from bench.cards import generate_cards
from tests.unit import reference_columns as ref
from tests.unit.test_hash_unchanged import _mutated_cards

CARDS = Path(__file__).parent / "cards"
NOW = datetime(2026, 12, 7, 2, 31, 46, 123456)


def _same(text: str, uid: str = "uid-1") -> None:
    try:
        summary, content_hash = summarize_and_hash(text)
    except CardError:
        return
    row = contact_row(7, 3, uid, text, summary, content_hash, NOW)
    expected = ref.contact_row(7, 3, uid, text, summary, content_hash, NOW)
    assert list(row) == expected
    assert [type(v) for v in row] == [type(v) for v in expected]
    assert derived_columns(text, summary, content_hash) == ref.derived_columns(
        text, summary, content_hash
    )


def test_the_columns_are_written_in_the_same_order() -> None:
    assert ROW_COLUMNS == ref.ROW_COLUMNS


@pytest.mark.parametrize("path", sorted(CARDS.rglob("*.vcf")), ids=lambda p: p.name)
def test_sample_cards_give_the_same_row(path: Path) -> None:
    for card in split_cards(decode_bytes(path.read_bytes())):
        _same(card)


@pytest.mark.parametrize(("seed", "version"), [(0, "3.0"), (7, "4.0")])
def test_generated_cards_give_the_same_row(seed: int, version: str) -> None:
    for uid, text in generate_cards(4000 if seed == 0 else 1000, seed=seed, version=version):
        _same(text, uid)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_cards())
def test_mutated_cards_give_the_same_row(text: str) -> None:
    _same(text)


_NAMEY = st.text(
    alphabet=st.one_of(
        st.sampled_from("aeouAEOU äöüÄÖÜß éÉøØæŒłđþ 0123456789 '()-.,;:_\t\u00a0\u2003ﬁ²İı"),
        st.characters(),
    ),
    max_size=30,
)


@settings(max_examples=3000, deadline=None)
@given(_NAMEY)
def test_sort_key_and_search_text_as_before(text: str) -> None:
    assert collation.sort_key(text) == ref.sort_key(text)
    assert collation.sort_key(text) == ref.sort_key(text)  # (cached)
    assert collation.search_text(text) == ref.search_text(text)
    assert collation.fold(text) == ref.fold(text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "...", "'t Hooft", "(Firma) 2", "Haus 10", "Müller 016", "Strauß", "Ærø",
     "Mueller müller MUELLER", "a a A", "İstanbul", "ﬁsch", "x²", "  -  ", "Zander\u00a0Özdemir"],
)  # fmt: skip
def test_known_names_as_before(text: str) -> None:
    assert collation.sort_key(text) == ref.sort_key(text)
    assert collation.search_text(text) == ref.search_text(text)
