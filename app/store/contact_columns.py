"""The columns a contact row derives from its vCard: list, sort, search and group columns.

`fill_columns` sets them on a `Contact` (one edit, one import); `contact_row` gives a whole
new row as plain values for many cards inserted at once (`syncstate.import_cards`: no
peewee object per card). Both compute the same values from the same summary.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app import vcard
from app.store.collation import search_text, sort_key
from app.store.migrations import group_columns
from app.store.models import Contact


def match_key(fn: str, email: str) -> str:
    """The first-run matching key: formatted name + first e-mail, case-insensitive."""
    return f"{fn.strip().casefold()}\t{email.strip().casefold()}"


def derived_columns(text: str, summary: vcard.CardSummary, content_hash: str) -> dict[str, str]:
    """The vCard text and every column derived from it, by field name."""
    s = summary
    kind, members, categories = group_columns(s)
    return {
        "vcard": text,
        "fn": s.fn,
        "given": s.given,
        "family": s.family,
        "org": s.org,
        "email": s.emails[0] if s.emails else "",
        "phone": s.phones[0] if s.phones else "",
        "search": search_text(" ".join([s.fn, s.org, *s.emails, *s.phones])),
        "sort_fn": sort_key(s.fn),
        "sort_given": sort_key(s.given),
        "sort_family": sort_key(s.family),
        "sort_org": sort_key(s.org),
        "hash": content_hash,
        "kind": kind,
        "members": members,
        "categories": categories,
    }


def fill_columns(
    contact: Contact,
    text: str,
    summary: vcard.CardSummary | None = None,
    content_hash: str | None = None,
) -> None:
    """Set the vCard text and every derived column from it (one cheap parse).

    A caller that has already read the card passes its summary and hash along, so a
    10,000-card import parses each card once.
    """
    s = summary or vcard.summarize(text)
    columns = derived_columns(text, s, content_hash or vcard.normalized_hash(text))
    for name, value in columns.items():
        setattr(contact, name, value)


#: The contact table's columns in `contact_row`'s order (the id first).
ROW_FIELDS = [Contact.id, *(f for f in Contact._meta.sorted_fields if f.name != "id")]
ROW_COLUMNS = ", ".join(f.column_name for f in ROW_FIELDS)


def contact_row(
    contact_id: int,
    book_id: int,
    uid: str,
    text: str,
    summary: vcard.CardSummary,
    content_hash: str,
    now: datetime,
) -> list[Any]:
    """A new live contact as the values of `ROW_COLUMNS` (database values, as peewee
    would write them): the columns `fill_columns` sets, created/modified `now`."""
    values: dict[str, Any] = derived_columns(text, summary, content_hash)
    values.update(id=contact_id, book=book_id, uid=uid, created=now, modified=now)
    row: list[Any] = []
    for f in ROW_FIELDS:
        v = values.get(f.name, _DEFAULTS.get(f.name))
        row.append(f.db_value(v))
    return row


_DEFAULTS: dict[str, Any] = {
    f.name: f.default
    for f in Contact._meta.sorted_fields
    if f.default is not None and not callable(f.default)
}
