"""German sort order and search folding for names, as plain stored keys.

SQLite's own lower() sorts "Özdemir" after "Zander", and its LIKE knows no umlauts.
Instead of a Python collation or function (called for every comparison or row, far too
slow for 50,000 rows per page read), each contact keeps pre-computed columns that SQLite
compares bytewise and can index.

Sort keys (`sort_key`, DIN 5007-1 "dictionary" order):

- letters are case-folded and stripped of their accents: ä → a, ö → o, ü → u, é → e;
  ß → ss (so "Strauß" sorts as "Strauss");
- numbers sort by their value ("natural" order): "Haus 2" before "Haus 10", "Müller 16"
  before "Müller 152" — every run of digits is stored as its length and its digits;
- leading punctuation and spaces are ignored ("'t Hooft", "(Firma)");
- ties are broken by the exact case-folded text, so "Muller" comes before "Müller"
  and the order is stable;
- an empty value sorts after every name (a contact without a name is listed last).

Search (`search_text` for the stored column, `search_forms` for what the user types):
both sides are folded the same way (`fold`), so "mueller", "muller", "müller" and
"MÜLLER" all find "Müller" and "Mueller", and "strasse" finds "Straße". The stored text
keeps every word as it is (case-folded) and adds the folded form of each word that
differs; a query word matches where its case-folded or its folded form is part of the
stored text. A search thus finds everything it found without folding, and more.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Sorts after every real key (U+10FFFF is the largest code point, UTF-8 F4 8F BF BF).
EMPTY_KEY = "\U0010ffff"

_SPECIAL = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th"})
_DIGITS = re.compile(r"[0-9]+")
#: The German transliterations ae, oe, ue (of ä, ö, ü) fold to the bare vowel, as the
#: umlauts themselves do. Any run of e after the vowel goes, so folding twice changes
#: nothing ("uee" → "u", not "ue").
_TRANSLITERATION = re.compile(r"([aou])e+")


def _base(folded: str) -> str:
    """`folded` (case-folded) without accents: ä → a, é → e, ø → o, æ → ae."""
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _number(match: re.Match[str]) -> str:
    """A run of digits as its length (two digits) and its digits without leading zeros,
    so that bytewise order is numeric order: "16" → "0216" < "152" → "03152"."""
    digits = match[0].lstrip("0") or "0"
    return f"{min(len(digits), 99):02d}{digits}"


@functools.lru_cache(maxsize=1 << 14)  # given and family names, organizations repeat
def sort_key(text: str) -> str:
    """The German dictionary sort key of `text` (see the module docstring)."""
    folded = " ".join(text.casefold().split())
    start = 0
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    folded = folded[start:]
    if not folded:
        return EMPTY_KEY
    base = _DIGITS.sub(_number, _base(folded))
    return f"{base}\x01{folded}"


@functools.lru_cache(maxsize=1 << 16)  # names and words repeat from contact to contact
def fold(text: str) -> str:
    """`text` folded for search: case-folded, accents stripped, ä/ae → a, ö/oe → o,
    ü/ue → u, ß → ss, é → e. Folding a folded text changes nothing."""
    folded = text.lower() if text.isascii() else _base(text.casefold()).casefold()
    return _TRANSLITERATION.sub(r"\1", folded) if "e" in folded else folded


def search_text(text: str) -> str:
    """The stored search text of `text` (name, organization, e-mails, phones): each
    distinct word case-folded, then the folded form of each word that differs.

    Computing it again from its own result gives the same text, so a migration can
    rebuild it from an older search column (case-folded words only) without the cards.
    """
    words = dict.fromkeys(text.casefold().split())
    for word in list(words):
        words.setdefault(fold(word))
    return " ".join(words)


def search_forms(query: str) -> list[tuple[str, ...]]:
    """The words of a search as typed, each with the forms to look for in the stored
    search text: its case-folded form and, where it differs, its folded form. A contact
    matches when, for every word, one of its forms is part of its search text."""
    forms: list[tuple[str, ...]] = []
    for word in query.casefold().split():
        folded = fold(word)
        forms.append((word,) if folded == word else (word, folded))
    return forms
