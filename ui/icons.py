"""Icons from `resources/icons/*.svg`, found relative to the package (works frozen too)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


def resources_dir() -> Path:
    """The `resources/` folder: next to the `ui` package, or in a frozen bundle's root."""
    here = Path(__file__).resolve().parent.parent / "resources"
    if here.is_dir():
        return here
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return here


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    """The icon `name` (file name without `.svg`); an empty icon if it is missing."""
    path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()
