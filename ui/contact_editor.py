"""The contact editor: create a contact or edit one, without losing what it does not show.

The dialog edits `vcard.ContactFields` (names, organisation, e-mails, phones, addresses,
birthday, categories, web page, notes) and the photo. `result_vcard()` applies them with
`vcard.edit_card` / `vcard.set_photo`, which rewrite only the lines whose value changed: Apple
labels (itemN.X-ABLabel), X- properties, unknown params, IMPP, RELATED and the line endings of
the original card stay byte-identical. Values the widgets show in a different form (unknown
phone types, an unreadable birthday, further ORG components, PO box and extended address
parts) are kept with the row or dialog and written back unchanged.

A card that cannot be read opens with the error shown and the form disabled; `result_vcard()`
then returns the original text.

Given the contact's `book`, a line above the fields says when an edit will not reach a
server: the book is only imported ("Einmalig importieren"), or the server lets it only be
read (`app.store.books.edit_reach`). Local and synced books show no line.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.books import REACH_IMPORT, REACH_LOCAL, REACH_READ_ONLY, edit_reach
from app.vcard import Address, CardError, ContactFields
from ui.icons import icon

MAX_PHOTO_BYTES = 2 * 1024 * 1024  # larger files are refused before decoding
MAX_PHOTO_SIDE = 512  # chosen photos are scaled down to fit this square
PHOTO_QUALITY = 85
THUMB_SIZE = 96
LABEL_WIDTH = 150  # the label column; type combos of the repeatable rows use it too
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

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+\Z")
_PHONE_RE = re.compile(r"[0-9 +\-()./]+\Z")
_DE_DATE_RE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.?\s*(\d{4})?\Z")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_NOYEAR_RE = re.compile(r"--(\d{2})-(\d{2})\Z")
_NOISE_TYPES = frozenset({"pref", "internet", "voice"})


# ---------------------------------------------------------------------------------------------
# Pure helpers (no widgets): birthday and type conversions
# ---------------------------------------------------------------------------------------------


def birthday_to_text(value: str) -> str | None:
    """ "1980-05-17" -> "17.05.1980", "--05-17" -> "17.05."; None for anything else."""
    m = _ISO_DATE_RE.match(value)
    if m:
        return f"{m.group(3)}.{m.group(2)}.{m.group(1)}"
    m = _ISO_NOYEAR_RE.match(value)
    if m:
        return f"{m.group(2)}.{m.group(1)}."
    return None


def parse_birthday(text: str) -> str | None:
    """TT.MM.JJJJ or TT.MM. (also ISO) -> "YYYY-MM-DD" / "--MM-DD"; "" if empty, None if invalid.

    The date must exist (31.02. is refused); without a year 29.02. is allowed.
    """
    s = text.strip()
    if not s:
        return ""
    m = _DE_DATE_RE.match(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        iso = _ISO_DATE_RE.match(s)
        noyear = _ISO_NOYEAR_RE.match(s)
        if iso:
            year, month, day = iso.group(1), int(iso.group(2)), int(iso.group(3))
        elif noyear:
            year, month, day = None, int(noyear.group(1)), int(noyear.group(2))
        else:
            return None
    try:
        date(int(year) if year else 2000, month, day)  # 2000: a leap year for 29.02.
    except ValueError:
        return None
    if year and int(year) < 1:
        return None
    if year:
        return f"{int(year):04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


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


# ---------------------------------------------------------------------------------------------
# Photo helpers
# ---------------------------------------------------------------------------------------------


def image_to_jpeg(image: QImage, max_side: int = MAX_PHOTO_SIDE) -> bytes:
    """The image scaled down to fit max_side (never up), on white, as JPEG bytes."""
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))  # transparent PNG areas would turn black in a JPEG
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    flat.save(buffer, "JPEG", PHOTO_QUALITY)  # type: ignore[call-overload]  # stub says bytes
    return bytes(buffer.data().data())


def _thumbnail(data: bytes | None, initials: str) -> QPixmap:
    """A THUMB_SIZE square: the photo cropped to fill it, else initials on grey."""
    size = THUMB_SIZE
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    image = QImage.fromData(data) if data else QImage()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if not image.isNull():
        scaled = image.scaled(
            size,
            size,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        x = (scaled.width() - size) // 2
        y = (scaled.height() - size) // 2
        painter.drawImage(0, 0, scaled, x, y, size, size)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d9dee7"))
        painter.drawEllipse(4, 4, size - 8, size - 8)
        font = QFont(painter.font())
        label = initials if initials and not data else "Foto"  # data Qt cannot show: "Foto"
        font.setPixelSize(34 if label == initials else 16)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#5b6b82"))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pixmap


# ---------------------------------------------------------------------------------------------
# The dialog
# ---------------------------------------------------------------------------------------------


class ContactEditorDialog(QDialog):
    """Edit a vCard (or create one when `vcard_text` is None); see the module docstring."""

    def __init__(
        self,
        vcard_text: str | None = None,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        book: str | None = None,
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
        self._birthday_raw = ""  # an original birthday the TT.MM.JJJJ form cannot show
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

        # --- repeatable rows
        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("E-Mail")))
        self.email_box = self._row_box(content)
        self.add_email_button = self._add_button("addEmailButton", self.tr("+ E-Mail"), content)
        self.add_email_button.clicked.connect(lambda: self._add_and_focus(self.add_email_row()))

        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("Telefon")))
        self.phone_box = self._row_box(content)
        self.add_phone_button = self._add_button("addPhoneButton", self.tr("+ Telefon"), content)
        self.add_phone_button.clicked.connect(lambda: self._add_and_focus(self.add_phone_row()))

        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("Adresse")))
        self.address_box = self._row_box(content)
        self.add_address_button = self._add_button(
            "addAddressButton", self.tr("+ Adresse"), content
        )
        self.add_address_button.clicked.connect(lambda: self._add_and_focus(self.add_address_row()))

        # --- more
        content.addSpacing(6)
        content.addWidget(self._heading(self.tr("Weitere Angaben")))
        more = self._form()
        self.birthday_edit = self._line("birthdayEdit", self.tr("TT.MM.JJJJ"))
        self.birthday_edit.setMaximumWidth(140)
        bday_hint = QLabel(self.tr("z. B. 17.05.1980 oder ohne Jahr 17.05."))
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

    def _photo_column(self) -> QVBoxLayout:
        col = QVBoxLayout()
        col.setSpacing(6)
        self.photo_button = QToolButton()
        self.photo_button.setObjectName("photoButton")
        self.photo_button.setFixedSize(THUMB_SIZE + 8, THUMB_SIZE + 8)
        self.photo_button.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.photo_button.setToolTip(self.tr("Klicken, um ein Foto zu wählen"))
        self.photo_button.setAccessibleName(self.tr("Foto"))
        self.photo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.photo_button.clicked.connect(self.choose_photo)
        self.choose_photo_button = QPushButton(self.tr("Foto wählen …"))
        self.choose_photo_button.setObjectName("choosePhotoButton")
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton(self.tr("Foto entfernen"))
        self.remove_photo_button.setObjectName("removePhotoButton")
        self.remove_photo_button.clicked.connect(self.remove_photo)
        for b in (self.choose_photo_button, self.remove_photo_button):
            b.setAutoDefault(False)
        col.addWidget(self.photo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addWidget(self.choose_photo_button)
        col.addWidget(self.remove_photo_button)
        self.photo_note_label = QLabel()
        self.photo_note_label.setObjectName("photoNote")
        self.photo_note_label.setWordWrap(True)
        self.photo_note_label.setMaximumWidth(THUMB_SIZE + 40)
        self.photo_note_label.hide()
        col.addWidget(self.photo_note_label)
        col.addStretch(1)
        return col

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

    def _row_box(self, content: QVBoxLayout) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        content.addLayout(box)
        return box

    def _add_button(self, name: str, text: str, content: QVBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.setContentsMargins(LABEL_WIDTH + 8, 0, 0, 0)
        row.addWidget(button)
        row.addStretch(1)
        content.addLayout(row)
        return button

    # ------------------------------------------------------------------ type lists

    def _token_names(self) -> dict[str, str]:
        return {
            "work": self.tr("Arbeit"),
            "home": self.tr("Privat"),
            "cell": self.tr("Mobil"),
            "fax": self.tr("Fax"),
            "pager": self.tr("Pager"),
            "other": self.tr("Andere"),
        }

    def _email_types(self) -> list[tuple[str, str]]:
        return [(self.tr("Arbeit"), "work"), (self.tr("Privat"), "home"), (self.tr("Andere"), "")]

    def _phone_types(self) -> list[tuple[str, str]]:
        return [
            (self.tr("Arbeit"), "work"),
            (self.tr("Privat"), "home"),
            (self.tr("Mobil"), "cell"),
            (self.tr("Fax Arbeit"), "fax,work"),
            (self.tr("Fax privat"), "fax,home"),
            (self.tr("Pager"), "pager"),
            (self.tr("Andere"), ""),
        ]

    def _address_types(self) -> list[tuple[str, str]]:
        return [(self.tr("Arbeit"), "work"), (self.tr("Privat"), "home"), (self.tr("Andere"), "")]

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
            self.tr("E-Mail-Adresse entfernen"),
            self.tr("name@firma.de"),
            types,
            value,
        )
        self._append(row, self.email_box)
        self._email_rows.append(row)
        return row

    def add_phone_row(self, types: str = "work", value: str = "") -> ValueRow:
        """Append a phone row (type tokens as in ContactFields.phones)."""
        row = ValueRow(
            "phone",
            TypeCombo(self._phone_types(), self._token_names()),
            self.tr("Telefonnummer entfernen"),
            self.tr("z. B. +49 89 123456-0"),
            types,
            value,
        )
        self._append(row, self.phone_box)
        self._phone_rows.append(row)
        return row

    def add_address_row(self, types: str = "work", address: Address | None = None) -> AddressRow:
        """Append an address row; PO box and extended address of `address` are kept unseen."""
        placeholders = {
            "street": self.tr("Straße und Hausnummer"),
            "plz": self.tr("PLZ"),
            "city": self.tr("Ort"),
            "region": self.tr("Region/Bundesland"),
            "country": self.tr("Land"),
        }
        row = AddressRow(
            TypeCombo(self._address_types(), self._token_names()),
            self.tr("Adresse entfernen"),
            placeholders,
            types,
            address,
        )
        self._append(row, self.address_box)
        self._address_rows.append(row)
        return row

    def _append(self, row: _Row, box: QVBoxLayout) -> None:
        row.remove_requested.connect(self.remove_row)
        box.addWidget(row)

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

    # ------------------------------------------------------------------ load / read back

    @property
    def load_error(self) -> str | None:
        """The German message if the card could not be read, else None."""
        return self._load_error

    @property
    def is_new(self) -> bool:
        return self._original is None

    def load(self, text: str) -> None:
        """Fill the widgets from a vCard text; an unreadable card disables the form."""
        self._original = text
        self._load_error = None
        self._clear_rows()
        try:
            f = vcard.read_fields(text)
            photo = vcard.read_photo(text)
        except CardError as exc:
            self._load_error = exc.message
            self.form_widget.setEnabled(False)
            self.save_button.setEnabled(False)
            self._show_error(
                self.tr(
                    "Dieser Kontakt kann nicht bearbeitet werden: {0} "
                    "Er bleibt unverändert erhalten."
                ).format(exc.message)
            )
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

    def _org(self) -> str:
        parts = [self.org_edit.text().strip(), self.department_edit.text().strip()]
        return ";".join([*parts, *self._org_rest])

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

    def photo(self) -> tuple[bytes, str] | None:
        """The current photo (bytes, media type) or None."""
        return self._photo

    def photo_changed(self) -> bool:
        return self._photo != self._original_photo

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

    # ------------------------------------------------------------------ photo

    def choose_photo(self) -> None:
        """Ask for an image file and take it as the photo."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Foto wählen"),
            "",
            self.tr("Bilder (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;Alle Dateien (*)"),
        )
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        """Load, shrink and JPEG-encode an image file; False (and a message) if refused."""
        p = Path(path)
        try:
            size = p.stat().st_size
        except OSError:
            self._show_error(
                self.tr(
                    "Die Datei „{0}“ kann nicht geöffnet werden. Bitte wählen Sie eine andere "
                    "Bilddatei."
                ).format(p.name)
            )
            return False
        if size > MAX_PHOTO_BYTES:
            mb = f"{size / (1024 * 1024):.1f}".replace(".", ",")
            self._show_error(
                self.tr(
                    "Das Bild „{0}“ ist {1} MB groß. Bitte wählen Sie ein Bild mit höchstens "
                    "2 MB, zum Beispiel eine verkleinerte Kopie."
                ).format(p.name, mb)
            )
            return False
        image = QImage(str(p))
        if image.isNull():
            self._show_error(
                self.tr(
                    "Die Datei „{0}“ ist kein lesbares Bild. Bitte wählen Sie ein Foto im Format "
                    "JPEG, PNG, GIF oder BMP."
                ).format(p.name)
            )
            return False
        self._photo = (image_to_jpeg(image), "image/jpeg")
        self._clear_error()
        self._update_photo()
        return True

    def remove_photo(self) -> None:
        self._photo = None
        self._update_photo()

    def _initials(self) -> str:
        given = self.given_edit.text().strip()
        family = self.family_edit.text().strip()
        if given or family:
            return (given[:1] + family[:1]).upper()
        org = self.org_edit.text().strip()
        return org[:1].upper()

    def _update_photo(self) -> None:
        data = self._photo[0] if self._photo else None
        self.photo_button.setIcon(QIcon(_thumbnail(data, self._initials())))
        self.remove_photo_button.setEnabled(self._photo is not None)
        note = self._photo_note if self._photo is None else None
        if note:
            self.photo_note_label.setText(
                self.tr("Foto wird nicht angezeigt: {0} Es bleibt unverändert erhalten.").format(
                    note
                )
            )
        self.photo_note_label.setVisible(bool(note))

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
        """The first problem as (German message, widget to focus), or None if all is fine."""
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
        for row in self._email_rows:
            value = row.value()
            if value and row.changed() and not _EMAIL_RE.match(value):
                return (
                    self.tr(
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
                    self.tr(
                        "„{0}“ ist keine gültige Telefonnummer. Bitte verwenden Sie nur Ziffern, "
                        "Leerzeichen und + - ( ) . /, z. B. +49 89 123456-0."
                    ).format(value),
                    row.edit,
                )
        if self._birthday() is None:
            return (
                self.tr(
                    "„{0}“ ist kein gültiges Datum. Bitte geben Sie den Geburtstag als TT.MM.JJJJ "
                    "ein (z. B. 17.05.1980) oder ohne Jahr als TT.MM. (z. B. 17.05.)."
                ).format(self.birthday_edit.text().strip()),
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
