"""A frozen copy of the contact row's derived columns as they were before issue 21 made
them cheaper (app/store/contact_columns.py `contact_row`, app/store/collation.py
`sort_key`, `search_text`, `fold`, 2026-12-07). Every database stores these columns, so
`tests/unit/test_columns_unchanged.py` compares the current code with this copy. Never
change it: it is the definition of the stored values.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from app import vcard
from app.store.migrations import group_columns
from app.store.models import Contact

EMPTY_KEY = "\U0010ffff"

_SPECIAL = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th"})
_DIGITS = re.compile(r"[0-9]+")
_TRANSLITERATION = re.compile(r"([aou])e+")


def _base(folded: str) -> str:
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _number(match: re.Match[str]) -> str:
    digits = match[0].lstrip("0") or "0"
    return f"{min(len(digits), 99):02d}{digits}"


def sort_key(text: str) -> str:
    folded = " ".join(text.casefold().split())
    start = 0
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    folded = folded[start:]
    if not folded:
        return EMPTY_KEY
    base = _DIGITS.sub(_number, _base(folded))
    return f"{base}\x01{folded}"


def fold(text: str) -> str:
    folded = text.lower() if text.isascii() else _base(text.casefold()).casefold()
    return _TRANSLITERATION.sub(r"\1", folded) if "e" in folded else folded


def search_text(text: str) -> str:
    words = dict.fromkeys(text.casefold().split())
    for word in list(words):
        words.setdefault(fold(word))
    return " ".join(words)


def derived_columns(text: str, summary: vcard.CardSummary, content_hash: str) -> dict[str, str]:
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


ROW_FIELDS = [Contact.id, *(f for f in Contact._meta.sorted_fields if f.name != "id")]
ROW_COLUMNS = ", ".join(f.column_name for f in ROW_FIELDS)
_DEFAULTS: dict[str, Any] = {
    f.name: f.default
    for f in Contact._meta.sorted_fields
    if f.default is not None and not callable(f.default)
}


def contact_row(
    contact_id: int,
    book_id: int,
    uid: str,
    text: str,
    summary: vcard.CardSummary,
    content_hash: str,
    now: datetime,
) -> list[Any]:
    values: dict[str, Any] = derived_columns(text, summary, content_hash)
    values.update(id=contact_id, book=book_id, uid=uid, created=now, modified=now)
    return [f.db_value(values.get(f.name, _DEFAULTS.get(f.name))) for f in ROW_FIELDS]
