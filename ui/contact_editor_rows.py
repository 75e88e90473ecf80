"""The contact editor's repeatable rows: e-mail addresses, phone numbers, postal addresses.

`TypeCombo` shows a row's kind ("Arbeit", "Mobil", …) and keeps vCard type tokens it does
not know as an extra entry, so an edit of the value keeps the type as it was. `ValueRow`
is an e-mail or phone row (type, value, remove button), `AddressRow` a postal address
(PO box and extended address kept from the original, unseen). `RowsPart`, mixed into
`ContactEditorDialog` (ui/contact_editor.py), holds the dialog's three row lists with their
type choices: adding, removing and listing rows, and judging the e-mail addresses and
phone numbers the user typed (`_rows_problem`; values loaded unchanged are not judged).

The strings keep the translation context "ContactEditorDialog" (`_tr`, `CONTEXT`):
`self.tr()` in the mixin would be extracted by lupdate under "RowsPart".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.vcard import Address
from ui.icons import icon

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    _Dialog = QDialog  # for the type checker: the part is mixed into a QDialog
else:
    _Dialog = object

CONTEXT = "ContactEditorDialog"
LABEL_WIDTH = 150  # the label column; type combos of the repeatable rows use it too
_NOISE_TYPES = frozenset({"pref", "internet", "voice"})
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+\Z")
_PHONE_RE = re.compile(r"[0-9 +\-()./]+\Z")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _token_set(types: str) -> frozenset[str]:
    """The meaningful tokens of a type string; "other" and default types count as none."""
    tokens = {t.strip().lower() for t in types.split(",") if t.strip()}
    return frozenset(tokens - _NOISE_TYPES - {"other"})


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


class TypeCombo(QComboBox):
    """The kind of an e-mail, phone or address ("Arbeit", "Mobil", ...) as vCard type tokens.

    A type the list does not know (e.g. "cell,iphone") gets its own entry, so an edit of the
    value keeps the type as it was.
    """

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        token_names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._token_names = token_names
        for label, token in choices:
            self.addItem(label, token)
        self.setFixedWidth(LABEL_WIDTH)

    def set_types(self, types: str) -> None:
        """Select the entry for a type string; an unknown one is added as an extra entry."""
        want = _token_set(types)
        for i in range(self.count()):
            if _token_set(str(self.itemData(i) or "")) == want and (
                want or types.strip().lower() in ("", "other")
            ):
                # "" and "other" both mean "Andere": keep the original spelling
                self.setItemData(i, types)
                self.setCurrentIndex(i)
                return
        names = [self._token_names.get(t, t) for t in types.split(",") if t.strip()]
        self.addItem(", ".join(names) or types, types)
        self.setCurrentIndex(self.count() - 1)

    def types(self) -> str:
        """The vCard type string of the selected entry ("work", "fax,home", "")."""
        return str(self.currentData() or "")


def _remove_button(tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName("removeButton")
    button.setIcon(icon("minus"))
    if button.icon().isNull():
        button.setText("−")
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setAutoRaise(True)
    return button


class _Row(QWidget):
    """One repeatable entry: a type combo in the label column, the value, a remove button."""

    remove_requested = Signal(QWidget)

    def __init__(self, combo: TypeCombo, remove_tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.type_combo = combo
        combo.setParent(self)
        combo.setObjectName("typeCombo")
        self.remove_button = _remove_button(remove_tip)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def types(self) -> str:
        return self.type_combo.types()


class ValueRow(_Row):
    """An e-mail or phone row; `original` is the value the row was loaded with."""

    def __init__(
        self,
        kind: str,
        combo: TypeCombo,
        remove_tip: str,
        placeholder: str,
        types: str = "work",
        value: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(combo, remove_tip, parent)
        self.kind = kind
        self.setObjectName(f"{kind}Row")
        self.original = value
        self.edit = QLineEdit(value)
        self.edit.setObjectName(f"{kind}Edit")
        self.edit.setPlaceholderText(placeholder)
        combo.set_types(types)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addWidget(combo)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.remove_button)

    def value(self) -> str:
        return self.edit.text().strip()

    def changed(self) -> bool:
        """True if the user typed a new value (old unusual values are not re-validated)."""
        return self.value() != self.original.strip()


class AddressRow(_Row):
    """A postal address; PO box and extended address are kept from the original, unseen."""

    def __init__(
        self,
        combo: TypeCombo,
        remove_tip: str,
        placeholders: dict[str, str],
        types: str = "work",
        address: Address | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(combo, remove_tip, parent)
        self.setObjectName("addressRow")
        a = address or Address()
        self.original = a
        self.street_edit = self._edit("streetEdit", a.street, placeholders["street"])
        self.postal_code_edit = self._edit("postalCodeEdit", a.postal_code, placeholders["plz"])
        self.city_edit = self._edit("cityEdit", a.city, placeholders["city"])
        self.region_edit = self._edit("regionEdit", a.region, placeholders["region"])
        self.country_edit = self._edit("countryEdit", a.country, placeholders["country"])
        self.postal_code_edit.setFixedWidth(90)
        combo.set_types(types)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(combo, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.street_edit, 0, 1, 1, 2)
        grid.addWidget(self.remove_button, 0, 3)
        grid.addWidget(self.postal_code_edit, 1, 1)
        grid.addWidget(self.city_edit, 1, 2)
        region_country = QHBoxLayout()
        region_country.setSpacing(8)
        region_country.addWidget(self.region_edit, 1)
        region_country.addWidget(self.country_edit, 1)
        grid.addLayout(region_country, 2, 1, 1, 2)
        grid.setColumnStretch(2, 1)

    def _edit(self, name: str, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(placeholder)
        edit.setAccessibleName(placeholder)
        return edit

    def address(self) -> Address:
        return Address(
            street=self.street_edit.text().strip(),
            city=self.city_edit.text().strip(),
            region=self.region_edit.text().strip(),
            postal_code=self.postal_code_edit.text().strip(),
            country=self.country_edit.text().strip(),
            po_box=self.original.po_box,
            extended=self.original.extended,
        )

    def is_blank(self) -> bool:
        """True if every visible field is empty: the row counts as removed."""
        edits = (
            self.street_edit,
            self.postal_code_edit,
            self.city_edit,
            self.region_edit,
            self.country_edit,
        )
        return not any(e.text().strip() for e in edits)


_R = TypeVar("_R", ValueRow, AddressRow)


class RowsPart(_Dialog):
    """The e-mail, phone and address rows of the contact editor (mixed into the dialog)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactEditorDialog.__init__ / _build.
    _email_rows: list[ValueRow]
    _phone_rows: list[ValueRow]
    _address_rows: list[AddressRow]
    email_box: QVBoxLayout
    phone_box: QVBoxLayout
    address_box: QVBoxLayout
    scroll_area: QScrollArea

    # ------------------------------------------------------------------ type lists

    def _token_names(self) -> dict[str, str]:
        return {
            "work": _tr("Arbeit"),
            "home": _tr("Privat"),
            "cell": _tr("Mobil"),
            "fax": _tr("Fax"),
            "pager": _tr("Pager"),
            "other": _tr("Andere"),
        }

    def _email_types(self) -> list[tuple[str, str]]:
        return [(_tr("Arbeit"), "work"), (_tr("Privat"), "home"), (_tr("Andere"), "")]

    def _phone_types(self) -> list[tuple[str, str]]:
        return [
            (_tr("Arbeit"), "work"),
            (_tr("Privat"), "home"),
            (_tr("Mobil"), "cell"),
            (_tr("Fax Arbeit"), "fax,work"),
            (_tr("Fax privat"), "fax,home"),
            (_tr("Pager"), "pager"),
            (_tr("Andere"), ""),
        ]

    def _address_types(self) -> list[tuple[str, str]]:
        return [(_tr("Arbeit"), "work"), (_tr("Privat"), "home"), (_tr("Andere"), "")]

    # ------------------------------------------------------------------ rows

    @property
    def email_rows(self) -> list[ValueRow]:
        return list(self._email_rows)

    @property
    def phone_rows(self) -> list[ValueRow]:
        return list(self._phone_rows)

    @property
    def address_rows(self) -> list[AddressRow]:
        return list(self._address_rows)

    def add_email_row(self, types: str = "work", value: str = "") -> ValueRow:
        """Append an e-mail row (type tokens as in ContactFields.emails)."""
        row = ValueRow(
            "email",
            TypeCombo(self._email_types(), self._token_names()),
            _tr("E-Mail-Adresse entfernen"),
            _tr("name@firma.de"),
            types,
            value,
        )
        return self._append(row, self.email_box, self._email_rows)

    def add_phone_row(self, types: str = "work", value: str = "") -> ValueRow:
        """Append a phone row (type tokens as in ContactFields.phones)."""
        row = ValueRow(
            "phone",
            TypeCombo(self._phone_types(), self._token_names()),
            _tr("Telefonnummer entfernen"),
            _tr("z. B. +49 89 123456-0"),
            types,
            value,
        )
        return self._append(row, self.phone_box, self._phone_rows)

    def add_address_row(self, types: str = "work", address: Address | None = None) -> AddressRow:
        """Append an address row; PO box and extended address of `address` are kept unseen."""
        placeholders = {
            "street": _tr("Straße und Hausnummer"),
            "plz": _tr("PLZ"),
            "city": _tr("Ort"),
            "region": _tr("Region/Bundesland"),
            "country": _tr("Land"),
        }
        row = AddressRow(
            TypeCombo(self._address_types(), self._token_names()),
            _tr("Adresse entfernen"),
            placeholders,
            types,
            address,
        )
        return self._append(row, self.address_box, self._address_rows)

    def _append(self, row: _R, box: QVBoxLayout, rows: list[_R]) -> _R:
        """Show `row` at the end of its section and list it."""
        row.remove_requested.connect(self.remove_row)
        box.addWidget(row)
        rows.append(row)
        return row

    def _add_and_focus(self, row: ValueRow | AddressRow) -> None:
        target = row.street_edit if isinstance(row, AddressRow) else row.edit
        target.setFocus()
        self.scroll_area.ensureWidgetVisible(target)

    def remove_row(self, row: QWidget) -> None:
        """Remove an e-mail, phone or address row."""
        for rows in (self._email_rows, self._phone_rows, self._address_rows):
            for k, r in enumerate(rows):
                if r is row:
                    del rows[k]
                    row.hide()
                    row.setParent(None)
                    row.deleteLater()
                    return

    def _clear_rows(self) -> None:
        for row in [*self._email_rows, *self._phone_rows, *self._address_rows]:
            self.remove_row(row)

    def _rows_problem(self) -> tuple[str, QWidget] | None:
        """The first e-mail or phone the user typed that is not valid, as (German message,
        widget to focus); values loaded unchanged from the card are not judged."""
        for row in self._email_rows:
            value = row.value()
            if value and row.changed() and not _EMAIL_RE.match(value):
                return (
                    _tr(
                        "„{0}“ ist keine gültige E-Mail-Adresse. Bitte geben Sie sie vollständig "
                        "ein, z. B. name@firma.de."
                    ).format(value),
                    row.edit,
                )
        for row in self._phone_rows:
            value = row.value()
            if (
                value
                and row.changed()
                and not (_PHONE_RE.match(value) and any(c.isdigit() for c in value))
            ):
                return (
                    _tr(
                        "„{0}“ ist keine gültige Telefonnummer. Bitte verwenden Sie nur Ziffern, "
                        "Leerzeichen und + - ( ) . /, z. B. +49 89 123456-0."
                    ).format(value),
                    row.edit,
                )
        return None
