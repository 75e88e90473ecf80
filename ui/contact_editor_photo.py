"""The contact editor's photo: the thumbnail button, choosing and removing a photo.

`image_to_jpeg` shrinks a chosen image to `MAX_PHOTO_SIDE` and encodes it as JPEG on white;
`thumbnail` draws the square the editor shows (the photo cropped to fill it, else the
contact's initials on grey). `PhotoPart`, mixed into `ContactEditorDialog`
(ui/contact_editor.py), builds the photo column next to the names and keeps the photo the
card will get: a file over `MAX_PHOTO_BYTES` or one Qt cannot read is refused with a German
message in the dialog's error line, and a card photo the store does not decode (over the
caps) is named below the thumbnail and kept unchanged.

The strings keep the translation context "ContactEditorDialog" (`_tr`, `CONTEXT`):
`self.tr()` in the mixin would be extracted by lupdate under "PhotoPart".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    _Dialog = QDialog  # for the type checker: the part is mixed into a QDialog
else:
    _Dialog = object

CONTEXT = "ContactEditorDialog"
MAX_PHOTO_BYTES = 2 * 1024 * 1024  # larger files are refused before decoding
MAX_PHOTO_SIDE = 512  # chosen photos are scaled down to fit this square
PHOTO_QUALITY = 85
THUMB_SIZE = 96


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


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


def thumbnail(data: bytes | None, initials: str) -> QPixmap:
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


class PhotoPart(_Dialog):
    """The photo of the contact editor (mixed into the dialog)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactEditorDialog.__init__ / load / _build.
    _photo: tuple[bytes, str] | None
    _original_photo: tuple[bytes, str] | None
    _photo_note: str | None
    given_edit: QLineEdit
    family_edit: QLineEdit
    org_edit: QLineEdit

    if TYPE_CHECKING:

        def _show_error(self, text: str) -> None: ...

        def _clear_error(self) -> None: ...

    def _photo_column(self) -> QVBoxLayout:
        col = QVBoxLayout()
        col.setSpacing(6)
        self.photo_button = QToolButton()
        self.photo_button.setObjectName("photoButton")
        self.photo_button.setFixedSize(THUMB_SIZE + 8, THUMB_SIZE + 8)
        self.photo_button.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.photo_button.setToolTip(_tr("Klicken, um ein Foto zu wählen"))
        self.photo_button.setAccessibleName(_tr("Foto"))
        self.photo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.photo_button.clicked.connect(self.choose_photo)
        self.choose_photo_button = QPushButton(_tr("Foto wählen …"))
        self.choose_photo_button.setObjectName("choosePhotoButton")
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton(_tr("Foto entfernen"))
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

    def photo(self) -> tuple[bytes, str] | None:
        """The current photo (bytes, media type) or None."""
        return self._photo

    def photo_changed(self) -> bool:
        return self._photo != self._original_photo

    def choose_photo(self) -> None:
        """Ask for an image file and take it as the photo."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            _tr("Foto wählen"),
            "",
            _tr("Bilder (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;Alle Dateien (*)"),
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
                _tr(
                    "Die Datei „{0}“ kann nicht geöffnet werden. Bitte wählen Sie eine andere "
                    "Bilddatei."
                ).format(p.name)
            )
            return False
        if size > MAX_PHOTO_BYTES:
            mb = f"{size / (1024 * 1024):.1f}".replace(".", ",")
            self._show_error(
                _tr(
                    "Das Bild „{0}“ ist {1} MB groß. Bitte wählen Sie ein Bild mit höchstens "
                    "2 MB, zum Beispiel eine verkleinerte Kopie."
                ).format(p.name, mb)
            )
            return False
        image = QImage(str(p))
        if image.isNull():
            self._show_error(
                _tr(
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
        self.photo_button.setIcon(QIcon(thumbnail(data, self._initials())))
        self.remove_photo_button.setEnabled(self._photo is not None)
        note = self._photo_note if self._photo is None else None
        if note:
            self.photo_note_label.setText(
                _tr("Foto wird nicht angezeigt: {0} Es bleibt unverändert erhalten.").format(note)
            )
        self.photo_note_label.setVisible(bool(note))
