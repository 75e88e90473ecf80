"""The contact editor: new cards, lossless edits of real-world cards, rows, validation, photo."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from app import vcard
from app.vcard import Address, ContactFields, read_fields, read_photo
from ui.contact_editor import ContactEditorDialog, ValueRow, parse_birthday

CARDS = Path(__file__).resolve().parents[1] / "unit" / "cards"

FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(
    range(256)
)
_B64 = base64.b64encode(FAKE_JPEG).decode()
_PHOTO = "PHOTO;ENCODING=b;TYPE=JPEG;X-ABCROP-RECTANGLE=ABClipRect_1&0&0&96&96&abc==:" + _B64
_PHOTO_FOLDED = (
    _PHOTO[:75] + "\r\n " + "\r\n ".join(_PHOTO[k : k + 74] for k in range(75, len(_PHOTO), 74))
)

# An iPhone card synced through iCloud and touched by Outlook: groups with X-ABLabel,
# unknown params, X- properties, IMPP, RELATED, a photo and Apple's year-less birthday.
APPLE_CARD = "\r\n".join(
    [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
        "N:Müller;Hans;Peter;Dr.;",
        "FN:Dr. Hans Peter Müller",
        "ORG:Beispiel GmbH;Vertrieb;Team Süd",
        "TITLE:Leiter Vertrieb",
        "item1.EMAIL;type=INTERNET;type=pref:hans@example.com",
        "item1.X-ABLabel:_$!<Other>!$_",
        "EMAIL;type=INTERNET;type=WORK:h.mueller@beispiel.de",
        "TEL;type=CELL;type=VOICE;type=pref:+49 171 1234567",
        "TEL;type=WORK;type=VOICE;X-SOURCE=outlook:+49 89 123456-0",
        "item2.TEL:+49 30 999",
        "item2.X-ABLabel:Zentrale",
        "TEL;type=IPHONE;type=CELL:+49 160 555",
        "item3.ADR;type=HOME;type=pref:Postfach 12;Hinterhaus;Hauptstr. 1;München;Bayern;80331;"
        "Deutschland",
        "item3.X-ABADR:de",
        "IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:hans.mueller",
        "RELATED;TYPE=spouse:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
        "item4.X-ABRELATEDNAMES;type=pref:Anna Müller",
        "item4.X-ABLabel:_$!<Spouse>!$_",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
        "X-SOCIALPROFILE;type=twitter;x-user=hans:https://twitter.com/hans",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17",
        "NOTE:Zeile 1\\nZeile 2",
        "CATEGORIES:Kunden,VIP",
        "URL;type=pref:https://beispiel.de",
        _PHOTO_FOLDED,
        "UID:6A1F6E4C-8C3B-4E0B-9E0E-1D2C3B4A5F60",
        "REV:2023-01-01T00:00:00Z",
        "END:VCARD",
        "",
    ]
)


def physical(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def make(qtbot: QtBot, text: str | None = None) -> ContactEditorDialog:
    dialog = ContactEditorDialog(text)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def save(dialog: ContactEditorDialog) -> bool:
    """Click "Speichern"; True if the dialog accepted."""
    dialog.save_button.click()
    return dialog.result() == QDialog.DialogCode.Accepted


def phone_row(dialog: ContactEditorDialog, value: str) -> ValueRow:
    return next(r for r in dialog.phone_rows if r.value() == value)


# ---------------------------------------------------------------------------- new contact


def test_new_contact_produces_a_card_with_the_typed_values(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.windowTitle() == "Neuer Kontakt"
    assert len(dialog.email_rows) == 1 and len(dialog.phone_rows) == 1  # ready to type
    qtbot.keyClicks(dialog.prefix_edit, "Frau Dr.")
    qtbot.keyClicks(dialog.given_edit, "Erika")
    qtbot.keyClicks(dialog.family_edit, "Mustermann")
    assert dialog.fn_edit.placeholderText() == "Frau Dr. Erika Mustermann"
    qtbot.keyClicks(dialog.org_edit, "Muster AG")
    qtbot.keyClicks(dialog.department_edit, "Einkauf")
    qtbot.keyClicks(dialog.title_edit, "Leiterin")
    qtbot.keyClicks(dialog.email_rows[0].edit, "e.mustermann@muster.de")
    qtbot.keyClicks(dialog.phone_rows[0].edit, "+49 89 1234-0")
    qtbot.mouseClick(dialog.add_phone_button, Qt.MouseButton.LeftButton)
    mobile = dialog.phone_rows[1]
    mobile.type_combo.setCurrentText("Mobil")
    qtbot.keyClicks(mobile.edit, "0171 999")
    qtbot.mouseClick(dialog.add_address_button, Qt.MouseButton.LeftButton)
    adr = dialog.address_rows[0]
    adr.type_combo.setCurrentText("Privat")
    qtbot.keyClicks(adr.street_edit, "Am Markt 3")
    qtbot.keyClicks(adr.postal_code_edit, "50667")
    adr.city_edit.setText("Köln")  # QTest.keyClicks aborts on non-ASCII offscreen
    qtbot.keyClicks(adr.country_edit, "Deutschland")
    qtbot.keyClicks(dialog.birthday_edit, "3.9.1975")
    qtbot.keyClicks(dialog.categories_edit, "Kunde, VIP")
    qtbot.keyClicks(dialog.url_edit, "https://muster.de")
    dialog.note_edit.setPlainText("Zeile 1\nZeile 2")
    assert save(dialog)

    text = dialog.result_vcard()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    uid = re.search(r"^UID:(.+)\r$", text, re.M)
    assert uid is not None and re.fullmatch(r"[0-9A-F-]{36}", uid.group(1))
    assert dialog.result_vcard().count("UID:" + uid.group(1)) == 1  # stable between calls
    assert read_fields(text) == ContactFields(
        prefix="Frau Dr.",
        given="Erika",
        family="Mustermann",
        fn="Frau Dr. Erika Mustermann",
        org="Muster AG;Einkauf",
        title="Leiterin",
        emails=[("work", "e.mustermann@muster.de")],
        phones=[("work", "+49 89 1234-0"), ("cell", "0171 999")],
        addresses=[
            (
                "home",
                Address(
                    street="Am Markt 3", city="Köln", postal_code="50667", country="Deutschland"
                ),
            )
        ],
        birthday="1975-09-03",
        note="Zeile 1\nZeile 2",
        categories=["Kunde", "VIP"],
        url="https://muster.de",
    )
    assert read_photo(text) is None


def test_new_contact_with_an_own_display_name(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.org_edit.setText("Stadtwerke")
    dialog.fn_edit.setText("Stadtwerke – Störungsdienst")
    assert save(dialog)
    assert read_fields(dialog.result_vcard()).fn == "Stadtwerke – Störungsdienst"


# ---------------------------------------------------------------------------- lossless edits


def test_opening_and_saving_without_change_returns_the_card_unchanged(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    assert dialog.windowTitle() == "Kontakt bearbeiten"
    assert save(dialog)
    assert dialog.result_vcard() == APPLE_CARD


def test_the_apple_card_is_shown_in_the_fields(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    assert dialog.prefix_edit.text() == "Dr."
    assert dialog.given_edit.text() == "Hans"
    assert dialog.additional_edit.text() == "Peter"
    assert dialog.family_edit.text() == "Müller"
    assert dialog.fn_edit.text() == ""  # FN is the automatic one
    assert dialog.fn_edit.placeholderText() == "Dr. Hans Peter Müller"
    assert dialog.org_edit.text() == "Beispiel GmbH"
    assert dialog.department_edit.text() == "Vertrieb"
    assert [(r.type_combo.currentText(), r.value()) for r in dialog.email_rows] == [
        ("Andere", "hans@example.com"),
        ("Arbeit", "h.mueller@beispiel.de"),
    ]
    assert [(r.type_combo.currentText(), r.value()) for r in dialog.phone_rows] == [
        ("Mobil", "+49 171 1234567"),
        ("Arbeit", "+49 89 123456-0"),
        ("Andere", "+49 30 999"),
        ("Mobil, iphone", "+49 160 555"),
    ]
    adr = dialog.address_rows[0]
    assert adr.type_combo.currentText() == "Privat"
    assert (adr.street_edit.text(), adr.postal_code_edit.text(), adr.city_edit.text()) == (
        "Hauptstr. 1",
        "80331",
        "München",
    )
    assert (adr.region_edit.text(), adr.country_edit.text()) == ("Bayern", "Deutschland")
    assert dialog.birthday_edit.text() == "17.05."
    assert dialog.categories_edit.text() == "Kunden, VIP"
    assert dialog.url_edit.text() == "https://beispiel.de"
    assert dialog.note_edit.toPlainText() == "Zeile 1\nZeile 2"
    assert dialog.photo() == (FAKE_JPEG, "image/jpeg")
    assert dialog.remove_photo_button.isEnabled()


def test_changing_one_phone_keeps_every_other_line_byte_identical(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    row = phone_row(dialog, "+49 89 123456-0")
    row.edit.setText("+49 89 123456-99")
    assert save(dialog)
    out = dialog.result_vcard()
    before, after = physical(APPLE_CARD), physical(out)
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 2
    (old_tel, new_tel), (old_rev, new_rev) = changed
    assert old_tel.startswith("TEL;type=WORK") and old_tel.endswith(":+49 89 123456-0\r\n")
    assert new_tel.startswith("TEL;") and new_tel.endswith(":+49 89 123456-99\r\n")
    assert "X-SOURCE=outlook" in new_tel and "WORK" in new_tel.upper()
    assert old_rev.startswith("REV:") and new_rev.startswith("REV:") and old_rev != new_rev
    assert read_photo(out) == (FAKE_JPEG, "image/jpeg")


def test_an_unknown_phone_type_survives_an_edit(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    row = phone_row(dialog, "+49 160 555")
    assert row.types() == "cell,iphone"
    row.edit.setText("+49 160 556")
    assert save(dialog)
    out = dialog.result_vcard()
    line = next(x for x in physical(out) if "+49 160 556" in x)
    assert "IPHONE" in line.upper() and "CELL" in line.upper()
    assert ("cell,iphone", "+49 160 556") in read_fields(out).phones


def test_an_other_type_is_kept_when_the_value_changes(qtbot: QtBot) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;B;;;\r\nFN:B A\r\n"
        "EMAIL;TYPE=OTHER:b@a.de\r\nEND:VCARD\r\n"
    )
    dialog = make(qtbot, text)
    row = dialog.email_rows[0]
    assert row.type_combo.currentText() == "Andere"
    assert row.type_combo.count() == 3  # no extra entry for "other"
    row.edit.setText("b@b.de")
    assert save(dialog)
    assert "EMAIL;TYPE=OTHER:b@b.de\r\n" in dialog.result_vcard()


def test_changing_a_type_rewrites_only_that_line(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    phone_row(dialog, "+49 171 1234567").type_combo.setCurrentText("Fax privat")
    assert save(dialog)
    out = dialog.result_vcard()
    assert ("home,fax", "+49 171 1234567") in read_fields(out).phones
    diff = [b for b, a in zip(physical(APPLE_CARD), physical(out), strict=True) if b != a]
    assert [d.split(":")[0].split(";")[0] for d in diff] == ["TEL", "REV"]


def test_editing_names_keeps_the_automatic_display_name_in_step(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    dialog.family_edit.setText("Meier")
    assert dialog.fn_edit.placeholderText() == "Dr. Hans Peter Meier"
    assert save(dialog)
    f = read_fields(dialog.result_vcard())
    assert (f.family, f.fn) == ("Meier", "Dr. Hans Peter Meier")
    assert f.org == "Beispiel GmbH;Vertrieb;Team Süd"  # the third ORG component is kept


def test_address_edit_keeps_po_box_and_extended(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    dialog.address_rows[0].street_edit.setText("Hauptstr. 2")
    assert save(dialog)
    out = dialog.result_vcard()
    assert read_fields(out).addresses == [
        (
            "home",
            Address(
                "Hauptstr. 2",
                "München",
                "Bayern",
                "80331",
                "Deutschland",
                "Postfach 12",
                "Hinterhaus",
            ),
        )
    ]
    assert "item3.X-ABADR:de\r\n" in out


@pytest.mark.parametrize("name", ["outlook_21.vcf", "android_21.vcf", "nextcloud_40.vcf"])
def test_other_producers_cards_survive_an_email_edit(qtbot: QtBot, name: str) -> None:
    text = vcard.decode_bytes((CARDS / name).read_bytes())
    dialog = make(qtbot, text)
    assert save(dialog)
    assert dialog.result_vcard() == text  # unchanged
    dialog = make(qtbot, text)
    if not dialog.email_rows:
        dialog.add_email_row()
    dialog.email_rows[0].edit.setText("neu@example.org")
    assert save(dialog)
    out = dialog.result_vcard()
    changed = [b for b in physical(text) if b not in physical(out)]
    names = {re.split(r"[;:]", b)[0].rpartition(".")[2].upper() for b in changed}
    assert names <= {"EMAIL", "REV"}
    assert read_fields(out).emails[0][1] == "neu@example.org"


# ---------------------------------------------------------------------------- rows


def test_adding_and_removing_rows(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    qtbot.mouseClick(dialog.add_email_button, Qt.MouseButton.LeftButton)
    assert len(dialog.email_rows) == 3
    new = dialog.email_rows[2]
    assert new.type_combo.currentText() == "Arbeit"
    assert dialog.focusWidget() is new.edit
    new.type_combo.setCurrentText("Privat")
    new.edit.setText("hans@privat.de")
    # remove the "Zentrale" phone (item2) and the address (item3) with their buttons
    qtbot.mouseClick(phone_row(dialog, "+49 30 999").remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.address_rows[0].remove_button, Qt.MouseButton.LeftButton)
    assert len(dialog.phone_rows) == 3 and dialog.address_rows == []
    assert save(dialog)
    out = dialog.result_vcard()
    f = read_fields(out)
    assert ("home", "hans@privat.de") in f.emails and len(f.emails) == 3
    assert "+49 30 999" not in out and "item2." not in out  # its X-ABLabel went with it
    assert f.addresses == [] and "item3." not in out
    assert "item4.X-ABLabel:_$!<Spouse>!$_\r\n" in out
    assert "IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:hans.mueller\r\n" in out


def test_an_empty_row_is_ignored(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    dialog.add_phone_row()
    dialog.add_address_row()
    assert save(dialog)
    assert dialog.result_vcard() == APPLE_CARD


# ---------------------------------------------------------------------------- validation


def error_of(dialog: ContactEditorDialog) -> str:
    label = dialog.findChild(QLabel, "errorLabel")
    assert label is not None and label is dialog.error_label
    return label.text() if not label.isHidden() else ""


def test_an_empty_contact_is_refused(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert not save(dialog)
    assert dialog.isVisible()
    assert error_of(dialog) == (
        "Bitte geben Sie mindestens einen Namen, eine Organisation, eine E-Mail-Adresse "
        "oder eine Telefonnummer ein."
    )
    assert dialog.focusWidget() is dialog.given_edit
    dialog.org_edit.setText("Muster AG")  # an organisation alone is enough
    assert save(dialog)
    assert error_of(dialog) == ""


def test_a_phone_alone_is_enough(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.phone_rows[0].edit.setText("089 123")
    assert save(dialog)
    assert read_fields(dialog.result_vcard()).fn == "089 123"


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("email", "hans.example.com", "„hans.example.com“ ist keine gültige E-Mail-Adresse."),
        ("email", "hans@firma", "„hans@firma“ ist keine gültige E-Mail-Adresse."),
        ("phone", "089 12 34 ab", "„089 12 34 ab“ ist keine gültige Telefonnummer."),
        ("phone", "---", "„---“ ist keine gültige Telefonnummer."),
        ("birthday", "31.02.1980", "„31.02.1980“ ist kein gültiges Datum."),
        ("birthday", "17/05/1980", "„17/05/1980“ ist kein gültiges Datum."),
        ("birthday", "32.01.", "„32.01.“ ist kein gültiges Datum."),
    ],
)
def test_invalid_values_are_explained_and_focused(
    qtbot: QtBot, kind: str, value: str, expected: str
) -> None:
    dialog = make(qtbot)
    dialog.given_edit.setText("Erika")
    if kind == "email":
        target = dialog.email_rows[0].edit
    elif kind == "phone":
        target = dialog.phone_rows[0].edit
    else:
        target = dialog.birthday_edit
    target.setText(value)
    assert not save(dialog)
    message = error_of(dialog)
    assert message.startswith(expected)
    assert "Bitte" in message and "z. B." in message  # says what to do, with an example
    assert dialog.focusWidget() is target
    assert dialog.isVisible()


def test_old_odd_values_do_not_block_saving_other_changes(qtbot: QtBot) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nN:X;;;;\r\nTEL:Zentrale 089/1\r\nEND:VCARD\r\n"
    dialog = make(qtbot, text)
    dialog.title_edit.setText("Chef")
    assert save(dialog)
    assert "TEL:Zentrale 089/1\r\n" in dialog.result_vcard()


# ---------------------------------------------------------------------------- birthday


def test_birthday_without_year(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.given_edit.setText("Erika")
    dialog.birthday_edit.setText("17.05.")
    assert dialog.fields().birthday == "--05-17"
    assert save(dialog)
    out = dialog.result_vcard()
    assert "BDAY:--05-17\r\n" in out
    reopened = make(qtbot, out)
    assert reopened.birthday_edit.text() == "17.05."


def test_apple_birthday_without_year_is_kept_and_can_get_a_year(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    dialog.birthday_edit.setText("17.05.1970")
    assert save(dialog)
    out = dialog.result_vcard()
    assert read_fields(out).birthday == "1970-05-17"
    assert "X-APPLE-OMIT-YEAR" not in out


def test_parse_birthday_forms() -> None:
    assert parse_birthday("3.9.1975") == "1975-09-03"
    assert parse_birthday("03.09.1975") == "1975-09-03"
    assert parse_birthday("29.02.") == "--02-29"
    assert parse_birthday("17.05") == "--05-17"
    assert parse_birthday("1975-09-03") == "1975-09-03"
    assert parse_birthday("") == ""
    assert parse_birthday("29.02.1981") is None
    assert parse_birthday("17.13.1980") is None
    assert parse_birthday("morgen") is None


# ---------------------------------------------------------------------------- photo


def write_png(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(200, 40, 40, 128))
    assert image.save(str(path), "PNG")
    return path


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_choose_a_photo_scales_it_and_stores_a_jpeg(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make(qtbot)
    dialog.given_edit.setText("Erika")
    assert not dialog.remove_photo_button.isEnabled()
    choose(monkeypatch, write_png(tmp_path / "erika.png", 1024, 768))
    qtbot.mouseClick(dialog.choose_photo_button, Qt.MouseButton.LeftButton)
    photo = dialog.photo()
    assert photo is not None and photo[1] == "image/jpeg"
    assert photo[0].startswith(b"\xff\xd8")
    image = QImage.fromData(photo[0])
    assert (image.width(), image.height()) == (512, 384)
    assert dialog.remove_photo_button.isEnabled()
    assert save(dialog)
    assert read_photo(dialog.result_vcard()) == photo


def test_clicking_the_thumbnail_chooses_a_photo(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make(qtbot, APPLE_CARD)
    choose(monkeypatch, write_png(tmp_path / "small.png", 40, 30))
    qtbot.mouseClick(dialog.photo_button, Qt.MouseButton.LeftButton)
    photo = dialog.photo()
    assert photo is not None and photo != (FAKE_JPEG, "image/jpeg")
    image = QImage.fromData(photo[0])
    assert (image.width(), image.height()) == (40, 30)  # never scaled up
    assert save(dialog)
    out = dialog.result_vcard()
    assert read_photo(out) == photo
    assert "X-ABCROP-RECTANGLE" not in out  # the old crop belongs to the old photo
    kept = [x for x in physical(APPLE_CARD) if not x.startswith(("PHOTO", " ", "REV"))]
    assert kept == [x for x in physical(out) if not x.startswith(("PHOTO", " ", "REV"))]


def test_remove_the_photo(qtbot: QtBot) -> None:
    dialog = make(qtbot, APPLE_CARD)
    qtbot.mouseClick(dialog.remove_photo_button, Qt.MouseButton.LeftButton)
    assert dialog.photo() is None
    assert not dialog.remove_photo_button.isEnabled()
    assert save(dialog)
    out = dialog.result_vcard()
    assert read_photo(out) is None and "PHOTO" not in out
    assert read_fields(out) == read_fields(APPLE_CARD)


def test_a_cancelled_file_dialog_changes_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make(qtbot, APPLE_CARD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    dialog.choose_photo()
    assert dialog.photo() == (FAKE_JPEG, "image/jpeg")
    assert error_of(dialog) == ""


def test_a_too_big_photo_is_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "riesig.jpg"
    big.write_bytes(b"\xff\xd8" + b"\0" * (3 * 1024 * 1024))
    dialog = make(qtbot, APPLE_CARD)
    choose(monkeypatch, big)
    dialog.choose_photo()
    assert error_of(dialog).startswith("Das Bild „riesig.jpg“ ist 3,0 MB groß.")
    assert "höchstens 2 MB" in error_of(dialog)
    assert dialog.photo() == (FAKE_JPEG, "image/jpeg")


def test_an_unreadable_photo_is_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "kaputt.png"
    bad.write_text("kein Bild")
    dialog = make(qtbot)
    choose(monkeypatch, bad)
    dialog.choose_photo()
    assert error_of(dialog).startswith("Die Datei „kaputt.png“ ist kein lesbares Bild.")
    assert dialog.photo() is None
    # a good photo afterwards clears the message
    choose(monkeypatch, write_png(tmp_path / "gut.png", 10, 10))
    dialog.choose_photo()
    assert error_of(dialog) == "" and dialog.photo() is not None


def test_a_photo_over_the_caps_is_named_and_kept_unchanged(qtbot: QtBot) -> None:
    from tests.unit.test_vcard_photo import png_bomb

    data = base64.b64encode(png_bomb()).decode()
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bomb-1\r\nFN:Bombe\r\nN:Bombe;;;;\r\n"
        f"PHOTO;ENCODING=b;TYPE=PNG:{data}\r\nEND:VCARD\r\n"
    )
    dialog = make(qtbot, text)
    assert dialog.photo() is None
    note = dialog.photo_note_label
    assert not note.isHidden() and note.text().startswith("Foto wird nicht angezeigt:")
    assert "unverändert erhalten" in note.text()
    dialog.given_edit.setText("Berta")
    assert save(dialog)
    out = dialog.result_vcard()
    assert data in out.replace("\r\n ", "")  # the photo is still there, byte for byte
    # a chosen photo replaces it, and the note goes
    dialog._photo = (FAKE_JPEG, "image/jpeg")
    dialog._update_photo()
    assert note.isHidden()


# ---------------------------------------------------------------------------- unreadable card


def test_an_unreadable_card_is_shown_and_left_unchanged(qtbot: QtBot) -> None:
    broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Halb\r\n"  # END:VCARD missing
    dialog = make(qtbot, broken)
    assert dialog.load_error
    assert "kann nicht bearbeitet werden" in error_of(dialog)
    assert not dialog.save_button.isEnabled()
    assert not dialog.form_widget.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.result_vcard() == broken
