"""The contact editor's "Gruppen" field (issue 19): the book's groups as checkboxes with the
contact's ones ticked; ticking and unticking changes membership in the store and the cards
(a category on the contact, a MEMBER line on a group card) after the card itself is saved,
without undoing a membership a sync gave the contact meanwhile; a new contact gets its
groups once it is created; a group card never opens as a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.store import groups
from app.store.contacts import add_contact, ensure_book, get_contact, history, update_contact
from app.store.models import Contact
from app.vcard import groups as vgroups
from tests.ui.test_delete_undo import open_page, select
from ui.contact_editor import ContactEditorDialog
from ui.contact_editor_groups import FILTER_FROM, VISIBLE_ROWS

ANNA = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna-1\r\nN:Becker;Anna;;;\r\nFN:Anna Becker\r\n"
    "CATEGORIES:Kunden Nord\r\nX-KEEP;X-P=1:bleibt\r\nEND:VCARD\r\n"
)
BERT = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bert-2\r\nFN:Bert Vogel\r\n"
    "CATEGORIES:Bewerber_innen\r\nEND:VCARD\r\n"
)


@pytest.fixture
def kunden(store: Path) -> Contact:
    """Book "Kunden": Anna in "Kunden Nord" (category) and "Presse" (Apple group card with
    a member nobody here knows), Bert in "Bewerber_innen" (category)."""
    book = ensure_book("Kunden")
    anna = add_contact(book, ANNA)
    add_contact(book, BERT)
    add_contact(
        book,
        vgroups.new_group_card("Presse", ["anna-1", "fremd-9"], dialect=vgroups.APPLE, uid="g-1"),
    )
    return anna


def accept_with(monkeypatch: pytest.MonkeyPatch, change: object) -> list[ContactEditorDialog]:
    opened: list[ContactEditorDialog] = []

    def run(self: ContactEditorDialog) -> int:
        opened.append(self)
        change(self)  # type: ignore[operator]
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ContactEditorDialog, "exec", run)
    return opened


def press_space_on(qtbot: QtBot, dialog: ContactEditorDialog, name: str) -> None:
    """Tick or untick a group as a keyboard user does: go to it, press Space."""
    field = dialog.groups_field
    assert field is not None
    [item] = [
        field.list.item(i) for i in range(field.list.count()) if field.list.item(i).text() == name
    ]
    field.list.setFocus()
    field.list.setCurrentItem(item)
    qtbot.keyClick(field.list, Qt.Key.Key_Space)


def group_card() -> Contact:
    return Contact.get(Contact.uid == "g-1")


def test_the_field_lists_the_books_groups_with_the_contacts_ones_ticked(
    qtbot: QtBot, kunden: Contact
) -> None:
    dialog = ContactEditorDialog(kunden.vcard, book="Kunden", contact_id=kunden.id)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.groups_field
    assert field is not None and field.isVisible()
    assert field.names() == ["Bewerber_innen", "Kunden Nord", "Presse"]  # German order
    assert field.checked() == ["Kunden Nord", "Presse"]
    assert field.summary_label.text() == "Ausgewählt: Kunden Nord, Presse"
    assert not field.empty_label.isVisible() and not field.filter_edit.isVisible()
    # every category is a group: the Kategorien line gives way to the field
    assert not dialog.categories_edit.isVisible()
    assert field.changes() == ([], [])


def test_ticking_and_unticking_then_saving_changes_the_store_and_the_cards(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(dialog: ContactEditorDialog) -> None:
        press_space_on(qtbot, dialog, "Presse")  # off
        press_space_on(qtbot, dialog, "Bewerber_innen")  # on
        dialog.title_edit.setText("Einkauf")

    opened = accept_with(monkeypatch, change)
    page = open_page(qtbot, "Kunden")
    select(page, "Anna Becker")
    page.edit_current()
    assert opened and opened[0].groups_field is not None
    anna = get_contact(kunden.id)
    assert groups.contact_groups(anna) == ["Bewerber_innen", "Kunden Nord"]
    assert "TITLE:Einkauf\r\n" in anna.vcard and "X-KEEP;X-P=1:bleibt\r\n" in anna.vcard
    assert "CATEGORIES:Kunden Nord,Bewerber_innen\r\n" in anna.vcard
    card = group_card().vcard
    assert "urn:uuid:anna-1" not in card
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:fremd-9\r\n" in card  # unknown member stays
    assert [g.name for g in groups.list_groups(anna.book) if g.members == 2] == ["Bewerber_innen"]
    # the editor's own card is saved first, then the membership: both in the history
    assert [v.vcard for v in history(anna)][-1] == ANNA


def test_a_membership_given_meanwhile_stays(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the editor is open a sync changes Anna's categories. As for every edit, the
    card the user saved wins and the sync's card goes to the history (the page says so);
    the ticks are applied on top of the card as saved: "Presse" goes, "Lieferanten" comes."""
    groups.create_group(kunden.book, "Lieferanten")

    def change(dialog: ContactEditorDialog) -> None:
        now = get_contact(kunden.id)
        server = vgroups.set_categories(now.vcard, add=["Bewerber_innen"], remove=["Kunden Nord"])
        update_contact(now, server, reason="server-update")
        press_space_on(qtbot, dialog, "Presse")
        assert dialog.groups_field is not None
        dialog.groups_field.set_checked("Lieferanten")

    accept_with(monkeypatch, change)
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)  # "changed meanwhile"
    page = open_page(qtbot, "Kunden")
    page.edit_contact(kunden.id)
    anna = get_contact(kunden.id)
    assert set(groups.contact_groups(anna)) == {"Kunden Nord", "Lieferanten"}
    assert "urn:uuid:anna-1" not in group_card().vcard
    assert "Bewerber_innen" in "".join(v.vcard for v in history(anna))


def test_a_membership_on_a_group_card_given_meanwhile_stays(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync adds Anna to a group card ("Vorstand") while the editor is open; the user
    ticks "Bewerber_innen". Saving keeps her on the Vorstand card."""
    add_contact(kunden.book, vgroups.new_group_card("Vorstand", [], uid="g-2"))

    def change(dialog: ContactEditorDialog) -> None:
        card = Contact.get(Contact.uid == "g-2")
        server = vgroups.set_members(card.vcard, add=["anna-1"])
        update_contact(card, server, reason="server-update")
        press_space_on(qtbot, dialog, "Bewerber_innen")

    accept_with(monkeypatch, change)
    page = open_page(qtbot, "Kunden")
    page.edit_contact(kunden.id)
    assert groups.contact_groups(get_contact(kunden.id)) == [
        "Bewerber_innen",
        "Kunden Nord",
        "Presse",
        "Vorstand",
    ]


def test_a_new_contact_gets_its_groups_once_created(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: ContactEditorDialog) -> None:
        assert dialog.groups_field is not None and dialog.groups_field.checked() == []
        dialog.given_edit.setText("Ömer")
        dialog.family_edit.setText("Aydın")
        press_space_on(qtbot, dialog, "Presse")
        press_space_on(qtbot, dialog, "Kunden Nord")

    accept_with(monkeypatch, fill)
    page = open_page(qtbot, "Kunden")
    page.new_contact()
    [oemer] = Contact.select().where(Contact.fn == "Ömer Aydın")
    assert groups.contact_groups(oemer) == ["Kunden Nord", "Presse"]
    assert list(vgroups.categories_of(oemer.vcard)) == ["Kunden Nord"]
    assert f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{oemer.uid}\r\n" in group_card().vcard


def test_a_group_deleted_meanwhile_is_not_made_again(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(dialog: ContactEditorDialog) -> None:
        press_space_on(qtbot, dialog, "Bewerber_innen")
        groups.delete_group(kunden.book, "Bewerber_innen")  # in another window, meanwhile

    accept_with(monkeypatch, change)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    open_page(qtbot, "Kunden").edit_contact(kunden.id)
    assert "Bewerber_innen" not in [g.name for g in groups.list_groups(kunden.book)]
    assert told and "Bewerber_innen" in told[0]


def test_a_book_without_groups_says_where_they_are_made(qtbot: QtBot, store: Path) -> None:
    ensure_book("Privat")
    dialog = ContactEditorDialog(None, book="Privat")
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.groups_field
    assert field is not None
    assert field.empty_label.isVisible() and not field.list.isVisible()
    assert field.empty_label.text() == (
        "Keine Gruppen — neue Gruppen legen Sie in der Liste links an"
    )


def test_without_a_book_the_kategorien_line_stays(qtbot: QtBot, store: Path) -> None:
    dialog = ContactEditorDialog(ANNA)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.groups_field is None and dialog.categories_edit.isVisible()


def test_fifty_groups_stay_compact_and_can_be_searched(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = ensure_book("Groß")
    anna = add_contact(book, ANNA)
    for n in range(50):
        groups.create_group(book, f"Gruppe {n:02d}")
    dialog = ContactEditorDialog(anna.vcard, book="Groß", contact_id=anna.id)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.groups_field
    assert field is not None and len(field.names()) == 51 >= FILTER_FROM
    assert field.filter_edit.isVisible()
    rows_shown = field.list.viewport().height() // field.list.sizeHintForRow(0)
    assert VISIBLE_ROWS <= rows_shown <= VISIBLE_ROWS + 2  # the other groups scroll
    assert field.list.verticalScrollBar().maximum() > 0
    qtbot.keyClicks(field.filter_edit, "pe 4")
    shown = [field.list.item(i) for i in range(field.list.count())]
    visible = [i.text() for i in shown if not i.isHidden()]
    assert visible == [f"Gruppe 4{d}" for d in range(10)]
    assert field.list.currentItem().text() == "Gruppe 40"
    accepted: list[int] = []
    dialog.accepted.connect(lambda: accepted.append(1))
    qtbot.keyClick(field.filter_edit, Qt.Key.Key_Return)  # to the list, not "Speichern"
    assert accepted == [] and dialog.isVisible()
    qtbot.keyClick(field.list, Qt.Key.Key_Space)
    assert field.changes() == (["Gruppe 40"], [])
    assert field.checked() == ["Gruppe 40", "Kunden Nord"]


APPLE_GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g-7\r\nFN:Presse\r\nN:Presse;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:anna-1\r\n"
    "END:VCARD\r\n"
)
VCARD4_GROUP = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g-8\r\nFN:Vorstand\r\nKIND:group\r\n"
    "MEMBER:urn:uuid:anna-1\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize("text", [APPLE_GROUP, VCARD4_GROUP])
def test_a_group_card_never_opens_as_a_person(qtbot: QtBot, store: Path, text: str) -> None:
    dialog = ContactEditorDialog(text, book="Kunden")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.form_widget.isEnabled() and not dialog.save_button.isEnabled()
    assert "ist eine Gruppe, kein Kontakt" in dialog.error_label.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.result_vcard() == text


def test_a_group_card_reached_from_the_page_stays_as_it_was(
    qtbot: QtBot, kunden: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any way that hands the page a group card's id (a follow-up linked to it before
    groups were known, a restore from the trash) ends in the refusing editor."""
    before = group_card().vcard

    def change(dialog: ContactEditorDialog) -> None:
        dialog.given_edit.setText("Überschrieben")

    opened = accept_with(monkeypatch, change)
    open_page(qtbot, "Kunden").edit_contact(group_card().id)
    assert opened and opened[0].load_error is not None
    assert group_card().vcard == before and history(group_card()) == []
