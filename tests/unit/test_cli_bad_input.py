"""`contactbox-sync contacts import` of broken input (issue 17): a raw binary photo is left
out with a note on the output, a card begun inside another is named by the outer card, and
no stored card holds a control character."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli.common import EXIT_ITEM_ERRORS
from tests.servers.cli_inprocess import cli_raw

REALWORLD = Path(__file__).parent / "cards" / "realworld"
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def test_import_of_a_phone_backup_with_a_raw_photo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    backup = REALWORLD / "sonyericsson_21_raw_binary_photo.vcf"
    code, out, err = cli_raw(home, capsys, "contacts", "import", "--book", "Handy",
                             "--file", str(backup))  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "1 Kontakt angelegt.",
        "Hinweis: Karte 1 („Christelle DECHAMBRE“): Das Foto (PHOTO) ist nicht lesbar: es "
        "enthält die Bilddaten roh statt Base64-kodiert (Steuerzeichen im Wert). Es wurde "
        "weggelassen. Die übrigen Angaben wurden übernommen.",
    ]
    code, out, err = cli_raw(home, capsys, "contacts", "show", "--book", "Handy", "--json",
                             "Christelle DECHAMBRE")  # fmt: skip
    assert code == 0, err
    stored = json.loads(out)["vcard"]
    assert not CONTROLS.search(stored) and "PHOTO" not in stored
    assert "TEL;CELL:+33685733244" in stored and "X-IRMC-LUID:00020000001B" in stored

    # the JSON output carries the note too
    code, out, err = cli_raw(home, capsys, "contacts", "import", "--book", "Zweit",
                             "--file", str(backup), "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert len(data["added"]) == 1 and data["errors"] == []
    [note] = data["notes"]
    assert note.startswith("Karte 1 („Christelle DECHAMBRE“): Das Foto (PHOTO)")


def test_import_names_the_outer_card_of_a_nested_begin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    nested = REALWORLD / "sonyericsson_21_agent_nested.vcf"
    code, out, err = cli_raw(home, capsys, "contacts", "import", "--book", "Handy",
                             "--file", str(nested))  # fmt: skip
    assert code == EXIT_ITEM_ERRORS, err
    lines = out.splitlines()
    assert lines[0] == "2 Kontakte angelegt."
    assert lines[1:] == [
        "Fehler: Karte 2 („Nikdovic Nikdo“): Die Karte ist nicht abgeschlossen (END:VCARD "
        "fehlt, bevor die nächste Karte mit BEGIN:VCARD beginnt) und wurde nicht importiert. "
        "Die folgende Karte wurde für sich gelesen."
    ]
    code, out, err = cli_raw(home, capsys, "contacts", "list", "--book", "Handy", "--json")
    assert code == 0, err
    assert sorted(c["fn"] for c in json.loads(out)) == ["Bc. Zdeněk Žák", "Catherine Laurent"]
