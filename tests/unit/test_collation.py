"""Search folding and natural number order (app.store.collation), without a database."""

from __future__ import annotations

import pytest

from app.store.collation import EMPTY_KEY, fold, search_forms, search_text, sort_key

MUELLER_SPELLINGS = ("müller", "mueller", "muller", "Müller", "MUELLER", "MÜLLER", "Mueller")


@pytest.mark.parametrize("spelling", MUELLER_SPELLINGS)
def test_every_spelling_of_mueller_folds_alike(spelling: str) -> None:
    assert fold(spelling) == "muller"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Bäcker", "backer"),
        ("Baecker", "backer"),
        ("Köln", "koln"),
        ("Koeln", "koln"),
        ("Goethe", "gothe"),
        ("René Côté", "rene cote"),
        ("Øster Æbeltoft", "oster abeltoft"),
        ("Łódź", "lodz"),
        ("j.mueller@beispiel.de", "j.muller@beispiel.de"),
        ("+49 30 1234567", "+49 30 1234567"),
    ],
)
def test_fold_strips_accents_and_german_transliterations(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text", ["Müller", "Mueller", "queue", "uee", "ℌans Straße", "Ærø"])
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_search_text_keeps_each_word_and_adds_its_folded_form() -> None:
    text = search_text("Jürgen Müller  Müller & Söhne GmbH j.mueller@beispiel.de +49 30 1234")
    words = text.split(" ")
    # Every word as before (case-folded, once), then the folded forms that differ.
    assert words[:9] == ["jürgen", "müller", "&", "söhne", "gmbh", "j.mueller@beispiel.de",
                         "+49", "30", "1234"]  # fmt: skip
    assert words[9:] == ["jurgen", "muller", "sohne", "j.muller@beispiel.de"]
    assert search_text(text) == text  # a migration can rebuild it from its own result
    assert search_text("Straße") == "strasse"  # case-folding alone already spells ß as ss


def test_search_forms_look_for_the_typed_and_the_folded_word() -> None:
    assert search_forms("  MUELLER  straße 16 ") == [("mueller", "muller"), ("strasse",),
                                                     ("16",)]  # fmt: skip
    assert search_forms("Müller") == [("müller", "muller")]
    assert search_forms("") == []


def found(query: str, text: str) -> bool:
    """What the store's LIKE does, in Python: some form of every word is in the text."""
    stored = search_text(text)
    return all(any(form in stored for form in forms) for forms in search_forms(query))


@pytest.mark.parametrize("query", [*MUELLER_SPELLINGS, "müll", "muel", "uell", "anna mül"])
@pytest.mark.parametrize("name", ["Müller", "Mueller", "Muller"])
def test_each_spelling_finds_each_stored_spelling(query: str, name: str) -> None:
    assert found(query, f"Anna {name}")


def test_folding_finds_what_the_plain_search_found_and_no_other_names() -> None:
    assert found("ell", "Mueller")  # a part of the typed spelling still matches
    assert found("eue", "Queue") and found("steuer", "Steuerbüro")
    assert found("strasse", "Straßenbau") and found("straße", "Strassenbau")
    assert found("weiss", "Weiß") and found("rene cote", "René Côté")
    assert not found("müller", "Möller") and not found("mueller", "Müllner")
    assert not found("strasse", "Strase")


def test_numbers_sort_by_value() -> None:
    names = ["Müller 152", "Haus 10", "Müller 16", "Haus 2", "Haus 1a", "Haus", "Müller 2"]
    assert sorted(names, key=sort_key) == [
        "Haus", "Haus 1a", "Haus 2", "Haus 10", "Müller 2", "Müller 16", "Müller 152",
    ]  # fmt: skip
    assert sort_key("Müller 16") < sort_key("Müller 152")
    assert sort_key("Kunde 9999999999") < sort_key("Kunde 100000000000")
    assert sort_key("Filiale 007") < sort_key("Filiale 7") < sort_key("Filiale 8")  # tie: text
    assert sort_key("Filiale 0") < sort_key("Filiale 1")
    assert sort_key("10 Jahre") < sort_key("Abel") < sort_key("Zander 10") < EMPTY_KEY


def test_natural_order_keeps_the_german_order_of_letters() -> None:
    assert sort_key("Muller 2") < sort_key("Müller 2") < sort_key("Müller 10")
    assert sort_key("Ärger 3") < sort_key("Arzt 1")  # ä sorts as a, before the numbers matter
    assert sort_key("Strauß 2") < sort_key("Strauss 10")
    assert sort_key("Éva").split("\x01") == ["eva", "éva"]
