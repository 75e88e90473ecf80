"""`contactbox-sync contacts import FILE --book B --duplicates refuse|skip|update|new-uid`
(issue 17): a restored phone backup whose UIDs the book already has can be brought in from
the command line the way the GUI offers it; the default still refuses such a card, with a
message naming the UID, the contact that has it and the option to use.

Against the real store: a SQLite file in the test's data directory, the CLI in-process.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from app.store import contacts as cs
from tests.servers.cli_inprocess import cli_raw


def card(uid: str, fn: str, tel: str, email: str = "") -> str:
    given, _, family = fn.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{family};{given};;;",
             f"TEL;TYPE=CELL:{tel}"]  # fmt: skip
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A data directory whose book "Handy" holds Anna (uid-a) and Bert (uid-b)."""
    home = tmp_path / "home"
    first = tmp_path / "erst.vcf"
    first.write_text(card("uid-a", "Anna Alt", "+49 1") + card("uid-b", "Bert Bau", "+49 2"))
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(first), "--book", "Handy")
    assert code == 0, err
    assert out.startswith("2 Kontakte angelegt.")
    return home


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """The restored phone backup: Anna changed under her old UID, Bert unchanged, Carla new."""
    path = tmp_path / "backup.vcf"
    path.write_text(
        card("uid-a", "Anna Alt", "+49 1 NEU") + card("uid-b", "Bert Bau", "+49 2")
        + card("uid-c", "Carla Chor", "+49 3"),
        encoding="utf-8",
    )  # fmt: skip
    return path


def contacts(home: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = cli_raw(home, capsys, "contacts", "list", "--book", "Handy", "--json")
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def import_json(
    home: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any]]:
    code, out, err = cli_raw(home, capsys, "contacts", "import", *args, "--json")
    assert out.strip(), err
    data: dict[str, Any] = json.loads(out)
    return code, data


def test_default_refuses_a_taken_uid_naming_it_and_the_option(
    home: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(backup), "--book", "Handy")
    assert code == 3, err  # finished with item errors
    assert out.startswith("1 Kontakt angelegt.")  # Carla; the first line as before
    refusals = [line for line in out.splitlines() if line.startswith("Fehler: Karte")]
    assert len(refusals) == 2
    assert "Karte 1 („Anna Alt“)" in refusals[0]
    assert "bereits einen Kontakt mit der UID uid-a („Anna Alt“, Nr. " in refusals[0]
    assert "--duplicates skip" in refusals[0] and "update" in refusals[0]
    assert "new-uid" in refusals[0]
    assert "uid-b („Bert Bau“" in refusals[1]
    assert out.splitlines()[1:] == refusals  # as before: the first line, then the errors
    rows = {r["uid"]: r for r in contacts(home, capsys)}
    assert set(rows) == {"uid-a", "uid-b", "uid-c"}
    assert rows["uid-a"]["phone"] == "+49 1"  # nothing overwritten

    code, data = import_json(home, capsys, "--book", "Handy", str(backup))
    assert code == 3
    assert data["added"] == [] and data["refused"] == 3 and len(data["errors"]) == 3
    assert data["duplicates"] == "refuse"


def test_skip(home: Path, backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = import_json(home, capsys, str(backup), "--book", "Handy", "--duplicates", "skip")
    assert code == 0, data
    assert (len(data["added"]), data["skipped"], data["updated"], data["new_uid"]) == (1, 2, 0, 0)
    assert data["errors"] == [] and data["cards_read"] == 3
    rows = {r["uid"]: r for r in contacts(home, capsys)}
    assert rows["uid-a"]["phone"] == "+49 1"
    assert data["added"] == [rows["uid-c"]["id"]]


def test_update_keeps_the_replaced_card_in_the_history(
    home: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli_raw(home, capsys, "contacts", "import", "--duplicates", "update",
                             "--book", "Handy", str(backup))  # fmt: skip
    assert code == 0, err
    assert "Aktualisiert:                           1" in out
    assert "Unverändert (doppelt, gleicher Inhalt): 1" in out  # Bert: same content
    rows = {r["uid"]: r for r in contacts(home, capsys)}
    assert len(rows) == 3 and rows["uid-a"]["phone"] == "+49 1 NEU"
    anna = cs.find_live_by_uid(cs.get_book("Handy"), "uid-a")
    assert anna is not None
    kept = cs.history(anna)
    assert [v.reason for v in kept] == ["edit"]
    assert "TEL;TYPE=CELL:+49 1\r\n" in kept[0].vcard
    assert kept[0].note == "Durch vCard-Import aktualisiert"


def test_new_uid_adds_the_backup_beside_the_contacts(
    home: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = import_json(home, capsys, "--book", "Handy", "--file", str(backup),
                             "--duplicates", "new-uid")  # fmt: skip
    assert code == 0, data
    # Anna (changed) and Carla are new; Bert's identical card is a duplicate by content,
    # added anyway, with a new UID as well.
    assert (len(data["added"]), data["new_uid"], data["skipped"]) == (3, 2, 0)
    assert len(data["notes"]) == 2 and all("mit neuer UID" in n for n in data["notes"])
    rows = contacts(home, capsys)
    assert len(rows) == 5
    annas = sorted(r["phone"] for r in rows if r["fn"] == "Anna Alt")
    assert annas == ["+49 1", "+49 1 NEU"]
    assert len({r["uid"] for r in rows}) == 5
    new = [r for r in rows if r["id"] in data["added"] and r["fn"] != "Carla Chor"]
    assert all(r["uid"] not in ("uid-a", "uid-b") for r in new)


def test_a_trashed_uid_stays_deleted(
    home: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_raw(home, capsys, "contacts", "delete", "uid-b", "--book", "Handy")[0] == 0
    code, data = import_json(home, capsys, str(backup), "--book", "Handy", "--duplicates", "update")
    assert code == 0, data
    assert data["skipped_trashed"] == 1 and data["updated"] == 1 and len(data["added"]) == 1
    assert "Papierkorb" in data["notes"][0]


def test_file_and_usage_errors(
    home: Path, backup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli_raw(home, capsys, "contacts", "import", "--book", "Handy")
    assert code == 2 and "Bitte die vCard-Datei angeben" in err
    code, _, err = cli_raw(home, capsys, "contacts", "import", str(backup), "--file", str(backup),
                           "--book", "Handy")  # fmt: skip
    assert code == 2 and "nur einmal" in err
    code, _, err = cli_raw(home, capsys, "contacts", "import", str(tmp_path / "fehlt.vcf"),
                           "--book", "Handy")  # fmt: skip
    assert code == 1 and "kann nicht gelesen werden" in err
    code, _, err = cli_raw(home, capsys, "contacts", "import", str(backup), "--book", "Handy",
                           "--duplicates", "overwrite")  # fmt: skip
    assert code == 2 and "invalid choice" in err
    code, out, _ = cli_raw(home, capsys, "contacts", "--help")
    assert code == 0 and "--duplicates {refuse,skip,update,new-uid}" in out


@pytest.mark.parametrize("dash_first", [True, False])
def test_from_stdin_in_either_order(
    home: Path,
    backup: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    dash_first: bool,
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(backup.read_bytes())))
    opts = ("--book", "Handy", "--duplicates", "update")
    args = ("-", *opts) if dash_first else (*opts, "-")
    code, data = import_json(home, capsys, *args)
    assert code == 0, data
    assert (data["updated"], len(data["added"])) == (1, 1)


def test_the_default_never_doubles_a_card_without_uid_nor_brings_back_the_trash(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file without UIDs (an Outlook export) imported twice: the second import refuses
    every card by the GUI's rules (same name and first e-mail, else same content) instead of
    doubling them; a card whose UID is in the trash is not imported again (a note)."""
    no_uid = tmp_path / "outlook.vcf"
    no_uid.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Weiß;Käthe\r\nFN:Käthe Weiß\r\n"
        "EMAIL;INTERNET:k@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ohne;Mail\r\nTEL;CELL:+49 9\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(no_uid), "--book", "Handy")
    assert code == 0, err
    assert out.startswith("2 Kontakte angelegt.")
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(no_uid), "--book", "Handy")
    assert code == 3
    assert out.startswith("0 Kontakte angelegt.")
    assert "gleichem Namen und gleicher E-Mail-Adresse („Käthe Weiß“" in out + err
    assert "gleichem Inhalt" in out + err and "--duplicates skip" in out + err
    assert len(contacts(home, capsys)) == 4  # Anna, Bert, Käthe, Mail Ohne — once each

    code, out, err = cli_raw(home, capsys, "contacts", "delete", "uid-b", "--book", "Handy")
    assert code == 0, err
    again = tmp_path / "bert.vcf"
    again.write_text(card("uid-b", "Bert Bau", "+49 2 anders"), encoding="utf-8")
    code, out, err = cli_raw(
        home, capsys, "contacts", "import", str(again), "--book", "Handy", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["added"] == [] and data["skipped_trashed"] == 1
    assert "Papierkorb" in data["notes"][0]
    assert "Bert Bau" not in {c["fn"] for c in contacts(home, capsys)}


def test_export_writes_the_guis_export(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`contacts export` writes what the GUI's export writes (UTF-8 with CHARSET labels that
    say so), to --out, --file or stdout alike; exporting the import of it gives the same bytes."""
    latin = tmp_path / "outlook.vcf"
    latin.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252:Wei\xdf;K\xe4the\r\n"
        b"FN;CHARSET=Windows-1252:K\xe4the Wei\xdf\r\nEND:VCARD\r\n"
    )
    code, _out, err = cli_raw(home, capsys, "contacts", "import", str(latin), "--book", "Neu")
    assert code == 0, err
    first, second = tmp_path / "a.vcf", tmp_path / "b.vcf"
    code, out, err = cli_raw(
        home, capsys, "contacts", "export", "--book", "Neu", "--file", str(first)
    )
    assert code == 0 and "1 Kontakt nach" in out, err
    data = first.read_bytes()
    assert "N;CHARSET=UTF-8:Weiß;Käthe".encode() in data and b"Windows-1252" not in data
    code, _out, err = cli_raw(
        home, capsys, "contacts", "export", "--book", "Neu", "--out", str(second)
    )
    assert code == 0 and second.read_bytes() == data, err
    code, out, err = cli_raw(home, capsys, "contacts", "export", "--book", "Neu")
    assert code == 0 and out.encode() == data, err

    code, _out, err = cli_raw(home, capsys, "contacts", "import", str(first), "--book", "Zurück")
    assert code == 0, err
    code, _out, err = cli_raw(
        home, capsys, "contacts", "export", "--book", "Zurück", "--file", str(second)
    )
    assert code == 0 and second.read_bytes() == data, err


def group_card(uid: str, name: str, members: list[str]) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{name};;;;",
             "X-ADDRESSBOOKSERVER-KIND:group",
             *[f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m}" for m in members]]  # fmt: skip
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def test_group_cards_are_counted_as_groups_not_contacts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file with 2 people and 1 group card: "2 Kontakte angelegt.", "1 Gruppe angelegt."
    — the group card is no contact (issue 19's figures), in the text and in --json."""
    path = tmp_path / "mit-gruppe.vcf"
    path.write_text(
        card("uid-a", "Anna Alt", "+49 1") + card("uid-b", "Bert Bau", "+49 2")
        + group_card("uid-g", "Presse", ["uid-a", "uid-b"]),
        encoding="utf-8",
    )  # fmt: skip
    home = tmp_path / "home"
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(path), "--book", "Handy")
    assert code == 0, err
    assert out.splitlines()[:2] == ["2 Kontakte angelegt.", "1 Gruppe angelegt."]
    path.write_text(group_card("uid-h", "Vorstand", ["uid-a"]), encoding="utf-8")
    code, out, err = cli_raw(
        home, capsys, "contacts", "import", str(path), "--book", "Handy", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["added"] == []
    assert len(data["groups_added"]) == 1
    assert len(contacts(home, capsys)) == 2
