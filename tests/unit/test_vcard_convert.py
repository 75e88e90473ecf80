"""Issue 17: 2.1 -> 3.0/4.0 conversion keeps values, uploads carry what servers require, and an
exported .vcf says the truth about its encoding (app.vcard convert / prepare_for_upload /
export_text, app.store.vcf export)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import vobject

from app import vcard
from app.store.books import create_book
from app.store.contacts import get_book
from app.store.models import Contact
from app.store.vcf import export_book, import_vcf

CARDS = Path(__file__).parent / "cards"
REALWORLD = CARDS / "realworld"
OUTLOOK = "outlookstyle_21_cp1252_unc_note.vcf"
NO_FN = "constructed_30_no_fn.vcf"


def cards(name: str) -> list[str]:
    return vcard.split_cards(vcard.decode_bytes((REALWORLD / name).read_bytes()))


def logical(text: str) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", text).replace("\r\n", "\n").split("\n")


def value_of(text: str, name: str) -> str:
    [line] = [x for x in logical(text) if re.match(rf"{name}[;:]", x)]
    return line.split(":", 1)[1]


# ---------------------------------------------------------------- 2.1 backslashes


def test_unc_path_in_a_21_note_keeps_both_backslashes_in_30_and_40() -> None:
    kaethe, juergen = cards(OUTLOOK)
    note = "Pläne unter \\\\fileserver\\bau\\2024, Archiv auf \\\\nas01"
    assert vcard.read_fields(kaethe).note == note
    out30 = vcard.convert(kaethe, "3.0")
    # RFC 2426 5: a backslash is written \\ (and `,` as \,) in 3.0
    assert (
        value_of(out30, "NOTE")
        == "Pläne unter \\\\\\\\fileserver\\\\bau\\\\2024\\, Archiv auf \\\\\\\\nas01"
    )
    assert vobject.readOne(out30).note.value == note  # what Radicale's parser makes of it
    out40 = vcard.convert(kaethe, "4.0")
    assert vcard.read_fields(out40).note == note
    assert vcard.normalized_hash(out30) == vcard.normalized_hash(kaethe)
    # in QUOTED-PRINTABLE a 2.1 \n is no line break (QP carries them as =0D=0A)
    qp_note = "Ablage: \\\\fileserver\\neu\\Verträge\nSchlüssel liegt bei \\\\srv02"
    assert vcard.read_fields(juergen).note == qp_note
    out = vcard.convert(juergen, "3.0")
    assert value_of(out, "NOTE") == (
        "Ablage: \\\\\\\\fileserver\\\\neu\\\\Verträge\\nSchlüssel liegt bei \\\\\\\\srv02"
    )
    assert vobject.readOne(out).note.value == qp_note
    assert vcard.normalized_hash(out) == vcard.normalized_hash(juergen)


def test_21_escapes_that_producers_do_write_are_still_read() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Wolf\\;Berg;Anna\r\n"
        "NOTE:Zeile 1\\nZeile 2\\; mit Semikolon, C:\\Daten\r\nEND:VCARD\r\n"
    )
    fields = vcard.read_fields(card)
    assert (fields.family, fields.given) == ("Wolf;Berg", "Anna")
    assert fields.note == "Zeile 1\nZeile 2; mit Semikolon, C:\\Daten"
    out = vcard.convert(card, "3.0")
    assert "\r\nN:Wolf\\;Berg;Anna;;;\r\n" in out
    assert "\r\nNOTE:Zeile 1\\nZeile 2\\; mit Semikolon\\, C:\\\\Daten\r\n" in out


def test_the_apps_21_writer_writes_backslashes_raw_and_goes_30_where_21_cannot() -> None:
    [card] = cards(OUTLOOK)[:1]
    fields = vcard.read_fields(card)
    # an edit elsewhere leaves the UNC note line as Outlook wrote it
    edited = vcard.edit_card(card, replace(fields, title="Leiterin"))
    assert "VERSION:2.1" in edited
    assert "NOTE;CHARSET=Windows-1252:Pläne unter \\\\fileserver\\bau\\2024" in edited
    # a new UNC path is written raw, as Outlook writes and reads it
    edited = vcard.edit_card(card, replace(fields, note="\\\\nas02\\scan"))
    assert "\r\nNOTE:\\\\nas02\\scan\r\n" in edited
    assert vcard.read_fields(edited).note == "\\\\nas02\\scan"
    # 2.1 has no escape for a backslash right before `;`: such a value makes the card 3.0
    tricky = replace(fields, family="Weiß\\", note="a\\;b")
    edited = vcard.edit_card(card, tricky)
    assert "VERSION:3.0" in edited
    assert vcard.read_fields(edited) == vcard.normalize_fields(tricky)
    assert "VERSION:3.0" in vcard.new_card(tricky, "u1", "2.1")


# ---------------------------------------------------------------- N, ADR and unknown properties


def test_two_part_n_and_short_adr_get_all_components() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Weiß;Käthe\r\nFN:Käthe Weiß\r\n"
        "ADR;HOME:;;Domstraße 1;Köln\r\nEND:VCARD\r\n"
    )
    for version in ("3.0", "4.0"):
        out = vcard.convert(card, version)
        assert value_of(out, "N") == "Weiß;Käthe;;;"
        assert value_of(out, "ADR") == ";;Domstraße 1;Köln;;;"
        assert vcard.normalized_hash(out) == vcard.normalized_hash(card)


def test_x_properties_keep_their_value_byte_for_byte() -> None:
    [kaethe, _] = cards(OUTLOOK)
    design = value_of(kaethe, "X-MS-OL-DESIGN")
    assert "Amt; Abteilung" in design
    for version in ("3.0", "4.0"):
        out = vcard.convert(kaethe, version)
        assert value_of(out, "X-MS-OL-DESIGN") == design  # no `\;` added
        assert value_of(out, "X-MS-SPOUSE") == "Jörg Weiß; geb. Brandt"


# ---------------------------------------------------------------- what goes to the server


def _sabre4_problems(text: str) -> list[str]:
    """What sabre/vobject 4's VCard validator repairs (and so re-serializes the card for):
    FN missing, N with fewer than 5 or ADR with fewer than 7 components (Property\\Text)."""
    lines = logical(text)
    problems = [] if any(re.match(r"FN[;:]", x, re.I) for x in lines) else ["FN"]
    for line in lines:
        m = re.match(r"(?:[\w-]+\.)?(N|ADR)[;:]", line, re.I)
        if m:
            value = line.split(":", 1)[1]
            count = len(re.split(r"(?<!\\);", value))  # good enough for these cards
            if count < {"N": 5, "ADR": 7}[m.group(1).upper()]:
                problems.append(line)
    return problems


def test_fn_less_30_cards_get_fn_on_upload_and_nothing_else_changes() -> None:
    joerg, stadtwerke = cards(NO_FN)
    for card, fn in ((joerg, "Jörg Brandt"), (stadtwerke, "Stadtwerke Bonn")):
        out = vcard.prepare_for_upload(card, ("3.0",))
        assert out.startswith(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\n")
        assert vobject.readOne(out).fn.value == fn  # Radicale's check passes
        assert vcard.normalized_hash(out) == vcard.normalized_hash(card)
        assert _sabre4_problems(out) == []
        # every other line as it was, except ADR's missing components
        kept = [x for x in logical(card) if not x.startswith("ADR")]
        assert [x for x in logical(out) if not x.startswith(("FN", "ADR"))] == kept
    assert "\r\nADR;TYPE=WORK:;;Sandkaule 2;Bonn;;;\r\n" in vcard.prepare_for_upload(stadtwerke, ())
    # a 4.0 card without FN, and one with nothing to name it by
    card40 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nEMAIL:a@b.de\r\nEND:VCARD\r\n"
    assert "\r\nFN:a@b.de\r\n" in vcard.prepare_for_upload(card40, ("4.0",))
    bare = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:y\r\nTEL:+49 1\r\nEND:VCARD\r\n"
    out = vcard.prepare_for_upload(bare, ())
    assert "\r\nFN:\r\n" in out and vcard.normalized_hash(out) == vcard.normalized_hash(bare)


def test_a_complete_card_goes_up_unchanged() -> None:
    text = (CARDS / "nextcloud_30.vcf").read_text(encoding="utf-8")
    assert vcard.prepare_for_upload(text, ("3.0", "4.0")) is text


@pytest.mark.parametrize("name", sorted(p.name for p in REALWORLD.glob("*.vcf")))
def test_every_corpus_upload_needs_no_server_repair(name: str) -> None:
    for raw_card in cards(name):
        try:
            vcard.summarize(raw_card)
            card = vcard.sanitize(raw_card).text  # what the import stores
        except vcard.CardError:
            continue  # the damaged cards of the corpus are never stored, so never uploaded
        for accepted in ((), ("3.0",), ("4.0",)):
            out = vcard.prepare_for_upload(card, accepted)
            assert _sabre4_problems(out) == [], (name, accepted)
            names = [x.split(":")[0].split(";")[0].upper() for x in logical(card)]
            variants = "ALTID" in card.upper() or names.count("FN") > 1 or names.count("N") > 1
            if not variants:  # 3.0 keeps one FN, one N and no ALTID variant
                assert vcard.normalized_hash(out) == vcard.normalized_hash(card)


# ---------------------------------------------------------------- export


def test_export_labels_say_utf8_and_nothing_else_changes() -> None:
    text = vcard.decode_bytes((CARDS / "outlook_21.vcf").read_bytes())
    out = vcard.export_text(text)
    assert "N;LANGUAGE=de;CHARSET=UTF-8:Weiß;Günther;;Herr;" in out
    assert "CHARSET=Windows-1252:" not in out  # no raw 8-bit value keeps the old label
    # the QUOTED-PRINTABLE LABEL's bytes are Windows-1252: its label stays true
    assert "LABEL;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Schlo=DF" in out
    assert len(out.splitlines()) == len(text.splitlines())
    changed = [(a, b) for a, b in zip(text.splitlines(), out.splitlines(), strict=True) if a != b]
    assert len(changed) == 4
    for before, after in changed:
        assert before.replace("CHARSET=Windows-1252", "CHARSET=UTF-8") == after
    assert vcard.export_text(out) == out
    assert vcard.read_fields(out) == vcard.read_fields(text)
    # what an importer that honours CHARSET reads from the UTF-8 bytes
    for line in out.encode("utf-8").split(b"\r\n"):
        if b"CHARSET=UTF-8" in line and b"QUOTED" not in line:
            line.split(b":", 1)[1].decode("utf-8")


def test_export_of_30_and_21_without_label() -> None:
    card30 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=ISO-8859-1:Jürgen\r\nEND:VCARD\r\n"
    assert vcard.export_text(card30) == card30.replace(";CHARSET=ISO-8859-1", "")
    card21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jürgen\r\nN;WINDOWS-1252:Müller\r\nEND:VCARD\r\n"
    assert vcard.export_text(card21) == (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8:Jürgen\r\n"
        "N;CHARSET=UTF-8:Müller\r\nEND:VCARD\r\n"
    )
    ascii_only = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=Windows-1252:Hans\r\nEND:VCARD\r\n"
    assert vcard.export_text(ascii_only) is ascii_only
    lone_cr = "BEGIN:VCARD\rVERSION:3.0\rFN:A\rEND:VCARD\r"
    assert vcard.export_text(lone_cr) == lone_cr.replace("\r", "\r\n")


def test_outlook_export_import_export_is_byte_stable(store: Path) -> None:
    data = (REALWORLD / OUTLOOK).read_bytes() + (CARDS / "outlook_21.vcf").read_bytes()
    report = import_vcf("Standard", data)
    assert (report.added, report.errors) == (3, [])
    first = export_book("Standard")
    text = first.decode("utf-8")
    assert "Windows-1252:" not in text.replace("Windows-1252;ENCODING=QUOTED-PRINTABLE:", "")
    create_book("Kopie")
    assert import_vcf("Kopie", first).added == 3
    assert export_book("Kopie") == first
    # the stored cards are what was imported; only the file says UTF-8
    stored = Contact.select().where(Contact.book == get_book("Standard"))
    assert all("CHARSET=Windows-1252:" in c.vcard for c in stored)
    kaethe = next(c for c in stored if c.fn == "Käthe Weiß")
    assert vcard.read_fields(kaethe.vcard).note.startswith("Pläne unter \\\\fileserver\\bau")


def test_a_servers_text_escaping_of_x_values_is_no_change() -> None:
    # Radicale stores every card as vobject writes it: `;` in an unknown property as `\;`
    ours = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nX-MS-SPOUSE:Jörg; Anna\r\nEND:VCARD\r\n"
    theirs = ours.replace("Jörg; Anna", "Jörg\\; Anna")
    assert vcard.normalized_hash(theirs) == vcard.normalized_hash(ours)
    assert vcard.normalized_hash(ours.replace("Jörg; Anna", "Jörg, Anna")) != (
        vcard.normalized_hash(ours)
    )
    assert vcard.normalized_hash(ours.replace("Jörg; Anna", "Jörg\\\\; Anna")) != (
        vcard.normalized_hash(ours)
    )
