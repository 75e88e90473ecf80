"""`contactbox`: start the window (data directory like the CLI: --home, $CONTACTBOX_HOME)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import data_home, database_path
from app.store.db import DatabaseError, open_database
from ui.icons import icon, resources_dir

ORGANIZATION = "Contactbox"
APPLICATION = "Contactbox Sync"


def _parse(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="contactbox", description="Contactbox Sync")
    parser.add_argument("--home", help="Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)")
    return parser.parse_known_args(list(argv))


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """German is the source language; another one loads contactbox_<lang>.qm if present."""
    QLocale.setDefault(QLocale(language))
    loaded: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_dir):  # Ja/Nein, Abbrechen … in Qt's own dialogs
        app.installTranslator(qt)
        loaded.append(qt)
    if language != "de":
        ours = QTranslator(app)
        path = resources_dir() / "translations" / f"contactbox_{language}.qm"
        if path.is_file() and ours.load(str(path)):
            app.installTranslator(ours)
            loaded.append(ours)
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = _parse(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication([sys.argv[0], *qt_args])
    app.setWindowIcon(icon("app"))
    language = str(QSettings().value("language", "de") or "de")
    install_translations(app, language)
    try:
        open_database(database_path(data_home(args.home)))
    except (DatabaseError, OSError) as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("main", "Contactbox Sync"),
            QCoreApplication.translate("main", "Die Datenbank kann nicht geöffnet werden:")
            + f"\n\n{exc}",
        )
        return 1
    from ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
