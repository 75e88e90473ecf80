"""`contactbox-sync contacts groups`, `contacts list --group` and `contacts group
create|delete|rename|add|remove` (issue 19, "CLI"): JSON shape, German text, errors and exit
codes, options and words in any order — against a real SQLite store, the CLI in-process.

The book "B" has no account, so a new group is written as categories (app.store.groups.
book_style); its groups live in all three dialects: Nextcloud-style CATEGORIES ("Kunden
Nord"), an Apple group card ("Bewerber_innen", with a member nobody here knows) and a vCard 4
KIND:group card plus a category ("Presse")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.store import contacts as cs
from app.store.models import Contact
from tests.servers.cli_inprocess import cli_raw


def person(uid: str, fn: str, categories: str = "") -> str:
    cats = f"CATEGORIES:{categories}\r\n" if categories else ""
    mail = f"EMAIL:{uid}@example.org\r\n"  # the two Dora Dach are no duplicates
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\n"
        f"{mail}{cats}END:VCARD\r\n"
    )


APPLE_GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-g-apple\r\nFN:Bewerber_innen\r\n"
    "N:Bewerber_innen;;;;\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-carla\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-anna\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-unknown\r\n"
    "END:VCARD\r\n"
)
VCARD4_GROUP = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:uid-g-v4\r\nFN:Presse\r\nKIND:group\r\n"
    "MEMBER:urn:uuid:uid-bert\r\nEND:VCARD\r\n"
)
BOOK = (
    person("uid-anna", "Anna Alt", "Kunden Nord,Presse")
    + person("uid-bert", "Bert Bau", "Kunden Nord")
    + person("uid-carla", "Carla Chor")
    + person("uid-dora1", "Dora Dach")
    + person("uid-dora2", "Dora Dach")
    + APPLE_GROUP
    + VCARD4_GROUP
)


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    home = tmp_path / "home"
    vcf = tmp_path / "book.vcf"
    vcf.write_text(BOOK, encoding="utf-8", newline="")
    code, out, err = cli_raw(home, capsys, "contacts", "import", str(vcf), "--book", "B")
    assert code == 0, err
    assert out.startswith("5 Kontakte angelegt.\n2 Gruppen angelegt.")
    return home


def ok(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """The JSON of a call that must succeed."""
    code, out, err = cli_raw(home, capsys, *args, "--json")
    assert code == 0, (args, err)
    return json.loads(out)


def book_counts(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    return {b["name"]: b["count"] for b in ok(home, capsys, "contacts", "books")}


def text_of(uid: str) -> str:
    c = cs.find_live_by_uid(cs.get_book("B"), uid)
    assert c is not None
    return str(c.vcard)


def cards() -> dict[str, str]:
    """UID -> text of every card of "B", in the trash or not (what a refusal must not touch)."""
    return {c.uid: c.vcard for c in Contact.select().where(Contact.book == cs.get_book("B"))}


def cid(uid: str) -> int:
    c = cs.find_live_by_uid(cs.get_book("B"), uid)
    assert c is not None
    return int(c.id)


# ------------------------------------------------------------------- contacts groups


def test_groups_lists_every_dialect_with_count_and_kind(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ok(home, capsys, "contacts", "groups", "--book", "B") == [
        {"name": "Bewerber_innen", "members": 2, "kind": "card"},  # uid-unknown not counted
        {"name": "Kunden Nord", "members": 2, "kind": "categories"},
        {"name": "Presse", "members": 2, "kind": "both"},  # Anna by category, Bert by card
    ]
    code, out, err = cli_raw(home, capsys, "contacts", "group", "create", "Leer", "--book", "B")
    assert code == 0, err
    assert out.strip() == "Gruppe „Leer“ in „B“ angelegt (0 Kontakte)."
    code, out, err = cli_raw(home, capsys, "contacts", "groups", "--book", "B")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Bewerber_innen\t2\tGruppen-vCard",
        "Kunden Nord\t2\tKategorie",
        "Leer\t0\tleer",
        "Presse\t2\tbeides",
    ]
    # Group cards are no contacts: not listed, not counted.
    assert book_counts(home, capsys) == {"B": 5, "Standard": 0}
    uids = {row["uid"] for row in ok(home, capsys, "contacts", "list", "--book", "B")}
    assert "uid-g-apple" not in uids and "uid-g-v4" not in uids and len(uids) == 5


def test_groups_of_a_book_without_groups_and_of_no_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code, out, err = cli_raw(home, capsys, "contacts", "groups", "--book", "Standard")
    assert (code, out.strip(), err) == (0, "Keine Gruppen.", "")
    assert ok(home, capsys, "contacts", "groups", "--book", "Standard") == []
    code, out, err = cli_raw(home, capsys, "contacts", "groups", "--book", "Nirgends")
    assert (code, out) == (1, "")
    assert err.strip() == "contactbox-sync: Das Adressbuch „Nirgends“ gibt es in Contactbox nicht."


# ------------------------------------------------------------------- contacts list --group


def test_list_group_shows_only_its_members(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = ok(home, capsys, "contacts", "list", "--book", "B", "--group", "Presse")
    assert [(r["uid"], r["fn"]) for r in rows] == [
        ("uid-anna", "Anna Alt"),
        ("uid-bert", "Bert Bau"),
    ]
    assert set(rows[0]) == {"id", "uid", "fn", "email", "phone", "org"}  # the list's rows
    rows = ok(home, capsys, "contacts", "list", "--group", "bewerber_innen", "--book", "B")
    assert [r["uid"] for r in rows] == ["uid-anna", "uid-carla"]  # any case; unknown UID left
    code, out, err = cli_raw(home, capsys, "contacts", "list", "--book", "B", "--group",
                             "Kunden Nord", "--search", "bert")  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [f"{cid('uid-bert')}\tBert Bau\tuid-bert@example.org\t\t"]


def test_list_group_that_does_not_exist_fails_in_german(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ((), ("--json",)):
        code, out, err = cli_raw(home, capsys, "contacts", "list", "--book", "B",
                                 "--group", "Kunden Süd", *extra)  # fmt: skip
        assert (code, out) == (1, "")
        assert (
            err.strip() == "contactbox-sync: Im Adressbuch „B“ gibt es keine Gruppe „Kunden Süd“."
        )


# ------------------------------------------------------------------- add / remove


def test_add_writes_where_the_group_lives(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before_card = text_of("uid-g-apple")
    data = ok(home, capsys, "contacts", "group", "add", "Bewerber_innen", "uid-bert", "--book", "B")
    assert data == {"name": "Bewerber_innen", "members": 3, "kind": "card",
                    "added": [cid("uid-bert")]}  # fmt: skip
    card = text_of("uid-g-apple")
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-bert\r\n" in card  # the card's dialect
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-unknown\r\n" in card  # kept
    assert "Bewerber_innen" not in text_of("uid-bert")  # only where the group lives
    group_card = cs.find_live_by_uid(cs.get_book("B"), "uid-g-apple")
    assert group_card is not None
    assert [v.vcard for v in cs.history(group_card)] == [before_card]  # an ordinary edit

    code, out, err = cli_raw(home, capsys, "contacts", "group", "add", "Kunden Nord",
                             "Carla Chor", "Anna Alt", "--book", "B")  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        "1 Kontakt zur Gruppe „Kunden Nord“ hinzugefügt, 1 schon darin. "
        "Die Gruppe hat jetzt 3 Kontakte."
    )
    assert "CATEGORIES:Kunden Nord\r\n" in text_of("uid-carla")


def test_remove_takes_contacts_out_everywhere_and_keeps_them(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ok(home, capsys, "contacts", "group", "remove", "presse", "Anna Alt", "uid-bert",
              "uid-carla", "--book", "B")  # fmt: skip
    assert data == {"name": "Presse", "members": 0, "kind": "card",  # the card stays, empty
                    "removed": [cid("uid-anna"), cid("uid-bert")]}  # fmt: skip
    assert "CATEGORIES:Kunden Nord\r\n" in text_of("uid-anna")  # Presse gone, the other kept
    assert "MEMBER" not in text_of("uid-g-v4")
    code, out, err = cli_raw(home, capsys, "contacts", "group", "remove", "Presse", "uid-bert",
                             "--book", "B")  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == (
        "0 Kontakte aus der Gruppe „Presse“ entfernt, 1 nicht darin. "
        "Die Gruppe hat jetzt 0 Kontakte."
    )
    assert book_counts(home, capsys)["B"] == 5


def test_an_unknown_or_ambiguous_ref_changes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = cards()
    groups_before = ok(home, capsys, "contacts", "groups", "--book", "B")
    refused = [
        (("add", "Kunden Nord", "Carla Chor", "Dora Dach"),
         "„Dora Dach“ ist mehrdeutig (2 Kontakte); bitte die Nr. angeben."),
        (("add", "Bewerber_innen", "uid-bert", "Zora Zett"),
         "Kein Kontakt „Zora Zett“ in „B“ gefunden."),
        (("remove", "Presse", "Anna Alt", "Dora Dach"),
         "„Dora Dach“ ist mehrdeutig (2 Kontakte); bitte die Nr. angeben."),
        (("create", "Neu", "Carla Chor", "uid-nobody"),
         "Kein Kontakt „uid-nobody“ in „B“ gefunden."),
        (("add", "Kunden Süd", "Carla Chor"),
         "Im Adressbuch „B“ gibt es keine Gruppe „Kunden Süd“."),
        (("rename", "Kunden Nord", "presse"),
         "Im Adressbuch „B“ gibt es die Gruppe „presse“ schon."),
        (("create", "kunden nord"), "Im Adressbuch „B“ gibt es die Gruppe „kunden nord“ schon."),
        (("delete", "Kunden Süd"), "Im Adressbuch „B“ gibt es keine Gruppe „Kunden Süd“."),
    ]  # fmt: skip
    for words, message in refused:
        code, out, err = cli_raw(home, capsys, "contacts", "group", *words, "--book", "B")
        assert (code, out) == (1, ""), words
        assert err.strip() == f"contactbox-sync: {message}", words
    assert cards() == before
    assert ok(home, capsys, "contacts", "groups", "--book", "B") == groups_before
    # The number picks one of the two.
    data = ok(home, capsys, "contacts", "group", "add", "Kunden Nord", str(cid("uid-dora2")),
              "--book", "B")  # fmt: skip
    assert data["added"] == [cid("uid-dora2")]
    assert "CATEGORIES" not in text_of("uid-dora1")


# ------------------------------------------------------------------- create / rename / delete


def test_create_rename_delete(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ok(home, capsys, "contacts", "group", "create", "Neu", "Carla Chor", "uid-anna",
              "--book", "B")  # fmt: skip
    assert data == {"name": "Neu", "members": 2, "kind": "categories"}  # no account: categories
    assert "CATEGORIES:Neu\r\n" in text_of("uid-carla")
    assert "CATEGORIES:Kunden Nord,Presse,Neu\r\n" in text_of("uid-anna")

    data = ok(home, capsys, "contacts", "group", "rename", "neu", "Neu  2026", "--book", "B")
    assert data == {"name": "Neu 2026", "members": 2, "kind": "categories", "old_name": "Neu"}
    assert "CATEGORIES:Neu 2026\r\n" in text_of("uid-carla")

    code, out, err = cli_raw(home, capsys, "contacts", "group", "delete", "Neu 2026", "--book", "B")
    assert (code, err) == (0, "")
    assert out.strip() == "Gruppe „Neu 2026“ gelöscht; ihre Kontakte (2) bleiben erhalten."
    assert "CATEGORIES" not in text_of("uid-carla")
    assert "CATEGORIES:Kunden Nord,Presse\r\n" in text_of("uid-anna")

    # A group card goes to the trash (restorable); its members stay.
    data = ok(home, capsys, "contacts", "group", "delete", "Bewerber_innen", "--book", "B")
    assert data == {"deleted": "Bewerber_innen", "members": 2}
    trash = ok(home, capsys, "contacts", "list", "--trash", "--book", "B")
    assert [r["uid"] for r in trash] == ["uid-g-apple"]
    assert book_counts(home, capsys)["B"] == 5
    names = [g["name"] for g in ok(home, capsys, "contacts", "groups", "--book", "B")]
    assert names == ["Kunden Nord", "Presse"]
    code, out, _err = cli_raw(home, capsys, "contacts", "group", "delete", "Presse", "--book", "B")
    assert out.strip() == (
        "Gruppe „Presse“ gelöscht; ihre Kontakte (2) bleiben erhalten. "
        "Die Gruppen-vCard liegt im Papierkorb."
    )


# ------------------------------------------------------------------- argument order, usage


@pytest.mark.parametrize(
    "args",
    [
        ("contacts", "group", "add", "Kunden Nord", "Carla Chor", "--book", "B", "--json"),
        ("contacts", "--book", "B", "group", "add", "Kunden Nord", "Carla Chor", "--json"),
        ("contacts", "group", "--book", "B", "add", "Kunden Nord", "--json", "Carla Chor"),
        ("contacts", "group", "add", "--json", "Kunden Nord", "--book", "B", "Carla Chor"),
        ("contacts", "--json", "group", "add", "Kunden Nord", "--book", "B", "Carla Chor"),
    ],
)
def test_options_and_words_in_any_order(
    home: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = cli_raw(home, capsys, *args)
    assert code == 0, err
    assert json.loads(out) == {"name": "Kunden Nord", "members": 3, "kind": "categories",
                               "added": [cid("uid-carla")]}  # fmt: skip
    for order in (
        ("--group", "Kunden Nord", "--book", "B"),
        ("--book", "B", "--group", "Kunden Nord"),
    ):
        rows = ok(home, capsys, "contacts", "list", *order)
        assert [r["uid"] for r in rows] == ["uid-anna", "uid-bert", "uid-carla"]


def test_wrong_usage_exits_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = cards()
    for args, says in (
        (("contacts", "group", "--book", "B"), "bitte create, delete, rename, add oder remove"),
        (("contacts", "group", "frob", "X", "--book", "B"), "„frob“ gibt es nicht"),
        (("contacts", "group", "add", "--book", "B"), "bitte die Gruppe angeben"),
        (("contacts", "group", "add", "Presse", "--book", "B"), "die Kontakte (REF …)"),
        (("contacts", "group", "rename", "Presse", "--book", "B"), "ihren neuen Namen"),
        (("contacts", "group", "rename", "Presse", "A", "B", "--book", "B"), "zu viele Angaben: B"),
        (("contacts", "group", "delete", "Presse", "Anna Alt", "--book", "B"), "zu viele"),
        (("contacts", "show", "Anna Alt", "Bert Bau", "--book", "B"), "unrecognized arguments"),
        (("contacts", "show", "--book", "B", "Anna Alt", "Bert Bau"), "unrecognized arguments"),
        (("contacts", "group", "add", "Presse", "Anna Alt", "--bogus", "--book", "B"), "--bogus"),
    ):
        code, out, err = cli_raw(home, capsys, *args)
        assert (code, out) == (2, ""), args
        assert says in err, (args, err)
    assert cards() == before


def test_export_of_a_group_holds_its_members_and_its_group_card(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "presse.vcf"
    code, out, err = cli_raw(
        home, capsys, "contacts", "export", "--book", "B", "--group", "presse", "--out", str(target)
    )
    assert code == 0, err
    assert out.strip() == f"2 Kontakte der Gruppe „Presse“ nach {target} exportiert."
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 3  # Anna, Bert and the vCard 4 group card
    assert "UID:uid-anna" in text and "UID:uid-bert" in text and "UID:uid-g-v4" in text
    assert "uid-carla" not in text and "uid-g-apple" not in text
    # the whole book keeps its group cards, so an import brings the groups back
    code, out, err = cli_raw(home, capsys, "contacts", "export", "--book", "B")
    assert code == 0 and out.count("BEGIN:VCARD") == 7
    code, out, err = cli_raw(home, capsys, "contacts", "export", "--book", "B", "--group", "Nix")
    assert code == 1 and "keine Gruppe „Nix“" in err
