"""The groups command line against a real Radicale (issue 19, "CLI"): a group card another
client wrote arrives, `contacts group add` puts a contact into it, and after `sync` the card on
the server holds the member in its own (Apple) dialect, its other member kept; `contacts group
create` with the account's default (a group card: preset "other") makes a new group card that
the next `sync` uploads. The sync engine's own group tests are tests/servers/test_groups_sync.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.vcard import groups as vgroups
from tests.servers.cards import simple_card as vc
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env

TEAM = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-team\r\nFN:Team\r\nN:Team;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-b\r\n"
    "END:VCARD\r\n"
)


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Gruppen", radicale_server, tmp_path, monkeypatch, capsys)


def run_sync(env: Env) -> None:
    code, data = env.run_cli("sync", "Test", "--json")
    assert code == 0, data
    assert data["status"] == "ok", data


def test_group_add_then_sync_puts_the_member_on_the_server(env: Env) -> None:
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    env.put("team.vcf", TEAM)
    book = env.sync("sync", "server")
    assert book["_exit"] == 0, book

    code, groups = env.run_cli("contacts", "groups", "--book", env.name, "--json")
    assert (code, groups) == (0, [{"name": "Team", "members": 1, "kind": "card"}])
    code, data = env.run_cli("contacts", "group", "add", "Team", "Anna Alt", "--book", env.name,
                             "--json")  # fmt: skip
    assert code == 0, data
    assert (data["members"], data["kind"]) == (2, "card")
    run_sync(env)

    team = env.server_cards()["uid-team"]
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-a\r\n" in team  # the card's own dialect
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-b\r\n" in team
    assert "CATEGORIES" not in env.server_cards()["uid-a"]  # written where the group lives

    # A new group: the account's default (preset "other": group cards) decides its form.
    code, data = env.run_cli("contacts", "group", "create", "Neu", "uid-b", "--book", env.name,
                             "--json")  # fmt: skip
    assert code == 0 and data == {"name": "Neu", "members": 1, "kind": "card"}, data
    run_sync(env)
    found = [g for g in map(vgroups.group_of, env.server_cards().values()) if g is not None]
    assert sorted((g.name, sorted(g.member_uids)) for g in found) == [
        ("Neu", ["uid-b"]),
        ("Team", ["uid-a", "uid-b"]),
    ]
