"""A contact deleted and purged from the trash before the next sync, then changed on the
server: two-way restores it from the server (SPEC: a server change beats a local deletion)
instead of failing on the contact that no longer exists."""

from __future__ import annotations

from app.store import contacts as cs
from tests.servers.test_sync_engine import Env, env, figures, vc  # noqa: F401  (fixture)


def test_purged_contact_changed_on_the_server_comes_back(env: Env) -> None:  # noqa: F811
    book = cs.ensure_book(env.name)
    for i in (1, 2, 3):
        cs.add_contact(book, vc(f"loc-{i}", f"Lokal {i}", f"l{i}@example.de"))
    assert figures(env.sync("sync", "server")) == {"added_server": 3}

    env.run_cli("contacts", "delete", "loc-2", "--book", env.name)
    assert cs.empty_trash(book) == 1  # gone for good before the deletion reached the server
    href = next(h for h, t in env.server.list_cards(env.book_url).items() if "loc-2" in t)
    env.put(href.rsplit("/", 1)[-1], vc("loc-2", "Lokal 2", "l2@example.de", tel="+49 30 2"))

    out = env.sync("sync", "server")
    assert out["_exit"] == 0, out["_errors"]
    assert figures(out) == {"added_local": 1}
    assert set(env.local()) == set(env.server_cards()) == {"loc-1", "loc-2", "loc-3"}
    assert "+49 30 2" in env.local()["loc-2"]
    assert figures(env.sync("sync", "server")) == {}


def test_purged_contact_unchanged_on_the_server_is_deleted_there(env: Env) -> None:  # noqa: F811
    book = cs.ensure_book(env.name)
    for i in (1, 2, 3):
        cs.add_contact(book, vc(f"loc-{i}", f"Lokal {i}", f"l{i}@example.de"))
    env.sync("sync", "server")
    env.run_cli("contacts", "delete", "loc-2", "--book", env.name)
    cs.empty_trash(book)
    out = env.sync("sync", "server")
    assert out["_exit"] == 0, out["_errors"]
    assert figures(out) == {"deleted_server": 1}
    assert set(env.local()) == set(env.server_cards()) == {"loc-1", "loc-3"}
