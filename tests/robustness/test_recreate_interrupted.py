""""Neu anlegen" cancelled and failed mid-import: the next runs re-attach every link.

A real Radicale behind `FaultProxy`, the sync in-process (tests/robustness/conftest.py).
Local writes commit in batches of 10, a first import stores parts of 10 and the multiget
asks for 10 cards at a time, so 60 cards span several commits and requests.

1. "Neu anlegen" cancelled right after the wipe (the run window's „Abbrechen“): nothing
   imported, the book in the trash, the binding already on „Server“; the re-attach list
   holds every contact with a Termin or a Wiedervorlage.
2. The next run (the stored binding) imports part by part; the server answers the third
   multiget with 500: the run fails with part of the book imported, nothing re-attached,
   the list unchanged.
3. The next run, cancelled after ten more imports: still nothing re-attached.
4. The next run completes: every Termin and Wiedervorlage is on the new contact with its
   UID, the list is empty, the report says how many moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pytest

from app.accounts import get_account
from app.dav.carddav import CardDavClient
from app.dav.model import RemoteCard
from app.store import agenda, reattach
from app.store import contacts as cs
from app.store.models import Appointment, Binding, Contact, FollowUp
from app.sync import engine, streaming
from app.sync.jobs import AccountJob
from tests.robustness.conftest import Rig, card
from tests.robustness.faultproxy import at, no_faults

N_CARDS = 60
LINKED = 30  # Termine for cards 0-19, Wiedervorlagen for 10-29


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "LOCAL_BATCH", 10)
    monkeypatch.setattr(streaming, "STREAM_PART", 10)
    original = CardDavClient.multiget

    def multiget(
        self: CardDavClient, book_href: str, hrefs: Iterable[str], *, batch_size: int = 10
    ) -> Iterator[RemoteCard]:
        return original(self, book_href, hrefs, batch_size=10)

    monkeypatch.setattr(CardDavClient, "multiget", multiget)


def links() -> list[tuple[str, Contact | None]]:
    """(the link's contact UID, the contact it points at) of every Termin and Wiedervorlage."""
    out: list[tuple[str, Contact | None]] = []
    for model in (Appointment, FollowUp):
        for item in model.select():
            out.append((item.contact_uid, Contact.get_or_none(Contact.id == item.contact_id)))
    return out


def on_live_counterpart() -> int:
    """How many links point at a live contact with their UID."""
    return sum(1 for uid, c in links() if c is not None and c.uid == uid and c.deleted_at is None)


def run_job(binding_id: int, cancelled: Any = None) -> Any:
    binding = Binding.get_by_id(binding_id)
    return AccountJob(get_account("Test"), [binding], trigger="cli").run(cancelled=cancelled)


def test_cancelled_and_failed_recreate_runs_leave_the_links_to_the_next_run(
    rig: Rig, small_steps: None
) -> None:
    rig.server.put_cards(
        rig.book_url,
        {f"c{i:02d}.vcf": card(f"uid-{i:02d}", f"Person Größe {i}") for i in range(N_CARDS)},
        display_name=rig.name,
    )
    code, data, err = rig.sync()
    assert code == 0, err
    book = cs.get_book(rig.name)
    for i in range(LINKED):
        c = cs.find_live_by_uid(book, f"uid-{i:02d}")
        assert c is not None
        if i < 20:
            agenda.add_appointment(c.id, f"Termin {i}", datetime(2030, 1, 1, 9), None)
        if i >= 10:
            agenda.add_followup(c.id, f"Anrufen {i}", datetime(2030, 2, 1, 11))
    binding = Binding.get(Binding.book == book)
    assert on_live_counterpart() == 40

    # ---- 1. "Neu anlegen", cancelled as soon as the wipe has happened
    binding.option = "recreate"
    binding.save()
    report = run_job(binding.id, lambda: Binding.get_by_id(binding.id).option != "recreate")
    assert report.status == "cancelled"
    assert cs.count_live(book) == 0 and cs.count_contacts(book, trash=True) == N_CARDS
    assert Binding.get_by_id(binding.id).option == "server"
    assert reattach.pending_reattach(binding) == LINKED
    assert on_live_counterpart() == 0

    # ---- 2. the next run fails mid-import: the server answers a multiget with 500
    rig.proxy.reset_log(at({4: "status_500"}, methods=["REPORT"]))  # listing, 2 parts, 500
    code, data, err = rig.sync()
    rig.proxy.reset_log(no_faults)
    assert code == 1 and data["status"] == "failed", (code, data, err)
    assert 0 < cs.count_live(book) < N_CARDS
    assert reattach.pending_reattach(binding) == LINKED
    assert on_live_counterpart() == 0

    # ---- 3. the next run, cancelled after ten more imports
    target = cs.count_live(book) + 10
    report = run_job(binding.id, lambda: cs.count_live(book) >= target)
    assert report.status == "cancelled"
    assert cs.count_live(book) == target < N_CARDS
    assert reattach.pending_reattach(binding) == LINKED
    assert on_live_counterpart() == 0

    # ---- 4. the next run completes and re-attaches everything
    code, data, err = rig.sync()
    assert code == 0 and not data["errors"], (code, data, err)
    assert cs.count_live(book) == N_CARDS
    assert on_live_counterpart() == 40  # every Termin and Wiedervorlage
    assert reattach.pending_reattach(binding) == 0
    [note] = [n for n in data["books"][0]["notes"] if "zugeordnet" in n]
    assert note.startswith("40 Termine/Wiedervorlagen")
    # The old contacts stay in the trash, without links.
    assert cs.count_contacts(book, trash=True) == N_CARDS
