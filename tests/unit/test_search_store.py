"""Search folding and natural order in the store (real SQLite): the contact list's count,
pages and positions, the CLI's list, and the migration of an older database."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from app import cli
from app import vcard as vc
from app.store import contacts as cs
from app.store import db as dbmod
from app.store import migrations as schema
from app.store.collation import EMPTY_KEY
from app.store.db import close_database, open_database, schema_version
from app.store.models import database

MUELLERS = ["Jürgen Müller", "Karin Mueller", "Otto Muller", "Müller 2", "Müller 16",
            "Müller 152"]  # fmt: skip
OTHERS = ["Anna Becker", "Straßenbau Weiß", "René Côté", "Haus 10", "Haus 2", "Möller"]


def card(uid: str, fn: str, email: str = "", org: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    lines += [f"EMAIL:{email}"] if email else []
    lines += [f"ORG:{org}"] if org else []
    return "\r\n".join([*lines, "END:VCARD", ""])


def fill(book_name: str = "Standard") -> cs.AddressBook:
    book = cs.ensure_book(book_name)
    for i, fn in enumerate([*MUELLERS, *OTHERS]):
        email = "j.mueller@beispiel.de" if fn == "Jürgen Müller" else ""
        org = "Bäckerei Strasse 5" if fn == "Anna Becker" else ""
        cs.add_contact(book, card(f"u{i}", fn, email, org))
    return book


def names(book: cs.AddressBook, search: str, **kw: object) -> list[str]:
    return [r.fn for r in cs.page_contacts(book, search=search, limit=100, **kw)]  # type: ignore[arg-type]


#: The name order of the Müller search: German order, numbers by value.
MUELLER_ORDER = ["Jürgen Müller", "Karin Mueller", "Müller 2", "Müller 16", "Müller 152",
                 "Otto Muller"]  # fmt: skip


@pytest.mark.parametrize("query", ["müller", "mueller", "muller", "Müller", "MUELLER", "MÜLLER"])
def test_every_spelling_finds_every_mueller_in_name_order(store: Path, query: str) -> None:
    book = fill()
    n = cs.count_contacts(book, search=query)
    assert n == len(MUELLERS)
    assert names(book, query) == MUELLER_ORDER  # along the sort index
    assert names(book, query, matches=n) == MUELLER_ORDER  # few matches: sorted apart
    assert names(book, query, descending=True) == MUELLER_ORDER[::-1]
    for row, fn in enumerate(MUELLER_ORDER):
        (c,) = cs.find_contacts(book, fn)
        assert cs.contact_position(book, c.id, search=query) == row
    (moeller,) = cs.find_contacts(book, "Möller")
    assert cs.contact_position(book, moeller.id, search=query) is None


def test_folded_search_in_every_field_and_with_several_words(store: Path) -> None:
    book = fill()
    assert names(book, "strasse") == ["Anna Becker", "Straßenbau Weiß"]  # ORG, FN
    assert names(book, "STRASSE weiss") == ["Straßenbau Weiß"]
    assert names(book, "straße 5") == ["Anna Becker"]
    assert names(book, "baecker") == ["Anna Becker"]
    assert names(book, "rene cote") == ["René Côté"]
    assert names(book, "jurgen beispiel") == ["Jürgen Müller"]  # name and e-mail
    assert names(book, "müller@") == ["Jürgen Müller"]  # j.mueller@beispiel.de
    assert names(book, "moeller") == ["Möller"]
    assert names(book, "eller") == ["Jürgen Müller", "Karin Mueller"]  # plain substrings too
    assert names(book, "mueller xyz") == []


def test_the_whole_list_sorts_numbers_by_value(store: Path) -> None:
    book = fill()
    everyone = names(book, "")
    assert everyone.index("Haus 2") + 1 == everyone.index("Haus 10")
    assert everyone[everyone.index("Müller 2") :][:3] == ["Müller 2", "Müller 16", "Müller 152"]
    assert cs.list_contacts(book) == cs.page_contacts(book, limit=100)
    rows = cs.page_contacts(book, limit=100)
    for row, contact in enumerate(rows):
        assert cs.contact_position(book, contact.id) == row


def test_cli_list_searches_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    open_database(home / "contactbox.sqlite3")
    fill()
    close_database()
    for query in ("mueller", "muller", "MÜLLER"):
        code = cli.main(["--home", str(home), "contacts", "list", "--search", query, "--json"])
        close_database()
        assert code == 0
        assert [r["fn"] for r in json.loads(capsys.readouterr().out)] == MUELLER_ORDER
    code = cli.main(["--home", str(home), "contacts", "list", "--search", "karin mueller"])
    close_database()
    assert code == 0 and "Karin Mueller" in capsys.readouterr().out


# ---------------------------------------------------------------- migration


_OLD_SPECIAL = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th"})


def _old_sort_key(text: str) -> str:
    """The sort key the releases before this one stored (no natural number order)."""
    folded = " ".join(text.casefold().split())
    start = 0
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    folded = folded[start:]
    if not folded:
        return EMPTY_KEY
    decomposed = unicodedata.normalize("NFKD", folded.translate(_OLD_SPECIAL))
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return f"{base}\x01{folded}"


def _make_it_old(path: Path) -> int:
    """Give every contact the columns an older release wrote and set the schema version
    back to before the re-keying step; returns that version."""
    con = sqlite3.connect(path)
    rows = con.execute("SELECT id, vcard, fn, given, family, org FROM contact").fetchall()
    for cid, text, fn, given, family, org in rows:
        s = vc.summarize(text)
        old_search = " ".join([s.fn, s.org, *s.emails, *s.phones]).casefold()
        con.execute(
            "UPDATE contact SET search = ?, sort_fn = ?, sort_given = ?, sort_family = ?, "
            "sort_org = ? WHERE id = ?",
            (old_search, *map(_old_sort_key, (fn, given, family, org)), cid),
        )
    version = dbmod.MIGRATIONS.index(schema._folded_search_and_natural_sort)
    con.execute("UPDATE meta_entry SET value = ? WHERE key = 'schema_version'", (str(version),))
    con.commit()
    con.close()
    return version


def _contact_columns(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT id, search, sort_fn, sort_given, sort_family, sort_org FROM contact ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def _index_statements(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(
    ("batch", "drop_from"),
    [(schema.REKEY_BATCH, schema.REKEY_DROP_INDEXES), (3, 1)],
    ids=["few-rows-updated-in-place", "small-batches-indexes-rebuilt"],
)
def test_migration_rekeys_an_older_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, drop_from: int
) -> None:
    monkeypatch.setattr(schema, "REKEY_BATCH", batch)
    monkeypatch.setattr(schema, "REKEY_DROP_INDEXES", drop_from)
    path = tmp_path / "contactbox.sqlite3"
    open_database(path)
    fill()
    fill("Kunden")
    cs.delete_contact(cs.find_contacts(cs.get_book("Kunden"), "Karin Mueller")[0])
    close_database()
    current = _contact_columns(path)
    indexes = _index_statements(path)
    version = _make_it_old(path)
    assert _contact_columns(path) != current
    statements: list[str] = []
    step = dbmod.MIGRATIONS[version]

    def traced(db: dbmod.SqliteDatabase) -> None:
        db.connection().set_trace_callback(statements.append)
        try:
            step(db)
        finally:
            db.connection().set_trace_callback(None)

    migrations = list(dbmod.MIGRATIONS)
    migrations[version] = traced
    monkeypatch.setattr(dbmod, "MIGRATIONS", migrations)
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM contact WHERE search LIKE '%muller%'").fetchone() == (
        2,
    )  # only "Otto Muller" in each book, before
    con.close()

    db = open_database(path)
    try:
        assert schema_version(db) == dbmod.SCHEMA_VERSION
        assert list(tmp_path.glob(f"contactbox.vor-migration-v{version}-*.sqlite3"))
        book = cs.get_book("Standard")
        assert names(book, "mueller") == MUELLER_ORDER
        assert names(cs.get_book("Kunden"), "muller") == [
            n for n in MUELLER_ORDER if n != "Karin Mueller"
        ]
        assert [r.fn for r in cs.list_contacts(cs.get_book("Kunden"), trash=True,
                                               search="muller")] == ["Karin Mueller"]  # fmt: skip
        (c,) = cs.find_contacts(book, "Müller 16")
        assert cs.contact_position(book, c.id, search="MUELLER") == 3
        sql, params = cs.page_query(book, search="mueller", matches=6).sql()
        plan = " ".join(str(r[-1]) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                                 params))  # fmt: skip
        assert "contact_list_search" in plan, plan
        assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        close_database()
    drops = [sql for sql in statements if sql.startswith("DROP INDEX")]
    assert len(drops) == (8 if drop_from == 1 else 0)  # the seven list indexes and sort_fn's
    # The same columns a new database computes, the same indexes as before.
    assert _contact_columns(path) == current
    assert _index_statements(path) == indexes

    db = open_database(path)
    try:
        with db.atomic():
            schema._folded_search_and_natural_sort(db)  # idempotent: nothing changes
    finally:
        close_database()
    assert _contact_columns(path) == current
    assert _index_statements(path) == indexes


def test_migration_of_an_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    open_database(path)
    close_database()
    indexes = _index_statements(path)
    _make_it_old(path)
    db = open_database(path)
    try:
        assert schema_version(db) == dbmod.SCHEMA_VERSION
        assert cs.count_contacts(cs.get_book("Standard"), search="mueller") == 0
    finally:
        close_database()
    assert _index_statements(path) == indexes


def test_a_contact_is_found_by_its_exact_name_in_any_case(store: Path) -> None:
    """`contacts show "käthe weiß"` finds "Käthe Weiß" (SQLite's lower() folds ASCII only),
    an exact name only: "Kathe Weiss" is a search, not the name."""
    book = cs.ensure_book("Standard")
    cs.add_contact(
        book, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Käthe Weiß\r\nN:Weiß;Käthe;;;\r\nEND:VCARD\r\n"
    )
    cs.add_contact(
        book, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:ÉMILE ÖZ\r\nN:Öz;Émile;;;\r\nEND:VCARD\r\n"
    )
    for ref in ["Käthe Weiß", "käthe weiß", "KÄTHE WEISS", " Käthe Weiß "]:
        assert [c.fn for c in cs.find_contacts(book, ref)] == ["Käthe Weiß"], ref
    assert [c.fn for c in cs.find_contacts(book, "émile öz")] == ["ÉMILE ÖZ"]
    assert cs.find_contacts(book, "Kathe Weiss") == []
    assert cs.find_contacts(book, "Käthe") == []
    assert cs.find_contacts(book, "  ") == []
