"""A local failure in the middle of a run (here: SQLite says the disk is full on the third
imported card) ends that book with a German report, not a traceback; the open batch of
local writes rolls back whole (cards with their state), and the next run completes
without duplicates."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from app.store import syncstate
from tests.servers.test_sync_engine import Env, env, figures, vc  # noqa: F401  (fixture)


def test_disk_full_mid_run_reports_and_the_next_run_continues(
    env: Env, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    for i in range(6):
        env.put(f"s{i}.vcf", vc(f"srv-{i}", f"Server {i}", f"s{i}@example.de"))
    # The first import stores each part in bulk statements (syncstate.import_cards), one
    # card at a time only after an item error (syncstate.import_card): the disk fills up in
    # the middle of the part's second statement, or at the third card stored one by one.
    real_one, real_many = syncstate.import_card, syncstate.import_cards
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real_one(*args, **kwargs)

    def failing_many(binding: Any, cards: Any) -> list[int]:
        first = real_many(binding, cards[:2])  # written, but in the part's open batch
        raise sqlite3.OperationalError(f"database or disk is full (after {len(first)})")

    monkeypatch.setattr(syncstate, "import_card", failing)
    monkeypatch.setattr(syncstate, "import_cards", failing_many)
    code, data = env.run_cli("run", "Test", "--book", env.name, "--mode", "sync", "--json")
    assert code == 1, data
    book = data["books"][0]
    assert book["error"].startswith("Der Abgleich wurde wegen eines internen Fehlers abgebrochen")
    assert "database or disk is full" in book["error"]
    assert env.local() == {}  # the batch with the first two rolled back with its state

    monkeypatch.setattr(syncstate, "import_card", real_one)
    monkeypatch.setattr(syncstate, "import_cards", real_many)
    out = env.sync("sync", "server")
    assert out["_exit"] == 0, out["_errors"]
    assert figures(out) == {"added_local": 6}
    assert set(env.local()) == set(env.server_cards()) == {f"srv-{i}" for i in range(6)}
