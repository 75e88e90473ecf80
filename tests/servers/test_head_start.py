"""The command line's `sync` sends its first listing request before the sync code loads
(app/sync/head_start.py, issue 21) — against a real server, with the run's outcome compared
to the plain run's:

* the answer asked ahead is the run's: one sync-collection REPORT in all, and the server's
  change arrives;
* asked with another token than the run then uses (the binding's position moved), it is
  dropped: the run asks itself, and the outcome is the plain run's;
* a password that cannot be read fails the run as before (the same report), read once;
* another process holding the sync lock: nothing is asked ahead, the run says "locked";
* a `run` of one bound book is asked ahead as a `sync` is; into another local book (the
  binding starts afresh) nothing is asked ahead, and the run is the plain run's.

The in-process CLI (`cli_raw`) never takes this path; here `entry._run(…, own_process=True)`
does, as `contactbox-sync` and `python -m app.cli` do (tests/servers/cli_process.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import secrets
from app.cli import entry
from app.store.db import close_database, open_database
from app.store.models import Binding
from tests.servers.cards import simple_card as vc
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, figures, fresh_book_env
from tests.unit.test_cli_startup import NO_CHANGE_SYNC_LEAVES_OUT, loaded

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

    def recorded(session: Any, asked: Any, kind: str) -> Any:
        made.append(original(session, asked, kind))
        return made[-1]

    monkeypatch.setattr(hs, "_ahead_client", recorded)
    listed = 1 if supports_sync(env) else 0  # (without sync-collection nothing is ahead)
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    code, ahead = sync(env, capsys, own_process=True)
    assert code == 0, ahead
    assert figures(ahead["books"][0]) == {"added_local": 1}
    assert len(made) == listed  # the request asked ahead …
    assert all(client._pending is None for client in made)  # … was taken
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


def run(
    env: Env, capsys: pytest.CaptureFixture[str], *more: str, own_process: bool
) -> tuple[int, dict[str, Any]]:
    """`contactbox-sync run Test --book <the bound book> --mode sync --json [more]`."""
    capsys.readouterr()
    words = ["--home", str(env.home), "run", "Test", "--book", env.name, "--mode", "sync"]
    try:
        code = entry._run([*words, "--json", *more], own_process=own_process)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(capsys.readouterr().out)


def test_a_run_of_a_bound_book_is_asked_ahead_as_a_sync_is(
    env: Env,
    reports: list[str | None],
    asked: list[tuple[str, str | None]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    listed = 1 if supports_sync(env) else 0  # (without sync-collection nothing is ahead)
    open_database(env.home / "contactbox.sqlite3")
    try:
        bound = Binding.get()
        expected = (bound.remote_href, bound.sync_token)
    finally:
        close_database()
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    code, ahead = run(env, capsys, own_process=True)
    assert code == 0 and figures(ahead["books"][0]) == {"added_local": 1}, ahead
    assert asked == [expected] * listed  # the bound book, from the binding's token
    assert len(reports) == listed and all(reports)  # one delta in all, answered ahead
    assert set(env.local()) == {"uid-a", "uid-b"}
    code, ahead = run(env, capsys, own_process=True)  # nothing new: the plain run's report
    code_plain, plain = run(env, capsys, own_process=False)
    assert code == code_plain == 0 and ahead["books"][0]["unchanged"] is True
    assert comparable(ahead) == comparable(plain)
    assert len(asked) == 2 * listed and len(reports) == 3 * listed

    # into another local book the binding starts afresh: nothing is asked ahead
    code, other = run(env, capsys, "--local-book", "Zweitbuch", own_process=True)
    assert code == 0 and figures(other["books"][0]) == {"added_local": 2}, other
    assert len(asked) == 2 * listed
    assert other["books"][0]["local_book"] == "Zweitbuch"


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
    original = hs._ask

    def then_moved(session: Any, href: str, token: str | None) -> Any:
        asked = original(session, href, token)
        con = sqlite3.connect(env.home / "contactbox.sqlite3")
        with con:  # the run lists everything
            con.execute("UPDATE binding SET sync_token = NULL")
        con.close()
        return asked

    monkeypatch.setattr(hs, "_ask", then_moved)
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    code, report = sync(env, capsys, own_process=True)
    assert code == 0, report
    assert figures(report["books"][0]) == {"added_local": 1}
    # the delta asked ahead and the run's full listing (their order: the threads')
    assert len(reports) == 2 and "" in reports and any(reports)
    assert set(env.local()) == {"uid-a", "uid-b"}


def test_a_password_that_cannot_be_read_fails_the_run_as_before(
    env: Env, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(env.home / "contactbox.sqlite3")
    secrets.delete_password(Binding.get().account.id)
    close_database()
    asked: list[int] = []
    original = secrets.get_password

    def counted(account_id: int, **how: Any) -> str:
        asked.append(account_id)
        return original(account_id, **how)

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


def test_read_before_the_store_opens_as_after_it(
    env: Env,
    reports: list[str | None],
    asked: list[tuple[str, str | None]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The head start read with sqlite3 before the store opens (app/store/plain_read.py)
    asks what the one read from the models asks — the bound book, the binding's token — and
    the run's outcome is the same as theirs and as the plain run's."""
    from app.store import plain_read
    from app.sync import head_start as hs

    if not supports_sync(env):
        # SabreDAV 1.8 has no sync-collection: the sqlite3 read finds the binding, nothing
        # is asked ahead, and the run is the plain run's.
        start = plain_read.read_sync_start(env.home / "contactbox.sqlite3", "Test")
        assert start is not None and len(start.bindings) == 1
        assert hs.first_to_ask(start.bindings) is None
        env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
        code, early = sync(env, capsys, own_process=True)
        assert code == 0 and figures(early["books"][0]) == {"added_local": 1}
        code_plain, plain = sync(env, capsys, own_process=False)
        assert code_plain == 0 and plain["books"][0]["unchanged"] is True
        assert asked == [] and reports == []
        assert set(env.local()) == {"uid-a", "uid-b"}
        return

    def binding_now() -> tuple[str, str | None]:
        open_database(env.home / "contactbox.sqlite3")
        try:
            b = Binding.get()
            return b.remote_href, b.sync_token
        finally:
            close_database()

    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    expected = binding_now()
    code, ahead = sync(env, capsys, own_process=True)
    assert code == 0 and figures(ahead["books"][0]) == {"added_local": 1}
    assert asked == [expected] and expected[1]  # the delta from the binding's token

    read = plain_read.read_sync_start
    monkeypatch.setattr(plain_read, "read_sync_start", lambda *_a, **_k: None)  # the models' way
    env.put("c.vcf", vc("uid-c", "Carla Chor", "carla@example.de"))
    expected = binding_now()
    code, late = sync(env, capsys, own_process=True)
    assert code == 0 and figures(late["books"][0]) == {"added_local": 1}
    assert asked[1:] == [expected]
    assert len(reports) == 2 and all(reports)  # one delta each, answered ahead

    code_late, late = sync(env, capsys, own_process=True)  # nothing new
    monkeypatch.setattr(plain_read, "read_sync_start", read)
    code_early, early = sync(env, capsys, own_process=True)
    code_plain, plain = sync(env, capsys, own_process=False)
    assert code_late == code_early == code_plain == 0
    assert comparable(early) == comparable(late) == comparable(plain)
    assert early["books"][0]["unchanged"] is True
    assert set(env.local()) == {"uid-a", "uid-b", "uid-c"}


def _own_sync_process(env: Env, script: str) -> tuple[dict[str, Any], Any]:
    """`contactbox-sync --home H --password-stdin sync Test --json` as its own process, run
    by `script` (which prints "@@" and a JSON value on stderr as the process ends): the
    run's JSON report and that value."""
    argv = ["--home", str(env.home), "--password-stdin", "sync", "Test", "--json"]
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(argv)],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("CONTACTBOX_")}
        | {"PYTHONPATH": str(ROOT), "LANG": "C"},
        input=env.server.password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [said] = [json.loads(x[2:]) for x in done.stderr.splitlines() if x.startswith("@@")]
    return json.loads(done.stdout), said


#: `contactbox-sync sync` as its own process, with an audit hook noting, in order, the
#: first connect to the server and the first import of peewee and of lxml.
_TIMELINE = (
    "import json, sys\n"
    "order = []\n"
    "def hook(event, args):\n"
    "    if event == 'socket.connect' and 'connect' not in order:\n"
    "        order.append('connect')\n"
    "    elif event == 'import' and args[0] in ('peewee', 'lxml') and args[0] not in order:\n"
    "        order.append(args[0])\n"
    "sys.addaudithook(hook)\n"
    "import atexit\n"
    "atexit.register(lambda: print('@@' + json.dumps(order), file=sys.stderr, flush=True))\n"
    "from app.cli import main\n"
    "sys.argv = ['contactbox-sync', *json.loads(sys.argv[1])]\n"
    "main()\n"
)


@pytest.mark.parametrize(
    "dav_server", [pytest.param("radicale", marks=pytest.mark.servers)], indirect=True
)
def test_the_request_goes_out_before_the_store_and_the_parser_load(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh `contactbox-sync sync` process against a real Radicale: it connects to the
    server before it imports peewee or lxml, and the run takes the server's change."""
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    report, order = _own_sync_process(env, _TIMELINE)
    assert figures(report["books"][0]) == {"added_local": 1}
    assert order == ["connect", "peewee", "lxml"]
    open_database(env.home / "contactbox.sqlite3")  # (the process above wrote it)
    try:
        assert set(env.local()) == {"uid-a", "uid-b"}
    finally:
        close_database()


_MODULES_AT_EXIT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: print('@@' + json.dumps(sorted(sys.modules)), file=sys.stderr,\n"
    "                              flush=True))\n"
    "from app.cli import main\n"
    "sys.argv = ['contactbox-sync', *json.loads(sys.argv[1])]\n"
    "main()\n"
)


@pytest.mark.parametrize(
    "dav_server", [pytest.param("radicale", marks=pytest.mark.servers)], indirect=True
)
def test_a_no_change_sync_loads_only_what_it_uses(env: Env) -> None:
    """A fresh `contactbox-sync sync` process with nothing to do, against a real Radicale:
    the run ends unchanged, and what only a refusal, a merge, a backup or a new binding
    needs was never imported (tests/unit/test_cli_startup.py `NO_CHANGE_SYNC_LEAVES_OUT`,
    issue 21)."""
    report, modules = _own_sync_process(env, _MODULES_AT_EXIT)
    assert report["status"] == "ok" and report["books"][0]["unchanged"] is True
    assert {"app.sync.engine", "app.sync.execute", "app.store.syncstate"} <= set(modules)
    assert loaded(set(modules), NO_CHANGE_SYNC_LEAVES_OUT) == []
