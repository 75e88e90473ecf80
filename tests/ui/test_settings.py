"""ui/settings.py and ui/app.py: the window's settings live in the data directory, the
language change restarts Contactbox, the window comes back at its size.

The user's global Qt settings point into the test's folder (tests/ui/conftest.py,
`global_qsettings`), so "nothing written there" is checked, not assumed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

import ui.app as ui_app
from app.paths import data_home, database_path
from app.store.db import close_database, open_database
from app.store.models import database
from ui import settings
from ui.main_window import MainWindow
from ui.single_instance import SingleInstance, instance_key

ROOT = Path(__file__).resolve().parents[2]


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def names() -> Iterator[None]:
    """The organisation and application names ui/app.py sets (QSettings() needs them)."""
    before = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    QCoreApplication.setOrganizationName(ui_app.ORGANIZATION)
    QCoreApplication.setApplicationName(ui_app.APPLICATION)
    yield
    QCoreApplication.setOrganizationName(before[0])
    QCoreApplication.setApplicationName(before[1])


@pytest.fixture
def second_home(tmp_path: Path) -> Iterator[Path]:
    """`contactbox --home …/zweites Zuhause`: the data directory and its database, open."""
    home = data_home(str(tmp_path / "zweites Zuhause"))
    open_database(database_path(home))
    yield home
    close_database()


class Running:
    """What ui/app.py main() builds after the database is open (build_window)."""

    def __init__(self, qtbot: QtBot, home: Path, *, tray: bool = True) -> None:
        self.instance = SingleInstance(instance_key(home))
        assert self.instance.already_running() is False
        self.quits = 0
        self.window, self.tray, self.restart = ui_app.build_window(
            self.instance,
            available=lambda: tray,
            tick_ms=3_600_000,
            first_tick_ms=-1,
            quit_app=self._quit,
        )
        qtbot.addWidget(self.window)
        self.window.show()

    def _quit(self) -> None:
        self.quits += 1

    def choose_language(self, name: str) -> QMessageBox | None:
        menu = next(
            a.menu() for a in self.window.menuBar().actions() if a.text() == "&Konfiguration"
        )
        assert isinstance(menu, QMenu)
        languages = next(a.menu() for a in menu.actions() if a.text() == "&Sprache")
        assert isinstance(languages, QMenu)
        next(a for a in languages.actions() if a.text() == name).trigger()
        return self.window.language_box

    def close(self) -> None:
        self.instance.close()


def button(box: QMessageBox, text: str) -> QPushButton:
    found = [b for b in box.buttons() if b.text() == text]
    assert len(found) == 1, [b.text() for b in box.buttons()]
    assert isinstance(found[0], QPushButton)
    return found[0]


# ---------------------------------------------------------------- where the settings live


def test_a_second_home_keeps_language_hints_and_window_in_its_own_settings(
    qtbot: QtBot, second_home: Path, global_qsettings: Path, names: None
) -> None:
    assert settings.adopt_global_settings(second_home) == []  # not the default directory
    run = Running(qtbot, second_home)
    try:
        box = run.choose_language("English")
        assert box is not None
        button(box, "Später").click()
        run.window.resize(1000, 710)
        assert run.window.close() is False  # to the tray …
        assert not run.window.isVisible()
        assert run.quits == 0
    finally:
        run.close()

    ini = QSettings(str(second_home / "settings.ini"), QSettings.Format.IniFormat)
    assert ini.value("language") == "en"
    assert ini.value("tray/close_hint_shown", False, type=bool)  # … explained once
    assert not ini.value("window/geometry").isEmpty()
    assert settings.settings_path() == second_home / "settings.ini"
    assert settings.language() == "en"

    # The user's own settings: not a single file.
    assert files_in(global_qsettings) == []
    # (and they would have been seen there: the global QSettings do write to that folder)
    QSettings().setValue("probe", 1)
    QSettings().sync()
    assert files_in(global_qsettings)


def test_the_default_home_takes_over_the_global_settings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, global_qsettings: Path, names: None
) -> None:
    default = data_home(str(tmp_path / "default"))
    monkeypatch.setattr(settings, "default_home", lambda: default)
    old = QSettings()
    old.setValue("language", "en")
    old.setValue("tray/close_hint_shown", True)
    old.sync()

    elsewhere = data_home(str(tmp_path / "elsewhere"))
    assert settings.adopt_global_settings(elsewhere) == []
    assert not (elsewhere / "settings.ini").exists()
    assert settings.language(elsewhere) == "de"

    assert sorted(settings.adopt_global_settings(default)) == ["language", "tray/close_hint_shown"]
    assert settings.language(default) == "en"
    assert settings.app_settings(default).value("tray/close_hint_shown", False, type=bool)

    # Once: later changes of the old global values are not taken over again …
    old.setValue("language", "de")
    old.sync()
    assert settings.adopt_global_settings(default) == []
    assert settings.language(default) == "en"
    # … and the global settings were only read.
    assert QSettings().value("tray/close_hint_shown", False, type=bool)


def test_an_unknown_language_value_falls_back_to_german(tmp_path: Path) -> None:
    home = data_home(str(tmp_path / "home"))
    settings.app_settings(home).setValue("language", "kl")
    assert settings.language(home) == "de"
    with pytest.raises(ValueError):
        settings.set_language("kl", home)


def test_the_window_comes_back_at_its_size(
    qtbot: QtBot, store: Path, global_qsettings: Path
) -> None:
    # (the offscreen screen is 800×800 and the window at least 961 wide: restoreGeometry
    # fits width and place to the screen, so the height tells it here)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.size().height() == 620  # nothing saved yet: the default size
    window.show()
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.size().height() == 700)
    window.close()  # no tray here: closing saves (the tray's hide does too, test above)

    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size().height() == 700
    assert files_in(global_qsettings) == []


def test_the_self_test_window_leaves_the_saved_size_alone(qtbot: QtBot, store: Path) -> None:
    window = MainWindow(keep_window_state=False)
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert settings.app_settings().value("window/geometry") is None


# ---------------------------------------------------------------- Jetzt neu starten


def test_restart_command_repeats_how_contactbox_was_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # from the source tree: the interpreter and its original command line, without --tray
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-m", "ui.app", "--home", "/d", "--tray"])
    assert ui_app.restart_command() == (sys.executable, ["-m", "ui.app", "--home", "/d"])
    script = str(Path(sys.executable).parent / "contactbox")
    monkeypatch.setattr(sys, "orig_argv", ["python3", script, "--minimized", "-platform", "xcb"])
    assert ui_app.restart_command() == (sys.executable, [script, "-platform", "xcb"])
    # the PyInstaller-built app: it is its own program
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/contactbox/contactbox")
    monkeypatch.setattr(sys, "argv", ["contactbox", "--home", "/d", "--tray"])
    assert ui_app.restart_command() == ("/opt/contactbox/contactbox", ["--home", "/d"])


@pytest.mark.parametrize("frozen", [False, True], ids=["source", "built app"])
def test_start_detached_starts_a_real_process(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen: bool
) -> None:
    """The boundary itself, for real: program, arguments, working directory; the built app
    gets PYINSTALLER_RESET_ENVIRONMENT=1 (a fresh bootloader state)."""
    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "started.json"
    code = (
        "import json, os, sys, pathlib; pathlib.Path(sys.argv[1]).write_text(json.dumps("
        "[sys.argv[2:], os.getcwd(), os.environ.get('PYINSTALLER_RESET_ENVIRONMENT')]))"
    )
    assert ui_app.start_detached(sys.executable, ["-c", code, str(out), "ä b", "--x"]) is True
    qtbot.waitUntil(lambda: out.is_file() and out.read_text().endswith("]"), timeout=30_000)
    args, cwd, reset = json.loads(out.read_text())
    assert args == ["ä b", "--x"]
    assert Path(cwd).resolve() == tmp_path.resolve()
    assert reset == ("1" if frozen else os.environ.get("PYINSTALLER_RESET_ENVIRONMENT"))


def test_relaunch_takes_the_place_of_this_process(tmp_path: Path) -> None:
    """POSIX: exec — the same process id, so `make demo` or a terminal keeps waiting; the
    built app's child gets PYINSTALLER_RESET_ENVIRONMENT=1."""
    if os.name != "posix":
        pytest.skip("Windows has no exec: relaunch starts a process of its own there")
    child = (
        "import os, sys; print('after', os.getpid(), sys.argv[1:], "
        "os.environ.get('PYINSTALLER_RESET_ENVIRONMENT'))"
    )
    script = (
        "import os, sys\n"
        "from ui.app import relaunch\n"
        "sys.frozen = sys.argv[1] == 'frozen'\n"
        "print('before', os.getpid(), flush=True)\n"
        f"relaunch(sys.executable, ['-c', {child!r}, 'ä b', '--x'])\n"
        "print('not replaced')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYINSTALLER_RESET_ENVIRONMENT"}
    env["PYTHONPATH"] = str(ROOT)
    for mode, reset in (("source", "None"), ("frozen", "1")):
        done = subprocess.run(
            [sys.executable, "-c", script, mode], env=env, cwd=tmp_path,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        before, after = done.stdout.splitlines()
        pid = before.split()[1]
        assert after == f"after {pid} ['ä b', '--x'] {reset}"


DRIVER = """
import os, sys
from PySide6.QtCore import QTimer
from ui import app as ui_app
from ui import settings

build = ui_app.build_window

def built(instance, **options):
    window, tray, restart = build(instance, **options)
    if os.environ.get("E2E_RESTARTED"):
        print("second", os.getpid(), settings.language(), window.windowTitle(), flush=True)
        QTimer.singleShot(0, tray.quit)
        return window, tray, restart
    def choose():
        os.environ["E2E_RESTARTED"] = "1"
        print("first", os.getpid(), settings.language(), flush=True)
        window.resize(1000, 700)
        box = window.set_language("en")
        box.defaultButton().click()  # "Jetzt neu starten"
    QTimer.singleShot(0, choose)
    return window, tray, restart

ui_app.build_window = built
sys.argv = ["contactbox", "--home", sys.argv[1], "-platform", "offscreen"]
sys.exit(ui_app.main())
"""


def test_jetzt_neu_starten_for_real(tmp_path: Path) -> None:
    """`contactbox --home …` in a process of its own: "Jetzt neu starten" ends the event
    loop, and the same command starts again in that process (the lock released, the new
    language found); the user's global settings stay untouched."""
    if os.name != "posix":
        pytest.skip("exec (same process) is POSIX; Windows starts a process of its own")
    home = tmp_path / "zweites Zuhause"
    home.mkdir()
    # offscreen has no tray: its one-time note (a modal box) was shown before
    (home / "settings.ini").write_text("[tray]\nno_tray_hint_shown=true\n", encoding="utf-8")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    user = tmp_path / "user"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTACTBOX_", "E2E_"))}
    env |= {
        "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "HOME": str(user),
        "XDG_CONFIG_HOME": str(user / ".config"), "XDG_DATA_HOME": str(user / "data"),
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(driver), str(home)], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    first, second = [
        line.split() for line in done.stdout.splitlines() if line.split()[0] in ("first", "second")
    ]
    assert first[:3] == ["first", first[1], "de"]
    assert second[:3] == ["second", first[1], "en"]  # same process, new language
    assert " ".join(second[3:]) == "Contactbox Sync"
    ini = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    assert ini.value("language") == "en"
    assert not ini.value("window/geometry").isEmpty()
    assert files_in(user) == []  # no global Qt settings (nor anything else) for the user


def test_jetzt_neu_starten_quits_then_starts_the_same_command(
    qtbot: QtBot, second_home: Path, monkeypatch: pytest.MonkeyPatch, global_qsettings: Path
) -> None:
    started: list[tuple[str, list[str], bool, bool]] = []
    run = Running(qtbot, second_home)

    def launch(program: str, arguments: Sequence[str]) -> bool:
        # the lock is released (else the new one would only wake us) and the database closed
        started.append(
            (program, list(arguments), run.instance.is_listening(), database.is_closed())
        )
        return True

    monkeypatch.setattr(ui_app, "relaunch", launch)
    try:
        run.window.resize(1000, 720)
        box = run.choose_language("English")
        assert box is not None
        assert box.defaultButton() is button(box, "Jetzt neu starten")
        button(box, "Jetzt neu starten").click()
        assert run.quits == 1  # the application quits, as with "Beenden" …
        assert run.tray._quitting and not run.tray.timer.isActive()
        assert started == []  # … and starts again when its event loop has ended (main)
        assert run.restart.finish() == 0

        program, arguments = ui_app.restart_command()
        assert started == [(program, arguments, False, True)]
        # the next start finds the language and the window's size, and becomes the instance
        assert settings.language(second_home) == "en"
        geometry = settings.app_settings(second_home).value("window/geometry")
        probe = MainWindow(keep_window_state=False)
        qtbot.addWidget(probe)
        assert probe.restoreGeometry(geometry) and probe.size().height() == 720
        newcomer = SingleInstance(instance_key(second_home))
        assert newcomer.already_running() is False
        newcomer.close()
    finally:
        run.close()
    assert files_in(global_qsettings) == []


def test_spaeter_keeps_running_and_back_to_the_own_language_asks_nothing(
    qtbot: QtBot, second_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(ui_app, "relaunch", lambda p, a: started.append(p) or True)
    run = Running(qtbot, second_home)
    try:
        box = run.choose_language("English")
        assert box is not None
        button(box, "Später").click()
        assert settings.language(second_home) == "en"
        assert run.choose_language("Deutsch") is None  # the language it speaks: no restart
        assert settings.language(second_home) == "de"
        assert not run.restart.requested and run.restart.finish() == 0
        assert started == [] and run.quits == 0 and run.instance.is_listening()
    finally:
        run.close()


def test_a_failed_restart_says_so(
    qtbot: QtBot, second_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(ui_app, "relaunch", lambda p, a: False)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: told.append(text))
    run = Running(qtbot, second_home)
    try:
        box = run.choose_language("English")
        assert box is not None
        button(box, "Jetzt neu starten").click()
        assert run.quits == 1
        assert run.restart.finish() == 1
        assert run.restart.started is False
        assert told and "selbst wieder" in told[0]
    finally:
        run.close()


def test_without_restart_the_box_only_tells(qtbot: QtBot, store: Path) -> None:
    """A window nobody restarts (screenshots, self-test) offers no restart button."""
    window = MainWindow()
    qtbot.addWidget(window)
    box = window.set_language("en")
    assert box is not None
    assert [b.text() for b in box.buttons()] == ["OK"]
