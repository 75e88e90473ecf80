"""Which fields differ between two versions of a card or an appointment (issue 22, "Prüfen
shows each contact"): `app.vcard.changes.field_changes` (the one comparison of cards: the
check's details and the merge's report) on real producers' cards, its fast path against the
whole cards, and `app.ical.changes.event_changes` on real producers' events; and the details'
labels and stored shape (`app.sync.details`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from app import i18n, vcard
from app.ical import edit_event
from app.ical.changes import event_changes
from app.sync.details import (
    ACTION_LABELS,
    ACTIONS,
    ContactTexts,
    DetailList,
    FieldChange,
    FieldLike,
    ItemDetail,
    _compared,
    action_label,
    detail_lines,
    side_and_action,
)
from app.sync.plan import Action, Kind
from app.sync.report import BookReport, RunReport
from app.vcard.changes import (
    MAX_VALUE,
    _cut,
    _with_members,
    card_changes,
    field_changes,
    single_card,
)
from app.vcard.changes import FieldChange as CardFieldChange

CARDS = Path(__file__).parent / "cards" / "realworld"
ICS = Path(__file__).parents[1] / "servers" / "ics"


def card(name: str) -> str:
    """The first card of a file of the corpus (as an import reads it)."""
    return vcard.split_cards(vcard.decode_bytes((CARDS / name).read_bytes()))[0]


def changes(old: str, new: str) -> dict[str, tuple[str, str]]:
    return {c.name: (c.old, c.new) for c in field_changes(old, new)}


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def test_a_changed_phone_and_a_new_email_of_a_davx5_card() -> None:
    old = card("davx5_30_allfields.vcf")
    new = old.replace("TEL;TYPE=fax,x-aunt:+1-800-MYFAX", "TEL;TYPE=fax,x-aunt:+1-800-NEWFAX")
    new = new.replace("END:VCARD", "EMAIL;TYPE=work:neu@example.org\nEND:VCARD")
    assert changes(old, new) == {
        "Telefon": ("Fax, x-aunt: +1-800-MYFAX", "Fax, x-aunt: +1-800-NEWFAX"),
        "E-Mail": ("", "Arbeit: neu@example.org"),
    }


def test_same_card_in_another_spelling_has_no_changes() -> None:
    """Folding, line ends, the order of types and bookkeeping (REV, PRODID) are no change."""
    old = card("kde_kcontacts_30_apple_item_group.vcf")
    new = old.replace("TEL;TYPE=PREF,VOICE,WORK:", "TEL;TYPE=WORK,VOICE,PREF:")
    new = new.replace("REV:2018-01-25T21:50:41Z", "REV:2026-01-01T00:00:00Z").replace("\n", "\r\n")
    assert field_changes(old, new) == []


@pytest.mark.parametrize("name", sorted(p.name for p in CARDS.glob("*.vcf")))
def test_every_real_card_against_itself_and_with_a_new_note(name: str) -> None:
    old = card(name)
    assert field_changes(old, old) == []
    try:
        vcard.read_fields(old)
    except vcard.CardError:
        return  # (a damaged card: nothing can be said of it, see the test below)
    end = list(re.finditer(r"(?im)^END:VCARD", old))[-1].start()  # the card's own END
    new = old[:end] + "NOTE:Rückruf am Montag\r\n" + old[end:]
    found = changes(old, new)
    # The note is the field; a card with a note has the second one in it: never left out.
    assert list(found) == ["Notiz"]
    was, now = found["Notiz"]
    assert now.endswith(" · Rückruf am Montag") if was else now == "Rückruf am Montag"
    assert len(now) <= MAX_VALUE  # a long note: cut where the new line shows


def test_name_company_address_and_an_unknown_line() -> None:
    old = card("kde_kcontacts_30_apple_item_group.vcf")
    new = (
        old.replace("FN:Name of Broken Card", "FN:Renamed Card")
        .replace("ORG:SOME COMPANY", "ORG:OTHER COMPANY;Sales")
        .replace(";;STREET;CITY;STATE;ZIP;COUNTRY", ";;Hauptstr. 1;Berlin;;10115;Germany")
        .replace("X-ABShowAs-ABShowAs:COMPANY", "X-ABShowAs-ABShowAs:PERSON")
    )
    found = changes(old, new)
    assert found["Name"] == ("Name of Broken Card · SOMENAME", "Renamed Card · SOMENAME")
    assert found["Organisation"] == ("SOME COMPANY", "OTHER COMPANY, Sales")
    assert found["Adresse"] == (
        "Arbeit: STREET, ZIP CITY, STATE, COUNTRY",
        "Arbeit: Hauptstr. 1, 10115 Berlin, Germany",
    )
    assert found["X-ABSHOWAS-ABSHOWAS"] == ("COMPANY", "PERSON")  # an unknown line by name
    # The card's order (the item-group address stands last in this card).
    assert list(found) == ["Name", "Organisation", "X-ABSHOWAS-ABSHOWAS", "Adresse"]


def test_a_photo_is_named_never_shown_and_a_long_value_is_cut() -> None:
    old = card("davx5_30_allfields.vcf")
    assert "PHOTO" in old
    new = re.sub(r"(?m)^PHOTO;ENCODING=b;TYPE=JPEG:/9j/", "PHOTO;ENCODING=b;TYPE=JPEG:/9k/", old)
    new = new.replace("NOTE:This fax number", "NOTE:" + "x" * 1000 + " This fax number")
    found = changes(old, new)
    assert found["Foto"] == ("(Bild)", "(Bild)")
    assert len(found["Notiz"][1]) == MAX_VALUE and found["Notiz"][1].endswith("…")


def test_a_long_value_changed_past_the_cut_shows_where_it_differs() -> None:
    old = card("davx5_30_allfields.vcf")
    long = "Anfahrt: " + "sehr lange Beschreibung " * 20
    old = old.replace("NOTE:This fax number", f"NOTE:{long}This fax number")
    new = old.replace("Mon-Fri.", "Mon-Sat.")
    was, now = changes(old, new)["Notiz"]
    assert was.startswith("…") and now.startswith("…")
    assert "Mon-Fri." in was and "Mon-Sat." in now
    assert len(was) <= MAX_VALUE and len(now) <= MAX_VALUE


def test_a_phone_kept_on_both_sides_is_no_change() -> None:
    old = card("gmail_30_all_fields.vcf")
    tels = re.findall(r"(?m)^(?:\w+\.)?TEL[^:]*:(.*)$", old)
    assert len(tels) >= 2
    first = tels[0].strip()
    new = old.replace(first, "+49 89 123456", 1)
    (label, (was, now)), *rest = changes(old, new).items()
    assert label == "Telefon" and rest == []
    assert was.endswith(first) and now.endswith("+49 89 123456")
    assert "\n" not in was  # only the line that changed, not every phone


def test_unreadable_cards_give_no_changes() -> None:
    assert field_changes("no card", card("fullcontact_40.vcf")) == []


def test_labels_are_msgids_translated_where_shown() -> None:
    old = card("kde_kcontacts_30_apple_item_group.vcf")
    new = old.replace("NOTE:SOME NOTES", "NOTE:OTHER NOTES")
    detail = ItemDetail("u", "Name", "server", "changed", "Buch", tuple(
        FieldChange(c.label, c.old, c.new) for c in field_changes(old, new)
    ))  # fmt: skip
    assert detail.to_dict()["fields"] == [{"name": "Notiz", "old": "SOME NOTES",
                                           "new": "OTHER NOTES"}]  # fmt: skip
    i18n.set_language("en")
    try:
        assert detail.to_dict(translate=True)["fields"][0]["name"] == "Note"
        assert detail_lines([detail]) == [
            "On the server: changed – Name [Buch]",
            "    Note: SOME NOTES → OTHER NOTES",
        ]
    finally:
        i18n.set_language("de")


def test_field_changes_of_an_edit_name_each_field_with_readable_values() -> None:
    old = card("davx5_30_allfields.vcf")
    new = edit(old, "ROLE:Programmer", "ROLE:Chef")
    new = edit(new, "TEL;TYPE=fax,x-aunt:+1-800-MYFAX\n", "")
    new = edit(new, "FN;CHARSET=UTF-8:Ämi Display", "FN:Ämi Neu")
    new = edit(new, "CATEGORIES:A,B\\'C\n", "CATEGORIES:A,B\\'C\nEMAIL:neu@example.com\n")
    changes = field_changes(old, new)
    assert [(c.name, c.old, c.new) for c in changes] == [
        ("Name", "Ämi Display · DDDr. Firstname Middlename1 Middlename2 Lastname MBA",
         "Ämi Neu · DDDr. Firstname Middlename1 Middlename2 Lastname MBA"),
        ("Telefon", "Fax, x-aunt: +1-800-MYFAX", ""),
        ("Rolle", "Programmer", "Chef"),
        ("E-Mail", "", "neu@example.com"),
    ]  # fmt: skip


def test_field_changes_of_a_new_and_of_a_deleted_card() -> None:
    text = card("kde_kcontacts_30_apple_item_group.vcf")
    new = field_changes(None, text)
    assert [c.field for c in new] == ["NAME", "NOTE", "ORG", "TEL", "X-ABSHOWAS-ABSHOWAS", "ADR"]
    assert all(c.old == "" and c.new for c in new)
    assert new[-1] == CardFieldChange("ADR", "", "Arbeit: STREET, ZIP CITY, STATE, COUNTRY")
    gone = field_changes(text, None)
    assert [(c.old, c.new) for c in gone] == [(c.new, "") for c in new]


def test_field_changes_ignore_bookkeeping_and_reserialization() -> None:
    old = card("outlook2003_21_qp_labels.vcf")
    new = edit(old, "REV:20080128T135515Z", "REV:20260101T000000Z")
    new = edit(new, "TEL;WORK;VOICE:49 631 234 341", "TEL;VOICE;WORK:49 631 234 341")
    assert field_changes(old, new.replace("\n", "\r\n")) == []
    assert field_changes(old, "kaputt") == []


def test_field_labels_follow_the_language(english: None) -> None:
    old = card("outlook2003_21_qp_labels.vcf")
    new = edit(old, "ROLE:Software-Developer", "ROLE:Lead")
    new = edit(new, "EMAIL;PREF=1;INTERNET:antoni_mylka@somedomain.com\n", "")
    new = edit(new, "TEL;CELL;VOICE:48 91 3 175 234", "TEL;CELL;VOICE:48 91 3 175 000")
    changes = field_changes(old, new)
    assert [c.name for c in changes] == ["Phone", "Role", "Email"]
    assert changes[0].new == "Mobile: 48 91 3 175 000"


def _whole(old: str, new: str) -> list[CardFieldChange]:
    """`field_changes` without cutting the cards down to the lines that differ."""
    co, cn = single_card(old), single_card(new)
    if co is None or cn is None:
        return []
    changes = _with_members(card_changes(co, cn), old, new, None)  # a group card's members
    return [CardFieldChange(c.field, *_cut(c.old, c.new)) for c in changes]


@pytest.mark.parametrize("name", sorted(p.name for p in CARDS.glob("*.vcf")))
def test_reading_only_the_lines_that_differ_gives_what_the_whole_cards_give(name: str) -> None:
    """Every content line of every real card edited, removed and doubled (one at a time):
    the fast path's changes equal those of the whole cards."""
    old = card(name)
    eol = "\r\n" if "\r\n" in old else "\n"
    lines = old.split(eol)
    for i, line in enumerate(lines):
        if not re.match(r"(?:[\w-]+\.)?[\w-]+[;:]", line) or line.upper().startswith("BEGIN"):
            continue
        for changed in ([line + "Q"], [], [line, line.replace(":", ":Z", 1)]):
            new = eol.join([*lines[:i], *changed, *lines[i + 1 :]])
            assert field_changes(old, new) == _whole(old, new), (line, changed)


# ----------------------------------------------------------------------------- appointments


def event(name: str) -> str:
    return (ICS / name).read_text(encoding="utf-8")


def test_an_appointment_moved_and_renamed() -> None:
    old = event("google_apple_location_weekly.ics")
    new = edit_event(
        old,
        summary="Weekly Sync",
        start=datetime(2016, 10, 28, 13, 0),
        end=datetime(2016, 10, 28, 14, 0),
        location="Room 2",
        now=datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None),
    )
    found = {c.name: (c.old, c.new) for c in event_changes(old, new)}
    assert list(found) == ["Titel", "Beginn", "Ende", "Ort"]
    assert found["Titel"] == ("Daily Sync", "Weekly Sync")
    assert found["Ort"] == ("Roadstar 16\n12764 Happyville\nDenmark", "Room 2")
    # Local time in the language's format (the test machine's zone: compare like for like).
    start = datetime(2016, 10, 28, 13, 0, tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert found["Beginn"][1] == i18n.format_datetime(start)


@pytest.mark.parametrize("name", sorted(p.name for p in ICS.glob("*.ics")))
def test_every_real_event_against_itself(name: str) -> None:
    text = event(name)
    assert event_changes(text, text) == []
    assert event_changes(text, text.replace("\n", "\r\n")) == []


def test_an_unreadable_event_gives_no_changes() -> None:
    assert event_changes("BEGIN:VCALENDAR\nEND:VCALENDAR\n", event("google_alarms.ics")) == []


# ------------------------------------------------------------------------------- the details


def test_sides_and_actions_of_the_plan() -> None:
    def sa(kind: Kind, conflict: bool = False) -> tuple[str, str] | None:
        return side_and_action(Action(kind, "u", conflict=conflict))

    assert sa(Kind.ADD_LOCAL) == ("contactbox", "new")
    assert sa(Kind.UPDATE_LOCAL) == ("contactbox", "changed")
    assert sa(Kind.UPDATE_LOCAL, conflict=True) == ("contactbox", "conflict")
    assert sa(Kind.DELETE_LOCAL) == ("contactbox", "deleted")
    assert sa(Kind.ADD_SERVER) == ("server", "new")
    assert sa(Kind.UPDATE_SERVER, conflict=True) == ("server", "conflict")
    assert sa(Kind.DELETE_SERVER) == ("server", "deleted")
    for quiet in (Kind.LINK, Kind.REFRESH, Kind.FORGET, Kind.SKIP_DELETED, Kind.SERVER_ONLY):
        assert sa(quiet) is None
    assert set(ACTION_LABELS) == set(ACTIONS) and "merged" in ACTIONS
    i18n.set_language("en")
    try:
        assert [action_label(a) for a in ACTIONS] == [
            "new", "changed", "deleted", "merged", "conflict",
        ]  # fmt: skip
    finally:
        i18n.set_language("de")
    assert [action_label(a) for a in ACTIONS] == [
        "neu", "geändert", "gelöscht", "zusammengeführt", "Konflikt",
    ]  # fmt: skip


def test_the_report_json_is_unchanged_and_old_reports_load() -> None:
    book = BookReport("Buch", "/b/", "Buch", "sync/server", added_local=1)
    book.details.append(ItemDetail("u1", "Anna", "contactbox", "new", "Buch"))
    report = RunReport("Test", "run", datetime(2026, 1, 1), books=[book])
    data = report.to_dict()
    assert "details" not in data and "details" not in data["books"][0]
    with_details = report.to_dict(details=True)
    assert with_details["details"] == [
        {"uid": "u1", "name": "Anna", "side": "contactbox", "action": "new", "book": "Buch",
         "fields": []},
    ]  # fmt: skip
    assert RunReport.from_dict(data).details() == []  # stored before: no details
    back = RunReport.from_dict({**data, "details": report.details_dicts()})
    assert back.details() == report.details()


def test_the_fields_are_compared_when_first_read_and_stored_with_the_report() -> None:
    old = card("kde_kcontacts_30_apple_item_group.vcf")
    new = old.replace("NOTE:SOME NOTES", "NOTE:OTHER NOTES")
    calls: list[tuple[str, str]] = []

    class Counting(ContactTexts):
        def changes(self, a: str, b: str) -> Sequence[FieldLike]:
            calls.append((a, b))
            return super().changes(a, b)

    details = DetailList("Buch", Counting())
    later = partial(_compared, details.local, old, new)  # what DetailList._build keeps
    details._items[Action(Kind.UPDATE_SERVER, "u")] = ItemDetail(
        "u", "Name", "server", "changed", "Buch", pending=later
    )
    (item,) = details.items()
    assert calls == []  # nothing compared while the check runs
    stored = item.to_dict()
    assert stored["fields"] == [{"name": "Notiz", "old": "SOME NOTES", "new": "OTHER NOTES"}]
    assert item.fields == (FieldChange("Notiz", "SOME NOTES", "OTHER NOTES"),)
    assert calls == [(old, new)]  # once
    assert ItemDetail.from_dict(stored) == item


def test_a_group_cards_members_are_one_field_with_names(english: None) -> None:
    """Apple's dialect too: the members one field "Mitglieder" (English "Members"), counts
    and who joined or left, by name where known, a mailto: member by its address."""
    head = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nFN:Presse\r\n"
    old = head + "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1\r\nEND:VCARD\r\n"
    new = old.replace("A1", "a2").replace(
        "END:", "X-ADDRESSBOOKSERVER-MEMBER:mailto:p@x.de\r\nEND:"
    )
    asked: list[list[str]] = []

    def names(uids: Iterable[str]) -> dict[str, str]:
        asked.append(sorted(uids))
        return {"a1": "Anna Alt", "a2": "Bert Bau"}

    (change,) = field_changes(old, new, names)
    assert (change.field, change.label, change.name) == ("MEMBERS", "Mitglieder", "Members")
    assert (change.old, change.new) == ("1", "2 (+ Bert Bau, p@x.de; − Anna Alt)")
    assert asked == [["A1", "a2"]]
    assert field_changes(old, old.replace("FN:Presse", "FN:Presse neu"), names)[0].field == "NAME"
    # Without names: each member by its UID.
    (bare,) = field_changes(old, new)
    assert bare.new == "2 (+ a2, p@x.de; − A1)"
