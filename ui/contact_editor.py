"""The contact editor: create a contact or edit one, without losing what it does not show.

This module owns the dialog itself: its layout, the name, company and further fields
(birthday, categories, web page, notes), loading and reading back, validation and saving.
The e-mail, phone and address rows are `RowsPart` (ui/contact_editor_rows.py), the photo
is `PhotoPart` (ui/contact_editor_photo.py), the "Gruppen" field `GroupsPart`
(ui/contact_editor_groups.py); they are mixed into the dialog and translate in its context.
The birthday conversions are ui/contact_editor_dates.py. `ValueRow`, `AddressRow`,
`image_to_jpeg`, `birthday_to_text` and `parse_birthday` stay importable from here.

The dialog edits `vcard.ContactFields` (names, organisation, e-mails, phones, addresses,
birthday, categories, web page, notes) and the photo. `result_vcard()` applies them with
`vcard.edit_card` / `vcard.set_photo`, which rewrite only the lines whose value changed: Apple
labels (itemN.X-ABLabel), X- properties, unknown params, IMPP, RELATED and the line endings of
the original card stay byte-identical. Values the widgets show in a different form (unknown
phone types, an unreadable birthday, further ORG components, PO box and extended address
parts) are kept with the row or dialog and written back unchanged.

A card that cannot be read, or a group card (no person: groups are edited in the Kontakte
page's list), opens with the reason shown and the form disabled; `result_vcard()` then
returns the original text.

Given the contact's `book` (and `contact_id` for a stored contact), the "Gruppen" field
lists the book's groups in place of the "Kategorien" line; the page saves the card first
and then `apply_groups(contact)` (see ui/contact_editor_groups.py).

Given the contact's `book`, a line above the fields says when an edit will not reach a
server: the book is only imported ("Einmalig importieren"), or the server lets it only be
read (`app.store.books.edit_reach`). Local and synced books show no line.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.books import REACH_IMPORT, REACH_LOCAL, REACH_READ_ONLY, edit_reach
from app.vcard import CardError, ContactFields
from ui.contact_editor_dates import birthday_forms, birthday_to_text, parse_birthday
from ui.contact_editor_groups import GroupsPart, group_card_message
from ui.contact_editor_photo import PhotoPart, image_to_jpeg
from ui.contact_editor_rows import LABEL_WIDTH, AddressRow, RowsPart, ValueRow

__all__ = [
    "AddressRow",
    "ContactEditorDialog",
    "ValueRow",
    "birthday_to_text",
    "image_to_jpeg",
    "parse_birthday",
]

ERROR_COLOR = "#b00020"

STYLE = f"""
QLabel#sectionTitle {{ font-weight: bold; }}
QLabel#errorLabel {{ color: {ERROR_COLOR}; }}
QLabel#hint {{ color: #666; }}
QLabel#bookNotice {{
    background: #eef3fb; border: 1px solid #b9cbe6; border-radius: 4px; padding: 6px 8px;
}}
QToolButton#photoButton {{ border: 1px solid #c8c8c8; border-radius: 6px; background: #f4f4f4; }}
QToolButton#photoButton:hover {{ border-color: #6d8fc7; }}
"""


# ---------------------------------------------------------------------------------------------
# The dialog
# ---------------------------------------------------------------------------------------------


class ContactEditorDialog(RowsPart, PhotoPart, GroupsPart, QDialog):
    """Edit a vCard (or create one when `vcard_text` is None); see the module docstring."""

    def __init__(
        self,
        vcard_text: str | None = None,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        book: str | None = None,
        contact_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactEditor")
        self._original: str | None = None
        self._load_error: str | None = None
        self._uid = str(uuid.uuid4()).upper()
        self._photo: tuple[bytes, str] | None = None
        self._original_photo: tuple[bytes, str] | None = None
        self._photo_note: str | None = None
        self._org_rest: list[str] = []  # ORG components after Firma;Abteilung
        self._birthday_raw = ""  # an original birthday the field's date form cannot show
        self._categories: list[str] = []
        self._categories_shown = ""
        self._email_rows: list[ValueRow] = []
        self._phone_rows: list[ValueRow] = []
        self._address_rows: list[AddressRow] = []

        if title is None:
            title = (
                self.tr("Neuer Kontakt") if vcard_text is None else self.tr("Kontakt bearbeiten")
            )
        self.setWindowTitle(title)
        self.setStyleSheet(STYLE)
        self._build()
        self._build_book_notice(book)
        self._build_groups(
            self._more_form, self.categories_edit, book, contact_id, new=vcard_text is None
        )
        self.resize(780, 640)  # fits a 1024x700 screen with the title bar
        if vcard_text is None:
            self.add_email_row()
            self.add_phone_row()
            self._update_photo()
            self._update_fn_placeholder()
        else:
            self.load(vcard_text)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(8)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("formScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_widget = QWidget()
        self.form_widget.setObjectName("contactForm")
        content = QVBoxLayout(self.form_widget)
        content.setContentsMargins(4, 4, 12, 4)
        content.setSpacing(6)
        self.scroll_area.setWidget(self.form_widget)
        outer.addWidget(self.scroll_area, 1)

        # --- name + photo
        content.addWidget(self._heading(self.tr("Name")))
        top = QHBoxLayout()
        top.setSpacing(16)
        names = self._form()
        self.prefix_edit = self._line("prefixEdit", self.tr("z. B. Frau Dr."))
        self.given_edit = self._line("givenEdit")
        self.additional_edit = self._line("additionalEdit")
        self.family_edit = self._line("familyEdit")
        self.suffix_edit = self._line("suffixEdit", self.tr("z. B. jun."))
        self.fn_edit = self._line("fnEdit")
        self.fn_edit.setToolTip(
            self.tr("Leer lassen, um den Namen automatisch aus den Feldern oben zu bilden.")
        )
        self._add_row(names, self.tr("Anrede/Titel:"), self.prefix_edit)
        self._add_row(names, self.tr("Vorname:"), self.given_edit)
        self._add_row(names, self.tr("Weitere Vornamen:"), self.additional_edit)
        self._add_row(names, self.tr("Nachname:"), self.family_edit)
        self._add_row(names, self.tr("Namenszusatz:"), self.suffix_edit)
        self._add_row(names, self.tr("Anzeigename:"), self.fn_edit)
        top.addLayout(names, 1)
        top.addLayout(self._photo_column())
        content.addLayout(top)

        # --- organisation
        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("Firma")))
        company = self._form()
        self.org_edit = self._line("orgEdit")
        self.department_edit = self._line("departmentEdit")
        self.title_edit = self._line("titleEdit", self.tr("z. B. Einkaufsleiterin"))
        self._add_row(company, self.tr("Organisation:"), self.org_edit)
        self._add_row(company, self.tr("Abteilung:"), self.department_edit)
        self._add_row(company, self.tr("Position:"), self.title_edit)
        content.addLayout(company)

        # --- repeatable rows (ui/contact_editor_rows.py)
        self.email_box, self.add_email_button = self._row_section(
            content, self.tr("E-Mail"), "addEmailButton", self.tr("+ E-Mail"), self.add_email_row
        )
        self.phone_box, self.add_phone_button = self._row_section(
            content, self.tr("Telefon"), "addPhoneButton", self.tr("+ Telefon"), self.add_phone_row
        )
        self.address_box, self.add_address_button = self._row_section(
            content,
            self.tr("Adresse"),
            "addAddressButton",
            self.tr("+ Adresse"),
            self.add_address_row,
        )

        # --- more
        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("Weitere Angaben")))
        more = self._form()
        form, example, _form, example_no_year = self.birthday_forms()
        self.birthday_edit = self._line("birthdayEdit", form)
        self.birthday_edit.setMaximumWidth(140)
        bday_hint = QLabel(self.tr("z. B. {0} oder ohne Jahr {1}").format(example, example_no_year))
        bday_hint.setObjectName("hint")
        bday = QHBoxLayout()
        bday.setSpacing(8)
        bday.addWidget(self.birthday_edit)
        bday.addWidget(bday_hint, 1)
        self.categories_edit = self._line(
            "categoriesEdit", self.tr("durch Komma getrennt, z. B. Kunde, Lieferant")
        )
        self.url_edit = self._line("urlEdit", self.tr("z. B. https://www.firma.de"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(90)
        self._add_row(more, self.tr("Geburtstag:"), bday)
        self._add_row(more, self.tr("Kategorien:"), self.categories_edit)
        self._add_row(more, self.tr("Webseite:"), self.url_edit)
        self._add_row(more, self.tr("Notizen:"), self.note_edit)
        content.addLayout(more)
        self._more_form = more
        content.addStretch(1)

        # --- bottom: error and buttons
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("buttonBox")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Speichern"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        for edit in (
            self.prefix_edit,
            self.given_edit,
            self.additional_edit,
            self.family_edit,
            self.suffix_edit,
            self.org_edit,
        ):
            edit.textChanged.connect(self._update_fn_placeholder)
            edit.textChanged.connect(self._update_photo)

    def _build_book_notice(self, book: str | None) -> None:
        """A line above the fields when an edit in `book` will not reach the server."""
        self.book_notice = QLabel()
        self.book_notice.setObjectName("bookNotice")
        self.book_notice.setWordWrap(True)
        text = self.book_notice_text(book)
        self.book_notice.setText(text or "")
        self.book_notice.setVisible(text is not None)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.book_notice)

    def book_notice_text(self, book: str | None) -> str | None:
        """What the notice says for `book`; None for a local or synced book."""
        reach = REACH_LOCAL if book is None else edit_reach(book)
        if reach == REACH_IMPORT:
            return self.tr(
                "Änderungen bleiben in Contactbox – dieses Adressbuch wird nur einmalig importiert"
            )
        if reach == REACH_READ_ONLY:
            return self.tr(
                "Änderungen bleiben in Contactbox – der Server erlaubt für dieses "
                "Adressbuch nur das Lesen"
            )
        return None

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _add_row(self, form: QFormLayout, text: str, field: QWidget | QLayout) -> None:
        label = QLabel(text)
        label.setFixedWidth(LABEL_WIDTH)
        if isinstance(field, QWidget):
            label.setBuddy(field)
            form.addRow(label, field)
        else:
            form.addRow(label, field)

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    def _row_section(
        self,
        content: QVBoxLayout,
        title: str,
        button_name: str,
        button_text: str,
        add_row: Callable[[], ValueRow | AddressRow],
    ) -> tuple[QVBoxLayout, QPushButton]:
        """A heading, the box its rows go into, and the "+ …" button that adds one."""
        content.addSpacing(6)
        content.addWidget(self._heading(title))
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        content.addLayout(box)
        button = QPushButton(button_text)
        button.setObjectName(button_name)
        button.setAutoDefault(False)
        button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda: self._add_and_focus(add_row()))
        row = QHBoxLayout()
        row.setContentsMargins(LABEL_WIDTH + 8, 0, 0, 0)
        row.addWidget(button)
        row.addStretch(1)
        content.addLayout(row)
        return box, button

    # ------------------------------------------------------------------ load / read back

    @property
    def load_error(self) -> str | None:
        """The German message if the card could not be read, else None."""
        return self._load_error

    def load(self, text: str) -> None:
        """Fill the widgets from a vCard text; an unreadable card disables the form."""
        self._original = text
        self._load_error = None
        self._clear_rows()
        try:
            f = vcard.read_fields(text)
            photo = vcard.read_photo(text)
        except CardError as exc:
            self._refuse(
                exc.message,
                self.tr(
                    "Dieser Kontakt kann nicht bearbeitet werden: {0} "
                    "Er bleibt unverändert erhalten."
                ).format(exc.message),
            )
            return
        group = group_card_message(text)
        if group is not None:
            self._refuse(group, group)
            return
        self.form_widget.setEnabled(True)
        self.save_button.setEnabled(True)
        self._clear_error()
        self.prefix_edit.setText(f.prefix)
        self.given_edit.setText(f.given)
        self.additional_edit.setText(f.additional)
        self.family_edit.setText(f.family)
        self.suffix_edit.setText(f.suffix)
        auto = vcard.display_name(replace(f, fn=""))
        self.fn_edit.setText("" if f.fn == auto else f.fn)
        org = f.org.split(";") if f.org else []
        org += ["", ""]
        self.org_edit.setText(org[0])
        self.department_edit.setText(org[1])
        self._org_rest = list(org[2:])
        while self._org_rest and not self._org_rest[-1]:
            self._org_rest.pop()
        self.title_edit.setText(f.title)
        for types, value in f.emails:
            self.add_email_row(types, value)
        for types, value in f.phones:
            self.add_phone_row(types, value)
        for types, address in f.addresses:
            self.add_address_row(types, address)
        shown = birthday_to_text(f.birthday) if f.birthday else ""
        self._birthday_raw = f.birthday if shown is None else ""
        self.birthday_edit.setText(f.birthday if shown is None else shown)
        self._categories = list(f.categories)
        self._categories_shown = ", ".join(f.categories)
        self.categories_edit.setText(self._categories_shown)
        self.url_edit.setText(f.url)
        self.note_edit.setPlainText(f.note)
        self._photo = photo
        self._original_photo = photo
        # A photo over the caps (size, pixels) is not decoded; the card keeps it unchanged.
        self._photo_note = vcard.photo_problem(text) if photo is None else None
        self._update_photo()
        self._update_fn_placeholder()

    def _refuse(self, problem: str, message: str) -> None:
        """The card cannot be edited here: the form is disabled and `message` says why."""
        self._load_error = problem
        self.form_widget.setEnabled(False)
        self.save_button.setEnabled(False)
        self._show_error(message)

    def _org(self) -> str:
        parts = [self.org_edit.text().strip(), self.department_edit.text().strip()]
        return ";".join([*parts, *self._org_rest])

    def birthday_forms(self) -> tuple[str, str, str, str]:
        """How the birthday is written in the window's language: the form ("TT.MM.JJJJ"),
        an example, both without the year (ui/contact_editor_dates.birthday_forms)."""
        # the letters of day, month and year as the language abbreviates them
        return birthday_forms(self.tr("TT"), self.tr("MM"), self.tr("JJJJ"))

    def _birthday(self) -> str | None:
        """The birthday for ContactFields; None if the text is not a valid date."""
        text = self.birthday_edit.text().strip()
        if self._birthday_raw and text == self._birthday_raw:
            return self._birthday_raw  # shown as it was; not ours to judge
        return parse_birthday(text)

    def _category_list(self) -> list[str]:
        text = self.categories_edit.text()
        if text.strip() == self._categories_shown.strip():
            return list(self._categories)
        return [c.strip() for c in text.split(",") if c.strip()]

    def fields(self) -> ContactFields:
        """The contact as the widgets show it (an invalid birthday reads as empty)."""
        fn = self.fn_edit.text().strip()
        return ContactFields(
            prefix=self.prefix_edit.text().strip(),
            given=self.given_edit.text().strip(),
            additional=self.additional_edit.text().strip(),
            family=self.family_edit.text().strip(),
            suffix=self.suffix_edit.text().strip(),
            fn=fn,
            org=self._org(),
            title=self.title_edit.text().strip(),
            emails=[(r.types(), r.value()) for r in self._email_rows if r.value()],
            phones=[(r.types(), r.value()) for r in self._phone_rows if r.value()],
            addresses=[(r.types(), r.address()) for r in self._address_rows if not r.is_blank()],
            birthday=self._birthday() or "",
            note=self.note_edit.toPlainText().strip(),
            categories=self._category_list(),
            url=self.url_edit.text().strip(),
        )

    def result_vcard(self) -> str:
        """The card with the edits applied; an unreadable original comes back unchanged."""
        if self._original is not None:
            if self._load_error is not None:
                return self._original
            text = vcard.edit_card(self._original, self.fields())
        else:
            text = vcard.new_card(self.fields(), uid=self._uid)
        if self.photo_changed() or (self._original is None and self._photo is not None):
            data, mime = self._photo if self._photo is not None else (None, "image/jpeg")
            text = vcard.set_photo(text, data, mime)
        return text

    def _update_fn_placeholder(self) -> None:
        auto = vcard.display_name(
            ContactFields(
                prefix=self.prefix_edit.text(),
                given=self.given_edit.text(),
                additional=self.additional_edit.text(),
                family=self.family_edit.text(),
                suffix=self.suffix_edit.text(),
                org=self._org(),
            )
        )
        self.fn_edit.setPlaceholderText(auto or self.tr("wird automatisch aus dem Namen gebildet"))

    # ------------------------------------------------------------------ validation

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _clear_error(self) -> None:
        self._show_error("")

    def validate(self) -> tuple[str, QWidget] | None:
        """The first problem as (message, widget to focus), or None if all is fine."""
        names = (
            self.prefix_edit,
            self.given_edit,
            self.additional_edit,
            self.family_edit,
            self.suffix_edit,
            self.fn_edit,
            self.org_edit,
            self.department_edit,
        )
        has_name = any(e.text().strip() for e in names)
        has_contact = any(r.value() for r in [*self._email_rows, *self._phone_rows])
        if not has_name and not has_contact:
            return (
                self.tr(
                    "Bitte geben Sie mindestens einen Namen, eine Organisation, eine "
                    "E-Mail-Adresse oder eine Telefonnummer ein."
                ),
                self.given_edit,
            )
        problem = self._rows_problem()
        if problem is not None:
            return problem
        if self._birthday() is None:
            form, example, form_no_year, example_no_year = self.birthday_forms()
            return (
                self.tr(
                    "„{0}“ ist kein gültiges Datum. Bitte geben Sie den Geburtstag als {1} "
                    "ein (z. B. {2}) oder ohne Jahr als {3} (z. B. {4})."
                ).format(
                    self.birthday_edit.text().strip(), form, example, form_no_year, example_no_year
                ),
                self.birthday_edit,
            )
        return None

    def accept(self) -> None:
        """Save only a readable card with valid fields; otherwise explain and stay open."""
        if self._load_error is not None:
            return
        problem = self.validate()
        if problem is not None:
            message, widget = problem
            self._show_error(message)
            widget.setFocus()
            self.scroll_area.ensureWidgetVisible(widget)
            return
        self._clear_error()
        super().accept()
