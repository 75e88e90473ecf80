"""Words that must not reach a user of the other language (issue 20).

`german_words(text)` finds German in a text meant for an English user: the product's German
terms (from SPEC.md and the German sources of the .ts/.po catalogues: Adressbuch, Kontakte,
Papierkorb, Importbericht, …), common German function words (und, nicht, der, …) and any
word with an umlaut or ß. `assert_no_german(text, where)` fails naming the words found.

`english_words(text)` does the same for English in a text meant for a German user: a short
list of English UI words that the German window never shows (Cancel, Save, Settings, …).
Words both languages share ("Server", "Account", "Status", "Import", "Standard", "Name",
"OK", "Details", "Agenda", "Export") are in neither list.

Test data that reaches the screen (contact names, book names) is chosen so that it is no
word of either list; what is data, not UI text, is the caller's to leave out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The product's German terms (SPEC, the window's and the core's German source texts).
GERMAN_TERMS = frozenset(
    [
        "Adressbuch",
        "Adressbücher",
        "Adressbuchs",
        "Adressbuchverwaltung",
        "Adressbuch-Synchronisierung",
        "Kontakt",
        "Kontakte",
        "Kontakts",
        "Kontaktes",
        "Termin",
        "Termine",
        "Termins",
        "Wiedervorlage",
        "Wiedervorlagen",
        "Papierkorb",
        "Benutzer",
        "Benutzerkonfiguration",
        "Benutzerhandbuch",
        "Konfiguration",
        "Sprache",
        "Datei",
        "Beenden",
        "Hilfe",
        "Synchronisierung",
        "Synchronisation",
        "Synchronisieren",
        "synchronisiert",
        "Importbericht",
        "Synchronisationsbericht",
        "Bericht",
        "Berichte",
        "Einmalig",
        "importieren",
        "Ergänzen",
        "Aktualisieren",
        "aktualisiert",
        "Neu",
        "neu",
        "anlegen",
        "angelegt",
        "Vorgang",
        "starten",
        "Prüfung",
        "prüfen",
        "geprüft",
        "Ausgewählte",
        "Ordner",
        "Fehler",
        "fehlgeschlagen",
        "erfolgreich",
        "abgebrochen",
        "Hinweise",
        "Hinweis",
        "Gruppe",
        "Gruppen",
        "Verlauf",
        "Wiederherstellen",
        "wiederhergestellt",
        "Löschen",
        "gelöscht",
        "Speichern",
        "gespeichert",
        "Abbrechen",
        "Schließen",
        "Bearbeiten",
        "Datensicherung",
        "Sicherung",
        "Sicherungen",
        "Einstellungen",
        "Konflikt",
        "Konflikte",
        "Kennzahl",
        "Gesamt",
        "Bestand",
        "Uhr",
        "heute",
        "gestern",
        "morgen",
        "Zuletzt",
        "zuletzt",
        "Stand",
        "Passwort",
        "Kennwort",
        "Benutzername",
        "Verbindung",
        "Nachname",
        "Vorname",
        "Firma",
        "Telefon",
        "Geburtstag",
        "Notiz",
        "Notizen",
        "Anschrift",
        "Straße",
        "Suche",
        "Suchen",
        "Abgleich",
        "Rückgängig",
        "ganztägig",
        "Woche",
        "Monat",
        "Kalender",
        "Erinnerung",
        "Übersicht",
        "Einrichten",
        "einrichten",
        "Auswahl",
        "Keine",
        "Alle",
        "Ja",
        "Nein",
        "Zurück",
        "Weiter",
        "Fertig",
        "Schritt",
        "Anzeigen",
        "anzeigen",
        "Spalten",
        "Spalte",
        "Datum",
        "Zeit",
        "Beginn",
        "Ende",
        "Ort",
        "Titel",
        "Beschreibung",
        "Aufgabe",
        "erledigt",
        "fällig",
        "Hinzufügen",
        "hinzufügen",
        "Entfernen",
        "entfernen",
        "Umbenennen",
        "umbenennen",
        "Ändern",
        "geändert",
        "Änderungen",
        "Pausiert",
        "pausiert",
        "Fortsetzen",
        "Öffnen",
        "Jetzt",
        "jetzt",
        "Später",
        "Sekunden",
        "Minuten",
        "Stunden",
        "Tage",
        "Tagen",
        "Importintervall",
        "Standardbenutzer",
        "aktuell",
        "Prüfen",
        "Lesen",
        "Schreiben",
        "Karte",
        "Karten",
        "Datenbank",
        "beschädigt",
        "Zertifikat",
        "vertrauen",
        "Anmeldedaten",
        "Zugangsdaten",
        "Verbunden",
        "verbunden",
        "erreichbar",
        "Seite",
        "Seiten",
        "Mitglied",
        "Mitglieder",
        "Sprache",
        "Version",
    ]
) - {"Version"}

#: Common German function words (none of them an English word).
GERMAN_FUNCTION_WORDS = frozenset(
    [
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
        "können",
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
        "ihren",
        "im",
        "am",
        "als",
        "wenn",
        "dann",
        "schon",
        "hier",
        "dort",
        "gibt",
        "neue",
        "neuer",
        "neues",
        "zu",
        "bis",
        "seit",
        "ohne",
        "wie",
        "wieder",
        "diese",
        "dieser",
        "dieses",
        "diesem",
        "jeder",
        "jede",
        "jedes",
        "mehr",
        "weniger",
        "nie",
        "immer",
        "oder",
        "sowie",
        "beim",
        "ins",
        "ob",
        "sich",
        "werden",
        "wird",
    ]
)

GERMAN = GERMAN_TERMS | GERMAN_FUNCTION_WORDS
_UMLAUT = re.compile(r"[äöüÄÖÜß]")

#: English UI words the German window never shows (Qt's own buttons are translated by
#: qtbase_de.qm, the product's by contactbox_de.qm's source texts).
ENGLISH = frozenset(
    [
        "Cancel",
        "Save",
        "Settings",
        "Error",
        "Errors",
        "Contacts",
        "Contact",
        "Delete",
        "Close",
        "Open",
        "File",
        "Help",
        "Edit",
        "Yes",
        "No",
        "Apply",
        "Reset",
        "Restore",
        "Search",
        "Group",
        "Groups",
        "Appointment",
        "Appointments",
        "Trash",
        "History",
        "Report",
        "Synchronization",
        "Synchronize",
        "never",
        "today",
        "yesterday",
        "tomorrow",
        "the",
        "and",
        "with",
        "please",
        "Users",
        "User",
        "Language",
        "Configuration",
        "Quit",
        "Add",
        "Remove",
        "New",
        "Check",
        "Run",
        "Done",
        "Failed",
        "Successful",
        "successful",
        "Cancelled",
        "cancelled",
        "Warning",
        "Question",
        "Discard",
        "Retry",
        "Ignore",
        "Next",
        "Back",
        "Finish",
        "Address",
        "book",
        "books",
        "Later",
        "Restart",
        "Changes",
        "changed",
        "deleted",
        "Deleted",
        "Conflicts",
        "Notes",
        "Figures",
        "Total",
        "Week",
        "Month",
        "Day",
        "Today",
        "Columns",
        "Password",
        "Username",
        "Connection",
        "Backup",
        "Backups",
    ]
)

#: A word: letters (a hyphenated compound is one), not part of a code like a UID ("ab9Wo9").
_WORD = re.compile(
    r"(?<![0-9A-Za-zÄÖÜäöüß_])[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*(?![0-9A-Za-zÄÖÜäöüß_])"
)


def words(text: str) -> list[str]:
    """The words of `text` (a hyphenated compound stays one word, and each part counts)."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        out.append(word)
        if "-" in word:
            out.extend(word.split("-"))
    return out


#: More German words, lower case, matched in any case (the CLI's list; none is English).
_LOWER_WORDS = """
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
_LOWER = frozenset(_LOWER_WORDS.split())


def german_words(text: str, *, allow: Iterable[str] = ()) -> list[str]:
    """The German words of `text`, in order (each once); the texts of `allow` (the user's
    own data, a text another part has not translated yet — say so) are removed first."""
    for allowed in allow:
        text = text.replace(allowed, " ")
    found: list[str] = []
    for word in words(text):
        german = word in GERMAN or word.lower() in _LOWER or _UMLAUT.search(word)
        if german and word not in found:
            found.append(word)
    return found


def english_words(text: str) -> list[str]:
    """The English UI words of `text`, in order (each once)."""
    found: list[str] = []
    for word in words(text):
        if word in ENGLISH and word not in found:
            found.append(word)
    return found


def assert_no_german(
    text: str | Iterable[str], where: str = "", *, allow: Iterable[str] = ()
) -> None:
    """Fail if `text` (or any of several texts) holds a German word, naming it; `allow` as
    in `german_words`."""
    texts = [text] if isinstance(text, str) else list(text)
    allowed = list(allow)
    bad = [(t, found) for t in texts if (found := german_words(t, allow=allowed))]
    assert not bad, f"German {('in ' + where) if where else ''}: " + "; ".join(
        f"{found} in {t!r}" for t, found in bad
    )


def assert_no_english(text: str | Iterable[str], where: str = "") -> None:
    """Fail if `text` (or any of several texts) holds an English UI word, naming it."""
    texts = [text] if isinstance(text, str) else list(text)
    bad = [(t, english_words(t)) for t in texts if english_words(t)]
    assert not bad, f"English {('in ' + where) if where else ''}: " + "; ".join(
        f"{found} in {t!r}" for t, found in bad
    )
