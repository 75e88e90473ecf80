"""`contactbox-sync contacts history REF --book B [--json]`: where an edit went.

The versions come from real runs against Radicale (a local edit, a conflict the server
wins, a server update) and a restore in the store, then the command lists them newest
first with German labels (text) or as stable JSON objects {reason, note, created, vcard}.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store import contacts as cs
from app.store.history import restore_version, versions
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
    return fresh_book_env("Verlauf", radicale_server, tmp_path, monkeypatch, capsys)


def test_history_lists_edit_conflict_server_update_and_restore(env: Env) -> None:
    env.put("k.vcf", vc("uid-k", "Karl Verlauf", "karl@example.de", tel="+49 0 BASIS"))
    env.sync("sync", "server")
    code, _ = env.run_cli("contacts", "edit", "uid-k", "--book", env.name, "--phone", "+49 2 LOKAL")
    assert code == 0
    env.put("k.vcf", vc("uid-k", "Karl Verlauf", "karl@example.de", tel="+49 1 SERVER"))
    assert env.sync("sync", "server")["conflicts"] == 1  # the local edit of TEL loses
    env.put("k.vcf", vc("uid-k", "Karl Verlauf", "karl@example.de", tel="+49 3 NEUER"))
    assert env.sync("sync", "server")["updated_local"] == 1
    c = cs.find_live_by_uid(cs.get_book(env.name), "uid-k")
    assert c is not None
    first = versions(c.id)[-1]  # the card as first imported
    restore_version(c.id, first.id)

    code, data = env.run_cli("contacts", "history", "uid-k", "--book", env.name, "--json")
    assert code == 0, data
    assert [d["reason"] for d in data] == ["restore", "server-update", "conflict", "edit"]
    assert all(set(d) == {"reason", "note", "created", "vcard"} for d in data)
    restored, server_update, conflict, edit = (d["vcard"] for d in data)
    assert "+49 3 NEUER" in restored  # what the restore replaced
    assert "+49 1 SERVER" in server_update
    assert "+49 2 LOKAL" in conflict  # the loser of the conflict: the local edit
    assert "+49 0 BASIS" in edit  # the card before the edit
    assert data[0]["note"].startswith("Fassung vom ")
    stamps = [datetime.fromisoformat(d["created"]) for d in data]
    assert all(s.tzinfo is not None and s.utcoffset() == UTC.utcoffset(None) for s in stamps)
    assert stamps == sorted(stamps, reverse=True)
    assert abs((datetime.now(UTC) - stamps[-1]).total_seconds()) < 600

    code, text = env.run_cli("contacts", "history", "Karl Verlauf", "--book", env.name)
    assert code == 0
    assert text.startswith("„Karl Verlauf“ (Nr. ")
    labels = ["Wiederhergestellt", "Vom Server geändert", "Konflikt (unterlegene Fassung)",
              "Bearbeitet"]  # fmt: skip
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "\n  TEL;TYPE=CELL:+49 2 LOKAL\n" in text  # each version's text, indented


run = cli_raw


def test_history_of_a_new_contact_a_trashed_one_and_wrong_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(tmp_path, capsys, "contacts", "add", "--fn", "Neu Ohne", "--book",
                       "Standard")  # fmt: skip
    assert code == 0, err
    code, out, _ = run(tmp_path, capsys, "contacts", "history", "Neu Ohne")
    assert code == 0 and "keine früheren Fassungen" in out
    code, out, _ = run(tmp_path, capsys, "contacts", "history", "Neu Ohne", "--json")
    assert code == 0 and out.strip() == "[]"
    code, _, _ = run(tmp_path, capsys, "contacts", "edit", "Neu Ohne", "--note", "geändert")
    assert code == 0
    code, _, _ = run(tmp_path, capsys, "contacts", "delete", "Neu Ohne")
    assert code == 0
    code, _, err = run(tmp_path, capsys, "contacts", "history", "Neu Ohne")
    assert code == 1 and "Kein Kontakt „Neu Ohne“ in „Standard“" in err
    code, out, _ = run(tmp_path, capsys, "contacts", "history", "Neu Ohne", "--trash", "--json")
    assert code == 0 and [d["reason"] for d in json.loads(out)] == ["edit"]
    code, _, err = run(tmp_path, capsys, "contacts", "history")
    assert code == 2 and "Bitte den Kontakt angeben" in err
    code, _, err = run(tmp_path, capsys, "contacts", "history", "Neu Ohne", "--book", "Fehlt")
    assert code == 1 and err.count("\n") == 1
