"""How the group tree of the contact list behaves with a big book: 10,000 contacts, 50 groups.

    python -m bench.groups_ui [--contacts 10000] [--groups 50] [--json FILE]

Builds a throw-away database with ``--contacts`` realistic cards (bench.cards) in one local
address book and ``--groups`` groups: half of them kept as CATEGORIES on their members
(Nextcloud's way), half as Apple-style group cards naming their members by UID — each
contact is in 0 to 3 groups. Then it opens the real "Kontakte anzeigen" page offscreen and
scripts what a user does with groups: open the book (the tree with every group and its
count), build the tree again as after a change in the store, select groups (small, large,
card and category groups), search inside a group, sort it, go back to the whole book, and
drop contacts onto a group. For each step it reports the wall time and the longest time the
Qt event loop was blocked (bench.contacts_view.StallMeter). It also times
`groups.list_groups` alone. The figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.store import groups
from app.store.contact_columns import fill_columns
from app.store.contacts import ensure_book, get_book
from app.store.db import close_database, open_database
from app.store.models import Contact, database
from app.vcard import groups as vgroups
from bench.cards import generate_cards
from bench.contacts_view import StallMeter, Step, pump, steps_table

BOOK = "Verein"
_CATEGORIES = re.compile(r"^CATEGORIES[:;].*\r\n(?: .*\r\n)*", re.MULTILINE)

# Group names as an office has them (German order puts "Ärzte" with the A's).
_NAMES = (
    "Kunden Nord", "Kunden Süd", "Presse", "Lieferanten", "Behörden", "Ärzte", "Partner",
    "Bewerber_innen", "Vorstand", "Mitglieder", "Ehrenamt", "Spender", "Newsletter",
    "Weihnachtskarte", "Handwerker", "Steuer & Recht", "Übersetzer", "Öffentlichkeit",
    "Messe 2025", "Schule", "Familie", "Freunde", "Nachbarn", "Sport", "Chor",
)  # fmt: skip


def group_names(n: int) -> list[str]:
    """`n` distinct group names (a number added once the plain names are used up)."""
    return [_NAMES[i % len(_NAMES)] + ("" if i < len(_NAMES) else f" {i // len(_NAMES) + 1}")
            for i in range(n)]  # fmt: skip


def seed(n: int, n_groups: int) -> float:
    """n contacts and n_groups groups (even-numbered as categories, odd as group cards)
    written through the store's column filler; returns seconds."""
    started = time.perf_counter()
    book = ensure_book(BOOK)
    rng = random.Random(19)
    names = group_names(n_groups)
    by_category = names[0::2]
    on_cards = names[1::2]
    card_members: dict[str, list[str]] = {name: [] for name in on_cards}
    rows = []
    for uid, text in generate_cards(n, seed=7, photo_ratio=0.0):
        text = _CATEGORIES.sub("", text)
        mine = rng.sample(names, rng.choice((0, 1, 1, 2, 2, 3)))
        cats = [name for name in mine if name in by_category]
        if cats:
            text = text.replace("END:VCARD", "CATEGORIES:" + ",".join(cats) + "\r\nEND:VCARD")
        for name in mine:
            if name in card_members:
                card_members[name].append(uid)
        c = Contact(book=book, uid=uid)
        fill_columns(c, text)
        rows.append(dict(c.__data__))
    for name, members in card_members.items():
        text = vgroups.new_group_card(name, members, dialect=vgroups.APPLE)
        c = Contact(book=book, uid=vgroups.group_of(text).uid)  # type: ignore[union-attr]
        fill_columns(c, text)
        rows.append(dict(c.__data__))
    with database.atomic():
        for start in range(0, len(rows), 2000):
            Contact.insert_many(rows[start : start + 2000]).execute()
    return time.perf_counter() - started


def run(n: int, n_groups: int) -> dict[str, object]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    home = Path(tempfile.mkdtemp(prefix="contactbox-bench-groups-"))
    open_database(home / "contactbox.sqlite3")
    seed_seconds = seed(n, n_groups)
    from ui.contacts_page import ContactsPage

    book = get_book(BOOK)
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        infos = groups.list_groups(book)
        timings.append((time.perf_counter() - t0) * 1000)
    assert len(infos) == n_groups, len(infos)
    meter = StallMeter()
    steps: list[Step] = []

    def measure(name: str, action: Callable[[], None]) -> None:
        reads_before = page.model.total_pages_read
        meter.start()
        t0 = time.perf_counter()
        action()
        pump(app, 0)
        wall = (time.perf_counter() - t0) * 1000
        pump(app, 20)
        stall = meter.stop()
        steps.append(Step(name, round(wall, 1), round(stall, 1),
                          page.model.total_pages_read - reads_before))  # fmt: skip

    meter.start()
    t0 = time.perf_counter()
    page = ContactsPage()
    page.resize(1100, 700)
    page.show()
    page.select_book(BOOK)
    pump(app, 0)
    open_ms = (time.perf_counter() - t0) * 1000
    pump(app, 20)
    steps.append(Step("Seite öffnen + Buch wählen (Baum mit allen Gruppen)", round(open_ms, 1),
                      round(meter.stop(), 1), page.model.total_pages_read))  # fmt: skip
    assert page.model.rowCount() == n, page.model.rowCount()
    assert page.book_list.topLevelItem(0) is not None
    measure("Baum und Zahlen neu aufbauen (Änderung im Speicher)", page.follow_store)
    by_size = sorted(infos, key=lambda g: g.members)
    picks = [
        ("kleinste", by_size[0]),
        ("größte", by_size[-1]),
        ("Gruppen-vCard", next(g for g in infos[::-1] if g.kind == groups.KIND_CARD)),
        ("Kategorie", next(g for g in infos[::-1] if g.kind == groups.KIND_CATEGORIES)),
    ]
    for label, info in picks:
        measure(f"Gruppe wählen: {label} ({info.members})",
                lambda info=info: page.select_group(BOOK, info.name))  # fmt: skip
        assert page.model.rowCount() == info.members, (info, page.model.rowCount())

    def search(text: str) -> Callable[[], None]:
        def go() -> None:
            page.search_edit.setText(text)
            page.apply_search()

        return go

    measure("Suche in der Gruppe „an“", search("an"))
    measure("Suche in der Gruppe „gmbh berlin“", search("gmbh berlin"))
    measure("Suche leeren", search(""))
    measure("Gruppe nach Name absteigend sortieren",
            lambda: page.model.sort(0, Qt.SortOrder.DescendingOrder))  # fmt: skip
    page.model.sort(0, Qt.SortOrder.AscendingOrder)
    measure("Scrollen bis zum Ende der Gruppe", page.table.scrollToBottom)
    measure("Buch wieder wählen (alle Kontakte)", lambda: page.select_book(BOOK))
    assert page.model.rowCount() == n
    target = by_size[0]
    page.table.selectRow(0)
    for row in range(1, 20):
        page.table.selectionModel().select(
            page.model.index(row, 0), page.table.selectionModel().SelectionFlag.Select
            | page.table.selectionModel().SelectionFlag.Rows,
        )  # fmt: skip
    mime = page.model.mimeData(page.table.selectionModel().selectedRows())
    measure(f"20 Kontakte auf „{target.name}“ ziehen (schreibt 20 Karten)",
            lambda: page.drop_on_group(BOOK, target.name, mime))  # fmt: skip
    page.close()
    close_database()
    return {
        "contacts": n,
        "groups": n_groups,
        "seed_seconds": round(seed_seconds, 1),
        "list_groups_ms": round(min(timings), 1),
        "list_groups_max_ms": round(max(timings), 1),
        "steps": [asdict(s) for s in steps],
    }


def to_markdown(result: dict[str, object]) -> str:
    lines = [
        f"{result['contacts']:,} contacts in {result['groups']} groups (seeded in "
        f"{result['seed_seconds']} s). `groups.list_groups` alone: {result['list_groups_ms']} ms "
        f"(worst of 5: {result['list_groups_max_ms']} ms).",
        "",
        steps_table(result["steps"]),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.groups_ui")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = run(args.contacts, args.groups)
    print(to_markdown(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
