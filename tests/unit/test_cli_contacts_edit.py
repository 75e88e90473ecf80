"""`contactbox-sync contacts edit --phone/--email` replace (keeping the TYPE and the other
params of the line each replaces), `--add-phone/--add-email` add; `[TYP:]WERT` names types
(issue 17). Edits go through the store like the editor's: the card before is in the
contact's history. Against the real store, the CLI in-process, both argument orders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store import contacts as cs
from tests.servers.cli_inprocess import cli_raw

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-e\r\nFN:Erika Eck\r\nN:Eck;Erika;;;\r\n"
    "TEL;TYPE=CELL;TYPE=PREF:+49 160 111\r\n"
    "TEL;TYPE=WORK;X-ORIGIN=crm:+49 30 222\r\n"
    "item1.EMAIL;TYPE=INTERNET,HOME,PREF:erika@privat.example\r\n"
    "item1.X-ABLabel:Privat\r\n"
    "EMAIL;TYPE=WORK:erika@firma.example\r\n"
    "END:VCARD\r\n"
)


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    home = tmp_path / "home"
    vcf = tmp_path / "erika.vcf"
    vcf.write_text(CARD, encoding="utf-8", newline="")
    code, _, err = cli_raw(home, capsys, "contacts", "import", str(vcf), "--book", "B")
    assert code == 0, err
    return home


def stored() -> str:
    c = cs.find_live_by_uid(cs.get_book("B"), "uid-e")
    assert c is not None
    return str(c.vcard)


@pytest.mark.parametrize("ref_first", [True, False])
def test_phone_replaces_keeping_type_and_params(
    home: Path, capsys: pytest.CaptureFixture[str], ref_first: bool
) -> None:
    opts = ("--book", "B", "--phone", "+49 160 999", "--phone", "+49 30 888")
    args = ("uid-e", *opts) if ref_first else (*opts, "uid-e")
    code, out, err = cli_raw(home, capsys, "contacts", "edit", *args)
    assert code == 0, err
    assert out.strip() == "Kontakt „Erika Eck“ geändert."
    text = stored()
    assert "TEL;TYPE=CELL;TYPE=PREF:+49 160 999\r\n" in text
    assert "TEL;TYPE=WORK;X-ORIGIN=crm:+49 30 888\r\n" in text
    assert "+49 160 111" not in text and "+49 30 222" not in text
    c = cs.find_live_by_uid(cs.get_book("B"), "uid-e")
    assert c is not None
    assert [v.vcard for v in cs.history(c)] == [CARD]  # the editor's path: history


def test_fewer_values_than_lines_drop_the_rest_and_a_type_overrides(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli_raw(home, capsys, "contacts", "edit", "--book", "B", "uid-e",
                           "--email", "erika@neu.example", "--phone", "home:+49 40 5")  # fmt: skip
    assert code == 0, err
    text = stored()
    # the first e-mail line, its group and PREF kept; the second address is gone
    assert "item1.EMAIL;TYPE=INTERNET,HOME,PREF:erika@neu.example\r\n" in text
    assert "item1.X-ABLabel:Privat\r\n" in text
    assert "firma.example" not in text
    tel = [line for line in text.split("\r\n") if line.startswith("TEL")]
    assert len(tel) == 1 and tel[0].endswith(":+49 40 5")
    assert "HOME" in tel[0].upper() and "CELL" not in tel[0].upper()


@pytest.mark.parametrize("ref_first", [True, False])
def test_add_phone_and_email_add_lines(
    home: Path, capsys: pytest.CaptureFixture[str], ref_first: bool
) -> None:
    opts = ("--book", "B", "--add-phone", "fax,work:+49 30 333", "--add-phone", "+49 171 4",
            "--add-email", "home:erika@zweit.example")  # fmt: skip
    args = ("Erika Eck", *opts) if ref_first else (*opts, "Erika Eck")
    code, _, err = cli_raw(home, capsys, "contacts", "edit", *args)
    assert code == 0, err
    text = stored()
    for line in CARD.split("\r\n")[5:10]:  # every line there was stays as it was
        assert line + "\r\n" in text
    assert "TEL;TYPE=FAX,WORK:+49 30 333\r\n" in text.upper() or (
        "TEL;TYPE=WORK,FAX:+49 30 333\r\n" in text.upper()
    )
    assert "\r\nTEL:+49 171 4\r\n" in text  # no type given: no TYPE
    assert "EMAIL;TYPE=HOME:erika@zweit.example\r\n" in text

    # Adding what is there already adds nothing: a script may run twice.
    code, out, err = cli_raw(home, capsys, "contacts", "edit", "uid-e", "--book", "B",
                             "--add-phone", "+49 171 4", "--json")  # fmt: skip
    assert code == 0, err
    assert '"changed": false' in out
    assert stored() == text


def test_unknown_type_is_refused_and_help_says_replace_or_add(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli_raw(home, capsys, "contacts", "edit", "uid-e", "--book", "B",
                           "--add-phone", "handy:+49 1")  # fmt: skip
    assert code == 2
    assert "„handy“ ist kein bekannter Typ" in err and "cell" in err
    assert stored() == CARD
    code, out, _ = cli_raw(home, capsys, "contacts", "--help")
    flat = " ".join(out.split())
    assert "--phone [TYP:]NUMMER ersetzt die Telefonnummern" in flat
    assert "behält deren Typ und Parameter" in flat
    assert "--add-phone [TYP:]NUMMER fügt eine Telefonnummer hinzu" in flat
    assert "--email [TYP:]ADRESSE ersetzt die E-Mail-Adressen" in flat
    assert "--add-email [TYP:]ADRESSE fügt eine E-Mail-Adresse hinzu" in flat


def test_add_creates_a_contact_with_typed_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code, _, err = cli_raw(home, capsys, "contacts", "add", "--book", "Standard", "--fn",
                           "Neu", "--phone", "cell:+49 1", "--add-email",
                           "work:neu@example.org")  # fmt: skip
    assert code == 0, err
    c = cs.find_contacts(cs.get_book("Standard"), "Neu")[0]
    assert "TEL;TYPE=CELL:+49 1\r\n" in c.vcard
    assert "EMAIL;TYPE=WORK:neu@example.org\r\n" in c.vcard
