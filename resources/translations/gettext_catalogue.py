"""The core's gettext catalogue (app/i18n.py): extract, update, compile, check.

    python resources/translations/gettext_catalogue.py update   # extract app/, merge, compile
    python resources/translations/gettext_catalogue.py check    # exit 1: stale or unfinished

Extraction reads every `_("…")`, `N_("…")` and `ngettext("…", "…", n)` in app/ (Babel's
Python extractor); the English catalogue resources/locale/en/LC_MESSAGES/contactbox.po keeps
its translations, gains the new German messages (empty: to translate), loses the ones no
longer in the code, and is written sorted, without source locations or dates, so a change
of code that moves a message does not change the file (and two branches merge cleanly). The
.mo next to it is compiled from it. Run by resources/translations/update.sh; checked by
tests/unit/test_i18n.py. Needs Babel (a test dependency); the running program needs only the
standard library's gettext and the compiled .mo.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "contactbox"
LANGUAGES = ("en",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message of app/ (German msgids), with the comments translators need."""
    template = Catalog(project="Contactbox Sync", locale="de", fuzzy=False)
    for _file, _line, message, comments, context in extract_from_dir(
        str(ROOT / "app"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def _fixed(catalog: Catalog) -> Catalog:
    """Dates and generator fixed: the file changes only when a message does."""
    from datetime import datetime

    stamp = datetime(2026, 1, 1)
    catalog.creation_date = stamp
    catalog.revision_date = stamp
    catalog.project = "Contactbox Sync"
    catalog.version = ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Contactbox Sync"
    catalog.language_team = "English"
    catalog.fuzzy = False
    catalog.header_comment = (
        "# The core's texts of Contactbox Sync (app/): German msgids, translations.\n"
        "# Written by resources/translations/gettext_catalogue.py; translate the empty msgstr."
    )
    return catalog


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(
        out,
        _fixed(catalog),
        width=100,
        no_location=True,
        omit_header=False,
        sort_output=True,
        ignore_obsolete=True,
    )
    # the generator's version is no fact about the messages (another Babel: same file)
    lines = out.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"Generated-By:'))


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def merged(lang: str, template: Catalog) -> Catalog:
    """The language's catalogue brought up to `template` (translations kept)."""
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
    else:
        catalog = Catalog(locale=lang)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def unfinished(catalog: Catalog) -> list[str]:
    """The messages without a (complete, not fuzzy) translation."""
    bad = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        if m.fuzzy or not all(strings):
            bad.append(m.id if isinstance(m.id, str) else m.id[0])
    return bad


def update() -> int:
    template = extract()
    for lang in LANGUAGES:
        catalog = merged(lang, template)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(catalog))
        with path.open("rb") as f:  # compile what the file says
            path.with_suffix(".mo").write_bytes(compiled(read_po(f, locale=lang)))
        todo = unfinished(catalog)
        count = sum(1 for m in catalog if m.id)
        print(f"{path.relative_to(ROOT)}: {count} messages, {len(todo)} to translate")
    return 0


def check() -> int:
    """0 if every catalogue is current, complete and compiled; else what is wrong."""
    template = extract()
    problems = []
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        text = path.read_bytes()
        if render(merged(lang, template)) != text:
            problems.append(f"{path}: stale (run resources/translations/update.sh)")
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        for msg in unfinished(catalog):
            problems.append(f"{path}: not translated: {msg!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            problems.append(f"{mo}: not compiled from the .po (run update.sh)")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    sys.exit(update() if command == "update" else check())
