"""The English translation: complete, compiled from the current .ts, and really used by the UI.

Counts are numerus messages ("%n Kontakt(e)") with plural forms in English and, since German
is the source language, in contactbox_de.ts too (which holds nothing else).
resources/translations/update.sh re-extracts the strings and recompiles the .qm files.
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

from app import i18n
from app.store.appointment_history import _EVENT_FIELDS
from app.store.books import OPERATION_LABELS_DE
from app.store.history import _FIELDS, OTHER_LABEL, REASON_LABELS
from app.sync.report import FIGURE_LABELS_DE, BookReport, RunReport
from ui.check_dialog import CHECK_FIGURES, CheckDialog
from ui.icons import resources_dir
from ui.sync_page import relative_time

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "contactbox_en.ts"
QM = TRANSLATIONS / "contactbox_en.qm"
TS_DE = TRANSLATIONS / "contactbox_de.ts"
QM_DE = TRANSLATIONS / "contactbox_de.qm"


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def _messages(ts: Path = TS) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (ctx.findtext("name") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def _numerus(msg: ET.Element) -> bool:
    return msg.get("numerus") == "yes"


def _forms(msg: ET.Element) -> list[str]:
    """The translation, or for a numerus message each of its plural forms."""
    tr = msg.find("translation")
    if tr is None:
        return []
    if _numerus(msg):
        return [form.text or "" for form in tr.iter("numerusform")]
    return [tr.text or ""]


#: tr()/translate() calls whose text is not a literal, by (file, argument): update.sh adds
#: their strings (its DYNAMIC table and its helper detection), the tests below check them.
KNOWN_DYNAMIC = {
    ("agenda_common.py", "text"),  # the _tr() helper itself
    ("contact_editor_photo.py", "text"),  # the _tr() helper itself
    ("contact_editor_rows.py", "text"),  # the _tr() helper itself
    ("contact_editor_groups.py", "text"),  # the _tr() helper itself
    ("book_row.py", "text"),  # the _tr() helper itself (context "AddressBookSyncPage")
    ("vcf_dialogs.py", "text"),  # the _t() helper itself
    ("tray_menu.py", "text"),  # the _tr() helper itself (context "TrayController")
    ("tray_notices.py", "text"),  # the _tr() helper itself (context "TrayController")
    ("calendar_choice.py", "text"),  # the _tr() helper itself (context "CalendarSyncTab")
    ("autostart.py", "text"),  # the _tr() helper itself
    ("agenda_format.py", "text"),  # the _tr() helper itself
    ("agenda_grid.py", "text"),  # the _tr() helper itself
    ("agenda_list.py", "text"),  # the _tr() helper itself
    ("backup_dialog.py", "text"),  # the _tr() helper itself
    ("item_open.py", "text"),  # the _tr() helper itself (context "ItemOpen")
    ("check_dialog.py", "FIGURE_LABELS_DE[n]"),
    ("report_dialog.py", "labels[name]"),  # the report's FIGURE_LABELS_DE (or a calendar's)
    ("run_window.py", "text"),  # the _report_tr() helper itself
    ("run_window.py", "label"),  # FIGURE_LABELS_DE, in the context "ReportDialog"
    ("contacts_books.py", "text"),  # the _tr() helper itself
    ("contacts_columns.py", "text"),  # the _tr() helper itself
    ("contacts_deleting.py", "text"),  # the _tr() helper itself
    ("contacts_groups.py", "text"),  # the _tr() helper itself
    ("setup_books.py", "text"),  # the _tr() helper itself
    ("setup_modes.py", "text"),  # the _tr() helper itself
    ("selftest.py", "source"),  # TRANSLATION_PROBE, a string of MainWindow
    ("selftest.py", "text"),  # the _tr() helper itself (context "SelfTest")
    ("user_guide.py", "text"),  # the _tr() helper itself (context "UserGuide")
    ("report_export.py", "text"),  # the _tr() helper itself (context "ReportExport")
    ("report_export.py", "german"),  # STATUS_DE, KIND_DE, MODE_DE, ACTION_DE (update.sh)
    ("app.py", "text"),  # the --help texts, marked with QT_TRANSLATE_NOOP("AppOptions", …)
}


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _ui_translations() -> Iterator[tuple[str, int, str | None, ast.expr, bool]]:
    """(file, line, context, text argument, numerus) of every translation call in ui/*.py.

    self.tr()/.tr() take the enclosing class as context, translate() its first argument (a
    literal or a module constant), and module-level helpers like
    `def _tr(text): return QCoreApplication.translate("Context", text)` their context.
    numerus: the call passes a count (tr(text, disambiguation, n), translate(..., n)).
    """
    for path in sorted((ROOT / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        consts = {
            target.id: text
            for node in tree.body
            if isinstance(node, ast.Assign) and (text := _str(node.value)) is not None
            for target in node.targets
            if isinstance(target, ast.Name)
        }

        def context_of(node: ast.expr, consts: dict[str, str] = consts) -> str | None:
            if isinstance(node, ast.Name):
                return consts.get(node.id)
            return _str(node)

        helpers = {
            node.name: context_of(call.args[0])
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            for ret in node.body
            if isinstance(ret, ast.Return)
            and isinstance(call := ret.value, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "translate"
            and len(call.args) >= 2
        }

        def walk(
            node: ast.AST,
            cls: str | None,
            path: Path = path,
            helpers: dict[str, str | None] = helpers,
        ) -> Iterator[tuple[str, int, str | None, ast.expr, bool]]:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    yield from walk(child, child.name)
                    continue
                if isinstance(child, ast.Call) and child.args:
                    func, args, line = child.func, child.args, child.lineno
                    counted = any(k.arg == "n" for k in child.keywords)
                    if isinstance(func, ast.Attribute) and func.attr == "tr":
                        yield path.name, line, cls, args[0], counted or len(args) >= 3
                    elif (
                        isinstance(func, ast.Attribute)
                        and func.attr == "translate"
                        and len(args) >= 2
                    ):
                        counted = counted or len(args) >= 4
                        yield path.name, line, context_of(args[0]), args[1], counted
                    elif isinstance(func, ast.Name) and func.id in helpers:
                        yield path.name, line, helpers[func.id], args[0], False
                yield from walk(child, cls)

        yield from walk(tree, None)


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    """contactbox_en.qm installed into the running application (removed afterwards), and
    the core speaking English too, as ui.app.install_translations has it: texts the core
    translates (app/i18n.py) are shown by the window as they come."""
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} cannot be loaded"
    qapp.installTranslator(translator)
    i18n.set_language("en")
    yield translator
    i18n.set_language("de")
    qapp.removeTranslator(translator)


# ---------------------------------------------------------------- the .ts file


def test_every_message_has_a_finished_translation() -> None:
    messages = _messages()
    assert len(messages) > 100
    missing = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in messages
        if (tr := msg.find("translation")) is None
        or tr.get("type")
        or not _forms(msg)
        or not all(form.strip() for form in _forms(msg))
    ]
    assert missing == []
    stale = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in messages
        if (tr := msg.find("translation")) is not None
        if tr.get("type") in ("obsolete", "vanished")
    ]
    assert stale == [], "run resources/translations/update.sh (it drops obsolete strings)"


def test_every_ui_string_literal_is_in_the_ts() -> None:
    """What lupdate (or update.sh, for the _tr()/_t() helpers) must have extracted."""
    have = {(ctx, msg.findtext("source")) for ctx, msg in _messages()}
    found = [
        (f"{name}:{line}", ctx, text)
        for name, line, ctx, arg, _ in _ui_translations()
        if (text := _str(arg)) is not None
    ]
    assert len(found) > 400
    assert all(ctx for _, ctx, _ in found), [where for where, ctx, _ in found if not ctx]
    missing = [f"{where} {ctx}: {text!r}" for where, ctx, text in found if (ctx, text) not in have]
    assert missing == [], "run resources/translations/update.sh and translate"


def test_no_new_translations_of_variables() -> None:
    """self.tr(variable) or _tr(f"...") is invisible to lupdate: use a literal, or extend
    update.sh (its DYNAMIC table) and KNOWN_DYNAMIC above."""
    dynamic = {
        (name, ast.unparse(arg)) for name, _, _, arg, _ in _ui_translations() if _str(arg) is None
    }
    assert dynamic - KNOWN_DYNAMIC == set()


def test_translations_keep_the_placeholders() -> None:
    wrong = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in [*_messages(), *_messages(TS_DE)]
        for form in _forms(msg)
        if _placeholders(msg.findtext("source") or "") != _placeholders(form)
    ]
    assert wrong == []


def test_translations_keep_accelerators_ellipses_and_markup() -> None:
    def shape(text: str) -> tuple[bool, int, list[str], int]:
        return (
            text.endswith(" …"),
            text.replace("&nbsp;", "").replace("&&", "").count("&"),
            re.findall(r"</?\w+", text),
            text.count("\n"),
        )

    wrong = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in [*_messages(), *_messages(TS_DE)]
        for form in _forms(msg)
        if shape(msg.findtext("source") or "") != shape(form)
    ]
    assert wrong == []


# ---------------------------------------------------------------- plural forms (numerus)


def _numerus_sources(ts: Path) -> set[tuple[str, str]]:
    return {(ctx, msg.findtext("source") or "") for ctx, msg in _messages(ts) if _numerus(msg)}


def test_counted_strings_are_numerus_messages_in_german_and_english() -> None:
    """Every tr(text, "", n) in ui/ is a numerus message of both .ts files, and only those.

    A QCoreApplication.translate("Context", ..., None, n) with a literal context would be
    extracted by lupdate without plural forms (use a module constant, as vcf_dialogs does).
    """
    calls = [
        (ctx, _str(arg), f"{name}:{line}") for name, line, ctx, arg, n in _ui_translations() if n
    ]
    assert len(calls) >= 15
    assert [where for _, text, where in calls if text is None] == []
    counted = {(ctx or "", text or "") for ctx, text, _ in calls}
    assert all("%n" in text for _, text in counted)
    assert _numerus_sources(TS) == counted
    assert _numerus_sources(TS_DE) == counted
    german = _messages(TS_DE)
    assert all(_numerus(msg) for _, msg in german), "contactbox_de.ts: numerus messages only"
    uncounted = [
        f"{name}:{line}"
        for name, line, _, arg, n in _ui_translations()
        if not n and "%n" in (_str(arg) or "")
    ]
    assert uncounted == [], "%n without a count"


@pytest.mark.parametrize("ts", [TS_DE, TS], ids=["de", "en"])
def test_every_numerus_message_has_both_forms(ts: Path) -> None:
    """German and English: a singular and a plural form, each with the source's %n."""
    root = ET.parse(ts).getroot()
    assert root.get("language") == ("de_DE" if ts == TS_DE else "en_US")
    wrong = [
        f"{ctx}: {msg.findtext('source')!r}"
        for ctx, msg in _messages(ts)
        if _numerus(msg)
        if (tr := msg.find("translation")) is None
        or tr.get("type")
        or len(forms := _forms(msg)) != 2
        or not all(form.strip() for form in forms)
        or any(form.count("%n") != (msg.findtext("source") or "").count("%n") for form in forms)
        or forms[0] == forms[1]
    ]
    assert wrong == []


@pytest.mark.parametrize("qm,ts", [(QM_DE, TS_DE), (QM, TS)], ids=["de", "en"])
def test_the_compiled_plural_forms_are_used(
    qapp: QApplication, german_plural_forms: QTranslator, qm: Path, ts: Path
) -> None:
    """With only this .qm: n = 1 takes the singular form, 0 and 2 the plural one."""
    qapp.removeTranslator(german_plural_forms)  # the session's contactbox_de.qm (conftest)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        for ctx, msg in _messages(ts):
            if not _numerus(msg):
                continue
            source = msg.findtext("source") or ""
            singular, plural = _forms(msg)
            for n, form in ((0, plural), (1, singular), (2, plural)):
                got = QCoreApplication.translate(ctx, source, None, n)
                assert got == form.replace("%n", str(n)), (ctx, source, n)
    finally:
        qapp.removeTranslator(translator)
        qapp.installTranslator(german_plural_forms)


def test_strings_translated_from_variables_are_in_the_ts() -> None:
    """lupdate cannot see tr(FIGURE_LABELS_DE[...]) nor the _tr() of the sync page's book
    rows (ui/book_row.py); update.sh adds them."""
    have = {(ctx, msg.findtext("source")) for ctx, msg in _messages()}
    for context in ("CheckDialog", "ReportDialog"):
        for label in FIGURE_LABELS_DE.values():
            assert (context, label) in have
    source = (ROOT / "ui" / "book_row.py").read_text(encoding="utf-8")
    literals = re.findall(r'\b_tr\(\s*("(?:[^"\\]|\\.)*")\s*\)', source)
    assert literals
    for literal in literals:
        assert ("AddressBookSyncPage", ast.literal_eval(literal)) in have
    assert ("AgendaWidgets", "{0} (ganztägig)") in have
    assert ("AgendaView", "KW {0} · {1}") in have
    assert ("vcf_dialogs", "Kontakte als vCard exportieren") in have


def test_dynamic_strings_are_translated(english: QTranslator) -> None:
    def tr(context: str, text: str) -> str:
        return QCoreApplication.translate(context, text)

    assert tr("AgendaWidgets", "{0} (ganztägig)") == "{0} (all day)"
    assert tr("vcf_dialogs", "vCard-Dateien importieren") == "Import vCard files"
    assert tr("AgendaView", "ganztägig") == "all day"
    assert tr("AgendaView", "Heute · {0}") == "Today · {0}"


@pytest.mark.parametrize("ts,qm", [(TS_DE, QM_DE), (TS, QM)], ids=["de", "en"])
def test_the_qm_is_compiled_from_the_current_ts(tmp_path: Path, ts: Path, qm: Path) -> None:
    fresh = tmp_path / qm.name
    done = subprocess.run(
        [_tool("pyside6-lrelease"), str(ts), "-qm", str(fresh)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert " 0 unfinished" in done.stdout
    assert "Ignored" not in done.stdout
    assert qm.read_bytes() == fresh.read_bytes(), "run resources/translations/update.sh"


# ---------------------------------------------------------------- the running UI


def test_main_window_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    titles = {m.title().replace("&", "") for m in window.findChildren(QMenu)}
    assert {"File", "Configuration", "Help", "Address book management"} <= titles
    assert "Appointments" in titles
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


@pytest.mark.parametrize("language", ["de", "fr"])
def test_app_loads_the_german_plural_forms(
    qapp: QApplication, german_plural_forms: QTranslator, language: str
) -> None:
    """German (and a language without its own .qm, which shows the German source texts)
    loads contactbox_de.qm: "1 Kontakt", not the source's "1 Kontakt(e)"."""
    from ui.app import install_translations

    def contacts(n: int) -> str:
        return QCoreApplication.translate("ContactsPage", "%n Kontakt(e)", None, n)

    assert resources_dir() / "translations" / "contactbox_de.qm" == QM_DE
    qapp.removeTranslator(german_plural_forms)  # the session's copy (conftest)
    previous = QLocale()
    try:
        assert contacts(1) == "1 Kontakt(e)"
        loaded = install_translations(qapp, language)
        try:
            assert any(t.filePath() == str(QM_DE) for t in loaded)
            assert [contacts(n) for n in (0, 1, 2)] == ["0 Kontakte", "1 Kontakt", "2 Kontakte"]
            assert QCoreApplication.translate("MainWindow", "&Konfiguration") == "&Konfiguration"
        finally:
            for translator in loaded:
                qapp.removeTranslator(translator)
            QLocale.setDefault(previous)
    finally:
        qapp.installTranslator(german_plural_forms)


def test_contacts_page_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from ui.contacts_page import ContactsPage

    page = ContactsPage()
    qtbot.addWidget(page)
    assert page.trash_toggle.text() == "Trash"
    assert page.new_button.text() == "New contact …"
    assert "Papierkorb" not in page.trash_toggle.toolTip()


def test_contacts_page_parts_speak_english(
    qtbot: QtBot, store: Path, english: QTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's mixins (ui/contacts_books.py, _columns, _deleting) translate in the context
    "ContactsPage", where their English strings are; lupdate would file a self.tr() there
    under the mixin's class name, and the English UI would show German."""
    from PySide6.QtWidgets import QMessageBox

    from app.store.contacts import add_contact, ensure_book
    from ui.contacts_page import ContactsPage

    book = ensure_book("Standard")
    for uid, fn in (("EN-1", "Anna Becker"), ("EN-2", "Björn Schäfer")):
        add_contact(book, f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nEND:VCARD\r\n")
    page = ContactsPage()
    qtbot.addWidget(page)
    tip = page.book_list.topLevelItem(0).toolTip(0).splitlines()
    assert tip == ["2 contacts, 0 in the trash", "Local only, not synchronized"]
    assert page.header_menu().actions()[-1].text() == "Restore default columns"

    asked: list[str] = []

    def cancel(box: QMessageBox) -> int:
        asked.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", cancel)
    assert not page.confirm_delete(2)
    assert asked == ["Move 2 contacts to the trash?"]
    page.table.selectRow(0)
    page.delete_selected()
    assert page.undo_bar.label.text() == "“Anna Becker” was moved to the trash."
    questions: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *_a: questions.append(text) or 0
    )
    page.trash_toggle.setChecked(True)
    page.empty_trash()
    assert questions == [
        "Delete 1 contact in the trash of “Default” for good? This cannot be undone."
    ]


def test_setup_dialog_parts_speak_english(qtbot: QtBot, english: QTranslator) -> None:
    """The setup dialog's parts (ui/setup_books.py, ui/setup_modes.py) translate in the
    context "SetupDialog", where their English strings are; lupdate would file a self.tr()
    there under the part's class name, and the English UI would show German."""
    from app.dav.model import RemoteBook
    from app.sync.jobs import BookOverview
    from app.sync.modes import Operation
    from ui.setup_books import COL_NAME, BookTree, make_target_box
    from ui.setup_modes import OperationBox

    box = OperationBox()
    qtbot.addWidget(box)
    assert box.title() == "Operation"
    assert box.operation_buttons[Operation.IMPORT].text() == "Import once"
    assert box.conflict_label.text() == "In a conflict, keep:"
    remote = RemoteBook("/dav/u/firma/", "Firma", read_only=True)
    overview = BookOverview(remote, server_count=3, local_count=0, binding=None)
    box.say_read_only([overview], oneway=True)
    assert "Firma" in box.read_only_hint.text()
    assert "The server lets this account only read it." in box.read_only_hint.text()

    tree = BookTree()
    qtbot.addWidget(tree)
    header = tree.headerItem()
    assert header is not None and header.text(COL_NAME) == "Folder / address book"
    target = make_target_box(overview, [])
    item = tree.add_book(overview, target)
    assert item.text(COL_NAME) == "Firma (read-only)"
    assert target.itemText(0) == "New: Firma"


def test_contact_editor_speaks_english(qtbot: QtBot, english: QTranslator) -> None:
    from ui.contact_editor import ContactEditorDialog

    dialog = ContactEditorDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "New contact"


def test_the_groups_field_and_setting_speak_english(
    qtbot: QtBot, store: Path, english: QTranslator
) -> None:
    from app.store import groups
    from app.store.contacts import ensure_book
    from ui.account_dialog import AccountDialog
    from ui.contact_editor import ContactEditorDialog

    ensure_book("Leer")
    groups.create_group(ensure_book("Kunden"), "Presse")
    empty = ContactEditorDialog(book="Leer")
    qtbot.addWidget(empty)
    assert empty.groups_field is not None
    assert empty.groups_field.empty_label.text() == (
        "No groups — create new groups in the list on the left"
    )
    dialog = ContactEditorDialog(book="Kunden")
    qtbot.addWidget(dialog)
    assert dialog.groups_field is not None
    assert dialog.groups_field.summary_label.text() == "No group selected"
    dialog.groups_field.set_checked("Presse")
    assert dialog.groups_field.summary_label.text() == "Selected: Presse"

    account = AccountDialog()
    qtbot.addWidget(account)
    combo = account.group_style_field.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Categories (Nextcloud, ownCloud)",
        "Group vCards (Kerio, Apple, SabreDAV)",
        "both",
    ]
    assert combo.toolTip().startswith("Nextcloud shows groups as categories;")
    label = account.form.labelForField(account.group_style_field)
    assert label is not None and label.text() == "Write groups as:"


def test_history_dialog_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from PySide6.QtWidgets import QListWidget, QPushButton, QTableWidget

    from app.store.contacts import add_contact, ensure_book, update_contact
    from ui.history_dialog import HistoryDialog

    def card(title: str) -> str:
        return (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:TR-1\r\nFN:Hans Müller\r\n"
            f"N:Müller;Hans;;;\r\nTITLE:{title}\r\nEND:VCARD\r\n"
        )

    contact = add_contact(ensure_book("Standard"), card("Einkauf"))
    update_contact(contact, card("Vertrieb"), reason="edit")
    dialog = HistoryDialog(contact.id)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "History: Hans Müller"
    button = dialog.findChild(QPushButton, "restoreButton")
    assert button is not None and button.text() == "Restore this version"
    versions = dialog.findChild(QListWidget, "versionList")
    assert versions is not None and versions.count() == 1
    assert versions.item(0).text().splitlines()[1] == "Edited"
    table = dialog.findChild(QTableWidget, "diffTable")
    assert table is not None
    labels = [item.text() for row in range(table.rowCount()) if (item := table.item(row, 0))]
    assert "Job title" in labels
    assert "Position" not in labels


def test_due_followups_panel_speaks_english(
    qtbot: QtBot, store: Path, english: QTranslator
) -> None:
    from ui.agenda_widgets import DueFollowUpsPanel

    panel = DueFollowUpsPanel()
    qtbot.addWidget(panel)
    assert panel.empty_label.text() == "No follow-ups due."
    assert panel.title_label.text() == "Due follow-ups"
    assert panel.done_button.text() == "Done"


def test_agenda_page_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from ui.agenda_view import VIEW_DAY, VIEW_LIST, VIEW_WEEK, AgendaPage, range_label

    page = AgendaPage()
    qtbot.addWidget(page)
    assert page.today_button.text() == "Today"
    assert page.new_button.text() == "+ New appointment"
    labels = [page.view_buttons[mode].text() for mode in (VIEW_DAY, VIEW_WEEK, VIEW_LIST)]
    assert labels == ["Day", "Week", "List"]
    monday, sunday = datetime(2026, 11, 30).date(), datetime(2026, 12, 6).date()
    assert range_label(VIEW_WEEK, monday, sunday) == "Wk 49 · 30.11.–6.12.2026"
    tuesday = datetime(2026, 12, 1).date()
    assert range_label(VIEW_DAY, tuesday, tuesday) == "Wk 49 · Tuesday, 1.12.2026"


def test_agenda_views_speak_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    """The views split off ui/agenda_view.py (ui/agenda_list.py, _grid, _format) translate
    through their own _tr() in the context "AgendaView", where their English strings are."""
    from ui.agenda_format import VIEW_LIST, weekday_short
    from ui.agenda_grid import _tr as grid_tr
    from ui.agenda_view import AgendaPage

    page = AgendaPage()
    qtbot.addWidget(page)
    page.set_date(datetime(2026, 12, 1).date())
    page.set_mode(VIEW_LIST)
    header = page.list_view.headerItem()
    assert [header.text(c) for c in range(3)] == ["Time", "Subject", "Location / contact"]
    empty = page.list_view.topLevelItem(0)
    assert empty is not None and empty.text(0) == "No appointments in this period."
    assert weekday_short(datetime(2026, 12, 1).date()) == "Tue"
    assert grid_tr("ganztg.") == "all day"


def test_users_page_speaks_english(qtbot: QtBot, store: Path, english: QTranslator) -> None:
    from ui import workers
    from ui.users_page import UsersPage

    page = UsersPage()
    qtbot.addWidget(page)
    assert page.add_button.text() == "Add user"
    assert page.rename_button.text() == "Rename"
    assert page.remove_button.text() == "Remove"
    assert page.tabs.tabText(0) == "Appointments - calendar synchronization"
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=20000)


def test_labels_the_core_translates_are_not_in_the_ts() -> None:
    """The operation labels (app.store.books) and the history's reason and field labels
    are translated by the core (app/i18n.py, resources/locale) and shown by the window as
    they come: one translation per text, none of them left in the .ts."""
    core = {
        *OPERATION_LABELS_DE.values(),
        *REASON_LABELS.values(),
        *(name for name, _ in _FIELDS),
        *(name for name, _ in _EVENT_FIELDS),
        OTHER_LABEL,
    }
    have = {(ctx, msg.findtext("source")) for ctx, msg in _messages()}
    left = sorted((ctx, text) for ctx, text in have if ctx in ("ContactsPage", "HistoryDialog"))
    assert [x for x in left if x[1] in core] == []


def test_book_tooltip_names_the_operation_in_the_cores_english(
    qtbot: QtBot, store: Path, english: QTranslator
) -> None:
    """The operation in a synced book's tooltip is the core's label (app.store.books),
    translated by app/i18n.py — no second translation in the .ts."""
    from app.store.contacts import get_book
    from app.store.models import Account, Binding
    from ui.contacts_page import ContactsPage

    account = Account.create(label="Office", username="anna", server="dav.example.org")
    Binding.create(
        account=account, remote_href="/dav/a/", remote_name="Shared", book=get_book("Standard"),
        operation="sync",
    )  # fmt: skip
    page = ContactsPage()
    qtbot.addWidget(page)
    tip = page.book_list.topLevelItem(0).toolTip(0).splitlines()
    assert tip[1:] == ["Synchronized with:", "• Office – Shared (Synchronization)"]
