"""Words that must not reach an English user (issue 20) — a minimal list.

The full list (the product's German terms, common German words, and English words for the
German check) is made by the window's helper under this same file name; this one has the
same `german_words` / `assert_no_german` and is replaced by it when both are merged.
`german_words(text)` finds German in a text meant for an English user: a product term, a
common German function word, or any word with an umlaut or ß.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The product's German terms that the sync core's texts use.
GERMAN_TERMS = frozenset(
    (
        "Adressbuch",
        "Adressbücher",
        "Adressbuchs",
        "Kontakt",
        "Kontakte",
        "Termin",
        "Termine",
        "Wiedervorlage",
        "Wiedervorlagen",
        "Papierkorb",
        "Benutzer",
        "Synchronisation",
        "Synchronisierung",
        "Importbericht",
        "Synchronisationsbericht",
        "Bericht",
        "Einmalig",
        "importieren",
        "Ergänzen",
        "Aktualisieren",
        "aktualisiert",
        "Neu",
        "neu",
        "anlegen",
        "Vorgang",
        "Prüfung",
        "Fehler",
        "fehlgeschlagen",
        "erfolgreich",
        "abgebrochen",
        "Hinweis",
        "Hinweise",
        "Gruppen",
        "gelöscht",
        "geändert",
        "Konflikt",
        "Konflikte",
        "Abgleich",
        "Kalender",
        "Karte",
        "Karten",
        "Zurückgehalten",
        "Löschungen",
        "Übersprungen",
        "unberührt",
        "übernommen",
        "Verbindung",
        "Version",
        "Vorgabe",
        "Option",
        "Eintrag",
        "Einträge",
        "Nächster",
        "Versuch",
        "gestartet",
        "Änderungen",
    )
) - {"Version", "Option"}  # English words too

#: Common German function words (none of them an English word).
GERMAN_FUNCTION_WORDS = frozenset(
    (
        "und",
        "oder",
        "nicht",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "mit",
        "von",
        "vom",
        "zum",
        "zur",
        "für",
        "auf",
        "aus",
        "bei",
        "nach",
        "über",
        "unter",
        "ist",
        "sind",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "kann",
        "noch",
        "nur",
        "auch",
        "alle",
        "kein",
        "keine",
        "bitte",
        "Sie",
        "ihr",
        "ihre",
        "im",
        "am",
        "als",
        "wenn",
        "dann",
        "schon",
        "hier",
        "dort",
        "gibt",
        "zu",
        "bis",
        "seit",
        "ohne",
        "wie",
        "wieder",
        "dieses",
        "mehr",
        "sich",
        "weitere",
    )
)

GERMAN = GERMAN_TERMS | GERMAN_FUNCTION_WORDS
_UMLAUT = re.compile(r"[äöüÄÖÜß]")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*")


def words(text: str) -> list[str]:
    """The words of `text` (a hyphenated compound stays one word, and each part counts)."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        out.append(word)
        if "-" in word:
            out.extend(word.split("-"))
    return out


def german_words(text: str) -> list[str]:
    """The German words of `text`, in order (each once)."""
    found: list[str] = []
    for word in words(text):
        if (word in GERMAN or _UMLAUT.search(word)) and word not in found:
            found.append(word)
    return found


def assert_no_german(text: str | Iterable[str], where: str = "") -> None:
    """Fail if `text` (or any of several texts) holds a German word, naming it."""
    texts = [text] if isinstance(text, str) else list(text)
    bad = [(t, german_words(t)) for t in texts if german_words(t)]
    assert not bad, f"German {('in ' + where) if where else ''}: " + "; ".join(
        f"{found} in {t!r}" for t, found in bad
    )
