"""The names of built-in things: the "Standard" address book and the default user.

They are stored as they were created — German, the product's first language — and a
user's data is never renamed. On display a built-in name is shown in the user's language
(`book_display_name`, `user_display_name`; app.store.books.display_name and
app.store.users.display_name are the same functions): "Standard" is "Default" in English,
"Standardbenutzer" is "Default user". A book or user the user named themselves is shown as
it is. What the user types may be either spelling (`stored_book_name`,
`stored_user_name`): "Default" finds the "Standard" book in English, unless a book really
has that name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.i18n import N_, _

#: The address book that always exists (cannot be renamed or deleted), as stored.
STANDARD_BOOK = N_("Standard")
#: The user every new database has, as stored.
DEFAULT_USER = N_("Standardbenutzer")
#: The default user agenda.current_user() made before there was a default user.
FALLBACK_USER_NAME = N_("Standard")


def book_display_name(name: str) -> str:
    """A book's name as shown: the "Standard" book's in the current language."""
    return _(STANDARD_BOOK) if name == STANDARD_BOOK else name


def user_display_name(name: str) -> str:
    """A user's name as shown: the built-in default user's in the current language."""
    if name == DEFAULT_USER:
        return _(DEFAULT_USER)
    if name == FALLBACK_USER_NAME:
        return _(FALLBACK_USER_NAME)
    return name


def names_user(typed: str, name: str) -> bool:
    """Does `typed` (a command line's --user) name the user stored as `name`: that name,
    or the name as shown?"""
    return typed in (name, user_display_name(name))


def _stored(
    typed: str, existing: Iterable[str], builtins: tuple[str, ...], show: Callable[[str], str]
) -> str:
    names = list(existing)
    if typed in names:
        return typed
    for builtin in builtins:
        if builtin in names and typed.casefold() == show(builtin).casefold():
            return builtin
    return typed


def stored_book_name(typed: str, existing: Iterable[str]) -> str:
    """The stored name of the book the user means by `typed`: itself if a book of that
    name exists, "Standard" for its name as shown (any case), else `typed` unchanged."""
    return _stored(typed, existing, (STANDARD_BOOK,), book_display_name)


def stored_user_name(typed: str, existing: Iterable[str]) -> str:
    """The stored name of the user meant by `typed` (see `stored_book_name`)."""
    return _stored(typed, existing, (DEFAULT_USER, FALLBACK_USER_NAME), user_display_name)
