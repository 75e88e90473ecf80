"""Group cards in the contacts sync against a real Radicale (issue 19): matched by UID only
on the first run, counted apart from the contacts ("Kontakte auf dem Server" counts people,
"Gruppen auf dem Server" the group cards, "Gruppen: N geändert" their changes), a contact
deleted in Contactbox leaving its group cards on the next run, and "Neu anlegen" bringing
back the same membership.

Through the `contactbox-sync` CLI in-process (real SQLite file, real keyring backend);
Radicale only, so that each test stays within a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import vcard
from app.store import contacts as cs
from app.store import groups
from app.vcard import groups as vgroups
from tests.servers.cards import simple_card
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env

pytestmark = pytest.mark.servers

TEXT_RUN = ("run", "Test", "--mode", "sync", "--option", "server", "--book")


@pytest.fixture
def env(
    radicale_server: DavServer,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Gruppen", radicale_server, tmp_path, monkeypatch, capsys)


def seed(env: Env) -> None:
    """3 people and 2 group cards: a vCard 4 KIND:group and an Apple-style one, whose
    members include a UID nobody here knows (another client's contact)."""
    env.put("anna.vcf", simple_card("p-anna", "Anna Adler", "anna@example.de"))
    env.put("bernd.vcf", simple_card("p-bernd", "Bernd Berg", "bernd@example.de"))
    env.put("cora.vcf", simple_card("p-cora", "Cora Cramer", "cora@example.de"))
    env.put("presse.vcf", vgroups.new_group_card("Presse", ["p-anna", "p-bernd"], uid="g-presse"))
    env.put(
        "kunden.vcf",
        vgroups.new_group_card(
            "Kunden Nord", ["p-cora", "p-bernd", "fremd-uid"], dialect=vgroups.APPLE,
            uid="g-kunden",
        ),
    )  # fmt: skip


def counts(book: dict[str, object]) -> tuple[object, ...]:
    keys = ("server_count", "server_groups", "local_count", "local_groups", "groups_changed")
    return tuple(book[k] for k in keys)


def members(env: Env) -> dict[str, list[str]]:
    """Group name -> member UIDs as the group cards on the server name them."""
    out = {}
    for text in env.server_cards().values():
        s = vcard.summarize(text)
        if s.kind == "group":
            out[s.fn] = sorted(s.members)
    return out


def test_group_cards_have_their_own_figures(env: Env) -> None:
    seed(env)
    check = env.check("sync", "server")
    # The check: 3 contacts and 2 groups on the server, 3 contacts and 2 groups to import.
    assert counts(check) == (3, 2, 0, 0, 2)
    assert check["added_local"] == 3

    first = env.sync("sync", "server")
    assert counts(first) == (3, 2, 3, 2, 2)
    assert (first["added_local"], first["added_server"], first["conflicts"]) == (3, 0, 0)
    book = cs.get_book(env.name)
    assert cs.count_live(book) == 3 and len(groups.list_groups(book)) == 2

    # Nothing changed: the figures come from what is known, nothing is fetched.
    code, text = env.run_cli(*TEXT_RUN, env.name)
    assert code == 0, text
    assert "Keine Änderungen seit dem letzten Abgleich." in text
    for line in (
        "Kontakte auf dem Server: 3",
        "Kontakte in Contactbox: 3",
        "Gruppen auf dem Server: 2",
        "Gruppen in Contactbox: 2",
    ):
        assert f"  {line}\n" in text, text
    assert "geändert" not in text

    # A membership change in Contactbox is a group change, not a contact's.
    cora = cs.find_live_by_uid(book, "p-cora")
    assert cora is not None
    assert groups.add_members(book, "Presse", [cora.id]) == 1
    code, text = env.run_cli(*TEXT_RUN, env.name)
    assert code == 0, text
    assert "  Gruppen: 1 geändert\n" in text, text
    assert "Auf dem Server aktualisiert" not in text
    assert members(env)["Presse"] == ["p-anna", "p-bernd", "p-cora"]

    # A new group and a group card deleted on the server: both group changes.
    groups.create_group(book, "Bewerber_innen", [cora.id])
    kunden = next(h for h, t in env.server.list_cards(env.book_url).items() if "g-kunden" in t)
    env.server.delete_card(env.server.url(kunden))
    out = env.sync("sync", "server")
    assert counts(out) == (3, 2, 3, 2, 2)
    assert (out["added_server"], out["deleted_local"]) == (0, 0)
    assert members(env).keys() == {"Presse", "Bewerber_innen"}
    totals = env.run_cli("reports", "--json")[1]
    assert totals  # the runs are kept with their group figures
    last = env.run_cli("reports", "--id", str(totals[0]["id"]), "--json")[1]
    assert (last["totals"]["server_groups"], last["totals"]["groups_changed"]) == (2, 2)


def test_first_run_matches_group_cards_by_uid_only(env: Env) -> None:
    """A group "Presse" is not the person "Presse" (no e-mail: the same name + e-mail key),
    nor the local group "Kunden" of the same name and members under another UID."""
    env.put("presse.vcf", vgroups.new_group_card("Presse", [], uid="srv-presse"))
    env.put("kunden.vcf", vgroups.new_group_card("Kunden", ["m1"], uid="srv-kunden"))
    book = cs.ensure_book(env.name)
    cs.add_contact(book, simple_card("loc-presse", "Presse"))
    cs.add_contact(book, vgroups.new_group_card("Kunden", ["m1"], uid="loc-kunden"))

    out = env.sync("sync", "server")
    assert out["conflicts"] == 0 and out["updated_local"] == out["updated_server"] == 0
    # the person goes up; the two server groups come down, the local one goes up
    assert (out["added_server"], out["added_local"], out["groups_changed"]) == (1, 0, 3)
    assert counts(out) == (1, 3, 1, 3, 3)
    uids = {"srv-presse", "srv-kunden", "loc-presse", "loc-kunden"}
    assert set(env.server_cards()) == uids
    assert set(env.local()) == uids
    assert "FN:Presse" in env.local()["loc-presse"]
    assert vcard.summarize(env.local()["loc-presse"]).kind == ""  # still a person


def test_deleted_contact_leaves_its_group_cards(env: Env) -> None:
    seed(env)
    env.sync("sync", "server")
    book = cs.get_book(env.name)
    bernd = cs.find_live_by_uid(book, "p-bernd")
    assert bernd is not None
    cs.delete_contact(bernd)

    out = env.sync("sync", "server")
    assert (out["deleted_server"], out["groups_changed"]) == (1, 2)
    assert members(env) == {
        "Presse": ["p-anna"],
        "Kunden Nord": ["fremd-uid", "p-cora"],  # the unknown member stays
    }
    assert "p-bernd" not in env.server_cards()
    again = env.sync("sync", "server")
    assert again["groups_changed"] == 0 and again["unchanged"]


def test_one_time_import_does_not_touch_group_cards(env: Env) -> None:
    """A one-time import never writes to the server: deleted contacts stay on its group
    cards (the store leaves them as they are)."""
    seed(env)
    env.sync("import", "add")
    book = cs.get_book(env.name)
    bernd = cs.find_live_by_uid(book, "p-bernd")
    assert bernd is not None
    cs.delete_contact(bernd)
    env.sync("import", "add")
    presse = next(c for c in cs.live_contacts(book) if c.uid == "g-presse")
    assert "urn:uuid:p-bernd" in presse.vcard
    assert members(env)["Presse"] == ["p-anna", "p-bernd"]


def test_recreate_brings_back_the_same_membership(env: Env) -> None:
    seed(env)
    env.sync("sync", "server")
    book = cs.get_book(env.name)
    before = [(g.name, g.members, g.kind) for g in groups.list_groups(book)]
    in_group = {g.name: sorted(c.uid for c in cs.list_contacts(book, group=g.name))
                for g in groups.list_groups(book)}  # fmt: skip

    out = env.sync("sync", "recreate")
    assert (out["deleted_local"], out["added_local"]) == (3, 3)
    assert counts(out) == (3, 2, 3, 2, 4)  # 2 group cards to the trash, 2 back
    assert [(g.name, g.members, g.kind) for g in groups.list_groups(book)] == before
    assert {
        g.name: sorted(c.uid for c in cs.list_contacts(book, group=g.name))
        for g in groups.list_groups(book)
    } == in_group
    assert in_group == {"Kunden Nord": ["p-bernd", "p-cora"], "Presse": ["p-anna", "p-bernd"]}
