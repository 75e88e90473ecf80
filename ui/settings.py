"""The window's settings live in the data directory: `settings.ini` next to the database.

    app_settings().value("language", "de")

What is kept there: the UI language, hints shown once (tray/…) and the window's geometry.
A second data directory (`--home`, `$CONTACTBOX_HOME`, `make demo`) therefore has settings
of its own and never changes the user's. The data directory is the folder of the database
the models are bound to (app.store.models.database), before that `app.paths.data_home()`;
ui/app.py passes the home explicitly for what it reads before the database is open.

Versions before this one kept these values in the user's global Qt settings (QSettings():
~/.config/Contactbox/Contactbox Sync.conf, the registry, a macOS plist). The user's default
data directory takes them over once (`adopt_global_settings`); the global values are left
as they were, a second data directory never reads them.

Only ui/autostart.py still writes outside the data directory, on purpose: the login
items of the system (a .desktop file, the Windows Run key, a LaunchAgent).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.paths import data_home, default_home
from app.store.models import database

SETTINGS_FILE = "settings.ini"
LANGUAGE_KEY = "language"
DEFAULT_LANGUAGE = "de"
LANGUAGES = ("de", "en")


def settings_home() -> Path:
    """The data directory in use: the open database's folder, else `data_home()`."""
    bound = database.obj
    name = str(getattr(bound, "database", "") or "") if bound is not None else ""
    if name and name != ":memory:":
        return Path(name).resolve().parent
    return data_home()


def settings_path(home: Path | None = None) -> Path:
    return (home if home is not None else settings_home()) / SETTINGS_FILE


def app_settings(home: Path | None = None) -> QSettings:
    """The settings of data directory `home` (default: the one in use), an INI file."""
    return QSettings(str(settings_path(home)), QSettings.Format.IniFormat)


def language(home: Path | None = None) -> str:
    """The UI language chosen for this data directory ("de" unless "en" was chosen)."""
    value = str(app_settings(home).value(LANGUAGE_KEY, DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def set_language(code: str, home: Path | None = None) -> None:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    settings = app_settings(home)
    settings.setValue(LANGUAGE_KEY, code)
    settings.sync()


def is_default_home(home: Path) -> bool:
    try:
        return home.resolve() == default_home().resolve()
    except OSError:
        return False


def adopt_global_settings(home: Path) -> list[str]:
    """Copy the values of the global Qt settings into `home`'s settings.ini, once.

    Only for the user's default data directory, and only while it has no settings.ini yet.
    Returns the keys copied. The global settings are read, never changed.
    """
    target = settings_path(home)
    if target.exists() or not is_default_home(home):
        return []
    old = QSettings()  # organisation/application names are set by ui/app.py
    old.setFallbacksEnabled(False)  # macOS: not the system-wide defaults
    keys = [str(k) for k in old.allKeys()]
    if not keys:
        return []
    new = app_settings(home)
    for key in keys:
        new.setValue(key, old.value(key))
    new.sync()
    return keys
