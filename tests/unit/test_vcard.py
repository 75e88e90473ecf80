"""Tests for app.vcard: summaries, normalized hash, UIDs, conversion and lossless edits.

Sample cards in tests/unit/cards/ are written the way their producers write them (Apple, Google,
Outlook 2.1 in Windows-1252, Android 2.1, Nextcloud/SabreDAV 3.0 and 4.0, Kerio Connect,
Thunderbird, a 4.0 ALTID card, LF-only with mixed folding, a 20 KB photo, a multi-card export).
"""

from __future__ import annotations

import base64
import contextlib
import random
import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.vcard import (
    PRODID,
    Address,
    CardError,
    CardSummary,
    ContactFields,
    convert,
    decode_bytes,
    derive_uid,
    edit_card,
    ensure_uid,
    new_card,
    normalize_fields,
    normalized_hash,
    prepare_for_upload,
    read_fields,
    set_uid,
    split_cards,
    summarize,
)

CARDS = Path(__file__).parent / "cards"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
SINGLE_CARDS = sorted(p.name for p in CARDS.glob("*.vcf") if p.name != "export_multi.vcf")


def load(name: str) -> str:
    """A sample card as the app would read it from disk or HTTP."""
    return decode_bytes((CARDS / name).read_bytes())


def lines(text: str) -> list[str]:
    """Physical lines with their terminators (only CR/LF split, unlike str.splitlines)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def logical(text: str) -> list[str]:
    """Logical lines of a card: folds joined, QP soft breaks and 2.1 base64 lines kept together."""
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        head = out[-1].split(":", 1)[0].upper() if out else ""
        if out and "QUOTED-PRINTABLE" in head and out[-1].endswith("="):
            out[-1] += "\n" + raw  # keep the soft break as written
        elif out and raw[:1] in (" ", "\t"):
            out[-1] += raw[1:]
        elif not raw.strip():
            continue
        elif out and ":" not in raw:
            out[-1] += "\n" + raw if "BASE64" not in head else raw.strip()
        elif raw:
            out.append(raw)
    return out


def refold(line: str, width: int, fold: str) -> str:
    """Fold a logical line at `width` characters with the given fold sequence."""
    if "\n" in line or "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper():
        return line
    parts = [line[i : i + width] for i in range(0, len(line), width)] or [""]
    return fold.join(parts)


def photo_bytes(text: str) -> bytes:
    """The decoded PHOTO of a card, whatever its version wrote (ENCODING=b/BASE64 or data: URI)."""
    for line in logical(text):
        head, _, value = line.partition(":")
        if head.split(";")[0].split(".")[-1].upper() != "PHOTO":
            continue
        if value.startswith("data:"):
            value = value.split(",", 1)[1]
        return base64.b64decode("".join(value.split()))
    raise AssertionError("no PHOTO")


# ---------------------------------------------------------------------------------------------
# summarize
# ---------------------------------------------------------------------------------------------

EXPECTED = {
    "altid_40.vcf": CardSummary(
        "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
        "4.0",
        "Jürgen Weber",
        "Jürgen",
        "Weber",
        "Weber Präzisionstechnik GmbH",
        ("j.weber@weber-praezision.de",),
        ("+49-7031-998877",),
    ),
    "android_21.vcf": CardSummary(
        None,
        "2.1",
        "Ayşe Öztürk",
        "Ayşe",
        "Öztürk",
        "Öztürk Logistik",
        ("ayse.oeztuerk@posteo.de",),
        ("+49 176 11223344", "+49 221 987654", "+49 221 555000"),
    ),
    "apple_ios_30.vcf": CardSummary(
        "8F0E9C7A-3C2B-4E8D-9A1F-2B3C4D5E6F70",
        "3.0",
        "Dr. Jörg Müller",
        "Jörg",
        "Müller",
        "Müller & Söhne GmbH, Vertrieb",
        ("joerg.mueller@mueller-soehne.de", "jm@example.org"),
        ("+49 171 2345678", "+49 89 123456-0", "+49 89 123456-99"),
    ),
    "big_photo_30.vcf": CardSummary(
        "0D1E2F3A-4B5C-6D7E-8F90-A1B2C3D4E5F6",
        "3.0",
        "Petra Hoffmann",
        "Petra",
        "Hoffmann",
        "Hoffmann Architektur",
        ("p.hoffmann@hoffmann-architektur.de",),
        ("+49 221 4455660",),
    ),
    "google_export_30.vcf": CardSummary(
        None,
        "3.0",
        "Anna Schmidt",
        "Anna",
        "Schmidt",
        "Beispiel AG",
        ("anna.schmidt@beispiel-ag.de", "anna.s@gmail.com"),
        ("0151 23456789", "+49 30 9876543"),
        categories=("myContacts", "Kunden"),
    ),
    "kerio_connect_30.vcf": CardSummary(
        "{7a9d5e2c-1b3f-4c8d-9e0a-f1e2d3c4b5a6}",
        "3.0",
        "Thomas Becker",
        "Thomas",
        "Becker",
        "Becker Steuerberatung",
        ("t.becker@becker-stb.de",),
        ("+49 711 2233445", "+49 711 2233446"),
    ),
    "lf_mixed_folding_30.vcf": CardSummary(
        "lf-only-0001",
        "3.0",
        "Maria Schäfer",
        "Maria",
        "Schäfer",
        "Schäfer & Partner",
        ("maria.schaefer@example.com",),
        ("+49 511 4455 66",),
    ),
    "nextcloud_30.vcf": CardSummary(
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "3.0",
        "Lena Krüger",
        "Lena",
        "Krüger",
        "Stadtwerke Neustadt",
        ("l.krueger@stadtwerke-neustadt.de",),
        ("+49 6321 1234-56", "+49 160 9988776"),
        categories=("Lieferanten", "Energie"),
    ),
    "nextcloud_40.vcf": CardSummary(
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "4.0",
        "Lena Krüger",
        "Lena",
        "Krüger",
        "Stadtwerke Neustadt",
        ("l.krueger@stadtwerke-neustadt.de",),
        ("+49 6321 1234-56", "+49 160 9988776"),
        categories=("Lieferanten", "Energie"),
    ),
    "no_uid_30.vcf": CardSummary(
        None, "3.0", "Karl Fischer", "Karl", "Fischer", "", (), ("0711 123456",)
    ),
    "outlook_21.vcf": CardSummary(
        None,
        "2.1",
        "Günther Weiß",
        "Günther",
        "Weiß",
        "Bäckerei Weiß, Filiale Süd",
        ("info@baeckerei-weiss.de", "g.weiss@t-online.de"),
        ("(089) 55 66 77", "(089) 12 34 56", "0172 9876543", "(089) 55 66 78"),
    ),
    "thunderbird_40.vcf": CardSummary(
        "e9b0a4c6-3a5f-4f4e-8d2b-1c9e7f6a5b43",
        "4.0",
        "Sabine Wolf",
        "Sabine",
        "Wolf",
        "",
        ("sabine.wolf@example.net",),
        ("+49 40 3344556", "+49 172 3344556"),
    ),
}


def test_every_sample_has_an_expectation() -> None:
    assert sorted(EXPECTED) == SINGLE_CARDS


@pytest.mark.parametrize("name", SINGLE_CARDS)
def test_summarize_samples(name: str) -> None:
    assert summarize(load(name)) == EXPECTED[name]


@pytest.mark.parametrize("name", SINGLE_CARDS)
def test_summarize_agrees_with_read_fields(name: str) -> None:
    text = load(name)
    s, f = summarize(text), read_fields(text)
    assert (s.given, s.family, s.fn) == (f.given, f.family, f.fn)
    assert s.emails == tuple(v for _, v in f.emails)
    assert s.phones == tuple(v for _, v in f.phones)


def test_summarize_fn_fallbacks() -> None:
    base = "BEGIN:VCARD\r\nVERSION:3.0\r\n{}END:VCARD\r\n"
    assert summarize(base.format("N:Meier;Eva;;Dr.;\r\n")).fn == "Dr. Eva Meier"
    assert summarize(base.format("ORG:Meier GmbH;Einkauf\r\n")).fn == "Meier GmbH, Einkauf"
    assert summarize(base.format("EMAIL:eva@meier.de\r\n")).fn == "eva@meier.de"
    assert summarize(base.format("")).fn == ""
    no_version = summarize("BEGIN:VCARD\nFN:X\nEND:VCARD\n")
    assert no_version.version == "3.0"
    assert no_version.uid is None


def test_summarize_skips_nested_agent_card() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Chefin\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
        "FN:Assistent\r\nTEL:111\r\nEND:VCARD\r\nTEL:222\r\nEND:VCARD\r\n"
    )
    s = summarize(text)
    assert (s.fn, s.phones) == ("Chefin", ("222",))
    assert read_fields(text).phones == [("", "222")]


def test_base64_text_values_are_read_as_text() -> None:
    # jeroendesloovere/vcard's tests/encoding.vcf: NOTE;BASE64 and NOTE;ENCODING=b carry text;
    # 2.1 phones may do the same for names. X-MS-CARDPICTURE (an image) stays base64.
    def b64(text: str, charset: str = "utf-8") -> str:
        return base64.b64encode(text.encode(charset)).decode("ascii")

    picture = "X-MS-CARDPICTURE;TYPE=JPEG;ENCODING=BASE64:" + b64("JFIF")
    plain = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ludwig-Götz Graßl\r\n"
    plain += "NOTE:Lieblingsfarbe: Violett\r\n" + picture + "\r\nEND:VCARD\r\n"
    encoded = plain.replace("FN:Ludwig-Götz Graßl", "FN;ENCODING=b:" + b64("Ludwig-Götz Graßl"))
    note = "NOTE;BASE64:" + b64("Lieblingsfarbe: Violett")
    encoded = encoded.replace("NOTE:Lieblingsfarbe: Violett", note)
    assert summarize(encoded).fn == "Ludwig-Götz Graßl"
    fields = read_fields(encoded)
    assert (fields.fn, fields.note) == ("Ludwig-Götz Graßl", "Lieblingsfarbe: Violett")
    assert normalized_hash(encoded) == normalized_hash(plain)
    for version in ("3.0", "4.0"):
        out = convert(encoded, version)
        assert "NOTE:Lieblingsfarbe: Violett\r\n" in out and "FN:Ludwig-Götz Graßl\r\n" in out
        assert "SkZJRg==" in out
    # 2.1: a base64 N in Latin-1 whose lines go on unindented, as 2.1 base64 does
    name = b64("Müller;Jürgen", "latin-1")
    card21 = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N;CHARSET=ISO-8859-1;BASE64:{name[:8]}\r\n{name[8:]}\r\nEND:VCARD\r\n"
    )
    assert summarize(card21).fn == "Jürgen Müller"
    assert (read_fields(card21).family, read_fields(card21).given) == ("Müller", "Jürgen")
    assert "\r\nN:Müller;Jürgen;;;\r\n" in convert(card21, "3.0")  # all five components
    not_base64 = plain.replace("NOTE:", "NOTE;ENCODING=b:so nicht ")
    assert read_fields(not_base64).note == "so nicht Lieblingsfarbe: Violett"


def test_convert_keeps_the_encoding_of_base64_x_properties() -> None:
    # Outlook's X-MS-CARDPICTURE is a base64 image in an X- property: without ENCODING=b the
    # converted card would hand its reader the base64 text as the value.
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0JFIF").decode("ascii")
    card21 = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Weiß;Günther\r\n"
        f"X-MS-CARDPICTURE;TYPE=JPEG;ENCODING=BASE64:\r\n {jpeg[:8]}\r\n {jpeg[8:]}\r\n\r\n"
        f"X-PHOTO;BASE64:{jpeg}\r\nEND:VCARD\r\n"
    )
    for version in ("3.0", "4.0"):
        out = convert(card21, version)
        jpeg_type = "JPEG" if version == "3.0" else "jpeg"  # 4.0 writes types in lowercase
        assert f"\r\nX-MS-CARDPICTURE;TYPE={jpeg_type};ENCODING=b:{jpeg}\r\n" in out
        assert f"\r\nX-PHOTO;ENCODING=b:{jpeg}\r\n" in out
        assert normalized_hash(out) == normalized_hash(card21)
        assert convert(out, version) == out


def test_21_text_reads_backslash_n_as_a_line_break() -> None:
    # Yahoo!'s 2.1 export (gammu's tests/vcards/yahoo.vcf) and phones write \n in 2.1 too.
    yahoo = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=utf-8:ACENET\r\n"
        "NOTE;CHARSET=utf-8:ISP Ph 019833206\\nZeile 2\\n\\n\r\nEND:VCARD\r\n"
    )
    assert read_fields(yahoo).note == "ISP Ph 019833206\nZeile 2"
    converted = convert(yahoo, "3.0")
    assert "\r\nNOTE:ISP Ph 019833206\\nZeile 2\\n\\n\r\n" in converted
    assert normalized_hash(converted) == normalized_hash(yahoo)
    # 2.1 escapes no backslash (Outlook, Android, Evolution write them raw): `\\` is a UNC
    # path's two backslashes, and the app's own 2.1 writer writes them raw too
    path = yahoo.replace("ISP Ph 019833206\\nZeile 2\\n\\n", "\\\\nas01\\bau")
    assert read_fields(path).note == "\\\\nas01\\bau"
    edited = edit_card(yahoo, replace(read_fields(yahoo), note="C:\\neu\nZeile 2"), now=NOW)
    assert read_fields(edited).note == "C:\\neu\nZeile 2"
    # a backslash before n goes QUOTED-PRINTABLE, where `\n` is no line break
    edited = edit_card(yahoo, replace(read_fields(yahoo), note="C:\\neu"), now=NOW)
    assert "\r\nNOTE;ENCODING=QUOTED-PRINTABLE:C:\\neu\r\n" in edited
    assert read_fields(edited).note == "C:\\neu"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "hello world",
        "BEGIN:VCARD\r\nFN:Unvollständig\r\n",
        "END:VCARD\r\nBEGIN:VCAR\r\n",
        "\x00\x01\x02BEGIN",
        "<html><body>502 Bad Gateway</body></html>",
    ],
)
def test_garbage_raises_card_error(garbage: str) -> None:
    for fn in (summarize, read_fields, normalized_hash):
        with pytest.raises(CardError) as info:
            fn(garbage)
        assert isinstance(info.value, ValueError)
        assert "vCard" in info.value.message


def test_decode_bytes_handles_utf8_bom_and_windows_1252() -> None:
    assert decode_bytes("\ufeffBEGIN:VCARD".encode()) == "BEGIN:VCARD"
    raw = (CARDS / "outlook_21.vcf").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = decode_bytes(raw)
    assert "N;LANGUAGE=de;CHARSET=Windows-1252:Weiß;Günther;;Herr;" in text
    assert "\ufffd" not in text


# ---------------------------------------------------------------------------------------------
# normalized_hash
# ---------------------------------------------------------------------------------------------


def reserialize(text: str, seed: int) -> str:
    """What a server might send back: other order, folding, line endings, params, PRODID/REV."""
    rnd = random.Random(seed)
    logic = logical(text)
    assert logic[0].upper() == "BEGIN:VCARD" and logic[-1].upper() == "END:VCARD"
    body = [
        line
        for line in logic[1:-1]
        if line.split(":", 1)[0].split(";")[0].upper() not in ("PRODID", "REV")
    ]
    rnd.shuffle(body)
    out = []
    for line in body:
        head, sep, value = line.partition(":")
        if '"' not in head and "QUOTED-PRINTABLE" not in head.upper():
            name, *params = head.split(";")
            params = [p.split("=", 1)[0].lower() + p[len(p.split("=", 1)[0]) :] for p in params]
            rnd.shuffle(params)
            head = ";".join([name.lower(), *params])
        out.append(head + sep + value)
    out.insert(rnd.randrange(len(out) + 1), "PRODID:-//Radicale//NONSGML Radicale Server//EN")
    out.insert(rnd.randrange(len(out) + 1), "REV:20250101T000000Z")
    out.append("X-RADICALE-NAME:abc.vcf")
    eol = rnd.choice(["\r\n", "\n"])
    width = rnd.choice([40, 60, 74])
    fold = eol + rnd.choice([" ", "\t"])
    return eol.join(["BEGIN:VCARD", *(refold(x, width, fold) for x in out), "END:VCARD"]) + eol


@pytest.mark.parametrize("name", SINGLE_CARDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hash_ignores_reserialization(name: str, seed: int) -> None:
    text = load(name)
    other = reserialize(text, seed)
    assert other != text
    assert normalized_hash(other) == normalized_hash(text)
    a, b = read_fields(other), read_fields(text)
    for f in (a, b):  # reordered lines reorder the lists; everything else must match
        f.emails.sort()
        f.phones.sort()
        f.addresses.sort()
        f.categories.sort()
    if name != "altid_40.vcf":  # its ALTID variants of FN/N/TITLE swap with the order
        assert a == b


def test_hash_equal_for_sabredav_30_and_40_serializations() -> None:
    assert normalized_hash(load("nextcloud_30.vcf")) == normalized_hash(load("nextcloud_40.vcf"))


@pytest.mark.parametrize("name", ["outlook_21.vcf", "android_21.vcf"])
@pytest.mark.parametrize("accepted", [(), ("3.0",), ("4.0",)])
def test_hash_equal_for_converted_21_cards(name: str, accepted: tuple[str, ...]) -> None:
    text = load(name)
    converted = prepare_for_upload(text, accepted)
    assert converted != text
    assert normalized_hash(converted) == normalized_hash(text)


def test_hash_ignores_uid_added_by_server_and_fn_repaired_by_sabre() -> None:
    text = load("no_uid_30.vcf")
    assert normalized_hash(ensure_uid(text, "srv-1")) == normalized_hash(text)
    no_fn = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Fischer;Karl;;;\r\nEND:VCARD\r\n"
    repaired = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Fischer;Karl;;;\r\nFN:Karl Fischer\r\nEND:VCARD\r\n"
    assert normalized_hash(no_fn) == normalized_hash(repaired)


def test_hash_apple_omit_year_equals_40_date() -> None:
    a = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-17\r\n"
    a += "END:VCARD\r\n"
    b = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nBDAY:--0317\r\nEND:VCARD\r\n"
    assert normalized_hash(a) == normalized_hash(b)


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("apple_ios_30.vcf", "+49 171 2345678", "+49 171 2345679"),
        ("apple_ios_30.vcf", "TEL;type=WORK;", "TEL;type=HOME;"),
        ("apple_ios_30.vcf", "Parkplatz im Hof", "Parkplatz vor dem Haus"),
        ("apple_ios_30.vcf", "item2.X-ABLabel:Zentrale", "item2.X-ABLabel:Empfang"),
        ("outlook_21.vcf", "(089) 55 66 77", "(089) 55 66 70"),
        ("outlook_21.vcf", "M=FCller", "M=FClheim"),
        ("android_21.vcf", "contact_event;2015-06-20", "contact_event;2016-06-20"),
        ("nextcloud_30.vcf", "TYPE=cell", "TYPE=home"),
        ("thunderbird_40.vcf", "EMAIL;PREF=1:", "EMAIL:"),
        ("kerio_connect_30.vcf", "Königstraße 1a", "Königstraße 1b"),
    ],
)
def test_hash_sees_real_changes(name: str, old: str, new: str) -> None:
    text = load(name)
    if name == "outlook_21.vcf" and "=" in old:
        raw = (CARDS / name).read_bytes().replace(old.encode(), new.encode())
        changed = decode_bytes(raw)
    else:
        assert old in text
        changed = text.replace(old, new, 1)
    assert normalized_hash(changed) != normalized_hash(text)


def test_hash_sees_photo_change() -> None:
    text = load("big_photo_30.vcf")
    i = text.index("PHOTO;")
    j = text.index("\n", i + 400)
    changed = text[: j - 5] + ("A" if text[j - 5] != "A" else "B") + text[j - 4 :]
    assert normalized_hash(changed) != normalized_hash(text)


def test_hash_sees_removed_email() -> None:
    text = load("google_export_30.vcf")
    changed = text.replace("EMAIL;TYPE=INTERNET;TYPE=HOME:anna.s@gmail.com\r\n", "")
    assert normalized_hash(changed) != normalized_hash(text)


# ---------------------------------------------------------------------------------------------
# UIDs, split
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["outlook_21.vcf", "android_21.vcf", "google_export_30.vcf", "no_uid_30.vcf"]
)
def test_ensure_uid_inserts_only_a_uid_line_after_version(name: str) -> None:
    text = load(name)
    assert summarize(text).uid is None
    out = ensure_uid(text, "c0ffee-1")
    before, after = lines(text), lines(out)
    version_at = next(i for i, x in enumerate(before) if x.startswith("VERSION:"))
    assert after[version_at + 1] == "UID:c0ffee-1\r\n"
    assert after[: version_at + 1] + after[version_at + 2 :] == before
    assert summarize(out).uid == "c0ffee-1"
    assert ensure_uid(out, "other") == out


def test_ensure_uid_keeps_line_ending_and_inserts_after_begin_without_version() -> None:
    text = "BEGIN:VCARD\nFN:Ohne Version\nEND:VCARD\n"
    assert ensure_uid(text, "u1") == "BEGIN:VCARD\nUID:u1\nFN:Ohne Version\nEND:VCARD\n"


@pytest.mark.parametrize("name", [n for n in SINGLE_CARDS if EXPECTED[n].uid])
def test_ensure_uid_leaves_cards_with_uid_alone(name: str) -> None:
    text = load(name)
    assert ensure_uid(text, "ignored") is text


@pytest.mark.parametrize("name", ["apple_ios_30.vcf", "lf_mixed_folding_30.vcf", "altid_40.vcf"])
def test_set_uid_replaces_only_the_uid_line(name: str) -> None:
    text = load(name)
    out = set_uid(text, "neu-123")
    before, after = lines(text), lines(out)
    assert len(before) == len(after)
    diff = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(diff) == 1
    assert before[diff[0]].startswith("UID:")
    assert after[diff[0]].rstrip("\r\n") == "UID:neu-123"
    assert after[diff[0]].endswith("\r\n" if "\r\n" in text else "\n")
    assert summarize(out).uid == "neu-123"


def test_set_uid_escapes_and_folds() -> None:
    uid = "040000008200E00074C5B7101A82E00800000000" * 3 + ",x;y"
    out = set_uid(load("no_uid_30.vcf"), uid)
    assert summarize(out).uid == uid
    assert all(len(x.encode()) <= 77 for x in lines(out))


def test_derive_uid() -> None:
    a = derive_uid("/remote.php/dav/addressbooks/users/anna/contacts/K%C3%B6nig%40x.vcf")
    assert a == derive_uid("/dav/other/König@x.vcf")
    assert a == str(uuid.uuid5(uuid.NAMESPACE_URL, "König@x.vcf"))
    assert uuid.UUID(a).version == 5
    assert a != derive_uid("/dav/other/Koenig@x.vcf")
    assert derive_uid("/") == str(uuid.uuid5(uuid.NAMESPACE_URL, "/"))


def test_split_cards_keeps_each_card_as_it_is() -> None:
    cards = split_cards(load("export_multi.vcf"))
    assert cards == [
        load("no_uid_30.vcf"),
        load("kerio_connect_30.vcf"),
        load("google_export_30.vcf"),
    ]
    assert split_cards("no cards here\r\n") == []


def test_split_cards_lf_nested_and_unterminated() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nFN:A\nAGENT:\nBEGIN:VCARD\nFN:B\nEND:VCARD\nEND:VCARD\n"
        "\nBEGIN:VCARD\nVERSION:3.0\nFN:C\n"
    )
    cards = split_cards(text)
    assert len(cards) == 2
    assert cards[0].endswith("END:VCARD\nEND:VCARD\n")
    assert summarize(cards[0]).fn == "A"
    with pytest.raises(CardError):
        summarize(cards[1])


def test_split_cards_a_card_without_end_does_not_swallow_the_next() -> None:
    # A Sony Ericsson phone wrote "END:VCARD." (gammu's tests/vcards/se-2.vcf): the next
    # BEGIN:VCARD is no nested AGENT card, so the broken card stays alone and the rest come.
    broken = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Laurent;Catherine\r\nEND:VCARD.\r\n"
    good = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Laurent;Yves\r\nEND:VCARD\r\n"
    cards = split_cards(good + broken + good + good)
    assert cards == [good, broken, good, good]
    with pytest.raises(CardError):
        summarize(cards[1])
    agent = (
        "BEGIN:VCARD\nVERSION:2.1\nN:A\nitem1.AGENT;X-Y=1:\n\n"
        "begin:vcard\nN:B\nEND:VCARD\nEND:VCARD\n"
    )
    assert split_cards(agent + good) == [agent, good]


# ---------------------------------------------------------------------------------------------
# prepare_for_upload / convert
# ---------------------------------------------------------------------------------------------


def assert_wire_format(text: str) -> None:
    """CRLF only, every physical line at most 75 octets, nothing left of 2.1 encodings."""
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    heads = " ".join(x.split(":", 1)[0].upper() for x in logical(text))
    assert "QUOTED-PRINTABLE" not in heads
    assert "CHARSET=" not in heads
    assert "ENCODING=BASE64" not in heads


def test_outlook_21_converted_to_30() -> None:
    text = load("outlook_21.vcf")
    out = prepare_for_upload(text, ())
    assert_wire_format(out)
    logic = logical(out)
    assert logic[:2] == ["BEGIN:VCARD", "VERSION:3.0"]
    for expected in [
        "N;LANGUAGE=de:Weiß;Günther;;Herr;",
        "FN:Günther Weiß",
        "ORG:Bäckerei Weiß;Filiale Süd",
        "TEL;TYPE=WORK,VOICE:(089) 55 66 77",
        "TEL;TYPE=WORK,FAX:(089) 55 66 78",
        "ADR;TYPE=WORK,PREF:;;Schloßstraße 4;Pöcking;Bayern;82343;Deutschland",
        "LABEL;TYPE=WORK,PREF:Schloßstraße 4\\n82343 Pöcking\\, Bayern\\nDeutschland",
        "EMAIL;TYPE=PREF,INTERNET:info@baeckerei-weiss.de",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
        "URL;TYPE=WORK:http://www.baeckerei-weiss.de",
        "NOTE:Liefert jeden Dienstag Brötchen und Brezen für das Büro\\, bitte bis 7:30 Uhr "
        "bestellen\\; Rechnung an die Buchhaltung.\\nZ. Hd. Frau Müller\\, Zahlungsziel 14 Tage.",
        "BDAY:19620314",
    ]:
        assert expected in logic
    assert any(x.startswith("PHOTO;ENCODING=b;TYPE=JPEG:/9j/") for x in logic)
    assert any(x.startswith('X-MS-OL-DESIGN:<card xmlns="http://') for x in logic)
    assert photo_bytes(out) == photo_bytes(text)
    assert read_fields(out) == read_fields(text)
    assert summarize(out) == replace(summarize(text), version="3.0")


def test_android_21_converted_keeps_x_android_custom() -> None:
    text = load("android_21.vcf")
    out = prepare_for_upload(text, ("3.0", "4.0"))
    assert_wire_format(out)
    logic = logical(out)
    assert "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Ayşo;1;;;;;;;;;;;;;" in logic
    assert (
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2015-06-20;1;;;;;;;;;;;;;" in logic
    )
    assert "N:Öztürk;Ayşe;;;" in logic
    assert "ADR;TYPE=WORK:;;Königsallee 27;Düsseldorf;;40212;Deutschland" in logic
    assert "TEL:+49 221 555000" in logic  # the Android X-CUSTOM(...) label has no 3.0 spelling
    assert photo_bytes(out) == photo_bytes(text)
    assert read_fields(out) == read_fields(text)


def test_21_converted_to_40_when_server_only_takes_40() -> None:
    text = load("outlook_21.vcf")
    out = prepare_for_upload(text, ("4.0",))
    assert_wire_format(out)
    logic = logical(out)
    assert logic[1] == "VERSION:4.0"
    assert "TEL;TYPE=work,voice:(089) 55 66 77" in logic
    assert "EMAIL;TYPE=internet;PREF=1:info@baeckerei-weiss.de" in logic
    assert (
        "NOTE:Liefert jeden Dienstag Brötchen und Brezen für das Büro\\, bitte bis 7:30 Uhr "
        "bestellen; Rechnung an die Buchhaltung.\\nZ. Hd. Frau Müller\\, Zahlungsziel 14 Tage."
        in logic
    )
    assert any(x.startswith("PHOTO:data:image/jpeg;base64,/9j/") for x in logic)
    assert photo_bytes(out) == photo_bytes(text)
    assert read_fields(out) == read_fields(text)


@pytest.mark.parametrize("name", ["outlook_21.vcf", "android_21.vcf"])
def test_converted_cards_parse_with_vobject(name: str) -> None:
    """Radicale parses uploads with vobject; the converted card must be readable there."""
    text = load(name)
    for accepted in [("3.0",), ("4.0",)]:
        card = vobject.readOne(prepare_for_upload(text, accepted))
        assert card.fn.value == summarize(text).fn
        assert [t.value for t in card.contents["tel"]] == list(summarize(text).phones)


@pytest.mark.parametrize("name", [n for n in SINGLE_CARDS if EXPECTED[n].version != "2.1"])
@pytest.mark.parametrize("accepted", [(), ("3.0", "4.0")])
def test_30_and_40_cards_are_uploaded_unchanged(name: str, accepted: tuple[str, ...]) -> None:
    text = load(name)
    assert prepare_for_upload(text, accepted) is text


def test_21_kept_when_server_lists_21() -> None:
    text = load("outlook_21.vcf")
    assert prepare_for_upload(text, ("2.1", "3.0")) is text


def test_30_card_converted_for_40_only_server_and_back() -> None:
    text = load("nextcloud_30.vcf")
    out = prepare_for_upload(text, ("4.0",))
    assert logical(out)[1] == "VERSION:4.0"
    assert "EMAIL;TYPE=work;PREF=1:l.krueger@stadtwerke-neustadt.de" in logical(out)
    assert normalized_hash(out) == normalized_hash(text)
    back = prepare_for_upload(out, ("3.0",))
    assert "EMAIL;TYPE=WORK,PREF:l.krueger@stadtwerke-neustadt.de" in logical(back)
    assert normalized_hash(back) == normalized_hash(text)
    assert photo_bytes(back) == photo_bytes(text)


def test_40_altid_card_converted_to_30_keeps_first_variant() -> None:
    out = convert(load("altid_40.vcf"), "3.0")
    logic = logical(out)
    assert [x for x in logic if x.startswith(("FN", "N:", "N;"))] == [
        "FN;LANGUAGE=de:Jürgen Weber",
        "N;LANGUAGE=de:Weber;Jürgen;;;",
    ]
    assert "TEL;TYPE=VOICE,WORK:+49-7031-998877" in logic
    assert "X-ADDRESSBOOKSERVER-KIND:individual" in logic
    assert vobject.readOne(out).fn.value == "Jürgen Weber"


def test_30_card_with_qp_is_cleaned_in_its_version() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:qp-1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
        "J=C3=BCrgen\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Zeile 1=0D=0AZeile 2\r\nEND:VCARD\r\n"
    )
    out = prepare_for_upload(text, ("3.0", "4.0"))
    assert logical(out) == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:;;;;",  # RFC 2426 requires N
        "UID:qp-1",
        "FN:Jürgen",
        "NOTE:Zeile 1\\nZeile 2",
        "END:VCARD",
    ]
    assert normalized_hash(out) == normalized_hash(text)


def test_conversion_folds_utf8_safely() -> None:
    note = "Grüße aus Köln – 東京オフィス " * 12
    text = new_card(ContactFields(given="Ümit", family="Çelik", note=note), "u", "2.1", now=NOW)
    out = prepare_for_upload(text, ())
    assert_wire_format(out)
    assert read_fields(out).note == note.strip()


# ---------------------------------------------------------------------------------------------
# edit_card
# ---------------------------------------------------------------------------------------------


def changed_indexes(before: list[str], after: list[str]) -> list[int]:
    assert len(before) == len(after)
    return [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


@pytest.mark.parametrize("name", SINGLE_CARDS)
def test_edit_without_change_returns_card_unchanged(name: str) -> None:
    text = load(name)
    assert edit_card(text, read_fields(text), now=NOW) is text


@pytest.mark.parametrize(
    "name", [n for n in SINGLE_CARDS if EXPECTED[n].phones and "REV:" in load(n)]
)
def test_edit_one_phone_changes_only_that_line_and_rev(name: str) -> None:
    text = load(name)
    fields = read_fields(text)
    phones = list(fields.phones)
    phones[-1] = (phones[-1][0], "+49 30 7654321")
    out = edit_card(text, replace(fields, phones=phones), now=NOW)
    before, after = lines(text), lines(out)
    rev = next(i for i, x in enumerate(before) if x.upper().startswith("REV"))
    assert after[rev].rstrip("\r\n") == "REV:20240501T120000Z"
    tel = next(i for i, x in enumerate(after) if "+49 30 7654321" in x)
    assert changed_indexes(before, after) == sorted([tel, rev])
    assert read_fields(out) == replace(fields, phones=phones)
    assert summarize(out).version == EXPECTED[name].version


def test_edit_apple_keeps_groups_labels_photo_and_params() -> None:
    text = load("apple_ios_30.vcf")
    f = read_fields(text)
    phones = [f.phones[0], f.phones[1], ("", "+49 89 123456-98")]
    emails = [("", "joerg@mueller-soehne.de"), f.emails[1]]
    out = edit_card(text, replace(f, phones=phones, emails=emails), now=NOW)
    before, after = lines(text), lines(out)
    diff = changed_indexes(before, after)
    assert [after[i].rstrip("\r\n") for i in diff] == [
        "item1.EMAIL;TYPE=INTERNET;TYPE=pref:joerg@mueller-soehne.de",
        "item2.TEL:+49 89 123456-98",
        "REV:20240501T120000Z",
    ]
    assert "item2.X-ABLabel:Zentrale\r\n" in after
    assert "item1.X-ABLabel:_$!<Other>!$_\r\n" in after


def test_edit_deleting_grouped_email_drops_its_label() -> None:
    text = load("apple_ios_30.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, emails=f.emails[1:]), now=NOW)
    removed = [x for x in lines(text) if x not in lines(out)]
    assert removed == [
        "item1.EMAIL;type=INTERNET;type=pref:joerg.mueller@mueller-soehne.de\r\n",
        "item1.X-ABLabel:_$!<Other>!$_\r\n",
        "REV:2024-03-18T09:41:27Z\r\n",
    ]
    assert read_fields(out).emails == f.emails[1:]


def test_edit_type_change_keeps_pref_and_group() -> None:
    text = load("apple_ios_30.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, phones=[("work", f.phones[0][1]), *f.phones[1:]]), now=NOW)
    assert "TEL;TYPE=WORK,VOICE,PREF:+49 171 2345678\r\n" in lines(out)
    assert read_fields(out).phones[0] == ("work", "+49 171 2345678")


def test_edit_adds_phone_after_the_last_tel_and_new_fields_before_end() -> None:
    text = load("kerio_connect_30.vcf")
    f = read_fields(text)
    g = replace(f, phones=[*f.phones, ("cell", "+49 170 1112223")], url="https://becker-stb.de")
    out = edit_card(text, g, now=NOW)
    after = [x.rstrip("\r\n") for x in lines(out)]
    assert after[after.index("TEL;TYPE=FAX,WORK:+49 711 2233446") + 1] == (
        "TEL;TYPE=CELL:+49 170 1112223"
    )
    assert after[-2:] == ["URL:https://becker-stb.de", "END:VCARD"]
    assert "REV:20240501T120000Z" in after
    assert read_fields(out) == normalize_fields(g)


def test_edit_21_card_stays_21_with_qp_for_umlauts() -> None:
    text = load("outlook_21.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, title="Bäckermeister & Inhaber"), now=NOW)
    diff = changed_indexes(lines(text), lines(out))
    assert [lines(out)[i] for i in diff] == [
        "TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:B=C3=A4ckermeister & Inhaber\r\n",
        "REV:20240501T120000Z\r\n",
    ]
    assert summarize(out).version == "2.1"
    assert read_fields(out).title == "Bäckermeister & Inhaber"
    assert photo_bytes(out) == photo_bytes(text)


def test_edit_21_long_note_uses_soft_line_breaks() -> None:
    text = load("android_21.vcf")
    note = "Zweite Zeile über Öffnungszeiten; Mo–Fr 8–17 Uhr.\n" * 4
    out = edit_card(text, replace(read_fields(text), note=note), now=NOW)
    note_lines = [x for x in lines(out) if x.startswith("NOTE")]
    assert note_lines[0].startswith("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:")
    start = next(i for i, x in enumerate(lines(out)) if x.startswith("NOTE"))
    qp = lines(out)[start : start + 5]
    assert all(len(x.rstrip("\r\n")) <= 76 for x in qp)
    assert all(x.endswith("=\r\n") for x in qp[:-1])
    assert read_fields(out).note == note.strip()
    assert vobject.readOne(prepare_for_upload(out, ())).note.value == note.strip()


def test_edit_with_version_converts_first() -> None:
    text = load("outlook_21.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, title="Meister"), version="3.0", now=NOW)
    assert summarize(out).version == "3.0"
    assert "TITLE:Meister" in logical(out)
    assert read_fields(out) == replace(f, title="Meister")


def test_edit_apple_birthday_keeps_omit_year_style() -> None:
    text = load("apple_ios_30.vcf")
    out = edit_card(text, replace(read_fields(text), birthday="--03-18"), now=NOW)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-18\r\n" in lines(out)
    assert read_fields(out).birthday == "--03-18"
    out2 = edit_card(text, replace(read_fields(text), birthday="1971-03-18"), now=NOW)
    assert "BDAY:1971-03-18\r\n" in lines(out2)


def test_edit_40_tel_uri_rewritten_as_text() -> None:
    text = load("altid_40.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, phones=[("work", "+49 7031 111")]), now=NOW)
    assert 'TEL;TYPE="voice,work":+49 7031 111\r\n' in lines(out)
    assert [x for x in lines(out) if x.startswith("FN")] == [
        x for x in lines(text) if x.startswith("FN")
    ]


def test_edit_address_drops_stale_label_param() -> None:
    text = load("altid_40.vcf")
    f = read_fields(text)
    addr = replace(f.addresses[0][1], street="Hauptstraße 7")
    out = edit_card(text, replace(f, addresses=[("work", addr)]), now=NOW)
    adr = [x for x in logical(out) if x.startswith("ADR")]
    assert adr == [
        'ADR;TYPE=work;GEO="geo:48.6833,9.0167":;;Hauptstraße 7;Böblingen;;71032;Deutschland'
    ]


def test_edit_reorder_moves_lines_unchanged() -> None:
    text = load("google_export_30.vcf")
    f = read_fields(text)
    out = edit_card(text, replace(f, emails=f.emails[::-1]), now=NOW)
    assert read_fields(out).emails == f.emails[::-1]
    assert sorted(lines(out)) == sorted([x for x in lines(text)] + ["REV:20240501T120000Z\r\n"])


# ---------------------------------------------------------------------------------------------
# new_card
# ---------------------------------------------------------------------------------------------

SAMPLE_FIELDS = ContactFields(
    prefix="Dr.",
    given="Jörg",
    family="Müller-Lüdenscheidt",
    org="Müller & Söhne GmbH;Vertrieb",
    title="Leiter, Vertrieb; Nord",
    emails=[("work", "j.mueller@example.de"), ("", "jm@example.org")],
    phones=[("work,fax", "+49 89 1234"), ("cell", "+49 171 2345678")],
    addresses=[("home", Address("Leopoldstraße 12", "München", "Bayern", "80802", "Deutschland"))],
    birthday="1970-03-17",
    note="Zeile 1\nZeile 2, mit Komma; und Semikolon \\ Backslash",
    categories=["Kunden", "VIP, Gold"],
    url="https://www.example.de/a,b",
)


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_new_card_round_trip(version: str) -> None:
    text = new_card(SAMPLE_FIELDS, "uid-1", version, now=NOW)
    logic = logical(text)
    assert logic[:3] == ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]
    assert "REV:20240501T120000Z" in logic and logic[-1] == "END:VCARD"
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert read_fields(text) == normalize_fields(SAMPLE_FIELDS)
    assert read_fields(text).fn == "Dr. Jörg Müller-Lüdenscheidt"
    s = summarize(text)
    assert (s.uid, s.version, s.family) == ("uid-1", version, "Müller-Lüdenscheidt")
    if version != "2.1":
        card = vobject.readOne(text)
        assert card.fn.value == "Dr. Jörg Müller-Lüdenscheidt"
        assert card.note.value == SAMPLE_FIELDS.note


def test_new_card_escaping_per_version() -> None:
    v3 = logical(new_card(SAMPLE_FIELDS, "u", "3.0", now=NOW))
    v4 = logical(new_card(SAMPLE_FIELDS, "u", "4.0", now=NOW))
    assert "TITLE:Leiter\\, Vertrieb\\; Nord" in v3
    assert "TITLE:Leiter\\, Vertrieb; Nord" in v4
    assert "ORG:Müller & Söhne GmbH;Vertrieb" in v3
    assert "CATEGORIES:Kunden,VIP\\, Gold" in v4
    assert "TEL;TYPE=WORK,FAX:+49 89 1234" in v3
    assert "TEL;TYPE=work,fax:+49 89 1234" in v4
    assert "BDAY:1970-03-17" in v3 and "BDAY:19700317" in v4


# ---------------------------------------------------------------------------------------------
# Hypothesis
# ---------------------------------------------------------------------------------------------

TRICKY = [*'äöüßÄÖÜé€,;:\\"=\n\r\t -.@+()<>^ 東京😀', "\u2028", "\x85", "\x0b"]
text_s = st.text(
    alphabet=st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=["Cs"])),
    max_size=24,
)
types_s = st.sampled_from(["", "work", "home", "cell", "fax", "work,fax", "WORK", "pref", "voice"])
date_s = st.one_of(
    st.just(""),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(1, 12), st.integers(1, 28)).map(lambda t: f"--{t[0]:02d}-{t[1]:02d}"),
)
address_s = st.builds(Address, text_s, text_s, text_s, text_s, text_s, text_s, text_s)
fields_s = st.builds(
    ContactFields,
    prefix=text_s,
    given=text_s,
    additional=text_s,
    family=text_s,
    suffix=text_s,
    fn=st.one_of(st.just(""), text_s),
    org=text_s,
    title=text_s,
    emails=st.lists(st.tuples(types_s, text_s), max_size=3),
    phones=st.lists(st.tuples(types_s, text_s), max_size=3),
    addresses=st.lists(st.tuples(types_s, address_s), max_size=2),
    birthday=date_s,
    note=text_s,
    categories=st.lists(text_s, max_size=3),
    url=text_s,
)
version_s = st.sampled_from(["2.1", "3.0", "4.0"])
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("uid", "version"),
    [("\\:", "3.0"), ("a\\;b", "3.0"), ("x\\,", "3.0"), ("C:\\daten\\x", "2.1"), ("plain", "2.1")],
)
def test_a_new_2_1_card_keeps_its_uid(uid: str, version: str) -> None:
    """2.1 reads a backslash before `;`, `,` or `:` as an escape: a UID with one is written
    as a 3.0 card (as fields are, `_fits_21`), any other stays 2.1 — read back unchanged."""
    text = new_card(ContactFields(fn="Anna"), uid, "2.1", now=NOW)
    assert f"VERSION:{version}\r\n" in text
    assert summarize(text).uid == uid


@PROPERTY
@given(f=fields_s, version=version_s, uid=text_s)
def test_property_new_card_round_trip(f: ContactFields, version: str, uid: str) -> None:
    text = new_card(f, uid, version, now=NOW)
    assert read_fields(text) == normalize_fields(f)
    assert normalize_fields(read_fields(text)) == read_fields(text)
    s = summarize(text)
    clean_uid = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", uid)
    assert s.uid == (clean_uid.replace("\r\n", "\n").replace("\r", "\n").strip() or None)
    assert s.fn == read_fields(text).fn
    if version != "2.1":
        assert all(len(x.encode("utf-8")) <= 75 for x in text.split("\r\n"))


@PROPERTY
@given(a=fields_s, b=fields_s, version=version_s)
def test_property_edit_reads_back_as_new_fields(
    a: ContactFields, b: ContactFields, version: str
) -> None:
    text = new_card(a, "uid-a", version, now=NOW)
    out = edit_card(text, b, now=NOW)
    assert read_fields(out) == normalize_fields(b)
    assert summarize(out).uid == "uid-a"
    assert edit_card(out, b, now=NOW) is out


@PROPERTY
@given(b=fields_s, name=st.sampled_from(SINGLE_CARDS))
def test_property_edit_real_cards_keeps_unedited_lines(b: ContactFields, name: str) -> None:
    text = load(name)
    out = edit_card(text, b, now=NOW)
    assert read_fields(out) == normalize_fields(b)
    if "VERSION:2.1" in text and "VERSION:3.0" in out:
        # a value 2.1 cannot carry (a backslash before `;`): the card went 3.0 first
        text = convert(text, "3.0")
    kept = ("PHOTO", "UID", "PRODID", "X-", "NICKNAME", "GENDER", "LANG", "KIND", "LABEL")
    out_lines = lines(out)
    for line in lines(text):
        if line.upper().startswith(kept):
            assert line in out_lines
    if "PHOTO;" in text:
        assert photo_bytes(out) == photo_bytes(text)
    assert read_fields(edit_card(out, read_fields(text), now=NOW)) == read_fields(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_arbitrary_text_only_raises_card_error(text: str) -> None:
    for fn in (summarize, read_fields, normalized_hash):
        with contextlib.suppress(CardError):
            fn(text)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(SINGLE_CARDS),
    cut=st.integers(0, 10_000),
    junk=st.lists(
        st.sampled_from([*':;=\\"\r\n\t ,AQ', "BEGIN:VCARD", "END:VCARD", "=\r\n", "\r\n "])
    ).map("".join),
)
def test_property_mangled_cards_only_raise_card_error(name: str, cut: int, junk: str) -> None:
    text = load(name)
    cut %= len(text) + 1
    mangled = text[:cut] + junk + text[cut:]
    for fn in (summarize, read_fields, normalized_hash, split_cards):
        with contextlib.suppress(CardError):
            fn(mangled)
    try:
        prepare_for_upload(mangled, ())
        edit_card(mangled, ContactFields(given="X"), now=NOW)
    except CardError:
        pass


@PROPERTY
@given(f=fields_s, src=version_s, dst=st.sampled_from(["3.0", "4.0"]), seed=st.integers(0, 999))
def test_property_conversion_and_reserialization_keep_content(
    f: ContactFields, src: str, dst: str, seed: int
) -> None:
    text = new_card(f, "uid-c", src, now=NOW)
    out = convert(text, dst)
    assert read_fields(out) == read_fields(text)
    assert normalized_hash(out) == normalized_hash(text)
    assert summarize(out) == replace(summarize(text), version=dst)
    assert_wire_format(out)
    assert normalized_hash(reserialize(out, seed)) == normalized_hash(text)


def test_convert_refuses_21_output() -> None:
    with pytest.raises(ValueError):
        convert(load("nextcloud_30.vcf"), "2.1")
    with pytest.raises(ValueError):
        new_card(SAMPLE_FIELDS, "u", "3")


def test_params_folded_before_the_colon() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\n"
        'ADR;TYPE=work;LABEL="Hauptstraße 5^n71032 Böblingen^nDeutsch\r\n'
        ' land":;;Hauptstraße 5;Böblingen;;71032;Deutschland\r\nEND:VCARD\r\n'
    )
    address = Address("Hauptstraße 5", "Böblingen", "", "71032", "Deutschland")
    assert read_fields(text).addresses == [("work", address)]
    assert normalized_hash(text) == normalized_hash(text.replace("\r\n ", ""))


def test_doubled_cr_raw_line_breaks_and_cr_only_files() -> None:
    crlf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nNOTE:Zeile 1\\nZeile 2\r\nEND:VCARD\r\n"
    doubled = crlf.replace("\r\n", "\r\r\n")
    raw_break = crlf.replace("Zeile 1\\nZeile 2", "Zeile 1\r\nZeile 2")
    cr_only = crlf.replace("\r\n", "\r")
    for text in (doubled, raw_break, cr_only):
        assert summarize(text) == summarize(crlf)
        assert read_fields(text) == read_fields(crlf)
        assert read_fields(text).note == "Zeile 1\nZeile 2"
        assert normalized_hash(text) == normalized_hash(crlf)
    assert ensure_uid(cr_only, "u").split("\r")[:3] == ["BEGIN:VCARD", "VERSION:3.0", "UID:u"]


def test_stray_line_after_fn_belongs_to_fn() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Karl\r\nFischer\r\nTEL:1\r\nEND:VCARD\r\n"
    assert summarize(text).fn == read_fields(text).fn == "Karl\nFischer"
