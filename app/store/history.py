"""The history ("Verlauf") of a contact: versions, comparison, restore; the rows both kinds share.

`versions` lists the stored ContactVersion rows newest first, `compare` lines up two cards
field by field (labels in the user's language, one row per field, plus "Weitere Angaben" for
every property the fields do not cover), and `restore_version` makes an earlier version
current again through `update_contact`, so the replaced card lands in the history (a restore
can be undone) and the sync engine sees the changed hash on its next run. `VersionRow` (built
by `version_rows`), `FieldDiff`, `REASON_LABELS`/`reason_label`, `restored_note` and
`local_time` are shared with the appointment history (`app.store.appointment_history`),
which does the same for AppointmentVersion rows and iCalendar texts. No Qt here: the dialog
lives in ui/. Every text here is in the user's language (app.i18n): the label tables hold
German msgids marked with N_() and are translated where a row is made, so the window and the
CLI show the same words.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app import vcard
from app.i18n import N_, _, language, ngettext
from app.store.contacts import StoreError, get_contact, history, update_contact
from app.store.models import ContactVersion, database
from app.vcard.labels import FIELD_LABELS, TYPE_LABELS, field_label, label_of

# (the labels' one place; also what app/store/appointment_history.py takes from here)
from app.vcard.labels import OTHER_LABEL as OTHER_LABEL

_label = label_of  # (app/store/appointment_history.py takes it from here)

__all__ = [
    "REASON_LABELS",
    "CurrentCard",
    "FieldDiff",
    "VersionRow",
    "compare",
    "current_card",
    "reason_label",
    "restore_version",
    "version_text",
    "versions",
]

#: Labels of ContactVersion.reason and AppointmentVersion.reason (German msgids; shown
#: through `reason_label`).
REASON_LABELS: dict[str, str] = {
    "edit": N_("Bearbeitet"),
    "server-update": N_("Vom Server geändert"),
    "conflict": N_("Konflikt (unterlegene Fassung)"),
    "restore": N_("Wiederhergestellt"),
}


def reason_label(reason: str) -> str:
    """Why a version was kept ("edit", …), in the user's language; unknown as it is."""
    label = REASON_LABELS.get(reason)
    return _(label) if label is not None else reason


@dataclass(frozen=True)
class VersionRow:
    """One earlier version of a contact, as the history list shows it."""

    id: int
    created: datetime  # naive UTC, as stored
    reason: str
    reason_label: str  # in the user's language
    note: str
    fn: str  # the contact's name then; for an appointment its title


@dataclass(frozen=True)
class FieldDiff:
    """One field of two cards side by side; multi-values are joined by newlines."""

    label: str  # in the user's language
    old: str
    new: str
    changed: bool


@dataclass(frozen=True)
class CurrentCard:
    """The current state of a contact, for the history dialog (no peewee object leaks out)."""

    id: int
    uid: str
    fn: str
    vcard: str
    in_trash: bool


def local_time(value: datetime) -> str:
    """A naive-UTC store time as local time, German format ("29.11.2026 10:14")."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone().strftime("%d.%m.%Y %H:%M")


def restored_note(created: datetime) -> str:
    """The note of a "restore" version: which earlier version was made current again (in
    the language of the moment it is made: a note, once stored, is kept as it is)."""
    return _("Fassung vom {time} wiederhergestellt").format(time=local_time(created))


def version_rows(
    stored: Iterable[Any], text_of: Callable[[Any], str], title_of: Callable[[str], str]
) -> list[VersionRow]:
    """History rows of stored versions (ContactVersion or AppointmentVersion), in the
    order given; `text_of` reads a version's text, `title_of` the name shown for it."""
    return [
        VersionRow(
            id=v.id,
            created=v.created,
            reason=v.reason,
            reason_label=reason_label(v.reason),
            note=v.note,
            fn=title_of(text_of(v)),
        )
        for v in stored
    ]


def _fn_of(text: str) -> str:
    try:
        return vcard.summarize(text).fn
    except (vcard.CardError, ValueError):
        return ""


def versions(contact_id: int) -> list[VersionRow]:
    """The earlier versions of a contact, newest first; StoreError if it does not exist."""
    contact = get_contact(contact_id)
    return version_rows(history(contact), lambda v: str(v.vcard), _fn_of)


def current_card(contact_id: int) -> CurrentCard:
    """The contact's current card; StoreError if it does not exist."""
    c = get_contact(contact_id)
    return CurrentCard(c.id, c.uid, c.fn, c.vcard, c.deleted_at is not None)


def _version(contact_id: int, version_id: int) -> ContactVersion:
    v = ContactVersion.get_or_none(ContactVersion.id == version_id)
    if v is None or v.contact_id != contact_id:
        raise StoreError(_("Diese Fassung gehört nicht zu diesem Kontakt."))
    return v


def version_text(contact_id: int, version_id: int) -> str:
    """The vCard text of one earlier version; StoreError if it is not the contact's."""
    return str(_version(contact_id, version_id).vcard)


def restore_version(contact_id: int, version_id: int) -> None:
    """Make an earlier version current again; the replaced card goes into the history.

    The UID is forced to the contact's current UID, so the sync engine keeps matching the
    server card. Refused for a contact in the trash and for a version of another contact.
    """
    with database.atomic():
        contact = get_contact(contact_id)
        if contact.deleted_at is not None:
            raise StoreError(
                _("Der Kontakt liegt im Papierkorb. Stellen Sie ihn zuerst wieder her.")
            )
        v = _version(contact_id, version_id)
        try:
            text = vcard.set_uid(v.vcard, contact.uid)
        except vcard.CardError as e:
            raise StoreError(
                _("Diese Fassung ist keine lesbare vCard und kann nicht wiederhergestellt werden.")
            ) from e
        update_contact(contact, text, reason="restore", note=restored_note(v.created))


# ---------------------------------------------------------------- comparison

#: Properties the fields show (or bookkeeping that changes with every save).
_COVERED = (
    frozenset(
        {"N", "FN", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "BDAY", "NOTE", "CATEGORIES", "URL"}
    )
    | vcard.HASH_IGNORED
)

#: the labels of the other properties: the fields' (a 3.0 NAME line is no "Name" field)
_OTHER_NAMES = {kind: label for kind, label in FIELD_LABELS.items() if kind != "NAME"}
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_FOLD_RE = re.compile(r"\r\n[ \t]|\n[ \t]|\r[ \t]")
_ESC_RE = re.compile(r"\\(.)", re.S)


def _types(types: str) -> str:
    """ "work,cell" -> "Arbeit, Mobil"; unknown types stay as written."""
    return ", ".join(_label(TYPE_LABELS, t) for t in types.split(",") if t)


def _typed(items: Sequence[tuple[str, str]]) -> str:
    lines = []
    for types, value in items:
        label = _types(types)
        lines.append(f"{label}: {value}" if label else value)
    return "\n".join(lines)


def _address(a: vcard.Address) -> str:
    parts = [
        a.extended,
        a.street,
        _("Postfach {number}").format(number=a.po_box) if a.po_box else "",
        " ".join(x for x in (a.postal_code, a.city) if x),
        a.region,
        a.country,
    ]
    return ", ".join(p for p in parts if p)


def _birthday(b: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", b)
    if m:
        return f"{m.group(3)}.{m.group(2)}.{m.group(1)}"
    m = re.fullmatch(r"--(\d{2})-(\d{2})", b)
    if m:
        return f"{m.group(2)}.{m.group(1)}."
    return b


def _name(f: vcard.ContactFields) -> str:
    built = " ".join(x for x in (f.prefix, f.given, f.additional, f.family, f.suffix) if x)
    if built and built != f.fn:
        parts = _("Namensteile: {parts}").format(parts=built)
        return f"{f.fn}\n{parts}" if f.fn else built
    return f.fn


#: the rows of the comparison: (field kind, its label in `FIELD_LABELS`; how it reads)
_FIELDS: tuple[tuple[str, Callable[[vcard.ContactFields], str]], ...] = (
    ("NAME", _name),
    ("ORG", lambda f: f.org.replace(";", ", ")),
    ("TITLE", lambda f: f.title),
    ("EMAIL", lambda f: _typed(f.emails)),
    ("TEL", lambda f: _typed(f.phones)),
    ("ADR", lambda f: _typed([(t, _address(a)) for t, a in f.addresses])),
    ("BDAY", lambda f: _birthday(f.birthday)),
    ("URL", lambda f: f.url),
    ("CATEGORIES", lambda f: ", ".join(f.categories)),
    ("NOTE", lambda f: f.note),
)


def _logical_lines(text: str) -> list[str]:
    """The unfolded content lines of a card (QUOTED-PRINTABLE soft breaks joined)."""
    text = _FOLD_RE.sub("", text)
    out: list[str] = []
    for line in re.split(r"\r\n|\n|\r", text):
        if out and out[-1].endswith("=") and "QUOTED-PRINTABLE" in out[-1].split(":", 1)[0].upper():
            out[-1] = out[-1][:-1] + line
        elif line.strip():
            out.append(line)
    return out


def _size(n: int) -> str:
    if n < 1024:
        return ngettext("{n} Byte", "{n} Bytes", n).format(n=n)
    kb = round(n / 1024)
    if kb < 1024:
        return f"{kb} KB"
    mb = f"{n / 1024 / 1024:.1f}"  # the decimal mark of the language: "1,5 MB", "1.5 MB"
    return f"{mb.replace('.', ',') if language() == 'de' else mb} MB"


def _binary_info(params: str, value: str) -> tuple[str, str]:
    """(display detail, content key) of a PHOTO/LOGO/... value: size, or "Link" for a URL."""
    data = value.strip()
    m = re.match(r"data:[^,]*?;base64,(.*)\Z", data, re.I | re.S)
    inline = m is not None or re.search(r"ENCODING=(B|BASE64)|;BASE64", params, re.I)
    if m:
        data = m.group(1)
    if not inline:
        return _("Link"), data
    data = "".join(data.split())
    try:
        raw = base64.b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raw = data.encode()
    return _size(len(raw)), raw.hex()[:64] + str(len(raw))


def _unescape(value: str) -> str:
    table = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}
    return _ESC_RE.sub(lambda m: table.get(m.group(1), m.group(0)), value)


def _other(text: str) -> list[tuple[str, str]]:
    """(content key, display line) of every property the fields do not cover."""
    rows: list[tuple[str, str]] = []
    for line in _logical_lines(text):
        colon = line.find(":")
        if colon < 0:
            continue
        head, value = line[:colon], line[colon + 1 :]
        name, _, params = head.partition(";")
        group, _, name = name.rpartition(".")
        name = name.strip().upper()
        if name in _COVERED:
            continue
        label = _label(_OTHER_NAMES, name)
        if name in _BINARY:
            detail, key = _binary_info(params, value)
            rows.append((f"{name}:{key}", f"{label} ({detail})"))
            continue
        if "QUOTED-PRINTABLE" in params.upper():
            value = binascii.a2b_qp(value.encode("utf-8", "replace")).decode("utf-8", "replace")
        shown = _unescape(value).strip().replace("\n", " ")
        prefix = f"{group}.{label}" if group else label
        ptext = f" ({params.strip()})" if params.strip() else ""
        rows.append((f"{head.upper()}:{value.strip()}", f"{prefix}{ptext}: {shown}"))
    return sorted(rows, key=lambda r: (r[1].casefold(), r[0]))


def _other_text(rows: list[tuple[str, str]], against: list[tuple[str, str]]) -> str:
    """Display lines; a binary whose size reads the same as before but differs is marked."""
    keys = {k for k, _d in against}
    shown = {d for _k, d in against}
    out = []
    for key, display in rows:
        if key not in keys and display in shown:
            display = _("{text} – geändert").format(text=display)
        out.append(display)
    return "\n".join(out)


def compare(old_text: str, new_text: str) -> list[FieldDiff]:
    """Two cards field by field (labels in the user's language), plus "Weitere Angaben"
    for the rest.

    A card that cannot be read shows empty fields and its raw text under "Weitere Angaben".
    """
    fields: list[vcard.ContactFields | None] = []
    for text in (old_text, new_text):
        try:
            fields.append(vcard.read_fields(text))
        except (vcard.CardError, ValueError):
            fields.append(None)
    old_f, new_f = fields
    out: list[FieldDiff] = []
    for kind, show in _FIELDS:
        old = show(old_f) if old_f is not None else ""
        new = show(new_f) if new_f is not None else ""
        out.append(FieldDiff(field_label(kind), old, new, old != new))
    old_rows = _other(old_text) if old_f is not None else []
    new_rows = _other(new_text) if new_f is not None else []
    old_other = (
        _other_text(old_rows, [])
        if old_f is not None
        else unreadable(_("Keine lesbare vCard:"), old_text)
    )
    new_other = (
        _other_text(new_rows, old_rows)
        if new_f is not None
        else unreadable(_("Keine lesbare vCard:"), new_text)
    )
    if old_f is None or new_f is None:
        changed = old_text != new_text
    else:
        changed = sorted(k for k, _d in old_rows) != sorted(k for k, _d in new_rows)
    out.append(FieldDiff(_(OTHER_LABEL), old_other, new_other, changed))
    return out


def unreadable(heading: str, text: str) -> str:
    """An unreadable version under "Weitere Angaben": the heading, then its raw text."""
    return f"{heading}\n{text.strip()}"
