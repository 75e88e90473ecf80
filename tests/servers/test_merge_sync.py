"""Konflikte ohne Verlierer (issue 22): both sides changed a contact since the last sync.

Against Radicale, Xandikos and SabreDAV 1.8 (the server-specific part: If-Match of the
merged PUT, the card the server stores and hands back, with and without sync-collection):
the desk edits TEL, a direct PUT adds EMAIL → one run holds both on both sides. The rest
(same TEL edited differently, an edit during the run, the check, where the base comes
from) runs against Radicale.

The first import keeps no base row (app.store.basetexts: each contact is stored as
received, so its first edit puts the synced version into the history, where the merge
finds it); an upload the server holds in another content than the contact keeps one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import vcard
from app.store import basetexts
from app.store import contacts as cs
from app.store.models import Contact, ContactVersion
from app.sync import merging
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env

BASE = simple_card("uid-m", "Merle Meyer", "", tel="+49 30 111")
SERVER_EMAIL = simple_card("uid-m", "Merle Meyer", "merle@example.de", tel="+49 30 111")


def _contact(env: Env) -> Contact:
    c = cs.find_live_by_uid(cs.get_book(env.name), "uid-m")
    assert c is not None
    return c


def _edit_local(env: Env, old: str, new: str) -> None:
    c = _contact(env)
    assert old in c.vcard
    cs.update_contact(c, c.vcard.replace(old, new))


def _history(env: Env) -> list[tuple[str, str]]:
    q = ContactVersion.select().where(ContactVersion.contact == _contact(env))
    return [(v.reason, v.vcard) for v in q]


def _synced(env: Env, option: str = "server") -> None:
    env.put("m.vcf", BASE)
    out = env.sync("sync", option)
    assert out["added_local"] == 1
    assert basetexts.count_bases()[0] == 0  # stored as received: the history will have it


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Merge", dav_server, tmp_path, monkeypatch, capsys)


@pytest.fixture
def rad_env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Merge", radicale_server, tmp_path, monkeypatch, capsys)


def _server_card(env: Env) -> str:
    return env.server_cards()["uid-m"]


def test_different_fields_merge_on_both_sides_without_loser(env: Env) -> None:
    _synced(env)
    _edit_local(env, "+49 30 111", "+49 30 222")  # the desk corrects the phone number
    env.put("m.vcf", SERVER_EMAIL)  # a phone adds an e-mail address
    check = env.check("sync", "server")
    assert check["merged"] == 1 and check["conflicts"] == 0
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0, out
    assert out["updated_local"] == out["updated_server"] == 0
    assert out["conflict_notes"] == []
    server = _server_card(env)  # (byte check: GET of the card the server holds)
    assert "TEL;TYPE=CELL:+49 30 222\r\n" in server and "+49 30 111" not in server
    assert "EMAIL;TYPE=INTERNET:merle@example.de\r\n" in server
    local = env.local()["uid-m"]
    assert "+49 30 222" in local and "merle@example.de" in local and "+49 30 111" not in local
    assert [r for r, _t in _history(env) if r == "conflict"] == []  # nothing lost
    # Both sides are synced as the merged card: the next run has nothing to do.
    again = env.sync("sync", "server")
    assert again["merged"] == again["updated_server"] == again["updated_local"] == 0


def test_same_phone_changed_on_both_sides_preference_decides_that_line(rad_env: Env) -> None:
    env = rad_env
    _synced(env, "contactbox")
    _edit_local(env, "+49 30 111", "+49 30 LOKAL")
    env.put("m.vcf", SERVER_EMAIL.replace("+49 30 111", "+49 30 SERVER"))
    code, data = env.run_cli(
        "check", "Test", "--book", env.name, "--mode", "sync", "--option", "contactbox",
        "--json", "--details",
    )  # fmt: skip
    assert code == 0
    book = data["books"][0]
    assert book["merged"] == 1 and book["conflicts"] == 1
    (detail,) = data["details"]
    assert detail["action"] == "merged" and detail["decided"] == ["Telefon"]
    out = env.sync("sync", "contactbox")
    assert out["merged"] == 1 and out["conflicts"] == 1
    (note,) = out["conflict_notes"]
    assert note["winner"] == "contactbox" and note["fields"] == ["Telefon"]
    server, local = _server_card(env), env.local()["uid-m"]
    for text in (server, local):  # the preferred TEL, and the server's e-mail kept
        assert "+49 30 LOKAL" in text and "merle@example.de" in text and "SERVER" not in text
    losers = [t for r, t in _history(env) if r == "conflict"]
    assert len(losers) == 1 and "+49 30 SERVER" in losers[0]  # the whole losing version


def test_local_edit_during_the_run_leaves_the_stale_merge_unwritten(
    rad_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = rad_env
    _synced(env)
    _edit_local(env, "+49 30 111", "+49 30 222")
    env.put("m.vcf", SERVER_EMAIL)
    planned = merging.MergePart._merge_conflicts

    def plan_then_edit(self: Any, result: Any) -> None:
        planned(self, result)
        _edit_local(env, "Merle Meyer", "Merle Meier")  # saved after the plan, before writing
        monkeypatch.setattr(merging.MergePart, "_merge_conflicts", planned)

    monkeypatch.setattr(merging.MergePart, "_merge_conflicts", plan_then_edit)
    out = env.sync("sync", "server")
    assert out["merged"] == 0 and out["conflicts"] == 0
    server = _server_card(env)  # not written: the phone's version as it was
    assert "+49 30 111" in server and "Merle Meyer" in server and "merle@example.de" in server
    local = env.local()["uid-m"]
    assert "Merle Meier" in local and "+49 30 222" in local and "merle@example.de" not in local
    # The next run merges the newer versions: all three edits on both sides.
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0
    for text in (_server_card(env), env.local()["uid-m"]):
        assert "Merle Meier" in text and "+49 30 222" in text and "merle@example.de" in text


def test_local_edit_after_the_merged_put_is_merged_by_the_next_run(
    rad_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = rad_env
    _synced(env)
    _edit_local(env, "+49 30 111", "+49 30 222")
    env.put("m.vcf", SERVER_EMAIL)
    record = merging.ContactMerger.record

    def edit_then_record(self: Any, *args: Any, **kw: Any) -> None:
        _edit_local(env, "Merle Meyer", "Merle Meier")  # the server has the merge already
        record(self, *args, **kw)

    monkeypatch.setattr(merging.ContactMerger, "record", edit_then_record)
    out = env.sync("sync", "server")
    assert out["merged"] == 0
    server = _server_card(env)
    assert "+49 30 222" in server and "merle@example.de" in server
    local = env.local()["uid-m"]
    assert "Merle Meier" in local and "merle@example.de" not in local  # the edit stays
    monkeypatch.setattr(merging.ContactMerger, "record", record)
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0, out
    for text in (_server_card(env), env.local()["uid-m"]):
        assert "Merle Meier" in text and "+49 30 222" in text and "merle@example.de" in text


def test_a_contact_synced_before_bases_were_kept_merges_from_its_history(rad_env: Env) -> None:
    """A file from before schema v12 (or a binding that was not two-way then) has no base
    row: the version the local edit put into the history, whose normalized hash is the
    state's remote hash, is the synced card — the same merge, nothing lost."""
    env = rad_env
    _synced(env)
    from app.store.models import ItemBase

    ItemBase.delete().execute()  # as an upgraded data directory has it
    _edit_local(env, "+49 30 111", "+49 30 222")
    env.put("m.vcf", SERVER_EMAIL)
    assert env.check("sync", "server")["merged"] == 1
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0, out
    server = _server_card(env)
    assert "+49 30 222" in server and "merle@example.de" in server
    assert [r for r, _t in _history(env) if r == "conflict"] == []
    assert basetexts.count_bases()[0] == 0  # stored as merged: no base row needed


def test_without_base_or_history_the_whole_card_rule_still_holds(rad_env: Env) -> None:
    """No base row and no history version with the synced hash (the history was emptied):
    the conflict keeps the whole-card rule — the preferred card wins, the other goes to the
    history."""
    env = rad_env
    _synced(env)
    from app.store.models import ItemBase

    ItemBase.delete().execute()
    _edit_local(env, "+49 30 111", "+49 30 222")
    ContactVersion.delete().execute()
    env.put("m.vcf", SERVER_EMAIL)
    out = env.sync("sync", "server")
    assert out["merged"] == 0 and out["conflicts"] == 1, out
    assert "+49 30 222" not in env.local()["uid-m"]  # the server's card won whole
    assert [r for r, _t in _history(env) if r == "conflict"] != []  # the desk's in the history


def test_edited_twice_before_the_sync_the_merge_still_starts_from_the_synced_card(
    rad_env: Env,
) -> None:
    """No base row (the first import keeps none): the first edit put the synced card into
    the history, the second the first edit — the merge takes the synced one (its hash is
    the state's), so neither edit nor the server's is lost."""
    env = rad_env
    _synced(env)
    _edit_local(env, "+49 30 111", "+49 30 222")
    _edit_local(env, "Merle Meyer", "Merle Meier")
    assert len(_history(env)) == 2
    env.put("m.vcf", SERVER_EMAIL)
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0, out
    for text in (_server_card(env), env.local()["uid-m"]):
        assert "Merle Meier" in text and "+49 30 222" in text and "merle@example.de" in text
        assert "+49 30 111" not in text
    assert [r for r, _t in _history(env) if r == "conflict"] == []


def test_an_upload_the_server_holds_converted_keeps_its_base_row_for_the_merge(
    rad_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text that went up is not the contact's content (a conversion for the server;
    here one that adds a line): its history has no version with the server's hash, so the
    state keeps the text sent as its base row, and the merge uses it."""
    env = rad_env
    real = vcard.prepare_for_upload

    def converting(text: str, accepted: tuple[str, ...]) -> str:
        return real(text, accepted).replace("END:VCARD", "X-KONVERTIERT:ja\r\nEND:VCARD")

    env.sync("sync", "server")  # (the empty book, bound)
    monkeypatch.setattr(vcard, "prepare_for_upload", converting)
    cs.add_contact(cs.get_book(env.name), BASE)
    out = env.sync("sync", "server")
    assert out["added_server"] == 1, out
    monkeypatch.setattr(vcard, "prepare_for_upload", real)
    sent = _server_card(env)
    assert "X-KONVERTIERT:ja" in sent
    assert basetexts.count_bases()[0] == 1  # the text sent
    (href,) = env.server.list_cards(env.book_url)
    _edit_local(env, "+49 30 111", "+49 30 222")
    env.put(href.rstrip("/").rsplit("/", 1)[-1], sent.replace(
        "END:VCARD", "EMAIL;TYPE=INTERNET:merle@example.de\r\nEND:VCARD"
    ))  # fmt: skip
    out = env.sync("sync", "server")
    assert out["merged"] == 1 and out["conflicts"] == 0, out  # (whole-card rule without it)
    for text in (_server_card(env), env.local()["uid-m"]):
        assert "+49 30 222" in text and "merle@example.de" in text and "+49 30 111" not in text
    assert [r for r, _t in _history(env) if r == "conflict"] == []
