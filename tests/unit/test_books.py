"""Local address books: create, rename, delete (with moving contacts) and what that touches."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.books import (
    BookImpact,
    binding_summary,
    book_impact,
    create_book,
    delete_book,
    rename_book,
    validate_book_name,
)
from app.store.contacts import (
    StoreError,
    add_contact,
    delete_contact,
    get_book,
    history,
    list_books,
    update_contact,
)
from app.store.models import (
    Account,
    AddressBook,
    Appointment,
    Binding,
    Contact,
    ContactVersion,
    ItemState,
    Tombstone,
    User,
)


def card(fn: str, uid: str, email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}"]
    if email:
        lines.append(f"EMAIL:{email}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def bind(book: str, label: str = "Büro", remote: str = "Kontakte", op: str = "sync") -> Binding:
    account = Account.get_or_none(Account.label == label) or Account.create(
        label=label, username="anna", server="dav.example.org"
    )
    return Binding.create(
        account=account,
        remote_href=f"/dav/{remote}/",
        remote_name=remote,
        book=get_book(book),
        operation=op,
    )


# ---------------------------------------------------------------- create


def test_create_trims_and_stores(store: Path) -> None:
    create_book("  Kunden  ")
    assert list_books() == ["Standard", "Kunden"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Bitte geben Sie einen Namen für das Adressbuch ein."),
        ("   ", "Bitte geben Sie einen Namen für das Adressbuch ein."),
        ("x" * 81, "Der Name ist zu lang: höchstens 80 Zeichen (jetzt 81)."),
        ("Zeile\nzwei", "Der Name darf keine Zeilenumbrüche oder Steuerzeichen enthalten."),
        ("standard", "Ein Adressbuch „Standard“ gibt es bereits."),
        (" STANDARD ", "Ein Adressbuch „Standard“ gibt es bereits."),
    ],
)
def test_create_refuses_with_german_message(store: Path, name: str, message: str) -> None:
    with pytest.raises(StoreError) as err:
        create_book(name)
    assert str(err.value) == message
    assert list_books() == ["Standard"]


def test_create_max_length_and_unicode_case(store: Path) -> None:
    create_book("x" * 80)
    create_book("über")
    with pytest.raises(StoreError, match="„über“ gibt es bereits"):
        create_book("ÜBER")  # SQLite's lower() would not see this one
    assert list_books() == ["Standard", "x" * 80, "über"]


# ---------------------------------------------------------------- rename


def test_rename_keeps_contacts_and_bindings(store: Path) -> None:
    create_book("Kunden")
    c = add_contact(get_book("Kunden"), card("Anna", "u1"))
    b = bind("Kunden")
    rename_book("Kunden", " Mandanten ")
    assert list_books() == ["Standard", "Mandanten"]
    book = get_book("Mandanten")
    assert Contact.get_by_id(c.id).book_id == book.id
    assert Binding.get_by_id(b.id).book_id == book.id


def test_rename_case_only_is_allowed(store: Path) -> None:
    create_book("kunden")
    rename_book("kunden", "Kunden")
    assert list_books() == ["Standard", "Kunden"]
    rename_book("Kunden", "Kunden")  # no-op
    assert list_books() == ["Standard", "Kunden"]


def test_rename_rules(store: Path) -> None:
    create_book("Kunden")
    create_book("Lieferanten")
    with pytest.raises(StoreError) as err:
        rename_book("Standard", "Haupt")
    assert str(err.value) == "Das Adressbuch „Standard“ kann nicht umbenannt werden."
    with pytest.raises(StoreError, match="„Lieferanten“ gibt es bereits"):
        rename_book("Kunden", "lieferanten")
    with pytest.raises(StoreError, match="„Standard“ gibt es bereits"):
        rename_book("Kunden", "Standard")
    with pytest.raises(StoreError, match="Bitte geben Sie einen Namen"):
        rename_book("Kunden", " ")
    with pytest.raises(StoreError, match="„Gibtsnicht“ gibt es in Contactbox nicht"):
        rename_book("Gibtsnicht", "Neu")
    assert list_books() == ["Standard", "Kunden", "Lieferanten"]


def test_validate_book_name_for_the_dialogs(store: Path) -> None:
    assert validate_book_name("  Neu ") == "Neu"
    assert validate_book_name("standard", current="Standard") == "standard"
    with pytest.raises(StoreError):
        validate_book_name("standard", current="Kunden")


# ---------------------------------------------------------------- impact


def test_book_impact_counts_and_names_bindings(store: Path) -> None:
    create_book("Kunden")
    book = get_book("Kunden")
    add_contact(book, card("Anna", "u1"))
    add_contact(book, card("Bernd", "u2"))
    delete_contact(add_contact(book, card("Carla", "u3")))
    add_contact(get_book("Standard"), card("Dora", "u4"))
    bind("Kunden", label="Büro", remote="Kunden (Server)", op="sync")
    bind("Kunden", label="Privat", remote="Adressen", op="import")
    impact = book_impact("Kunden")
    assert impact == BookImpact(
        "Kunden",
        live=2,
        trashed=1,
        bindings=[
            "Büro – Kunden (Server) (Synchronisieren)",
            "Privat – Adressen (Einmalig importieren)",
        ],
    )
    assert binding_summary("Standard") == []
    assert book_impact("Standard") == BookImpact("Standard", 1, 0, [])


def test_binding_summary_falls_back_to_the_href(store: Path) -> None:
    b = bind("Standard", op="oneway")
    b.remote_name = ""
    b.save()
    assert binding_summary("Standard") == ["Büro – /dav/Kontakte/ (OneWay-Synchronisation)"]


# ---------------------------------------------------------------- delete


def test_standard_cannot_be_deleted(store: Path) -> None:
    create_book("Kunden")
    for move_to in (None, "Kunden"):
        with pytest.raises(StoreError) as err:
            delete_book("Standard", move_to=move_to)
        assert str(err.value) == "Das Adressbuch „Standard“ kann nicht gelöscht werden."
    assert "Standard" in list_books()


def test_delete_with_contacts_removes_everything_and_cascades_bindings(store: Path) -> None:
    create_book("Kunden")
    book = get_book("Kunden")
    a = add_contact(book, card("Anna", "u1"))
    update_contact(a, card("Anna Alt", "u1"))
    trashed = add_contact(book, card("Bernd", "u2"))
    b = bind("Kunden")
    ItemState.create(binding=b, href="/dav/Kontakte/u2.vcf", uid="u2", contact_id=trashed.id)
    delete_contact(trashed)  # synced: leaves a tombstone
    assert Tombstone.select().count() == 1
    user = User.get()
    appt = Appointment.create(user=user, contact=a, summary="Termin")
    other = bind("Standard", label="Privat")

    assert delete_book("Kunden") == 0

    assert list_books() == ["Standard"]
    assert Contact.select().count() == 0
    assert ContactVersion.select().count() == 0
    assert Tombstone.select().count() == 0
    assert [x.id for x in Binding.select()] == [other.id]
    assert ItemState.select().count() == 0  # sync state went with the binding (cascade)
    assert Account.select().count() == 2  # accounts stay
    kept = Appointment.get_by_id(appt.id)
    assert kept.contact_id is None


def test_delete_moving_live_contacts(store: Path) -> None:
    create_book("Kunden")
    create_book("Archiv")
    book = get_book("Kunden")
    a = add_contact(book, card("Anna", "u1"))
    update_contact(a, card("Anna Neu", "u1"))
    b = add_contact(book, card("Bernd", "u2"))
    delete_contact(add_contact(book, card("Carla", "u3")))
    appt = Appointment.create(user=User.get(), contact=a, summary="Termin")
    bind("Kunden")
    add_contact(get_book("Archiv"), card("Dora", "u4"))

    assert delete_book("Kunden", move_to="Archiv") == 2

    archive = get_book("Archiv")
    assert list_books() == ["Standard", "Archiv"]
    moved = Contact.select().where(Contact.book == archive).order_by(Contact.fn)
    assert [(c.fn, c.deleted_at) for c in moved] == [
        ("Anna Neu", None),
        ("Bernd", None),
        ("Dora", None),
    ]
    assert Contact.get_by_id(b.id).book_id == archive.id
    assert len(history(Contact.get_by_id(a.id))) == 1  # history moves with the contact
    assert Appointment.get_by_id(appt.id).contact_id == a.id
    assert Contact.select().where(Contact.fn == "Carla").count() == 0  # trash deleted
    assert Binding.select().count() == 0


def test_delete_refused_on_uid_clash_and_nothing_changes(store: Path) -> None:
    create_book("Kunden")
    create_book("Archiv")
    for uid in ("u1", "u2", "u3"):
        add_contact(get_book("Kunden"), card(f"K {uid}", uid))
    add_contact(get_book("Archiv"), card("A u1", "u1"))
    add_contact(get_book("Archiv"), card("A u2", "u2"))
    delete_contact(add_contact(get_book("Archiv"), card("A u3", "u3")))  # trash: no clash
    bind("Kunden")
    with pytest.raises(StoreError) as err:
        delete_book("Kunden", move_to="Archiv")
    assert str(err.value).startswith(
        "2 Kontakte haben dieselbe UID wie ein Kontakt im Adressbuch „Archiv“. "
        "Das Adressbuch „Kunden“ wurde nicht gelöscht"
    )
    assert list_books() == ["Standard", "Kunden", "Archiv"]
    assert Contact.select().where(Contact.book == get_book("Kunden")).count() == 3
    assert Binding.select().count() == 1


def test_delete_single_clash_message_and_bad_targets(store: Path) -> None:
    create_book("Kunden")
    add_contact(get_book("Kunden"), card("K", "u1"))
    add_contact(get_book("Standard"), card("S", "u1"))
    with pytest.raises(StoreError, match=r"^1 Kontakt hat dieselbe UID"):
        delete_book("Kunden", move_to="Standard")
    with pytest.raises(StoreError, match="das gelöscht wird"):
        delete_book("Kunden", move_to="Kunden")
    with pytest.raises(StoreError, match="„Nirgends“ gibt es in Contactbox nicht"):
        delete_book("Kunden", move_to="Nirgends")
    assert list_books() == ["Standard", "Kunden"]


def test_delete_moving_an_empty_book(store: Path) -> None:
    create_book("Leer")
    assert delete_book("Leer", move_to="Standard") == 0
    assert AddressBook.select().count() == 1
