"""The sync lock per database (app/store/lock.py) between real processes.

A second process is held by a real OS lock (fcntl.flock here), named with the holder's
program and PID, and a killed holder leaves no stale lock. The jobs (AccountJob,
CalendarJob) take it for runs: a run that finds it taken returns a "locked" report and
writes nothing. No network: a locked job stops before it opens a session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts import add_account
from app.store.lock import SyncLocked, lock_path, program_name, read_holder, sync_lock
from app.store.models import Binding
from app.store.models import RunReport as RunReportRow
from app.sync.calendar_jobs import CalendarJob
from app.sync.jobs import AccountJob

REPO_ROOT = Path(__file__).resolve().parents[2]

LOCK_MESSAGE = (
    "Eine andere Synchronisation mit dieser Datenbank läuft gerade ({program}, PID {pid}). "
    "Bitte warten Sie, bis sie beendet ist."
)


def hold_lock_in_subprocess(db: Path, program: str = "contactbox-sync") -> subprocess.Popen[str]:
    """A second process that takes the lock, says "held" and sleeps until killed."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from app.store.lock import set_program_name, sync_lock
        set_program_name({program!r})
        with sync_lock(Path({str(db)!r})):
            print("held", flush=True)
            time.sleep(600)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def holder(store: Path) -> Iterator[subprocess.Popen[str]]:
    proc = hold_lock_in_subprocess(store)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_second_process_is_refused_with_program_and_pid(
    store: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(SyncLocked) as caught, sync_lock(store):
        pytest.fail("the lock was granted twice")
    exc = caught.value
    assert (exc.program, exc.pid) == ("contactbox-sync", holder.pid)
    assert exc.message == LOCK_MESSAGE.format(program="contactbox-sync", pid=holder.pid)
    assert lock_path(store) == store.with_name("contactbox.sqlite3.sync-lock")
    assert read_holder(store) == ("contactbox-sync", holder.pid)


def test_a_killed_holder_leaves_no_stale_lock(store: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(SyncLocked), sync_lock(store):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path(store).exists()  # the file stays, the OS lock went with the process
    with sync_lock(store):
        assert read_holder(store)[1] == os.getpid()
        # Now the other way round: a new process is refused while we hold it.
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from app.store.lock import *\n"
                "try:\n"
                f"    with sync_lock(Path({str(store)!r})): sys.exit(0)\n"
                "except SyncLocked as e:\n"
                "    print(e.message); sys.exit(5)",
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert probe.returncode == 5, probe.stderr
        assert f"PID {os.getpid()})" in probe.stdout
    # Released on leaving the block.
    proc = hold_lock_in_subprocess(store)
    proc.kill()
    proc.wait()


def test_the_holder_line_replaces_a_longer_or_shorter_one(store: Path) -> None:
    """The holder is written over the old line (no truncate first): nothing of it remains."""
    path = lock_path(store)
    for old in ("x" * 300 + " 4242\n", "ab 1\n", ""):
        path.write_text(old, encoding="utf-8")
        with sync_lock(store):
            assert read_holder(store) == (program_name(), os.getpid())
            text = path.read_text(encoding="utf-8")
            assert "x" not in text and " 4242" not in text and "ab 1" not in text
            assert text.endswith("\n") and text.count("\n") == 1


def test_the_lock_is_reentrant_within_one_process(store: Path) -> None:
    with sync_lock(store), sync_lock(store):
        pass
    with sync_lock(store):
        pass


def test_a_locked_run_returns_a_report_and_writes_nothing(
    store: Path, holder: subprocess.Popen[str]
) -> None:
    account = add_account(
        "Gesperrt", server="http://127.0.0.1:9/", username="u", password="geheim-123"
    )
    reports_before = RunReportRow.select().count()
    for job in (AccountJob(account, [], trigger="manual"), CalendarJob(account, [])):
        report = job.run()
        assert report.status == "failed"
        assert report.error_kind == "locked"
        assert report.message == LOCK_MESSAGE.format(program="contactbox-sync", pid=holder.pid)
    assert RunReportRow.select().count() == reports_before  # not even the report is saved
    assert Binding.select().count() == 0
    # A check (dry run) only reads: it runs while another process syncs.
    check = AccountJob(account, [], dry_run=True).run()
    assert check.status == "ok" and check.error_kind == ""
