"""`contactbox-sync` as a real subprocess for tests with more than one process.

The keyring of the subprocesses is keyrings.alt's PlaintextKeyring under a private
XDG_DATA_HOME, so `account add` (one process) stores the password where a later `run`
(another process) finds it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180.0


class CliProcesses:
    """Start `python -m app.cli --home HOME ...` processes sharing one data home."""

    def __init__(self, home: Path, xdg: Path) -> None:
        self.home = home
        xdg.mkdir(parents=True, exist_ok=True)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("CONTACTBOX_HOME", "CONTACTBOX_PASSWORD", "PYTHONPATH")
        }
        self.env.update(
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            XDG_DATA_HOME=str(xdg),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=str(REPO_ROOT),
        )

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "app.cli", "--home", str(self.home), *args]

    def call(
        self, *args: str, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*args),
            cwd=REPO_ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.argv(*args),
            cwd=REPO_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
