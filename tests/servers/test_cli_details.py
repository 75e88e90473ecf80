"""`check … --details` and `run … --details` against a real Radicale (issue 22, "Prüfen shows
each contact"): a mixed plan — new, changed (TEL and EMAIL) and deleted on the server, new
and changed in Contactbox, and a conflict merged (the phone number decided) — is listed
item by item with its side, action and changed fields; the run lists what it did, the kept
report has the same list, and the JSON without --details is the same as before. German and
English text output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.store import contacts as cs
from tests.i18n_words import assert_no_english, assert_no_german
from tests.servers.cards import simple_card as vc
from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Liste", radicale_server, tmp_path, monkeypatch, capsys)


def _mixed_plan(env: Env) -> None:
    """After a first sync: one item of each kind of change waits."""
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de", tel="+49 30 111"))
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    env.put("k.vcf", vc("uid-k", "Karl Kern", "karl@example.de", tel="+49 0 BASIS"))
    book = cs.ensure_book(env.name)
    cs.add_contact(book, vc("uid-l", "Lena Lang", "lena@example.de", tel="+49 40 100"))
    code, data = env.run_cli("run", "Test", "--book", env.name, "--mode", "sync", "--json")
    assert code == 0, data

    env.put("n.vcf", vc("uid-n", "Nora Nowak", "nora@example.de"))  # new on the server
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@firma.example", tel="+49 30 999"))
    href = next(h for h, t in env.server.list_cards(env.book_url).items() if "uid-b" in t)
    env.server.delete_card(env.server.url(href))  # deleted on the server
    cs.add_contact(book, vc("uid-m", "Mia Mai", "mia@example.de"))  # new in Contactbox
    code, _out = env.run_cli("contacts", "edit", "uid-l", "--book", env.name, "--phone",
                             "+49 40 200")  # fmt: skip
    assert code == 0
    env.put("k.vcf", vc("uid-k", "Karl Kern", "karl@example.de", tel="+49 1 SERVER"))
    code, _out = env.run_cli("contacts", "edit", "uid-k", "--book", env.name, "--phone",
                             "+49 2 LOKAL")  # fmt: skip
    assert code == 0


def _by_uid(details: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {d["uid"]: d for d in details}
    assert len(out) == len(details), details
    return out


def _fields(d: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {f["name"]: (f["old"], f["new"]) for f in d["fields"]}


def _assert_mixed(details: list[dict[str, Any]], book: str) -> None:
    items = _by_uid(details)
    assert {u: (d["side"], d["action"]) for u, d in items.items()} == {
        "uid-n": ("contactbox", "new"),
        "uid-a": ("contactbox", "changed"),
        "uid-b": ("contactbox", "deleted"),
        "uid-m": ("server", "new"),
        "uid-l": ("server", "changed"),
        # Both changed the phone number: merged, the server's number wins (the preference;
        # the server already has the result, so only Contactbox is written).
        "uid-k": ("contactbox", "merged"),
    }
    assert {u: d["name"] for u, d in items.items()} == {
        "uid-n": "Nora Nowak", "uid-a": "Anna Alt", "uid-b": "Bert Bau",  # B: last known name
        "uid-m": "Mia Mai", "uid-l": "Lena Lang", "uid-k": "Karl Kern",
    }  # fmt: skip
    assert {d["book"] for d in details} == {book}
    assert _fields(items["uid-a"]) == {
        "E-Mail": ("anna@example.de", "anna@firma.example"),
        "Telefon": ("Mobil: +49 30 111", "Mobil: +49 30 999"),
    }
    # A local edit, compared with the version last synced (the server's was not fetched).
    assert _fields(items["uid-l"]) == {"Telefon": ("Mobil: +49 40 100", "Mobil: +49 40 200")}
    assert _fields(items["uid-k"]) == {"Telefon": ("Mobil: +49 0 BASIS", "Mobil: +49 1 SERVER")}
    assert items["uid-k"]["decided"] == ["Telefon"]
    for uid in ("uid-n", "uid-b", "uid-m"):
        assert items[uid]["fields"] == []


def test_check_and_run_list_each_item_with_its_fields(env: Env) -> None:
    _mixed_plan(env)
    base = ["Test", "--book", env.name, "--mode", "sync"]

    code, plain = env.run_cli("check", *base, "--json")
    assert code == 0 and "details" not in plain  # the JSON as before without --details
    code, checked = env.run_cli("check", *base, "--json", "--details")
    assert code == 0, checked
    assert {k: v for k, v in checked.items() if k not in ("details", "started", "finished")} == {
        k: v for k, v in plain.items() if k not in ("started", "finished")
    }
    _assert_mixed(checked["details"], env.name)
    assert "details" not in checked["books"][0]

    code, ran = env.run_cli("run", *base, "--json", "--details")
    assert code == 0, ran
    _assert_mixed(ran["details"], env.name)
    assert ran["totals"]["added_local"] == 1 and ran["totals"]["conflicts"] == 1

    # The kept report has the same list (and shows it only when asked).
    code, rows = env.run_cli("reports", "Test", "--json")
    assert code == 0 and all("details" not in r for r in rows)
    last = rows[0]["id"]
    code, shown = env.run_cli("reports", "--id", str(last), "--json", "--details")
    assert code == 0
    _assert_mixed(shown["details"], env.name)
    code, shown = env.run_cli("reports", "--id", str(last), "--json")
    assert "details" not in shown

    # Nothing left to do: an empty list.
    code, again = env.run_cli("run", *base, "--json", "--details")
    assert code == 0 and again["details"] == []


def test_a_failed_item_is_not_listed_as_done(env: Env) -> None:
    """The run's list is what was done: a server deletion held back by the guard is in
    the check's list, not in the run's."""
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    base = ["Test", "--book", env.name, "--mode", "sync"]
    assert env.run_cli("run", *base, "--json")[0] == 0
    href = next(iter(env.server.list_cards(env.book_url)))
    env.server.delete_card(env.server.url(href))  # all of them: the guard holds it back
    code, checked = env.run_cli("check", *base, "--json", "--details")
    assert [(d["uid"], d["action"]) for d in checked["details"]] == [("uid-a", "deleted")]
    code, ran = env.run_cli("run", *base, "--json", "--details")
    assert code == 4 and ran["details"] == []


def test_details_text_in_german_and_english(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    _mixed_plan(env)
    base = ["check", "Test", "--book", env.name, "--mode", "sync", "--details"]
    code, out, err = cli_raw(env.home, capsys, *base)
    assert code == 0, err
    assert "Einzelne Änderungen (6):" in out
    assert f"In Contactbox: geändert – Anna Alt [{env.name}]" in out
    assert "    Telefon: Mobil: +49 30 111 → Mobil: +49 30 999" in out
    assert f"In Contactbox: gelöscht – Bert Bau [{env.name}]" in out
    assert f"Auf dem Server: neu – Mia Mai [{env.name}]" in out
    assert f"In Contactbox: zusammengeführt – Karl Kern [{env.name}]" in out
    details = out[out.index("Einzelne Änderungen") :]
    assert_no_english(details.replace(env.name, ""), "check --details")

    code, out, err = cli_raw(env.home, capsys, "--language", "en", *base)
    assert code == 0, err
    assert "Changes item by item (6):" in out
    assert f"In Contactbox: changed – Anna Alt [{env.name}]" in out
    assert "    Phone: Mobile: +49 30 111 → Mobile: +49 30 999" in out
    assert f"On the server: new – Mia Mai [{env.name}]" in out
    assert f"In Contactbox: merged – Karl Kern [{env.name}]" in out
    details = out[out.index("Changes item by item") :]
    assert_no_german(details.replace(env.name, ""), "check --details (English)")

    code, out, err = cli_raw(env.home, capsys, "--language", "en", *base, "--json")
    names = {f["name"] for d in json.loads(out)["details"] for f in d["fields"]}
    assert names == {"Phone", "Email"}


def _group(uid: str, name: str, *members: str) -> str:
    """A vCard 4 group card of the contacts `members` (UIDs)."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:{uid}", "KIND:group", f"FN:{name}"]
    lines += [f"MEMBER:urn:uuid:{m}" for m in members]
    return "\r\n".join([*lines, "END:VCARD", ""])


def test_a_group_card_is_listed_as_a_group_with_its_members_by_name(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """A group card changed on the server: „Gruppe: Presse“, its members one field
    "Mitglieder" with the counts and who joined and left, by name (an unknown UID as it
    is), never raw `urn:uuid:` lines — in the JSON, the text and in English."""
    env.put("a.vcf", vc("uid-a", "Anna Alt", "anna@example.de"))
    env.put("b.vcf", vc("uid-b", "Bert Bau", "bert@example.de"))
    env.put("c.vcf", vc("uid-c", "Carla Chor", "carla@example.de"))
    env.put("g.vcf", _group("uid-g", "Presse", "uid-a", "uid-b"))
    base = ["Test", "--book", env.name, "--mode", "sync"]
    assert env.run_cli("run", *base, "--json")[0] == 0
    env.put("g.vcf", _group("uid-g", "Presse", "uid-a", "uid-c", "uid-fremd"))

    code, checked = env.run_cli("check", *base, "--json", "--details")
    assert code == 0, checked
    (group,) = checked["details"]
    assert (group["uid"], group["name"], group["kind"]) == ("uid-g", "Presse", "group")
    assert (group["side"], group["action"]) == ("contactbox", "changed")
    members = "3 (+ Carla Chor, uid-fremd; − Bert Bau)"
    assert group["fields"] == [{"name": "Mitglieder", "old": "2", "new": members}]
    assert "urn:uuid" not in json.dumps(checked["details"])

    check = ["check", *base, "--details"]
    code, out, err = cli_raw(env.home, capsys, *check)
    assert code == 0, err
    assert f"In Contactbox: geändert – Gruppe: Presse [{env.name}]" in out
    assert f"    Mitglieder: 2 → {members}" in out
    code, out, err = cli_raw(env.home, capsys, "--language", "en", *check)
    assert code == 0, err
    assert f"In Contactbox: changed – Group: Presse [{env.name}]" in out
    assert f"    Members: 2 → {members}" in out

    # A person's list entry has no kind; the run lists the group as it did it.
    code, ran = env.run_cli("run", *base, "--json", "--details")
    assert code == 0 and ran["details"] == checked["details"]
