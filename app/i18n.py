"""The core's texts in the user's language (issue 20), through Python's standard gettext.

`app/` never imports Qt, so Qt's tr() cannot reach the texts made here (errors, report
statuses and notes, mode labels, the CLI's output). They are written in German — German is
the product's first language and the msgid — and pass through `_()` (or `ngettext()` for
counted ones, `N_()` to mark a constant that is translated where it is shown). The English
catalogue is `resources/locale/en/LC_MESSAGES/contactbox.po`, compiled to `contactbox.mo`
by `resources/translations/update.sh` (Babel's extract/update/compile); German needs no
catalogue. A text with values is a template: `_("Das Adressbuch „{name}“ …").format(name=…)`
— never an f-string inside `_()` (it could not be looked up; tests/unit/test_i18n.py checks).

The language is chosen once per process: the window from its Sprache setting, the CLI from
`--language de|en`, else from LC_ALL / LC_MESSAGES / LANG (German when unset, C/POSIX or
German). JSON field names and values stay untranslated: only human text changes.

Dates, times and numbers the core prints (the CLI) follow the language too, without Qt:
`format_date`, `format_datetime`, `format_number` — German "06.12.2026 14:05" and "1.234",
English "2026-12-06 14:05" (ISO order: clear whatever the reader's country) and "1,234".
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

DOMAIN = "contactbox"
LANGUAGES = ("de", "en")
DEFAULT = "de"

_language = DEFAULT
_catalogue: gettext.NullTranslations = gettext.NullTranslations()


def locale_dir() -> Path:
    """`resources/locale`: next to the `app` package, or in a frozen bundle's root."""
    here = Path(__file__).resolve().parent.parent / "resources" / "locale"
    bundle = getattr(sys, "_MEIPASS", None)
    if not here.is_dir() and bundle:
        return Path(bundle) / "resources" / "locale"
    return here


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG that
    is set decides (POSIX order); "en…" → English, anything else (German, C, unset) → German.
    """
    env = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("@")[0].lower()
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


def set_language(code: str) -> None:
    """Speak `code` ("de" or "en") from now on; an unknown code is German."""
    global _language, _catalogue
    code = code if code in LANGUAGES else DEFAULT
    _language = code
    if code == DEFAULT:
        _catalogue = gettext.NullTranslations()
    else:
        _catalogue = gettext.translation(
            DOMAIN, localedir=str(locale_dir()), languages=[code], fallback=True
        )


def language() -> str:
    """The language the core speaks now ("de" or "en")."""
    return _language


def _(message: str) -> str:
    """`message` (German) in the current language."""
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for `n` in the current language (German: the
    singular for 1, else the plural)."""
    return _catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it now (a constant shown later
    through `_()`)."""
    return message


#: How a date and a time of day are written, by language (strftime).
_DATE_FORMATS = {"de": "%d.%m.%Y", "en": "%Y-%m-%d"}
_TIME_FORMAT = "%H:%M"
#: The thousands separator, by language.
_GROUPING = {"de": ".", "en": ","}


def format_date(value: date) -> str:
    """A date in the current language: "06.12.2026" (German), "2026-12-06" (English)."""
    return value.strftime(_DATE_FORMATS[_language])


def format_time(value: datetime) -> str:
    """A time of day, 24 hours in both languages: "14:05"."""
    return value.strftime(_TIME_FORMAT)


def format_datetime(value: datetime) -> str:
    """A date and time as given (naive local, or aware: shown in its own offset): "06.12.2026
    14:05" (German), "2026-12-06 14:05" (English)."""
    return f"{format_date(value)} {format_time(value)}"


def format_number(value: int) -> str:
    """A whole number with the language's thousands separator: "1.234" / "1,234"."""
    return f"{value:,}".replace(",", _GROUPING[_language])
