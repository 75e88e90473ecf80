"""German words in a text meant to be English (issue 20): `german_words(text)` lists them,
`assert_no_german(text_or_texts, where)` fails on them — for every test of the English faces
(CLI, window).

Two signs of German: a letter only German writes (ä ö ü Ä Ö Ü ß), and a whole word from
`GERMAN_WORDS` — the product's German terms (Kontakt, Adressbuch, Wiedervorlage, Abgleich,
Sicherung, …) and common German words (und, nicht, wird, …). Words that are English as well
(an, in, also, will, Account, Server, Status, Standard, Name, Import, Option, Port, Art, Tag,
…) are not in the list: they would flag correct English. Matching is by whole word, ignoring
case. The user's own data (a contact called "Müller", a book called "Büro") is German by
nature: pass it as `allow` (each is removed from the text before the check), as well as a
text another part has not translated yet (say so where it is allowed).

Extend `GERMAN_WORDS` with the terms of your part (lower case, never an English word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Letters that only German (of the product's languages) writes.
GERMAN_LETTERS = re.compile(r"[äöüÄÖÜß]")

#: The product's German terms (the first block) and common German words, lower case;
#: none is English too.
_WORDS = """
    kontakt kontakte kontakten kontaktes adressbuch adressbuchs adressbucher konto konten
    benutzer benutzers standardbenutzer benutzername benutzerkonfiguration termin termine
    terminen wiedervorlage wiedervorlagen kalender kalenders papierkorb sicherung
    sicherungen datensicherung datenbank abgleich abgleichen abgeglichen gleicht
    synchronisation synchronisierung einmalig importieren importiert ergänzen erganzen
    aktualisieren aktualisiert anlegen angelegt entfernen entfernt löschen gelöscht geloscht
    gruppe gruppen kategorie kategorien fehler warnung hinweis passwort passworter
    verbindung zertifikat zertifikats fingerabdruck schlüsselbund passwortspeicher prüfung
    prüfen geprüft erfolgreich fehlgeschlagen bericht berichte importbericht importintervall
    intervall minuten einstellungen sprache abbrechen abgebrochen beendet fortschritt datei
    dateien pfad adresse vorgang neuer neue neues aktuell aktuelle aktuellen aktueller
    vorhanden mehrdeutig unbekannt unbekannte unbekannter gefunden gespeichert gesichert
    wiederhergestellt wiederherstellen verbunden aktiviert deaktiviert lesen schreiben
    geschrieben anzeigen umbenennen verwenden erlaubt ungültig gültig falsch erreichbar
    antwortet konflikt konflikte geändert neu leer liste uhr heute morgen gestern zeitraum
    beginn betreff serie ganztägig wochentag

    und oder nicht kein keine keinen keiner der das dem den des ein eine einen einem einer
    ist sind wird werden wurde wurden mit von für auf aus im zu zum zur nach bei noch nur
    schon jetzt gibt sich sie ihr ihre ihren ihrem wie wo wenn dann sonst alle alles bleibt
    bleiben erhalten daten ohne bitte heißt über unter zwischen nein ja oben unten hier dort
    bereits wieder dieser diese dieses diesen seine seinem seinen kann können muss soll weil
    damit dass auch ob bis seit vom beim ins als um durch gegen mehr weniger einmal
"""
GERMAN_WORDS: frozenset[str] = frozenset(_WORDS.split())

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def german_words(text: str, *, allow: Iterable[str] = ()) -> list[str]:
    """The German in `text`: the words of `GERMAN_WORDS` and the words with a German
    letter, in order (each once); `allow`'s texts are removed first, in their order."""
    for allowed in allow:
        text = text.replace(allowed, " ")
    found: list[str] = []
    for word in _WORD.findall(text):
        if (word.lower() in GERMAN_WORDS or GERMAN_LETTERS.search(word)) and word not in found:
            found.append(word)
    return found


def assert_no_german(
    text: str | Iterable[str], where: str = "", *, allow: Iterable[str] = ()
) -> None:
    """Fail, naming the German words, the text and `where` it was seen, if `text` (or any
    of several texts) is not free of German; `allow` as in `german_words`."""
    texts = [text] if isinstance(text, str) else list(text)
    allowed = list(allow)
    bad = [(t, found) for t in texts if (found := german_words(t, allow=allowed))]
    assert not bad, f"German in English text{' (' + where + ')' if where else ''}: " + "; ".join(
        f"{found} in {t!r}" for t, found in bad
    )
