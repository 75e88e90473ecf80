"""The report of a merge (issue 22): the figure "merged", the conflict note naming the
decided fields, the details' "decided" — stored, read back, in German and English."""

from __future__ import annotations

from datetime import datetime

from app import i18n
from app.sync.details import ItemDetail, details_of
from app.sync.report import (
    BookReport,
    ConflictNote,
    RunReport,
    figure_label,
    format_text,
    run_summary,
)


def report() -> RunReport:
    book = BookReport("Buch", "/b/", "Buch", "sync/server", merged=2, conflicts=1)
    book.conflict_notes.append(ConflictNote("Anna Alt", "u1", "server", ["Telefon"]))
    book.details.append(
        ItemDetail("u1", "Anna Alt", "server", "merged", "Buch", decided=("Telefon",))
    )
    return RunReport("Test", "run", datetime(2026, 1, 1), books=[book])


def test_merged_is_a_figure_and_a_change_and_the_note_names_the_fields() -> None:
    r = report()
    assert r.totals()["merged"] == 2 and run_summary(r).changes == 2
    text = format_text(r)
    assert "Zusammengeführt: 2" in text
    assert (
        "Konflikt: Anna Alt – Telefon: Version vom Server übernommen, alles Übrige "
        "zusammengeführt" in text
    )
    data = r.to_dict(details=True)
    assert data["books"][0]["merged"] == 2
    assert data["books"][0]["conflict_notes"][0]["fields"] == ["Telefon"]
    assert data["details"][0]["decided"] == ["Telefon"]
    back = RunReport.from_dict({**r.to_dict(), "details": r.details_dicts()})
    assert back.books[0].conflict_notes == r.books[0].conflict_notes
    assert back.details() == r.details()
    # A stored report from before: no fields, no decided.
    old = details_of([{"uid": "u", "name": "A", "side": "server", "action": "changed"}])
    assert old[0].decided == ()


def test_in_english() -> None:
    try:
        i18n.set_language("en")
        assert figure_label("merged") == "Merged"
        text = format_text(report())
        assert "Conflict: Anna Alt – Phone: the server's version was kept, everything" in text
    finally:
        i18n.set_language("de")
