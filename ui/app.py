"""`contactbox`: start the window (data directory like the CLI: --home, $CONTACTBOX_HOME).

`contactbox --version` prints the version; `contactbox --self-test` checks the installation
(ui/selftest.py) offscreen and exits 0 only if everything works.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.paths import data_home, database_path
from app.store.db import DamagedDatabaseError, DatabaseError, open_database
from ui.icons import icon, resources_dir

ORGANIZATION = "Contactbox"
APPLICATION = "Contactbox Sync"


def _parse(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="contactbox", description="Contactbox Sync")
    parser.add_argument("--home", help="Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)")
    parser.add_argument(
        "--version", action="version", version=f"{APPLICATION} {__version__}",
        help="Version anzeigen und beenden",
    )  # fmt: skip
    parser.add_argument(
        "--self-test", action="store_true",
        help="Installation prüfen (Fenster unsichtbar, Übersetzung, Symbole, Datenbank, "
        "Schlüsselbund); Exit-Code 0, wenn alles geht",
    )  # fmt: skip
    parser.add_argument(
        "--tray", "--minimized", action="store_true",
        help="Im Infobereich starten, ohne Fenster (für den Autostart)",
    )  # fmt: skip
    return parser.parse_known_args(list(argv))


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load contactbox_<lang>.qm (and Qt's own qtbase_<lang>.qm) for `language`.

    German is the source language: contactbox_de.qm holds only the plural forms of the
    counted messages ("%n Kontakt(e)" → "1 Kontakt", "2 Kontakte"). A language without its
    own file shows the German source texts, so it gets those German plural forms too.
    """
    QLocale.setDefault(QLocale(language))
    loaded: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_dir):  # Ja/Nein, Abbrechen … in Qt's own dialogs
        app.installTranslator(qt)
        loaded.append(qt)
    folder = resources_dir() / "translations"
    path = folder / f"contactbox_{language}.qm"
    if not path.is_file():
        path = folder / "contactbox_de.qm"
    ours = QTranslator(app)
    if path.is_file() and ours.load(str(path)):
        app.installTranslator(ours)
        loaded.append(ours)
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = _parse(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    if args.self_test:
        from ui import selftest

        return selftest.main(args.home, qt_args, sys.argv[0])
    app = QApplication([sys.argv[0], *qt_args])
    app.setWindowIcon(icon("app"))
    language = str(QSettings().value("language", "de") or "de")
    install_translations(app, language)
    # One Contactbox per user and data directory: a second start brings the first forward.
    from ui.single_instance import SingleInstance, instance_key

    home = data_home(args.home)
    instance = SingleInstance(instance_key(home), app)
    if instance.already_running():
        return 0
    try:
        open_database(database_path(home))
    except DamagedDatabaseError as exc:
        from ui.backup_dialog import recover_damaged_database

        if not recover_damaged_database(exc.path, exc):
            return 1
    except (DatabaseError, OSError) as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("main", "Contactbox Sync"),
            QCoreApplication.translate("main", "Die Datenbank kann nicht geöffnet werden:")
            + f"\n\n{exc}",
        )
        return 1
    from ui.main_window import MainWindow
    from ui.tray import TrayController, open_report

    window = MainWindow()
    # The tray keeps every active account in sync at its interval (ui/tray.py); closing
    # the window leaves Contactbox running there, "Beenden" ends it.
    tray = TrayController(window)
    instance.activated.connect(tray.show_window)
    tray.report_requested.connect(lambda report_id: open_report(report_id, window))
    tray.adopt_quit_action(window.quit_action)
    app.setQuitOnLastWindowClosed(not tray.tray_available)
    if not (args.tray and tray.tray_available):
        window.show()
    if not tray.tray_available:
        tray.tell_no_tray_once(window)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
