"""The account dialog's "Gruppen schreiben als" (issue 19): the server type's default for a
new account (Nextcloud/ownCloud: categories, others: group vCards), following the server
type until the user picks a style and never after, and the choice saved in
Account.group_style (against a real Radicale, as the dialog checks before it saves)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store import groups
from app.store.models import Account
from app.store.users import add_user
from tests.servers.dav_servers import DavServer
from ui.account_dialog import AccountDialog
from ui.calendar_account_dialog import CalendarAccountDialog

WAIT_MS = 20_000
HINT = (
    "Nextcloud zeigt Gruppen als Kategorien; Apple-Geräte und Kerio erwarten eigene "
    "Gruppen-vCards. Gelesen werden immer alle Arten."
)


def make_dialog(qtbot: QtBot, account_id: int | None = None) -> AccountDialog:
    dialog = AccountDialog(None, account_id=account_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose_preset(dialog: AccountDialog, preset: str) -> None:
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData(preset))


def pick_style_by_keyboard(qtbot: QtBot, dialog: AccountDialog, style: str) -> None:
    """Move through the closed combo box with the arrow keys, as a keyboard user does."""
    combo = dialog.group_style_field.combo
    combo.setFocus()
    key = Qt.Key.Key_Down if combo.findData(style) > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentData() != style:
        before = combo.currentIndex()
        qtbot.keyClick(combo, key)
        assert combo.currentIndex() != before


def shown_style(dialog: AccountDialog) -> str:
    return dialog.group_style_field.chosen()


@pytest.mark.parametrize(
    "preset, style",
    [
        ("other", groups.CARDS),
        ("kerio", groups.CARDS),
        ("nextcloud", groups.CATEGORIES),
        ("owncloud", groups.CATEGORIES),
    ],
)
def test_a_new_account_gets_its_server_types_default(
    qtbot: QtBot, store: Path, preset: str, style: str
) -> None:
    dialog = make_dialog(qtbot)
    field = dialog.group_style_field
    assert field.isVisible() and shown_style(dialog) == groups.CARDS  # "Andere" first
    assert [field.combo.itemText(i) for i in range(field.combo.count())] == [
        "Kategorien (Nextcloud, ownCloud)",
        "Gruppen-vCards (Kerio, Apple, SabreDAV)",
        "beides",
    ]
    assert field.combo.toolTip() == HINT and field.hint_label.text() == HINT
    choose_preset(dialog, preset)
    assert shown_style(dialog) == style == groups.default_style(preset)


def test_the_default_follows_the_server_type_until_the_user_picks(
    qtbot: QtBot, store: Path
) -> None:
    dialog = make_dialog(qtbot)
    choose_preset(dialog, "nextcloud")
    choose_preset(dialog, "kerio")
    assert shown_style(dialog) == groups.CARDS
    pick_style_by_keyboard(qtbot, dialog, groups.BOTH)
    for preset in ("nextcloud", "other", "owncloud"):
        choose_preset(dialog, preset)
        assert shown_style(dialog) == groups.BOTH  # the user's choice stays
    pick_style_by_keyboard(qtbot, dialog, groups.CARDS)  # even one equal to a default
    choose_preset(dialog, "nextcloud")
    assert shown_style(dialog) == groups.CARDS


def test_a_calendar_account_is_not_asked(qtbot: QtBot, store: Path) -> None:
    dialog = CalendarAccountDialog(add_user("Eva"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.group_style_field.isVisible()


@pytest.mark.servers
def test_the_choice_is_saved_with_a_new_account(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    dialog = make_dialog(qtbot)
    dialog.label_edit.setText("Büro")
    dialog.username_edit.setText(radicale_server.user)
    dialog.password_edit.setText(radicale_server.password)
    dialog.server_edit.setText(radicale_server.root_url)
    pick_style_by_keyboard(qtbot, dialog, groups.CATEGORIES)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.ok_button.click()
    account = Account.get_by_id(dialog.saved_account_id)
    assert account.label == "Büro" and account.group_style == groups.CATEGORIES


@pytest.mark.servers
def test_editing_shows_the_stored_style_and_saves_a_new_one(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    account = add_account(
        "Büro",
        server=radicale_server.root_url,
        username=radicale_server.user,
        password=radicale_server.password,
    )
    account.group_style = groups.CATEGORIES  # not the default of "Andere": a choice
    account.save()
    dialog = make_dialog(qtbot, account.id)
    assert shown_style(dialog) == groups.CATEGORIES
    choose_preset(dialog, "kerio")
    assert shown_style(dialog) == groups.CATEGORIES  # a stored choice is kept
    choose_preset(dialog, "other")
    pick_style_by_keyboard(qtbot, dialog, groups.BOTH)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.ok_button.click()
    assert Account.get_by_id(account.id).group_style == groups.BOTH


def test_an_edited_account_on_its_default_follows_a_new_server_type(
    qtbot: QtBot, store: Path
) -> None:
    account = add_account("Kerio", server="127.0.0.1", port=9, username="u", password="p")
    account.preset = "kerio"
    account.save()
    dialog = make_dialog(qtbot, account.id)
    assert shown_style(dialog) == groups.CARDS
    choose_preset(dialog, "nextcloud")
    assert shown_style(dialog) == groups.CATEGORIES
