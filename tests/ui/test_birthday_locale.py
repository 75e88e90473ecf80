"""The contact editor's birthday field in the window's language (issue 20): it shows and
reads the locale's short date — German "17.05.1980" / "17.05.", English "5/17/1980" /
"5/17" — and ISO "1980-05-17" / "05-17" in both; the hint and the error show the
language's own form; the card keeps BDAY as before ("1980-05-17", "--05-17").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.vcard import read_fields
from ui.contact_editor import ContactEditorDialog
from ui.contact_editor_dates import birthday_to_text, parse_birthday

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b-1\r\nFN:Anna Smith\r\nN:Smith;Anna;;;\r\n"
    "BDAY:{bday}\r\nEND:VCARD\r\n"
)

#: language -> (typed, stored BDAY) the field accepts
ACCEPTED = {
    "de": [
        ("17.05.1980", "1980-05-17"),
        ("3.9.1975", "1975-09-03"),
        ("17.05.", "--05-17"),
        ("17.05", "--05-17"),
        ("29.02.", "--02-29"),
    ],
    "en": [
        ("5/17/1980", "1980-05-17"),
        ("05/17/1980", "1980-05-17"),
        ("9/3/1975", "1975-09-03"),
        ("5/17", "--05-17"),
        ("2/29", "--02-29"),
    ],
}
#: both languages: ISO, with and without the year (also the card's own "--MM-DD")
ISO = [("1980-05-17", "1980-05-17"), ("05-17", "--05-17"), ("--05-17", "--05-17")]
#: language -> what the field refuses (the other language's form among them)
REFUSED = {
    "de": ["5/17/1980", "31.02.1980", "32.01.", "29.02.1981", "17.05.80", "morgen"],
    "en": ["17.05.1980", "17.05.", "2/30/1980", "13/1", "5/17/80", "tomorrow"],
}
SHOWN = {"de": ("17.05.1980", "17.05."), "en": ("5/17/1980", "5/17")}
HINT = {
    "de": ("TT.MM.JJJJ", "z. B. 17.05.1980 oder ohne Jahr 17.05."),
    "en": ("MM/DD/YYYY", "e.g. 5/17/1980, or 5/17 without the year"),
}


def editor(qtbot: QtBot, bday: str | None = None) -> ContactEditorDialog:
    text = None if bday is None else CARD.format(bday=bday)
    dialog = ContactEditorDialog(text)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_field_reads_the_language_s_date_and_iso(window_language: str) -> None:
    for typed, stored in ACCEPTED[window_language] + ISO:
        assert parse_birthday(typed) == stored, typed
    for typed in REFUSED[window_language]:
        assert parse_birthday(typed) is None, typed
    assert parse_birthday("  ") == ""


def test_the_card_s_birthday_is_shown_in_the_language(window_language: str) -> None:
    assert (birthday_to_text("1980-05-17"), birthday_to_text("--05-17")) == SHOWN[window_language]
    assert birthday_to_text("1980-02-31") is None  # not a date: the field shows it as it is
    assert birthday_to_text("19800517") is None


def test_hint_and_placeholder_in_the_language_s_form(qtbot: QtBot, window_language: str) -> None:
    dialog = editor(qtbot)
    placeholder, hint = HINT[window_language]
    assert dialog.birthday_edit.placeholderText() == placeholder
    hints = [label.text() for label in dialog.findChildren(QLabel) if label.objectName() == "hint"]
    assert hint in hints


@pytest.mark.parametrize("bday", ["1980-05-17", "--05-17"])
def test_editing_round_trip_keeps_bday(
    qtbot: QtBot, store: Path, window_language: str, bday: str
) -> None:
    dialog = editor(qtbot, bday)
    full, no_year = SHOWN[window_language]
    assert dialog.birthday_edit.text() == (full if len(bday) == 10 else no_year)
    dialog.title_edit.setText("CEO")  # another change; the birthday stays as it was
    assert read_fields(dialog.result_vcard()).birthday == bday


def test_typed_dates_reach_the_card(qtbot: QtBot, store: Path, window_language: str) -> None:
    for typed, stored in [ACCEPTED[window_language][0], ISO[0], ISO[1]]:
        dialog = editor(qtbot, "1970-01-01")
        dialog.birthday_edit.setText(typed)
        assert dialog.validate() is None, typed
        assert f"BDAY:{stored}\r\n" in dialog.result_vcard()


def test_a_wrong_date_is_explained_in_the_language_s_form(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    dialog = editor(qtbot)
    dialog.given_edit.setText("Anna")
    wrong = REFUSED[window_language][0]
    dialog.birthday_edit.setText(wrong)
    problem = dialog.validate()
    assert problem is not None
    message, widget = problem
    assert widget is dialog.birthday_edit
    if window_language == "de":
        assert message == (
            "„5/17/1980“ ist kein gültiges Datum. Bitte geben Sie den Geburtstag als "
            "TT.MM.JJJJ ein (z. B. 17.05.1980) oder ohne Jahr als TT.MM. (z. B. 17.05.)."
        )
    else:
        assert message == (
            "“17.05.1980” is not a valid date. Please enter the birthday as MM/DD/YYYY "
            "(e.g. 5/17/1980), or without the year as MM/DD (e.g. 5/17)."
        )
