"""The core's translations (app/i18n.py, issue 20): the catalogue is current, complete and
compiled; every message the core shows can be found by extraction; templates keep their
placeholders; the language comes from --language, else LC_ALL / LC_MESSAGES / LANG."""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "resources" / "translations" / "gettext_catalogue.py"
PO = ROOT / "resources" / "locale" / "en" / "LC_MESSAGES" / "contactbox.po"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gettext_catalogue", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_is_current_complete_and_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    assert _tool().check() == 0, capsys.readouterr().err


def _calls(tree: ast.AST) -> list[ast.Call]:
    names = {"_", "N_", "ngettext"}
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
    ]


def _built(node: ast.AST) -> bool:
    """A message made at run time (f-string, concatenation with a value, `.format()`,
    `%`): it cannot be in the catalogue."""
    for n in ast.walk(node):
        if isinstance(n, ast.JoinedStr):
            return True
        if isinstance(n, ast.BinOp) and not all(
            isinstance(x, ast.Constant) for x in (n.left, n.right)
        ):
            return True
        if isinstance(n, ast.Call):
            return True
    return False


def test_every_message_is_one_extraction_can_see() -> None:
    """`_(f"…")` or `_("a " + name)` cannot be looked up in a catalogue: the text would stay
    German in English. Templates take `.format(...)` after the call. `ngettext` and `N_`
    take literals; `_()` a literal or a constant marked with `N_()` where it is defined."""
    bad = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            literal_only = call.func.id != "_"  # type: ignore[attr-defined]
            n = 2 if call.func.id == "ngettext" else 1  # type: ignore[attr-defined]
            for arg in call.args[:n]:
                is_literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if (literal_only and not is_literal) or _built(arg):
                    bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert bad == []


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_translations_keep_the_placeholders() -> None:
    """A translation without `{name}` (or with another one) would fail or lose a value."""
    with PO.open("rb") as f:
        catalog = read_po(f, locale="en")
    bad = []
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        want = set().union(*(_fields(i) for i in ids))
        for s in strings:
            if _fields(s) != want:
                bad.append((ids[0], s))
    assert bad == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "de"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "C.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LC_MESSAGES": "en_GB", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en"}, "en"),
    ],
)
def test_language_from_the_environment(env: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(env) == expected


def test_english_is_spoken_when_asked_and_german_is_the_default() -> None:
    message = "Bitte geben Sie einen Namen für die Gruppe ein."
    assert i18n._(message) == message
    i18n.set_language("en")
    assert i18n.language() == "en"
    assert i18n._(message) == "Please enter a name for the group."
    assert i18n.ngettext("{n} Karte", "{n} Karten", 1) == "{n} Karte"  # unknown: German
    i18n.set_language("xx")
    assert i18n.language() == "de" and i18n._(message) == message


def test_no_german_umlauts_left_in_the_english_catalogue() -> None:
    """A cheap guard against German pasted as the translation."""
    with PO.open("rb") as f:
        catalog = read_po(f, locale="en")
    german = re.compile(r"[äöüßÄÖÜ]")
    bad = [
        m.id
        for m in catalog
        if m.id
        and any(german.search(s) for s in ([m.string] if isinstance(m.string, str) else m.string))
    ]
    assert bad == []
