"""`contactbox`: start the window (data directory like the CLI: --home, $CONTACTBOX_HOME).

`contactbox --version` prints the version; `contactbox --self-test` checks the installation
(ui/selftest.py) offscreen and exits 0 only if everything works.

One language for both faces: the stored Sprache setting (ui/settings.py), or `--language
de|en` for this start only, is set for the window (Qt's .qm files, QLocale's default for
dates and numbers) and for the core (app/i18n.py) before anything is shown; `--help` speaks
it too.

The window's settings (language, hints, window geometry) are kept in the data directory
(ui/settings.py). Changing the language offers to restart (without `--language`):
`Restart` quits like "Beenden" (jobs cancelled and waited for); when the event loop has
ended, the window's state is saved, the single-instance lock released, the database
closed, and the same command line
(`restart_command()`, also the PyInstaller-built app) takes this process's place
(`relaunch`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTranslator,
    Slot,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__, i18n
from app.paths import data_home, database_path
from app.store.db import DamagedDatabaseError, DatabaseError, close_database, open_database
from ui import settings
from ui.icons import icon, resources_dir

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance
    from ui.tray import TrayController

ORGANIZATION = "Contactbox"
APPLICATION = "Contactbox Sync"
# Start options that make no sense again after a restart asked for in the window.
NOT_REPEATED_ON_RESTART = ("--tray", "--minimized")
# ... nor does --language: the restart comes after choosing a language in the window,
# which the new start must speak (it is stored; `--language X` would override it).
LANGUAGE_OPTION = "--language"


OPTIONS = "AppOptions"  # the context of the option texts in the .ts files (literal below)


def _pre_parse(argv: Sequence[str]) -> argparse.Namespace:
    """--home and --language, read before the parser is built: its help texts speak the
    language of this start."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--home")
    pre.add_argument("--language")
    known, _rest = pre.parse_known_args(list(argv))
    return known


def _parse(
    argv: Sequence[str], language: str = i18n.DEFAULT
) -> tuple[argparse.Namespace, list[str]]:
    """The options of `contactbox`, their help in `language` (contactbox_<lang>.qm, read
    without an application: none exists yet)."""
    translator = QTranslator()
    path = resources_dir() / "translations" / f"contactbox_{language}.qm"
    loaded = path.is_file() and translator.load(str(path))

    def t(marked: object) -> str:  # QT_TRANSLATE_NOOP returns its text (typed object)
        text = str(marked)
        return (translator.translate(OPTIONS, text) if loaded else "") or text

    parser = argparse.ArgumentParser(prog="contactbox", description="Contactbox Sync")
    parser.add_argument(
        "--home",
        help=t(QT_TRANSLATE_NOOP(
            "AppOptions", "Datenverzeichnis (sonst $CONTACTBOX_HOME bzw. Standard)"
        )),
    )  # fmt: skip
    parser.add_argument(
        "--language", choices=i18n.LANGUAGES, metavar="de|en",
        help=t(QT_TRANSLATE_NOOP(
            "AppOptions",
            "Sprache für diesen Start (sonst die unter Konfiguration ▸ Sprache gespeicherte); "
            "gilt für das Fenster und die Texte des Programmkerns",
        )),
    )  # fmt: skip
    parser.add_argument(
        "--version", action="version", version=f"{APPLICATION} {__version__}",
        help=t(QT_TRANSLATE_NOOP("AppOptions", "Version anzeigen und beenden")),
    )  # fmt: skip
    parser.add_argument(
        "--self-test", action="store_true",
        help=t(QT_TRANSLATE_NOOP(
            "AppOptions",
            "Installation prüfen (Fenster unsichtbar, Übersetzung, Symbole, Datenbank, "
            "Schlüsselbund); Exit-Code 0, wenn alles geht",
        )),
    )  # fmt: skip
    parser.add_argument(
        "--tray", "--minimized", action="store_true",
        help=t(QT_TRANSLATE_NOOP(
            "AppOptions", "Im Infobereich starten, ohne Fenster (für den Autostart)"
        )),
    )  # fmt: skip
    return parser.parse_known_args(list(argv))


def start_language(option: str | None, home: Path) -> str:
    """The language of this start: `--language`, else the stored Sprache setting."""
    return option if option in settings.LANGUAGES else settings.language(home)


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load contactbox_<lang>.qm (and Qt's own qtbase_<lang>.qm) for `language`.

    German is the source language: contactbox_de.qm holds only the plural forms of the
    counted messages ("%n Kontakt(e)" → "1 Kontakt", "2 Kontakte"). A language without its
    own file shows the German source texts, so it gets those German plural forms too.
    The core (app/i18n.py: errors, report statuses and notes, mode labels) speaks the same
    language, and QLocale's default (dates, times, numbers in the window) is its locale.
    """
    i18n.set_language(language)
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


def restart_command() -> tuple[str, list[str]]:
    """(program, arguments) that start this Contactbox again, as it was started.

    The PyInstaller-built app is its own program (sys.executable), with its arguments;
    from the source tree it is the interpreter with its original command line
    (sys.orig_argv: `-m ui.app …` or the `contactbox` script). --tray is dropped: the
    restart is asked for in the window, which should come back; --language too (with its
    value): the restart follows a language chosen in the window, stored for the next start.
    """
    frozen = getattr(sys, "frozen", False)
    args = list(sys.argv[1:]) if frozen else list(sys.orig_argv[1:])
    kept: list[str] = []
    skip_value = False
    for arg in args:
        if skip_value:
            skip_value = False
        elif arg == LANGUAGE_OPTION:
            skip_value = True
        elif arg not in NOT_REPEATED_ON_RESTART and not arg.startswith(LANGUAGE_OPTION + "="):
            kept.append(arg)
    return sys.executable, kept


def _child_environment() -> dict[str, str]:
    """The environment for the new Contactbox. A PyInstaller-built app started by itself
    must unpack and set up anew, not take the running one's bootloader state for its own:
    PYINSTALLER_RESET_ENVIRONMENT=1."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        env["PYINSTALLER_RESET_ENVIRONMENT"] = "1"
    return env


def start_detached(program: str, arguments: Sequence[str]) -> bool:
    """Start `program` as a process of its own (it outlives this one), in the current
    directory. True if it started."""
    process = QProcess()
    process.setProgram(program)
    process.setArguments(list(arguments))
    process.setWorkingDirectory(os.getcwd())
    env = QProcessEnvironment()
    for name, value in _child_environment().items():
        env.insert(name, value)
    process.setProcessEnvironment(env)
    started = process.startDetached()  # PySide6: a bool, or (bool, pid) in some versions
    return bool(started[0] if isinstance(started, tuple) else started)


def relaunch(program: str, arguments: Sequence[str]) -> bool:
    """Let `program` take this process's place; returns only if that failed (False) or
    where a process cannot be replaced (Windows: started as a new one, True).

    POSIX: exec, so the process id stays: whoever waits for Contactbox (a terminal,
    `make demo`, a service manager) keeps waiting for the restarted one. Python's own
    files are not inherited (PEP 446), nor are Qt's connections (close-on-exec).
    """
    env = _child_environment()
    if os.name == "posix":
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        with contextlib.suppress(OSError):  # else: a process of its own, below
            os.execve(program, [program, *arguments], env)
    return start_detached(program, arguments)


class Restart(QObject):
    """ "Jetzt neu starten": quit as "Beenden" does, then start the same command again.

    `restart()` asks the tray to quit (running jobs are cancelled and waited for, the event
    loop ends); main() then calls `finish()`: the window's state saved, the single-instance
    lock released (or the new process would only bring this one forward and exit), the
    database closed, and `relaunch` of `restart_command()`.
    """

    def __init__(
        self,
        window: MainWindow,
        tray: TrayController,
        instance: SingleInstance,
        *,
        launch: Callable[[str, Sequence[str]], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.tray = tray
        self.instance = instance
        self.launch = launch  # None: relaunch
        self.requested = False
        self.started: bool | None = None  # None: not tried (yet)
        window.restart_requested.connect(self.restart)
        window.restart_available = True

    @Slot()
    def restart(self) -> None:
        self.requested = True
        self.tray.quit()

    def finish(self) -> int:
        """After the event loop ended: start Contactbox again (see the class). Returns the
        exit code; on POSIX it does not return when the restart worked."""
        if not self.requested or self.started is not None:
            return 0
        self.window.save_window_state()
        self.instance.close()
        close_database()
        program, arguments = restart_command()
        self.started = (self.launch or relaunch)(program, arguments)
        if self.started:
            return 0
        QMessageBox.warning(
            None,
            QCoreApplication.translate("main", "Contactbox Sync"),
            QCoreApplication.translate(
                "main",
                "Contactbox Sync konnte nicht neu gestartet werden. Bitte starten Sie "
                "es selbst wieder; die neue Sprache ist gespeichert.",
            ),
        )
        return 1


def build_window(
    instance: SingleInstance, *, language: str | None = None, **tray_options: Any
) -> tuple[MainWindow, TrayController, Restart]:
    """The window, the tray that syncs in the background, and how they work together.

    The tray keeps every active account in sync at its interval (ui/tray.py); closing the
    window leaves Contactbox running there, "Beenden" ends it. `language`: the one this
    start speaks (`--language`, else the stored setting). `tray_options` go to
    TrayController (tests).
    """
    from ui.main_window import MainWindow
    from ui.tray import TrayController, open_report

    window = MainWindow(language=language)
    tray = TrayController(window, **tray_options)
    instance.activated.connect(tray.show_window)
    tray.report_requested.connect(lambda report_id: open_report(report_id, window))
    tray.adopt_quit_action(window.quit_action)
    restart = Restart(window, tray, instance)
    return window, tray, restart


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    early = _pre_parse(words)
    language = start_language(early.language, data_home(early.home))
    args, qt_args = _parse(words, language)
    if args.self_test:
        from ui import selftest

        return selftest.main(
            args.home, qt_args, sys.argv[0], lambda app: install_translations(app, language)
        )
    app = QApplication([sys.argv[0], *qt_args])
    app.setWindowIcon(icon("app"))
    home = data_home(args.home)
    settings.adopt_global_settings(home)  # the default data directory, once
    language = start_language(args.language, home)
    install_translations(app, language)
    # One Contactbox per user and data directory: a second start brings the first forward.
    from ui.single_instance import SingleInstance, instance_key

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
    window, tray, restart = build_window(instance, language=language)
    app.setQuitOnLastWindowClosed(not tray.tray_available)
    if not (args.tray and tray.tray_available):
        window.show()
    if not tray.tray_available:
        tray.tell_no_tray_once(window)
    code = app.exec()
    return restart.finish() if restart.requested else code


if __name__ == "__main__":
    sys.exit(main())
