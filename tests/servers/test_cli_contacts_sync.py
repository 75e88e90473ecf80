"""The contacts command line against real servers (issue 17, "The command line, as people
script it"):

* `contacts import FILE --duplicates update|new-uid|skip` into a synced book, then a sync:
  what the import changed goes to the server (a local change, as the GUI's import), what it
  skipped does not; `contacts edit --phone` reaches the server with the line's TYPE kept.
* `--book NAME` (and `calendar bind … NAME`) naming several server collections is refused
  with every candidate and its path; the path then picks one.
* `--progress` to a pipe: whole lines, a few per second, the last one of the book.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest

from app import vcard
from app.dav import caldav
from app.dav.session import DavSession
from tests.servers.cards import simple_card as vc
from tests.servers.cli_inprocess import cli_runner
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, figures, fresh_book_env


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Handy", dav_server, tmp_path, monkeypatch, capsys)


def server_fields(env: Env) -> dict[str, vcard.ContactFields]:
    return {uid: vcard.read_fields(text) for uid, text in env.server_cards().items()}


def test_import_duplicates_then_sync(env: Env, tmp_path: Path) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de", tel="+49 1"))
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de", tel="+49 2"))
    assert figures(env.sync("sync", "server")) == {"added_local": 2}

    # A restored phone backup: Anna changed under her UID, Bert as he is, Carla new.
    backup = tmp_path / "backup.vcf"
    backup.write_text(
        vc("uid-a", "Anna Alt", "anna@example.de", tel="+49 1 NEU")
        + vc("uid-b", "Bert Bau", "bert@example.de", tel="+49 2")
        + vc("uid-c", "Carla Chor", "carla@example.de", tel="+49 3"),
        encoding="utf-8",
    )  # fmt: skip
    code, data = env.run_cli("contacts", "import", str(backup), "--book", env.name, "--json")
    assert code == 3 and data["refused"] == 2 and len(data["added"]) == 1  # the default
    assert figures(env.sync("sync", "server")) == {"added_server": 1}  # Carla only
    assert server_fields(env)["uid-a"].phones == [("cell", "+49 1")]

    code, data = env.run_cli("contacts", "import", "--duplicates", "update", "--book", env.name,
                             str(backup), "--json")  # fmt: skip
    assert code == 0, data
    assert (data["updated"], data["unchanged"], data["added"]) == (1, 2, [])
    assert figures(env.sync("sync", "server")) == {"updated_server": 1}
    assert server_fields(env)["uid-a"].phones == [("cell", "+49 1 NEU")]

    again = tmp_path / "again.vcf"
    again.write_text(vc("uid-a", "Anna Alt", "anna@example.de", tel="+49 1 ZWEI"))
    code, data = env.run_cli("contacts", "import", str(again), "--book", env.name,
                             "--duplicates", "skip", "--json")  # fmt: skip
    assert code == 0 and data["skipped"] == 1
    assert figures(env.sync("sync", "server")) == {}  # a skipped card changes nothing

    code, data = env.run_cli("contacts", "import", str(again), "--book", env.name,
                             "--duplicates", "new-uid", "--json")  # fmt: skip
    assert code == 0 and data["new_uid"] == 1 and len(data["added"]) == 1
    assert figures(env.sync("sync", "server")) == {"added_server": 1}
    on_server = server_fields(env)
    assert len(on_server) == 4
    assert on_server["uid-a"].phones == [("cell", "+49 1 NEU")]  # the original untouched
    twin = [f for uid, f in on_server.items() if uid not in ("uid-a", "uid-b", "uid-c")]
    assert [f.phones for f in twin] == [[("cell", "+49 1 ZWEI")]]

    # contacts edit goes the editor's way: a local change the next sync uploads.
    code, _ = env.run_cli("contacts", "edit", "--book", env.name, "--phone", "+49 2 EDIT",
                          "--add-email", "work:bert@firma.example", "uid-b")  # fmt: skip
    assert code == 0
    assert figures(env.sync("sync", "server")) == {"updated_server": 1}
    bert = server_fields(env)["uid-b"]
    assert bert.phones == [("cell", "+49 2 EDIT")]  # TYPE=CELL kept
    assert bert.emails == [("", "bert@example.de"), ("work", "bert@firma.example")]


def _book_message(env: Env, *args: str) -> tuple[int, str]:
    code, text = env.run_cli(*args)
    assert isinstance(text, str), text
    return code, text


def test_a_name_of_several_books_is_refused_with_their_paths(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    other_url = env.server.make_book(display_name=env.name)  # the same name, another path
    env.server.put_card(other_url, "z.vcf", vc("uid-z", "Zora Zweit", "zora@example.de"))
    first_path = env.server.url(env.book_url).split("//", 1)[1].split("/", 1)[1]
    paths = ["/" + first_path, "/" + env.server.url(other_url).split("//", 1)[1].split("/", 1)[1]]
    for args in (
        ("run", "Test", "--book", env.name, "--mode", "import"),
        ("run", "--book", env.name, "--mode", "import", "Test"),
        ("check", "Test", "--book", env.name.upper(), "--mode", "sync"),
        ("binding", "disable", "Test", "--book", env.name),
    ):
        code, text = _book_message(env, *args)
        assert code == 1, (args, text)
        assert f"„{env.name.upper() if 'check' in args else env.name}“ ist nicht eindeutig" in text
        for path in paths:
            assert path in text, (args, text)
        assert f"Bitte den Pfad angeben, z. B. --book {paths[0]}" in text or (
            f"z. B. --book {paths[1]}" in text
        )
    assert env.run_cli("reports", "--json")[1] == []  # nothing was run

    # The path picks one; the other book stays unbound and untouched.
    code, data = env.run_cli("run", "Test", "--book", paths[1], "--mode", "import", "--json")
    assert code == 0, data
    assert data["books"][0]["href"] == paths[1] and data["books"][0]["added_local"] == 1
    code, listed = env.run_cli("contacts", "list", "--book", data["books"][0]["local_book"],
                               "--json")  # fmt: skip
    assert [r["uid"] for r in listed] == ["uid-z"]

    # The other one and a third of that name, by path too: each into a local book of its own.
    third_url = env.server.make_book(display_name=env.name)
    third = "/" + env.server.url(third_url).split("//", 1)[1].split("/", 1)[1]
    local_books = {data["books"][0]["local_book"]}
    for path in (paths[0], third):
        code, data = env.run_cli("run", "Test", "--book", path, "--mode", "import", "--json")
        assert code == 0, data
        local_books.add(data["books"][0]["local_book"])
    assert local_books == {env.name, f"{env.name} (Test)", f"{env.name} (Test 2)"}
    code, listed = env.run_cli("contacts", "list", "--book", f"{env.name} (Test)", "--json")
    assert [r["uid"] for r in listed] == ["uid-a"]


def test_a_name_and_another_books_path_are_refused_too(env: Env) -> None:
    """`--book kunden` is the end of one book's path and another book's name: which one?"""
    segment = f"kunden-{uuid.uuid4().hex[:6]}"
    by_path = env.server.make_book(name=segment, display_name="Lieferanten")
    env.server.make_book(display_name=segment)
    code, text = _book_message(env, "check", "Test", "--book", segment, "--mode", "import")
    assert code == 1
    assert "„Lieferanten“ unter " in text and f"„{segment}“ unter " in text
    path = "/" + env.server.url(by_path).split("//", 1)[1].split("/", 1)[1]
    code, data = env.run_cli("check", "Test", "--book", path, "--mode", "import", "--json")
    assert code == 0 and data["books"][0]["book"] == "Lieferanten"


def test_a_calendar_name_of_several_calendars_is_refused(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = radicale_server
    name = f"Termine {uuid.uuid4().hex[:6]}"
    with DavSession(server.root_url, server.user, server.password) as session:
        home = caldav.find_calendar_homes(session)[0]
        one = caldav.make_calendar(session, home, name)
        two = caldav.make_calendar(session, home, name)
    assert one.href != two.href
    run_cli = cli_runner(tmp_path / "home", capsys)
    monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
    code, out = run_cli("calendar", "account", "add", "Kal", "--url", server.root_url,
                        "--user", server.user)  # fmt: skip
    assert code == 0, out
    code, text = run_cli("calendar", "bind", "Kal", name, "--user", "Standardbenutzer")
    assert code == 1
    assert f"„{name}“ ist nicht eindeutig, es passt auf 2 Kalender" in text
    assert one.href in text and two.href in text
    code, data = run_cli("calendar", "bind", "Kal", "--user", "Standardbenutzer", two.href,
                         "--json")  # fmt: skip
    assert code == 0, data
    assert data["href"] == two.href


def test_progress_to_a_pipe_is_whole_lines_a_few_per_second(
    radicale_server: DavServer, tmp_path: Path
) -> None:
    server = radicale_server
    name = f"Viele {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    n = 400
    server.put_cards(
        book_url,
        {f"p{i}.vcf": vc(f"uid-{i}", f"Person {i}", f"p{i}@example.de") for i in range(n)},
        display_name=name,
    )
    cli = CliProcesses(tmp_path / "home", tmp_path / "xdg")
    added = cli.call("account", "add", "Test", "--url", server.root_url, "--user", server.user,
                     extra_env={"CONTACTBOX_PASSWORD": server.password})  # fmt: skip
    assert added.returncode == 0, added.stderr
    start = time.monotonic()
    run = cli.call("run", "Test", "--book", name, "--mode", "import", "--progress")
    seconds = time.monotonic() - start
    assert run.returncode == 0, run.stderr
    err = run.stderr  # a pipe (capture_output), not a terminal
    assert "\r" not in err
    assert err.endswith("\n")
    lines = err.splitlines()
    shape = re.compile(rf"{re.escape(name)}: (list|fetch|apply) (\d+)/(\d+)\Z")
    assert lines and all(shape.match(line) for line in lines), lines
    assert lines[-1] == f"{name}: apply {n}/{n}"
    # At most one line per 0.25 s, plus the line that ends the book's apply phase (and
    # the first one): bounded by how long the run took, however slow the machine.
    assert len(lines) <= seconds / 0.25 + 2, (len(lines), seconds)
    assert len(lines) == len(set(lines))  # no step twice
