"""The .vcf import dialog with a phone backup whose PHOTO holds raw bytes (issue 17): the
Importbericht lists the note that the photo was left out, and the contact arrives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.store.models import Contact
from tests.ui.test_book_and_vcf_dialogs import when_modal
from ui.vcf_dialogs import ImportOptionsDialog, ImportReportDialog, import_vcf_interactive

REALWORLD = Path(__file__).parents[1] / "unit" / "cards" / "realworld"


def test_the_report_dialog_lists_the_left_out_photo(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "handy.vcf"
    backup.write_bytes((REALWORLD / "sonyericsson_21_raw_binary_photo.vcf").read_bytes())
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileNames", lambda *_a: ([str(backup)], "")
    )
    when_modal(ImportOptionsDialog, lambda d: d.accept())
    shown = when_modal(ImportReportDialog, lambda d: d.reject())
    report = import_vcf_interactive(None, "Standard")
    assert report is not None and (report.added, report.errors) == (1, [])
    [dialog] = shown
    assert dialog.figure("added") == "1"
    assert dialog.note_list.count() == 1
    note = dialog.note_list.item(0).text()
    assert note.startswith("Karte 1 („Christelle DECHAMBRE“): Das Foto (PHOTO)")
    assert "Die übrigen Angaben wurden übernommen." in note
    assert dialog.notes_label.isVisibleTo(dialog) and dialog.note_list.isVisibleTo(dialog)
    [contact] = Contact.select()
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", contact.vcard)
