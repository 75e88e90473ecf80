"""The labels of a card's fields and type parameters for people (German msgids, N_()-marked,
translated where they are shown): what the merge report, the check dialog, `--details` and
the history's comparison (app/store/history.py) call a field (`FIELD_LABELS`, `field_label`,
`field_msgid`, `OTHER_LABEL`) and how a value's types read (`TYPE_LABELS`, `type_text`:
"work,cell" → "Arbeit, Mobil"). The one place of these labels, so all speak alike."""

from __future__ import annotations

from app.i18n import N_, _

# ---------------------------------------------------------------- comparison

#: type parameters as a person reads them
TYPE_LABELS: dict[str, str] = {
    "work": N_("Arbeit"),
    "home": N_("Privat"),
    "other": N_("Sonstige"),
    "cell": N_("Mobil"),
    "mobile": N_("Mobil"),
    "fax": N_("Fax"),
    "pager": N_("Pager"),
    "voice": N_("Telefon"),
    "text": N_("SMS"),
    "textphone": N_("Texttelefon"),
    "video": N_("Video"),
    "main": N_("Hauptnummer"),
    "car": N_("Auto"),
    "isdn": N_("ISDN"),
    "msg": N_("Nachrichten"),
    "bbs": N_("Mailbox"),
    "modem": N_("Modem"),
    "iphone": N_("iPhone"),
    "pref": N_("bevorzugt"),
    "internet": N_("Internet"),
    "x400": N_("X.400"),
    "postal": N_("Post"),
    "parcel": N_("Pakete"),
    "dom": N_("Inland"),
    "intl": N_("Ausland"),
}


#: the merge's field kinds (property names; FN and N together are "NAME")
FIELD_LABELS: dict[str, str] = {
    "NAME": N_("Name"),
    "ORG": N_("Organisation"),
    "TITLE": N_("Position"),
    "ROLE": N_("Rolle"),
    "NOTE": N_("Notiz"),
    "BDAY": N_("Geburtstag"),
    "ANNIVERSARY": N_("Jahrestag"),
    "X-ANNIVERSARY": N_("Jahrestag"),
    "NICKNAME": N_("Spitzname"),
    "PHOTO": N_("Foto"),
    "LOGO": N_("Logo"),
    "SOUND": N_("Ton"),
    "KEY": N_("Schlüssel"),
    "EMAIL": N_("E-Mail"),
    "TEL": N_("Telefon"),
    "ADR": N_("Adresse"),
    "LABEL": N_("Adressetikett"),
    "URL": N_("Webseite"),
    "IMPP": N_("Messenger"),
    "CATEGORIES": N_("Kategorien"),
    "MEMBER": N_("Mitglied"),
    "KIND": N_("Art"),
    "RELATED": N_("Beziehung"),
    "GEO": N_("Geoposition"),
    "TZ": N_("Zeitzone"),
    "GENDER": N_("Geschlecht"),
    "LANG": N_("Sprache"),
    "SOURCE": N_("Quelle"),
    "CLASS": N_("Klassifizierung"),
    "SORT-STRING": N_("Sortierung"),
    "MAILER": N_("E-Mail-Programm"),
}


#: the history's row for every property its fields do not show
OTHER_LABEL = N_("Weitere Angaben")


def label_of(table: dict[str, str], key: str) -> str:
    """The label of `key` in a table of N_()-marked German labels, in the user's language;
    a key without one as it is."""
    label = table.get(key)
    return _(label) if label is not None else key


def field_msgid(kind: str) -> str:
    """A field kind's label as stored, untranslated ("TEL" → "Telefon"); a property without
    a label (X-…) by its name."""
    return FIELD_LABELS.get(kind, kind)


def field_label(kind: str) -> str:
    """The user-facing name of a field kind ("TEL" → "Telefon" in the user's language);
    a property without a label (X-…) is shown by its name."""
    return label_of(FIELD_LABELS, kind)


def type_text(types: list[str]) -> str:
    """Type tokens as a person reads them: ["work", "cell"] → "Arbeit, Mobil"; unknown
    tokens (and Apple's labels) as written."""
    out = [label_of(TYPE_LABELS, t.lower()) if t.lower() in TYPE_LABELS else t for t in types]
    return ", ".join(dict.fromkeys(out))
