"""vCard text <-> contact fields: fast summary, normalized hash, lossless edits, upload conversion.

Why no vobject: its parser costs ~0.24 ms per card (too slow for 10,000-card books) and its
serializer is lossy on real-world cards (cuts 2.1 values at commas, escapes `;` in Android's
X-ANDROID-CUSTOM, doubles Apple's `http\\://`, mislabels Windows-1252, chokes on 2.1 photos and
4.0 ALTID). So cards are handled line by line: a card we did not change is returned as received,
and an edit rewrites only the lines of the properties whose value changed.

The package, bottom up (each module imports only modules listed before it): `errors`
(`CardError`), `model` (the public types, `CardError` re-exported), `syntax` (lexical
helpers: params, escapes, charsets), `parse` (the line parser that keeps raw text), `emit`
(writing lines), `summary` (the fast `summarize` scan), `hashing` (`normalized_hash`,
what it ignores and why), `sanitizing` (control characters), `uids`,
`split` (`decode_bytes`, `split_cards`), `fields` (`read_fields`, `normalize_fields`),
`conversion` (`convert`, `prepare_for_upload`, the conversion rules), `edit` (`new_card`,
`edit_card`, how 2.1 cards are edited), `export` (`export_text`), `photo` and `groups` (group
cards and categories; imported as `app.vcard.groups`), `labels` (field and type labels for
people), `merge_units` and `merge` (the three-way merge of a card, `merge_cards`, and
`field_changes` for display). Callers use the
names re-exported here (`from app import vcard; vcard.summarize(text)`), each loaded from
its module when first used (`_MODULES`); a private helper is imported from the module that
defines it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conversion import convert, prepare_for_upload
    from .edit import edit_card, new_card
    from .errors import CardError
    from .export import export_text
    from .fields import display_name, normalize_fields, read_fields
    from .hashing import HASH_IGNORED, normalized_hash, summarize_and_hash
    from .merge import FieldChange, FieldDecision, MergeResult, field_changes, merge_cards
    from .model import (
        MISSING_BEGIN,
        MISSING_END,
        PRODID,
        VERSIONS,
        Address,
        CardSummary,
        ContactFields,
    )
    from .photo import (
        MAX_PHOTO_BYTES,
        MAX_PHOTO_PIXELS,
        image_size,
        photo_problem,
        read_photo,
        set_photo,
    )
    from .sanitizing import Sanitized, sanitize
    from .split import decode_bytes, split_cards
    from .summary import summarize
    from .uids import derive_uid, ensure_uid, set_uid

#: Every name is loaded from its module when first used (PEP 562): `from app import vcard`
#: costs nothing, so a no-change `sync`, whose store and engine modules name the package
#: but parse no card, loads none of the parser, hasher or converter (~15 ms; issue 21), and
#: a run merges (app/vcard/merge.py, ~19 ms) only where both sides changed a contact.
_MODULES = {
    "conversion": ("convert", "prepare_for_upload"),
    "edit": ("edit_card", "new_card"),
    "export": ("export_text",),
    "fields": ("display_name", "normalize_fields", "read_fields"),
    "hashing": ("HASH_IGNORED", "normalized_hash", "summarize_and_hash"),
    "merge": ("FieldChange", "FieldDecision", "MergeResult", "field_changes", "merge_cards"),
    "errors": ("CardError",),
    "model": ("MISSING_BEGIN", "MISSING_END", "PRODID", "VERSIONS", "Address", "CardSummary",
              "ContactFields"),
    "photo": ("MAX_PHOTO_BYTES", "MAX_PHOTO_PIXELS", "image_size", "photo_problem",
              "read_photo", "set_photo"),
    "sanitizing": ("Sanitized", "sanitize"),
    "split": ("decode_bytes", "split_cards"),
    "summary": ("summarize",),
    "uids": ("derive_uid", "ensure_uid", "set_uid"),
}  # fmt: skip
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


__all__ = [
    "HASH_IGNORED",
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "MISSING_BEGIN",
    "MISSING_END",
    "PRODID",
    "VERSIONS",
    "Address",
    "CardError",
    "CardSummary",
    "ContactFields",
    "FieldChange",
    "FieldDecision",
    "MergeResult",
    "Sanitized",
    "convert",
    "decode_bytes",
    "derive_uid",
    "display_name",
    "edit_card",
    "ensure_uid",
    "export_text",
    "field_changes",
    "image_size",
    "merge_cards",
    "new_card",
    "normalize_fields",
    "normalized_hash",
    "photo_problem",
    "prepare_for_upload",
    "read_fields",
    "read_photo",
    "sanitize",
    "set_photo",
    "set_uid",
    "split_cards",
    "summarize",
    "summarize_and_hash",
]
