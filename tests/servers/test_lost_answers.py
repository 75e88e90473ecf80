"""A create whose answer was lost must not upload a second copy of the card.

The engine never repeats a PUT after a dropped connection (the first one may have been
carried out). If the card turns out to exist under our name when we create it, and it is
ours (same UID), the engine takes it over instead of uploading it again under a new name.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from app import vcard
from app.accounts import add_account
from app.dav.carddav import CardDavClient
from app.store import contacts as cs
from app.store.models import ItemState
from app.sync.jobs import AccountJob, bind_book, book_overview
from app.sync.modes import Mode
from tests.servers.cards import simple_card
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer


def test_a_card_already_uploaded_under_our_name_is_taken_over(
    store: Path, radicale_server: DavServer, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    s = radicale_server
    name = f"Verloren {uuid.uuid4().hex[:6]}"
    url = s.make_book(display_name=name)
    account = add_account("Lost", server=s.root_url, username=s.user, password=s.password)
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    binding = bind_book(account, remote, Mode.parse("oneway"))
    contact = cs.add_contact(cs.get_book(name), simple_card("lost-1", "Lotte Verloren", "l@x.de"))

    original = CardDavClient.create
    calls: list[str] = []

    def create_twice(self: CardDavClient, book_href: str, text: str, *, name: str) -> Any:
        calls.append(name)
        if len(calls) == 1:
            # The first PUT reached the server, but its answer never came back to us …
            original(self, book_href, text, name=name)
        return original(self, book_href, text, name=name)  # … so this one gets a 412

    monkeypatch.setattr(CardDavClient, "create", create_twice)
    report = AccountJob(account, [binding]).run()
    assert report.status == "ok", (report.message, [b.errors for b in report.books])
    assert len(calls) == 1  # no second upload under a fresh name
    cards = s.list_cards(url)
    assert [vcard.summarize(t).uid for t in cards.values()] == ["lost-1"]
    state = ItemState.get(ItemState.contact_id == contact.id)
    assert state.href.endswith(next(iter(cards)).rsplit("/", 1)[-1])
