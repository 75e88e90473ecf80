"""`contactbox --self-test`: prove that this installation (source tree or frozen bundle) works.

Each check prints one line, "OK …" or "FEHLT …"; the exit code is 0 only if all pass.
Checked: the Qt platform plugin, the English translation (and Qt's German one), every SVG
icon (rendered, so the SVG plugins must be there), the database (created in a temporary data
directory unless --home is given), the keyring backend (which one, and that it answers), the
user guide (Hilfe ▸ Benutzerhandbuch: the page and every screenshot it shows) and the main
window.

The lines speak the language of this start (`contactbox --language`, else the stored Sprache
setting; German by default), for the user or support who reads them: "FEHLT Schlüsselbund: …"
is "FAILED Keyring: …" in English. What scripts and tests read stays as it was: the exit
code, the German output of a German start, and each check's `Check.name` (the German name,
e.g. "Schlüsselbund", "Symbol trash") in every language; `Check.label` is the name shown.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

# Every icon the window asks for (icon("…") in ui/) = every file in resources/icons;
# tests/ui/test_selftest.py keeps the list in step with both.
EXPECTED_ICONS = (
    "app",
    "book",
    "edit",
    "group",
    "minus",
    "plus",
    "sync-import",
    "sync-oneway",
    "sync-twoway",
    "trash",
    "tray-error",
    "tray-idle",
    "tray-paused",
    "tray-syncing",
)
# A string of the main window and its English translation (contactbox_en.ts).
TRANSLATION_PROBE = ("MainWindow", "&Datei", "&File")
CONTEXT = "SelfTest"
ICON_PREFIX = "Symbol "  # the stable names of the icon checks: "Symbol trash"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SelfTest", text)


def _names() -> dict[str, str]:
    """The checks' stable names (German, `Check.name`) and how the language shows them."""
    return {
        "Qt-Plattform": _tr("Qt-Plattform"),
        "Übersetzung": _tr("Übersetzung"),
        "Qt-Übersetzung": _tr("Qt-Übersetzung"),
        "Datenbank": _tr("Datenbank"),
        "Schlüsselbund": _tr("Schlüsselbund"),
        "Benutzerhandbuch": _tr("Benutzerhandbuch"),
        "Hauptfenster": _tr("Hauptfenster"),
    }


@dataclass
class Check:
    name: str  # stable in every language (tests and scripts read it)
    ok: bool
    detail: str  # in the language of this start

    @property
    def label(self) -> str:
        """The check's name in the language of this start ("Keyring", "Icon trash")."""
        if self.name.startswith(ICON_PREFIX):
            return _tr("Symbol {0}").format(self.name.removeprefix(ICON_PREFIX))
        return _names().get(self.name, self.name)

    def line(self) -> str:
        status = "OK" if self.ok else _tr("FEHLT")
        return f"{status} {self.label}: {self.detail}"


def check_platform(app: QCoreApplication) -> Check:
    platform = QApplication.platformName() if isinstance(app, QApplication) else ""
    return Check("Qt-Plattform", bool(platform), platform or _tr("kein Plattform-Plugin"))


def check_translation(app: QCoreApplication) -> Check:
    from ui.icons import resources_dir

    path = resources_dir() / "translations" / "contactbox_en.qm"
    if not path.is_file():
        return Check("Übersetzung", False, _tr("{0} fehlt").format(path))
    translator = QTranslator()
    if not translator.load(str(path)):
        return Check("Übersetzung", False, _tr("{0} lässt sich nicht laden").format(path))
    context, source, expected = TRANSLATION_PROBE
    app.installTranslator(translator)
    try:
        got = QCoreApplication.translate(context, source)
    finally:
        app.removeTranslator(translator)
    if got != expected:
        return Check(
            "Übersetzung",
            False,
            _tr("{0} ergibt {1} statt {2}").format(repr(source), repr(got), repr(expected)),
        )
    return Check("Übersetzung", True, f"{path.name} ({source!r} → {got!r})")


def check_qt_translation() -> Check:
    """Qt's own German strings (Ja/Nein, Abbrechen …), which ui/app.py loads at start."""
    from PySide6.QtCore import QLibraryInfo

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load("qtbase_de", folder):
        return Check("Qt-Übersetzung", False, _tr("qtbase_de.qm fehlt in {0}").format(folder))
    return Check("Qt-Übersetzung", True, _tr("qtbase_de.qm in {0}").format(folder))


def check_icons() -> list[Check]:
    from ui.icons import resources_dir

    folder = resources_dir() / "icons"
    names = sorted(set(EXPECTED_ICONS) | {p.stem for p in folder.glob("*.svg")})
    checks = []
    for name in names:
        path = folder / f"{name}.svg"
        if not path.is_file():
            checks.append(Check(f"{ICON_PREFIX}{name}", False, _tr("{0} fehlt").format(path)))
            continue
        pixmap = QIcon(str(path)).pixmap(QSize(32, 32))
        if pixmap.isNull() or pixmap.toImage().isNull():
            detail = _tr("{0} lässt sich nicht zeichnen (SVG-Plugin?)").format(path.name)
            checks.append(Check(f"{ICON_PREFIX}{name}", False, detail))
        else:
            detail = f"{path.name} {pixmap.width()}×{pixmap.height()}"
            checks.append(Check(f"{ICON_PREFIX}{name}", True, detail))
    return checks


def check_database(home: Path) -> Check:
    from app.paths import data_home, database_path
    from app.store.db import DatabaseError, open_database

    try:
        path = database_path(data_home(home))
        open_database(path)
    except (DatabaseError, OSError) as exc:
        return Check("Datenbank", False, str(exc))
    return Check("Datenbank", True, str(path))


def check_keyring() -> Check:
    import keyring
    from keyring.errors import KeyringError

    from app.secrets import SERVICE

    backend = keyring.get_keyring()
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if kind.__module__ == "keyring.backends.fail":
        return Check(
            "Schlüsselbund", False,
            _tr(
                "kein nutzbares Backend ({0}); Schlüsselbund einrichten oder "
                "PYTHON_KEYRING_BACKEND setzen"
            ).format(name),
        )  # fmt: skip
    if kind.__module__ == "keyring.backends.chainer":
        inner = getattr(backend, "backends", [])
        if not inner:
            return Check("Schlüsselbund", False, _tr("kein nutzbares Backend ({0})").format(name))
        name += " [" + ", ".join(type(b).__name__ for b in inner) + "]"
    try:
        keyring.get_password(SERVICE, "self-test-probe")
    except (KeyringError, OSError) as exc:
        return Check(
            "Schlüsselbund",
            False,
            _tr("{0} antwortet nicht ({1})").format(name, type(exc).__name__),
        )
    return Check("Schlüsselbund", True, name)


def check_user_guide() -> Check:
    """The page Hilfe ▸ Benutzerhandbuch opens (in the language of this start), with every
    picture and anchor it links."""
    from app import i18n
    from ui.user_guide import guide_page, missing_references

    page, _fragment = guide_page(i18n.language())
    missing = missing_references(page)
    if missing:
        detail = _tr("{0}: fehlt {1}").format(page, ", ".join(missing[:5]))
        return Check("Benutzerhandbuch", False, detail)
    images = page.read_text(encoding="utf-8").count("<img ")
    shown = QCoreApplication.translate(CONTEXT, "{0} mit %n Bild(ern)", None, images)
    return Check("Benutzerhandbuch", True, shown.format(page.name))


def check_main_window(app: QCoreApplication) -> Check:
    from ui.main_window import MainWindow

    # its test geometry must not become the size of the user's window (settings.ini)
    window = MainWindow(keep_window_state=False)
    try:
        window.show()
        app.processEvents()
        if not window.isVisible():
            return Check("Hauptfenster", False, _tr("wird nicht angezeigt"))
        title = window.windowTitle()
        pages = len(window.pages)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    shown = QCoreApplication.translate(CONTEXT, "„{0}“ mit %n Seite(n)", None, pages)
    return Check("Hauptfenster", True, shown.format(title))


def _guarded(name: str, check: Callable[[], Check | list[Check]]) -> list[Check]:
    """Run one check; an unexpected exception is a failed check, not a crash."""
    try:
        result = check()
    except Exception as exc:  # the self-test reports everything, it never dies halfway
        return [Check(name, False, f"{type(exc).__name__}: {exc}")]
    return result if isinstance(result, list) else [result]


def run_self_test(
    home: str | os.PathLike[str] | None = None, *, out: Callable[[str], None] = print
) -> list[Check]:
    """Run every check against the running QApplication; print one line per check."""
    from app.store.db import close_database

    app = QApplication.instance()
    if app is None:
        raise RuntimeError("run_self_test needs a QApplication")
    temp = None if home else tempfile.mkdtemp(prefix="contactbox-self-test-")
    home_path = Path(home) if home else Path(str(temp))
    checks: list[Check] = []

    def step(name: str, check: Callable[[], Check | list[Check]]) -> list[Check]:
        done = _guarded(name, check)
        for c in done:
            out(c.line())
        checks.extend(done)
        return done

    try:
        step("Qt-Plattform", lambda: check_platform(app))
        step("Übersetzung", lambda: check_translation(app))
        step("Qt-Übersetzung", check_qt_translation)
        step("Symbole", check_icons)
        database = step("Datenbank", lambda: check_database(home_path))
        step("Schlüsselbund", check_keyring)
        step("Benutzerhandbuch", check_user_guide)
        if all(c.ok for c in database):
            step("Hauptfenster", lambda: check_main_window(app))
        else:
            step(
                "Hauptfenster",
                lambda: Check("Hauptfenster", False, _tr("ohne Datenbank nicht")),
            )
    finally:
        close_database()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
    failed = [c for c in checks if not c.ok]
    out(
        _tr("Selbsttest: {0} von {1} Prüfungen bestanden").format(
            len(checks) - len(failed), len(checks)
        )
    )
    return checks


def main(
    home: str | None,
    qt_args: list[str],
    argv0: str,
    translate: Callable[[QApplication], object] = lambda _app: None,
) -> int:
    """Entry for `contactbox --self-test`: offscreen unless a platform was asked for; the
    lines in the language `translate` installs into the application (ui/app.py passes
    install_translations for the language of this start)."""
    if "QT_QPA_PLATFORM" not in os.environ and "-platform" not in qt_args:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication([argv0, *qt_args])
    assert isinstance(app, QApplication)
    translate(app)
    checks = run_self_test(home)
    del app
    return 0 if checks and all(c.ok for c in checks) else 1
