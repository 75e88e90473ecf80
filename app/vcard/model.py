"""The public data types of the vCard package: the version constants (`PRODID`, `VERSIONS`),
`CardError` (a card that cannot be read, with a message in the user's language; defined in
`errors.py`, which a run that reads no card loads without these dataclasses),
`CardSummary` (the list and search columns `summarize` gives), and `Address`/`ContactFields`
(what the contact editor and the CLI read and write through `read_fields`, `new_card` and
`edit_card`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n import N_

from .errors import CardError as CardError  # (re-exported: its name for callers)

PRODID = "-//Contactbox//Contactbox Sync//DE"


VERSIONS = ("2.1", "3.0", "4.0")


#: Why a text is no card (`CardError.reason`: these German msgids, whatever the language).
MISSING_BEGIN = N_("BEGIN:VCARD fehlt")
MISSING_END = N_("END:VCARD fehlt")


@dataclass(frozen=True)
class CardSummary:
    """Cheap list/search columns of one card; built by `summarize` without a full parse."""

    uid: str | None
    version: str
    fn: str
    given: str
    family: str
    org: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    #: "group" for a group card (vCard 4 KIND or Apple's X-ADDRESSBOOKSERVER-KIND), else ""
    kind: str = ""
    #: a group card's members that name a contact by UID (urn:uuid:X → X), in card order
    members: tuple[str, ...] = ()
    #: the card's CATEGORIES (Nextcloud's groups), each once, in card order
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Address:
    """One postal address (the seven ADR components); frozen so it compares and hashes by value."""

    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    po_box: str = ""
    extended: str = ""

    def is_empty(self) -> bool:
        """True if every component is empty; such addresses are not written."""
        return not any(
            (
                self.street,
                self.city,
                self.region,
                self.postal_code,
                self.country,
                self.po_box,
                self.extended,
            )
        )


@dataclass
class ContactFields:
    """What the contact editor and the CLI can set; types are lowercase, comma-separated."""

    prefix: str = ""
    given: str = ""
    additional: str = ""
    family: str = ""
    suffix: str = ""
    fn: str = ""  # if empty, built from the name parts (or org, first email, first phone)
    org: str = ""  # ORG components joined by ";" ("Firma GmbH;Vertrieb")
    title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[tuple[str, Address]] = field(default_factory=list)
    birthday: str = ""  # "YYYY-MM-DD" or "--MM-DD"
    note: str = ""
    categories: list[str] = field(default_factory=list)
    url: str = ""
