"""`CardError`, a card that cannot be read: a module of its own, so that code that names
the error (the sync engine's item errors, the command line's refusals) loads none of the
package's dataclasses (`model.py`, which re-exports it) - a no-change sync reads no card
(issue 21)."""

from __future__ import annotations

from app.i18n import N_, _


class CardError(ValueError):
    """A card that cannot be read; .message is a user-facing text and .detail a detail for
    logs and reports, both in the user's language (app.i18n) when the error is made.

    `detail` is given as a German msgid (`MISSING_BEGIN`, `MISSING_END`, or any other text
    marked with N_()) and kept untranslated in `.reason`, for code that asks why."""

    default_message = N_("Der Kontakt ist keine lesbare vCard (BEGIN:VCARD … END:VCARD fehlt).")

    def __init__(self, message: str | None = None, detail: str = "") -> None:
        self.message = message or _(self.default_message)
        self.reason = detail
        self.detail = _(detail) if detail else ""
        super().__init__(self.message if not detail else f"{self.message} ({self.detail})")
