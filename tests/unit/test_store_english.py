"""The store's texts in English (issue 20): StoreError, UserError, BackupError and
DatabaseError messages, the built-in names on display, backup reasons, the history's
labels of contacts and appointments. German stays the default (tests/conftest.py resets
it around every test); the stored data never changes with the language."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app import i18n, ical
from app.store import agenda, books, users
from app.store import appointment_history as ah
from app.store import history as hist
from app.store.appointment_trash import restore_appointments
from app.store.backups import (
    BEFORE_RECREATE,
    BEFORE_RESTORE,
    MANUAL,
    BackupError,
    backup_database,
    backup_note_de,
    check_database,
    find_backup,
    list_backups,
    reason_label_de,
    restore_backup,
)
from app.store.contacts import (
    StoreError,
    add_contact,
    delete_contact,
    get_book,
    get_contact,
    restore_contact,
    update_contact,
)
from app.store.db import DEFAULT_USER, STANDARD_BOOK, DamagedDatabaseError, open_database
from app.store.lock import SyncLocked
from app.store.models import Account, AddressBook, Binding, User
from app.store.users import UserError
from tests.i18n_words import assert_no_german

SERIES = Path(__file__).parent.parent / "servers" / "ics" / "nextcloud_recurring_moved.ics"


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def card(fn: str, uid: str, extra: str = "") -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n{extra}END:VCARD\r\n"


def message_of(action: Callable[[], object], error: type[Exception] = StoreError) -> str:
    with pytest.raises(error) as info:
        action()
    return str(info.value)


# ---------------------------------------------------------------- StoreError, UserError


def test_store_errors_speak_english(store: Path, english: None) -> None:
    book = get_book(STANDARD_BOOK)
    first = add_contact(book, card("Anna Berg", "u-1"))
    books.create_book("Clients")
    add_contact(get_book("Clients"), card("Anna Berg", "u-1"))
    add_contact(get_book("Clients"), card("Carl Dorn", "u-2"))
    add_contact(book, card("Carl Dorn", "u-2"))
    said = {
        "no book": message_of(lambda: get_book("Nowhere")),
        "uid taken": message_of(lambda: add_contact(book, card("Anna", "u-1"))),
        "no contact": message_of(lambda: get_contact(999)),
        "empty name": message_of(lambda: books.create_book("  ")),
        "long name": message_of(lambda: books.create_book("x" * 81)),
        "control": message_of(lambda: books.create_book("a\tb")),
        "exists": message_of(lambda: books.create_book("clients")),
        "rename standard": message_of(lambda: books.rename_book(STANDARD_BOOK, "Other")),
        "delete standard": message_of(lambda: books.delete_book(STANDARD_BOOK)),
        "into itself": message_of(lambda: books.delete_book("Clients", move_to="Clients")),
        "clash": message_of(lambda: books.delete_book("Clients", move_to=STANDARD_BOOK)),
        "version": message_of(lambda: hist.version_text(first.id, 12345)),
    }
    assert said["no book"] == "There is no address book “Nowhere” in Contactbox."
    assert said["uid taken"] == "The address book “Default” already has a contact with the UID u-1."
    assert said["long name"] == "The name is too long: at most 80 characters (now 81)."
    assert said["rename standard"] == "The address book “Default” cannot be renamed."
    assert said["clash"].startswith("2 contacts have the same UID as a contact in the address")
    assert "“Clients” was not deleted" in said["clash"]
    for text in said.values():
        assert_no_german(text)
    delete_contact(first)
    add_contact(book, card("Anna Again", "u-1"))
    text = message_of(lambda: restore_contact(get_contact(first.id)))
    assert text == ("A contact with the same UID already exists; the contact cannot be restored.")


def test_one_clash_is_singular_in_both_languages(store: Path) -> None:
    books.create_book("Clients")
    add_contact(get_book("Clients"), card("Anna Berg", "u-1"))
    add_contact(get_book(STANDARD_BOOK), card("Anna Berg", "u-1"))
    german = message_of(lambda: books.delete_book("Clients", move_to=STANDARD_BOOK))
    assert german.startswith("1 Kontakt hat dieselbe UID wie ein Kontakt im Adressbuch „Standard“")
    i18n.set_language("en")
    english = message_of(lambda: books.delete_book("Clients", move_to=STANDARD_BOOK))
    assert english.startswith("1 contact has the same UID as a contact in the address book")
    assert_no_german(english)


def test_agenda_and_trash_errors_speak_english(store: Path, english: None) -> None:
    start = datetime(2026, 12, 1, 9)
    said = [
        message_of(lambda: agenda.add_appointment(None, " ", start, None)),
        message_of(lambda: agenda.add_appointment(None, "Review", None, None)),  # type: ignore[arg-type]
        message_of(lambda: agenda.add_appointment(None, "Review", start, datetime(2026, 1, 1))),
        message_of(lambda: agenda.get_appointment(4711)),
        message_of(lambda: agenda.add_followup(None, "", start)),
        message_of(lambda: agenda.add_followup(None, "Call", None)),  # type: ignore[arg-type]
        message_of(lambda: agenda.get_followup(4711)),
        message_of(lambda: restore_appointments(users.current_user(), [4711])),
        message_of(lambda: ah.appointment_versions(4711)),
    ]
    assert said[0] == "Please enter a subject for the appointment."
    assert said[2] == "The appointment ends before it starts."
    assert said[7] == (
        "Appointment no. 4711 is not (or no longer) in this user's trash. Please reload the list."
    )
    for text in said:
        assert_no_german(text)


def test_user_errors_speak_english(store: Path, english: None) -> None:
    default = users.current_user()
    said = [
        message_of(lambda: users.add_user(" "), UserError),
        message_of(lambda: users.add_user("x" * 101), UserError),
        message_of(lambda: users.add_user("default user"), UserError),
        message_of(lambda: users.add_user(DEFAULT_USER), UserError),
        message_of(lambda: users.get_user(4711), UserError),
        message_of(lambda: users.remove_user(int(default.id)), UserError),
    ]
    assert said[2] == said[3] == "A user “Default user” already exists."
    assert said[5] == (
        "“Default user” is the only user and cannot be removed. Add another user first."
    )
    for text in said:
        assert_no_german(text)


# ---------------------------------------------------------------- built-in names


def test_built_in_names_are_shown_translated_and_stored_as_created(store: Path) -> None:
    assert books.display_name(STANDARD_BOOK) == "Standard"
    assert users.display_name(DEFAULT_USER) == "Standardbenutzer"
    i18n.set_language("en")
    assert books.display_name(STANDARD_BOOK) == "Default"
    assert users.display_name(DEFAULT_USER) == "Default user"
    assert users.display_name(users.FALLBACK_USER_NAME) == "Default"
    assert books.display_name("Kunden") == "Kunden"  # a user's own name stays
    assert users.display_name("Eva") == "Eva"
    # the data are never renamed: stored German, in both languages
    assert [b.name for b in AddressBook.select()] == [STANDARD_BOOK]
    assert [u.name for u in User.select()] == [DEFAULT_USER]
    # what an English user types finds them; a real book or user of that name wins
    assert get_book("Default").name == STANDARD_BOOK
    assert get_book("default").name == STANDARD_BOOK
    found = users.find_by_name("Default user")
    assert found is not None and found.name == DEFAULT_USER
    assert users.find_by_name("Nobody") is None
    assert "“Default” already exists" in message_of(lambda: books.create_book("default"))
    i18n.set_language("de")
    books.create_book("Default")  # in German just a name
    i18n.set_language("en")
    assert get_book("Default").name == "Default"
    with pytest.raises(StoreError):
        get_book("Standardbenutzer")


def test_calendar_account_label_is_made_in_the_language_of_the_moment(store: Path) -> None:
    assert users.calendar_account_label(DEFAULT_USER) == "Kalender Standardbenutzer"
    i18n.set_language("en")
    assert users.calendar_account_label(DEFAULT_USER) == "Calendar Default user"
    assert users.calendar_account_label("Eva") == "Calendar Eva"


def test_operation_labels_and_binding_summary(store: Path) -> None:
    account = Account.create(label="Office", username="anna", server="dav.example.org")
    book = get_book(STANDARD_BOOK)
    Binding.create(account=account, remote_href="/a/", remote_name="A", book=book, operation="sync")
    Binding.create(
        account=account, remote_href="/b/", remote_name="B", book=book, operation="import"
    )
    assert books.binding_summary(STANDARD_BOOK) == [
        "Office – A (Synchronisieren)",
        "Office – B (Einmalig importieren)",
    ]
    i18n.set_language("en")
    assert books.binding_summary("Default") == [
        "Office – A (Synchronization)",
        "Office – B (Import once)",
    ]
    labels = [books.operation_label(op) for op in books.OPERATION_LABELS_DE]
    assert labels == ["Import once", "One-way synchronization", "Synchronization"]
    assert books.operation_label("future") == "future"  # unknown: as it is


# ---------------------------------------------------------------- backups, database, lock


def test_backup_texts_speak_english(store: Path, tmp_path: Path, english: None) -> None:
    reasons = [reason_label_de(r) for r in (MANUAL, BEFORE_RECREATE, BEFORE_RESTORE)]
    assert reasons == ["Backed up manually", "Before “Recreate”", "Before a restore"]
    assert reason_label_de("vor-migration-v3") == "Before the database upgrade (version 3)"
    made = backup_database(store, MANUAL)
    assert list_backups(store)[0].reason_de == "Backed up manually"
    assert backup_note_de(made).startswith(
        f"Before “Recreate” the database was backed up: {made.name}"
    )
    empty, junk, foreign = tmp_path / "empty.db", tmp_path / "junk.db", tmp_path / "foreign.db"
    empty.write_bytes(b"")
    junk.write_bytes(b"no database at all" * 20)
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE other (x)")
    con.commit()
    con.close()
    problems = [check_database(p) for p in (empty, junk, foreign)]
    assert problems == [
        "The file is empty (0 bytes).",
        "The file is not an SQLite database (wrong file header).",
        "The file is not a Contactbox database (other tables).",
    ]
    said = [
        message_of(lambda: find_backup(store, "nothing.sqlite3"), BackupError),
        message_of(lambda: restore_backup(store, junk), BackupError),
        message_of(lambda: backup_database(tmp_path / "none.db", MANUAL), BackupError),
        str(SyncLocked("contactbox-sync", 4711)),
        message_of(lambda: open_database(junk), DamagedDatabaseError),
    ]
    assert said[3] == (
        "Another synchronization with this database is running (contactbox-sync, PID 4711). "
        "Please wait until it has finished."
    )
    for text in [*reasons, *problems, *said]:
        assert_no_german(text)


# ---------------------------------------------------------------- history labels


FULL = (
    "N:Berg;Anna;;Dr.;\r\nORG:Example Ltd;Sales\r\nTITLE:Buyer\r\n"
    "EMAIL;TYPE=WORK,PREF:anna@example.org\r\nTEL;TYPE=CELL:+44 20 1234\r\n"
    "TEL;TYPE=HOME,VOICE:+44 20 5678\r\nADR;TYPE=WORK:12;;High Street 1;London;;N1 9GU;UK\r\n"
    "BDAY:1980-04-02\r\nURL:https://example.org\r\nCATEGORIES:Clients\r\nNOTE:Likes tea\r\n"
    "NICKNAME:Annie\r\nROLE:Lead\r\nGENDER:F\r\nPHOTO;VALUE=uri:https://example.org/a.jpg\r\n"
    "KEY;ENCODING=b:QUJD\r\nX-CUSTOM:one\r\n"
)


def test_contact_history_labels_speak_english(store: Path, english: None) -> None:
    contact = add_contact(get_book(STANDARD_BOOK), card("Anna Berg", "h-1", FULL))
    update_contact(contact, card("Anna Berg", "h-1", FULL.replace("one", "two")), reason="edit")
    update_contact(get_contact(contact.id), card("Anna B.", "h-1"), reason="server-update")
    rows = hist.versions(contact.id)
    assert [r.reason_label for r in rows] == ["Changed on the server", "Edited"]
    hist.restore_version(contact.id, rows[1].id)
    restored = hist.versions(contact.id)[0]
    assert (restored.reason_label, restored.note[:11]) == ("Restored", "Version of ")
    old = hist.version_text(contact.id, rows[1].id)
    diffs = hist.compare(old, card("Anna B.", "h-1"))
    assert [d.label for d in diffs] == [
        "Name", "Organization", "Job title", "Email", "Phone", "Address", "Birthday",
        "Website", "Categories", "Note", "Other details",
    ]  # fmt: skip
    shown = {d.label: d.old for d in diffs}
    assert shown["Phone"] == "Mobile: +44 20 1234\nHome: +44 20 5678"
    assert shown["Email"] == "Work: anna@example.org"
    assert shown["Address"] == "Work: High Street 1, PO Box 12, N1 9GU London, UK"
    assert shown["Name"] == "Anna Berg\nName parts: Dr. Anna Berg"
    assert "Photo (Link)" in shown["Other details"]
    assert "Key (3 bytes)" in shown["Other details"]
    unreadable = hist.compare("no card", old)[-1].old
    assert unreadable == "Not a readable vCard:\nno card"
    for d in diffs:
        assert_no_german(f"{d.label}\n{d.old}\n{d.new}")
    assert_no_german(restored.note)
    assert hist.reason_label("future") == "future"


def test_appointment_history_labels_speak_english(store: Path, english: None) -> None:
    series = SERIES.read_text(encoding="utf-8")
    moved = series.replace("TRIGGER;RELATED=START:-PT10M", "TRIGGER;RELATED=START:-PT1H").replace(
        "PARTSTAT=ACCEPTED", "PARTSTAT=DECLINED", 1
    )
    diffs = {d.label: d for d in ah.compare_events(series, moved)}
    assert list(diffs) == [
        "Subject", "Start", "End", "Location", "Description", "Recurrence",
        "Changed occurrences of the series", "Attendees", "Reminders", "Other details",
    ]  # fmt: skip
    assert diffs["Reminders"].old == "Reminder 10 minutes before the start"
    assert diffs["Reminders"].new == "Reminder 1 hour before the start"
    assert diffs["Attendees"].old.splitlines()[0] == "Organizer: Alice <alice@example.org>"
    assert diffs["Attendees"].old.endswith("(accepted)")
    assert diffs["Attendees"].new.endswith("(declined)")
    assert "Rule: FREQ=WEEKLY;BYDAY=MO" in diffs["Recurrence"].old
    assert "Excluded: " in diffs["Recurrence"].old
    assert diffs["Changed occurrences of the series"].old.startswith("Occurrence of ")
    for d in diffs.values():
        assert_no_german(f"{d.label}\n{d.old}\n{d.new}")
    broken = ah.compare_events("no calendar", series)[-1]
    assert broken.old.startswith("Not a readable appointment:")
    aid = agenda.add_appointment(None, "Review", datetime(2026, 12, 1, 9), None, all_day=True)
    text = ah.current_appointment(aid).ical
    day = {d.label: d.new for d in ah.compare_events(text, text)}["Start"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \(all day\)", day)


@pytest.mark.parametrize(
    ("trigger", "german", "english"),
    [
        ("-P2D", "Erinnerung 2 Tage vor Beginn", "Reminder 2 days before the start"),
        ("-P1D", "Erinnerung 1 Tag vor Beginn", "Reminder 1 day before the start"),
        ("PT1M", "Erinnerung 1 Minute nach Beginn", "Reminder 1 minute after the start"),
        ("PT0S", "Erinnerung zu Beginn", "Reminder at the start"),
    ],
)
def test_reminders_have_proper_plurals(trigger: str, german: str, english: str) -> None:
    text = ical.new_event("r-1", "Review", datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10))
    alarm = f"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:{trigger}\r\nEND:VALARM\r\nEND:VEVENT"
    text = text.replace("END:VEVENT", alarm)
    assert {d.label: d.new for d in ah.compare_events(text, text)}["Erinnerungen"] == german
    i18n.set_language("en")
    assert {d.label: d.new for d in ah.compare_events(text, text)}["Reminders"] == english
