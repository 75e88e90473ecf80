"""Start Contactbox at login, in the tray ("--tray"): Linux, Windows and macOS.

* Linux (and other XDG desktops): `$XDG_CONFIG_HOME/autostart/contactbox.desktop`.
* Windows: a value in HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.
* macOS: a LaunchAgent `~/Library/LaunchAgents/de.contactbox.sync.plist` (RunAtLoad).

`set_autostart(True, default_command())` turns it on, `set_autostart(False)` off;
`autostart_enabled()` reads it back (a desktop that hid the entry counts as off).
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

TRAY_FLAG = "--tray"
DESKTOP_FILE = "contactbox.desktop"
RUN_KEY = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
RUN_VALUE = "Contactbox Sync"
AGENT_LABEL = "de.contactbox.sync"

# Characters that make an Exec argument need quotes (Desktop Entry Specification, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPE_IN_QUOTES = set('"`$\\')


def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "xdg"


def default_command() -> list[str]:
    """How to start this installation: the frozen app, the `contactbox` script, or -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    here = Path(sys.executable).parent
    for name in ("contactbox.exe", "contactbox") if os.name == "nt" else ("contactbox",):
        script = here / name
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "ui.app"]


def with_tray_flag(command: Sequence[str]) -> list[str]:
    args = list(command)
    if not args:
        raise ValueError("empty command")
    if TRAY_FLAG not in args[1:]:
        args.append(TRAY_FLAG)
    return args


# ---------------------------------------------------------------------- Linux / XDG


def xdg_autostart_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or ""
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "autostart" / DESKTOP_FILE


def _quote_exec_arg(arg: str) -> str:
    if "\n" in arg or "\r" in arg:
        raise ValueError("a line break cannot be started from a desktop entry")
    arg = arg.replace("%", "%%")  # field codes
    if arg and not (_RESERVED & set(arg)):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + c if c in _ESCAPE_IN_QUOTES else c for c in arg) + '"'
    # the string-value escape rule applies on top of the quoting rule
    return quoted.replace("\\", "\\\\")


def exec_line(command: Sequence[str]) -> str:
    """The Exec value for `command` (quoted per the Desktop Entry Specification)."""
    return " ".join(_quote_exec_arg(a) for a in command)


def desktop_entry(command: Sequence[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Contactbox Sync\n"
        "Comment=Kontakte zwischen Contactbox und dem Server abgleichen\n"
        f"Exec={exec_line(command)}\n"
        "Icon=contactbox\n"
        "Terminal=false\n"
        "Categories=Office;ContactManagement;\n"
        "Hidden=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=5\n"
        "X-KDE-autostart-after=panel\n"
    )


def _desktop_enabled(path: Path) -> bool:
    if not path.is_file():
        return False
    values: dict[str, str] = {}
    section = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line and section == "Desktop Entry":
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    if values.get("Hidden", "false").lower() == "true":
        return False
    return values.get("X-GNOME-Autostart-enabled", "true").lower() != "false"


# ---------------------------------------------------------------------- Windows


def _run_settings() -> QSettings:
    """The per-user Run key (tests replace this with an IniFormat file)."""
    return QSettings(RUN_KEY, QSettings.Format.NativeFormat)


def windows_command_line(command: Sequence[str]) -> str:
    return subprocess.list2cmdline(list(command))


# ---------------------------------------------------------------------- macOS


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def launch_agent(command: Sequence[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


def _agent_enabled(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        data = plistlib.loads(path.read_bytes())
    except Exception:
        return False
    return bool(data.get("RunAtLoad")) and not data.get("Disabled", False)


# ---------------------------------------------------------------------- the API


def autostart_enabled() -> bool:
    """Does Contactbox start at login (for this user)?"""
    platform = _platform()
    if platform == "windows":
        return bool(_run_settings().value(RUN_VALUE, ""))
    if platform == "macos":
        return _agent_enabled(launch_agent_path())
    return _desktop_enabled(xdg_autostart_path())


def set_autostart(on: bool, command: Sequence[str] | None = None) -> None:
    """Turn starting at login on (with `command` + "--tray") or off. Raises OSError."""
    platform = _platform()
    args = with_tray_flag(command or default_command()) if on else []
    if platform == "windows":
        settings = _run_settings()
        if on:
            settings.setValue(RUN_VALUE, windows_command_line(args))
        else:
            settings.remove(RUN_VALUE)
        settings.sync()
        if settings.status() != QSettings.Status.NoError:
            raise OSError(_tr("Der Autostart-Eintrag konnte nicht gespeichert werden."))
        return
    path = launch_agent_path() if platform == "macos" else xdg_autostart_path()
    if not on:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if platform == "macos":
        path.write_bytes(launch_agent(args))
    else:
        path.write_text(desktop_entry(args), encoding="utf-8")


# ---------------------------------------------------------------------- the menu entry


def _tr(text: str) -> str:
    return QCoreApplication.translate("Autostart", text)


def autostart_action(parent: QWidget, command: Sequence[str] | None = None) -> QAction:
    """A checkable "Beim Anmelden starten" entry that turns autostart on and off."""
    action = QAction(_tr("Beim &Anmelden starten"), parent)
    action.setCheckable(True)
    action.setChecked(autostart_enabled())
    action.setToolTip(
        _tr("Contactbox Sync beim Anmelden im Infobereich starten und im Hintergrund abgleichen")
    )

    def toggled(on: bool) -> None:
        try:
            set_autostart(on, command or default_command())
        except (OSError, ValueError) as exc:
            QMessageBox.warning(
                parent,
                _tr("Beim Anmelden starten"),
                _tr("Der Autostart-Eintrag konnte nicht geändert werden:") + f"\n\n{exc}",
            )
        action.blockSignals(True)
        action.setChecked(autostart_enabled())
        action.blockSignals(False)

    action.toggled.connect(toggled)
    return action
