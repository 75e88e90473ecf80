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


#: The columns `derived_columns` gives, in `_derived`'s order.
DERIVED_NAMES = ("vcard", "fn", "given", "family", "org", "email", "phone", "search", "sort_fn",
                 "sort_given", "sort_family", "sort_org", "hash", "kind", "members",
                 "categories")  # fmt: skip


def _derived(text: str, s: vcard.CardSummary, content_hash: str) -> tuple[str, ...]:
    """The values of `DERIVED_NAMES` (one tuple: a 10,000-card import builds no dict per
    card)."""
    kind, members, categories = group_columns(s)
    emails, phones = s.emails, s.phones
    return (
        text,
        s.fn,
        s.given,
        s.family,
        s.org,
        emails[0] if emails else "",
        phones[0] if phones else "",
        search_text(" ".join([s.fn, s.org, *emails, *phones])),
        sort_key(s.fn),
        sort_key(s.given),
        sort_key(s.family),
        sort_key(s.org),
        content_hash,
        kind,
        members,
        categories,
    )


def derived_columns(text: str, summary: vcard.CardSummary, content_hash: str) -> dict[str, str]:
    """The vCard text and every column derived from it, by field name."""
    return dict(zip(DERIVED_NAMES, _derived(text, summary, content_hash), strict=True))


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


#: The contact table's fields in `contact_row`'s order: the id, book and UID, the derived
#: columns, the time stamps.
ROW_NAMES = ("id", "book", "uid", *DERIVED_NAMES, "created", "modified", "deleted_at")
ROW_COLUMNS = ", ".join(Contact._meta.fields[name].column_name for name in ROW_NAMES)
if set(ROW_NAMES) != set(Contact._meta.fields) or len(ROW_NAMES) != len(Contact._meta.fields):
    raise RuntimeError("contact_row does not write every column of Contact")  # a new field


def contact_row(
    contact_id: int,
    book_id: int,
    uid: str,
    text: str,
    summary: vcard.CardSummary,
    content_hash: str,
    now: datetime,
) -> tuple[Any, ...]:
    """A new live contact as the values of `ROW_COLUMNS` (database values, as peewee
    would write them: the text columns are str already, the time stamps datetimes):
    the columns `fill_columns` sets, created/modified `now`, not in the trash."""
    return (contact_id, book_id, uid, *_derived(text, summary, content_hash), now, now, None)
