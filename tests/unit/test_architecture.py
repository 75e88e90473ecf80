"""The core never imports Qt: every app module, loaded in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parents[2]


def test_core_modules_do_not_load_qt() -> None:
    modules = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
    assert "app.sync.plan" in modules and "app.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"Qt loaded by the core: {out.stdout}"


def test_cli_starts_without_qt() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app.cli", "--version"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert "contactbox-sync" in out.stdout
    assert "PySide6" not in out.stderr


def test_the_http_stack_and_keyring_load_only_when_needed() -> None:
    """niquests (~0.3 s) and keyring (~0.1 s) load when a session opens or a password is
    read: the window and the CLI's local commands start without them."""
    code = (
        "import sys\n"
        "import app.cli, app.accounts, app.sync.jobs, app.daemon\n"
        "print(','.join(m for m in ('niquests', 'keyring') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
