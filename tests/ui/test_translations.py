"""The English translation: complete, compiled from the current .ts, and really used by the UI.

resources/translations/update.sh re-extracts the strings and recompiles the .qm.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app.sync.report import FIGURE_LABELS_DE, BookReport, RunReport
from ui.check_dialog import CHECK_FIGURES, CheckDialog
from ui.icons import resources_dir
from ui.sync_page import relative_time

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "contactbox_en.ts"
QM = TRANSLATIONS / "contactbox_en.qm"


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def _messages() -> list[tuple[str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [
        (ctx.findtext("name") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    """contactbox_en.qm installed into the running application (removed afterwards)."""
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} cannot be loaded"
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


# ---------------------------------------------------------------- the .ts file


def test_every_message_has_a_finished_translation() -> None:
    messages = _messages()
    assert len(messages) > 100
    missing = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in messages
        if (tr := msg.find("translation")) is None or tr.get("type") or not (tr.text or "").strip()
    ]
    assert missing == []


def test_translations_keep_the_placeholders() -> None:
    wrong = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in _messages()
        if msg.findtext("translation")
        if _placeholders(msg.findtext("source") or "")
        != _placeholders(msg.findtext("translation") or "")
    ]
    assert wrong == []


def test_strings_translated_from_variables_are_in_the_ts() -> None:
    """lupdate cannot see tr(FIGURE_LABELS_DE[...]) nor sync_page's _tr(); update.sh adds them."""
    have = {(ctx, msg.findtext("source")) for ctx, msg in _messages()}
    for context in ("CheckDialog", "ReportDialog"):
        for label in FIGURE_LABELS_DE.values():
            assert (context, label) in have
    source = (ROOT / "ui" / "sync_page.py").read_text(encoding="utf-8")
    literals = re.findall(r'\b_tr\(\s*("(?:[^"\\]|\\.)*")\s*\)', source)
    assert literals
    for literal in literals:
        assert ("AddressBookSyncPage", ast.literal_eval(literal)) in have


def test_the_qm_is_compiled_from_the_current_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "contactbox_en.qm"
    done = subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(fresh)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert " 0 unfinished" in done.stdout
    assert "Ignored" not in done.stdout
    assert QM.read_bytes() == fresh.read_bytes(), "run resources/translations/update.sh"


# ---------------------------------------------------------------- the running UI


def test_main_window_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    titles = {m.title().replace("&", "") for m in window.findChildren(QMenu)}
    assert {"File", "Configuration", "Help", "Address book management"} <= titles
    assert "Konfiguration" not in titles
    sync_action = next(iter(window.page_actions.values()))
    assert sync_action.text().replace("&", "") == "Address book synchronization"
    assert relative_time(None) == "never"


def test_check_dialog_translates_the_figure_labels(qtbot: QtBot, english: QTranslator) -> None:
    report = RunReport("Demo", "check", datetime(2026, 11, 29, 9, 30))
    report.books.append(BookReport("Kontakte", "/demo/kontakte/", "Kontakte", "import/add"))
    dialog = CheckDialog(report)
    qtbot.addWidget(dialog)
    labels = [dialog.table.verticalHeaderItem(row).text() for row in range(len(CHECK_FIGURES))]
    assert labels[0] == "Contacts on the server"
    assert not set(labels) & set(FIGURE_LABELS_DE.values())
    assert dialog.windowTitle() == "Check selected folders"


def test_app_loads_the_english_qm(qapp: QApplication, qtbot: QtBot, store: Path) -> None:
    """ui.app.install_translations is what `contactbox` does for QSettings language=en."""
    from ui.app import install_translations
    from ui.main_window import MainWindow

    assert resources_dir() / "translations" / "contactbox_en.qm" == QM
    previous = QLocale()
    loaded = install_translations(qapp, "en")
    try:
        assert any(t.filePath() == str(QM) for t in loaded)
        assert QCoreApplication.translate("MainWindow", "&Konfiguration") == "&Configuration"
        window = MainWindow()
        qtbot.addWidget(window)
        titles = {m.title().replace("&", "") for m in window.findChildren(QMenu)}
        assert "Configuration" in titles
    finally:
        for translator in loaded:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)
    assert QCoreApplication.translate("MainWindow", "&Konfiguration") == "&Konfiguration"
