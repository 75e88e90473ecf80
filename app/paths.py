"""Where Contactbox Sync keeps its data: the user's data directory unless overridden.

Order: an explicit --home, then $CONTACTBOX_HOME, then platformdirs' user data dir.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "contactbox.sqlite3"


def default_home() -> Path:
    """The user's data directory when neither --home nor $CONTACTBOX_HOME names another
    (not created here). platformdirs is imported only here: with --home or $CONTACTBOX_HOME,
    and for `contactbox-sync --version`, it is never loaded."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("contactbox-sync", "Contactbox")).expanduser()


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create, owner-only) the data directory."""
    if override:
        home = Path(override)
    elif os.environ.get("CONTACTBOX_HOME"):
        home = Path(os.environ["CONTACTBOX_HOME"])
    else:
        home = default_home()
    home = home.expanduser()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return home


def database_path(home: Path) -> Path:
    return home / DB_FILENAME
