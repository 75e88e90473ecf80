"""ui.autostart: XDG autostart for real in a temp folder; Windows and macOS as written."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui import autostart
from ui.autostart import (
    RUN_VALUE,
    autostart_action,
    autostart_enabled,
    default_command,
    exec_line,
    set_autostart,
)


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "autostart" / "contactbox.desktop"


def entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_linux_desktop_entry_on_and_off(linux: Path) -> None:
    assert autostart_enabled() is False
    set_autostart(True, ["/usr/bin/contactbox"])
    assert autostart_enabled() is True
    values = entry(linux)
    assert values["Type"] == "Application"
    assert values["Exec"] == "/usr/bin/contactbox --tray"
    assert values["Hidden"] == "false"
    assert values["X-GNOME-Autostart-enabled"] == "true"
    set_autostart(True, ["/usr/bin/contactbox", "--tray"])  # no second flag
    assert entry(linux)["Exec"] == "/usr/bin/contactbox --tray"
    set_autostart(False)
    assert not linux.exists()
    assert autostart_enabled() is False
    set_autostart(False)  # already off: fine


def test_linux_entry_hidden_by_the_desktop_counts_as_off(linux: Path) -> None:
    set_autostart(True, ["/usr/bin/contactbox"])
    linux.write_text(linux.read_text().replace("Hidden=false", "Hidden=true"))
    assert autostart_enabled() is False
    set_autostart(True, ["/usr/bin/contactbox"])
    linux.write_text(
        linux.read_text().replace(
            "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"
        )
    )
    assert autostart_enabled() is False


def test_linux_without_xdg_config_home_uses_dot_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    set_autostart(True, ["contactbox"])
    assert (tmp_path / ".config" / "autostart" / "contactbox.desktop").is_file()
    assert autostart_enabled()


def test_exec_quoting_follows_the_desktop_entry_spec() -> None:
    assert exec_line(["/opt/Contact Box/contactbox", "--tray"]) == (
        '"/opt/Contact Box/contactbox" --tray'
    )
    # inside quotes: \" \` \$ \\ ; then the string escape doubles every backslash
    assert exec_line(["/usr/bin/python3", "--home", 'C:\\a$b"c`d']) == (
        '/usr/bin/python3 --home "C:\\\\\\\\a\\\\$b\\\\"c\\\\`d"'
    )
    assert exec_line(["app", "100%"]) == "app 100%%"  # not a field code
    assert exec_line(["app", ""]) == 'app ""'
    with pytest.raises(ValueError):
        exec_line(["app", "a\nb"])


def test_windows_run_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    ini = tmp_path / "run.ini"

    def run_settings() -> QSettings:
        return QSettings(str(ini), QSettings.Format.IniFormat)

    monkeypatch.setattr(autostart, "_run_settings", run_settings)
    assert autostart_enabled() is False
    set_autostart(True, ["C:\\Program Files\\Contactbox Sync\\contactbox.exe"])
    assert autostart_enabled() is True
    assert run_settings().value(RUN_VALUE) == (
        '"C:\\Program Files\\Contactbox Sync\\contactbox.exe" --tray'
    )
    set_autostart(False)
    assert autostart_enabled() is False
    assert run_settings().value(RUN_VALUE) is None


def test_macos_launch_agent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    command = ["/Applications/Contactbox Sync.app/Contents/MacOS/Contactbox Sync"]
    set_autostart(True, command)
    plist = tmp_path / "Library" / "LaunchAgents" / "de.contactbox.sync.plist"
    data = plistlib.loads(plist.read_bytes())
    assert data["Label"] == "de.contactbox.sync"
    assert data["ProgramArguments"] == [*command, "--tray"]
    assert data["RunAtLoad"] is True
    assert autostart_enabled() is True
    set_autostart(False)
    assert not plist.exists() and autostart_enabled() is False


def test_default_command_starts_this_installation() -> None:
    command = default_command()
    assert command and Path(command[0]).exists()
    assert command == [command[0]] or command[1:] == ["-m", "ui.app"]


def test_menu_action_turns_autostart_on_and_off(qtbot: QtBot, linux: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    action = autostart_action(parent, ["/usr/bin/contactbox"])
    assert action.text() == "Beim &Anmelden starten"
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    assert action.isChecked() and linux.is_file()
    assert entry(linux)["Exec"] == "/usr/bin/contactbox --tray"
    action.trigger()
    assert not action.isChecked() and not linux.exists()


def test_menu_action_reports_a_failure(
    qtbot: QtBot, linux: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    linux.parent.parent.mkdir(parents=True)
    linux.parent.write_text("a file where the folder should be")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    parent = QWidget()
    qtbot.addWidget(parent)
    action = autostart_action(parent, ["/usr/bin/contactbox"])
    action.trigger()
    assert not action.isChecked()  # shows what is really set
    assert warnings and warnings[0].startswith("Der Autostart-Eintrag konnte nicht")
