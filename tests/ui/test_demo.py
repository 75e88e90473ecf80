"""`python -m bench.demo --no-gui`: seeds and starts Radicale, adds the account, stops again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.accounts import get_account, list_accounts
from app.paths import database_path
from app.store.db import close_database, open_database

ROOT = Path(__file__).resolve().parents[2]


def run_demo(home: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TMPDIR=str(tmp_path))  # the demo's temporary folders land here
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return subprocess.run(
        [sys.executable, "-m", "bench.demo", "--no-gui", "--contacts", "30", "--home", str(home)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def radicale_of(tmp_path: Path) -> list[str]:
    """Command lines of Radicale processes whose storage is below tmp_path (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"radicale" in args and any(str(tmp_path).encode() in a for a in args):
            found.append(b" ".join(args).decode(errors="replace"))
    return found


def test_demo_adds_the_account_and_stops_the_server(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = run_demo(home, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Radicale läuft / is running: http://127.0.0.1:" in done.stdout
    assert "„Kontakte“ (30)" in done.stdout and "„Bewerber_innen“ (25)" in done.stdout
    assert "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring" in done.stdout
    assert "Radicale beendet / stopped." in done.stdout
    if sys.platform.startswith("linux"):
        assert radicale_of(tmp_path) == []
    # the temporary server storage and keyring are gone, the home is kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("contactbox-demo-")] == []

    open_database(database_path(home))
    try:
        [info] = list_accounts()
        assert info.label == "Demo" and info.username == "demo"
        assert info.preset == "radicale" and info.base_url.startswith("http://127.0.0.1:")
        assert get_account("Demo").id == info.id
    finally:
        close_database()

    # a second run with the same home points the account at the new server (new port)
    again = run_demo(home, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "auf diesen Server umgestellt" in again.stdout
    open_database(database_path(home))
    try:
        assert [a.label for a in list_accounts()] == ["Demo"]
    finally:
        close_database()
