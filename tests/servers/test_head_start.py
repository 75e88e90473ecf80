"""The command line's `sync` sends its first listing request before the sync code loads
(app/sync/head_start.py, issue 21) — against a real server, with the run's outcome compared
to the plain run's:

* the answer asked ahead is the run's: one sync-collection REPORT in all, and the server's
  change arrives;
* asked with another token than the run then uses (the binding's position moved), it is
  dropped: the run asks itself, and the outcome is the plain run's;
* a password that cannot be read fails the run as before (the same report), read once;
* another process holding the sync lock: nothing is asked ahead, the run says "locked".

The in-process CLI (`cli_raw`) never takes this path; here `entry._run(…, own_process=True)`
does, as `contactbox-sync` and `python -m app.cli` do (tests/servers/cli_process.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import secrets
from app.cli import entry
from app.dav.collection_listing import CollectionLister
from app.store.db import close_database, open_database
from app.store.models import Binding
from tests.servers.cards import simple_card as vc
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, figures, fresh_book_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    env = fresh_book_env("Vorab", dav_server, tmp_path, monkeypatch, capsys)
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    assert figures(env.sync("sync", "server")) == {"added_local": 1}  # bound, with a token
    return env


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The sync-collection REPORTs sent (their tokens), by any client."""
    sent: list[str | None] = []
    original = CollectionLister._sync_request

    def counted(self: Any, collection: str, token: str, limit: int | None) -> Any:
        sent.append(token)
        return original(self, collection, token, limit)

    monkeypatch.setattr(CollectionLister, "_sync_request", counted)
    return sent


def sync(
    env: Env, capsys: pytest.CaptureFixture[str], *, own_process: bool
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    try:
        code = entry._run(
            ["--home", str(env.home), "sync", "Test", "--json"], own_process=own_process
        )
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(capsys.readouterr().out)


def supports_sync(env: Env) -> bool:
    open_database(env.home / "contactbox.sqlite3")
    try:
        return bool(Binding.get().supports_sync)
    finally:
        close_database()


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A run's report without what differs from run to run (times, ids)."""
    drop = ("started", "finished", "duration", "id", "seconds")
    return {k: v for k, v in report.items() if k not in drop and k != "books"} | {
        "books": [{k: v for k, v in b.items() if k not in drop} for b in report["books"]]
    }


def test_the_answer_asked_ahead_is_the_runs(
    env: Env,
    reports: list[str | None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.sync import head_start as hs

    made: list[Any] = []
    original = hs._ahead_client

    def recorded(session: Any, href: str, token: str | None) -> Any:
        made.append(original(session, href, token))
        return made[-1]

    monkeypatch.setattr(hs, "_ahead_client", recorded)
    listed = 1 if supports_sync(env) else 0  # (without sync-collection nothing is ahead)
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    code, ahead = sync(env, capsys, own_process=True)
    assert code == 0, ahead
    assert figures(ahead["books"][0]) == {"added_local": 1}
    assert len(made) == listed  # the request asked ahead …
    assert all(client._pending is None for client, _future in made)  # … was taken
    assert len(reports) == listed and all(reports)  # one delta in all, from the saved token
    assert set(env.local()) == {"uid-a", "uid-b"}

    env.put("c.vcf", vc("uid-c", "Carla Chor", "carla@example.de"))
    code, plain = sync(env, capsys, own_process=False)
    assert code == 0 and figures(plain["books"][0]) == {"added_local": 1}
    assert len(reports) == 2 * listed
    assert comparable(ahead)["books"][0].keys() == comparable(plain)["books"][0].keys()
    code, ahead = sync(env, capsys, own_process=True)  # nothing new: the same report
    code_plain, plain = sync(env, capsys, own_process=False)
    assert code == code_plain == 0
    assert comparable(ahead) == comparable(plain)
    assert ahead["books"][0]["unchanged"] is True
    assert len(reports) == 4 * listed


@pytest.mark.parametrize(
    "dav_server",
    [pytest.param(n, marks=pytest.mark.servers) for n in ("radicale", "xandikos")],
    indirect=True,  # SabreDAV 1.8 has no sync-collection: nothing is asked ahead there
)
def test_an_answer_to_another_question_is_dropped(
    env: Env,
    reports: list[str | None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The binding's token changes between the request asked ahead and the run (here by
    hand; in life it cannot, the lock is held): the run asks with its own token."""
    from app.sync import head_start as hs

    assert supports_sync(env)
    original = hs._ahead_client

    def then_moved(session: Any, href: str, token: str | None) -> Any:
        made = original(session, href, token)
        Binding.update(sync_token=None).execute()  # the run lists everything
        return made

    monkeypatch.setattr(hs, "_ahead_client", then_moved)
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    code, report = sync(env, capsys, own_process=True)
    assert code == 0, report
    assert figures(report["books"][0]) == {"added_local": 1}
    assert reports[0] and reports[1] == ""  # the delta asked ahead, then the full listing
    assert len(reports) == 2
    assert set(env.local()) == {"uid-a", "uid-b"}


def test_a_password_that_cannot_be_read_fails_the_run_as_before(
    env: Env, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(env.home / "contactbox.sqlite3")
    secrets.delete_password(Binding.get().account.id)
    close_database()
    asked: list[int] = []
    original = secrets.get_password

    def counted(account_id: int) -> str:
        asked.append(account_id)
        return original(account_id)

    monkeypatch.setattr(secrets, "get_password", counted)
    code, ahead = sync(env, capsys, own_process=True)
    assert len(asked) == 1  # (the keyring is asked once)
    code_plain, plain = sync(env, capsys, own_process=False)
    assert code == code_plain == 1
    assert ahead["status"] == "failed" and ahead["error_kind"] == "auth"
    assert "kein Passwort gespeichert" in ahead["message"]
    assert comparable(ahead) == comparable(plain)


_HOLD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from app.store.lock import database_sync_lock\n"
    "from app.store.db import open_database\n"
    "open_database(Path(sys.argv[1]))\n"
    "with database_sync_lock():\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.read()\n"
)


def test_another_process_syncing_means_nothing_is_asked(
    env: Env, reports: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(env.home / "contactbox.sqlite3")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, report = sync(env, capsys, own_process=True)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert code == 5 and report["error_kind"] == "locked"
    assert reports == []  # nothing asked ahead, nothing asked
