"""tests/i18n_words.py, the German detector of the English tests: it finds German words and
letters, passes plain English (also the words both languages share), and lets allowed texts
(the user's data) through."""

from __future__ import annotations

import pytest

from tests.i18n_words import assert_no_german, german_words


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Kontakt „Anna“ angelegt.", ["Kontakt", "angelegt"]),
        ("3 Adressbücher auf dem Server", ["Adressbücher", "auf", "dem"]),
        ("Die Sicherung wird wiederhergestellt", ["Sicherung", "wird", "wiederhergestellt"]),
        ("Weiß", ["Weiß"]),
        ("Account “Office”: on, import interval 15 min, groups as categories.", []),
        ("Status: on. Server: 3. Standard. An account in the trash; also a name, an option.", []),
        ("usage: contactbox-sync [-h] ... error: invalid choice: 'x'", []),
    ],
)
def test_german_is_found_and_english_passes(text: str, found: list[str]) -> None:
    assert german_words(text) == found


def test_allowed_texts_are_let_through() -> None:
    text = "Contact “Müller” added to “Büro”."
    with pytest.raises(AssertionError, match="Müller"):
        assert_no_german(text)
    assert_no_german(text, allow=["Müller", "Büro"])
