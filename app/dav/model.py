"""Plain data the DAV layer hands to the sync engine; no HTTP objects leak out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RemoteBook:
    """One address book collection on the server."""

    href: str  # absolute path on the server, e.g. "/dav/user/contacts/" (always ends with "/")
    display_name: str
    description: str = ""
    ctag: str | None = None  # CalendarServer getctag, if offered
    sync_token: str | None = None  # DAV:sync-token, if offered
    supports_sync_collection: bool = False
    # vCard versions the server accepts (CARDDAV:supported-address-data); empty = unknown
    vcard_versions: tuple[str, ...] = ()
    read_only: bool = False  # the user may only read it (DAV:current-user-privilege-set)


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class RemoteCard:
    """One card as fetched: its href, ETag and full vCard text."""

    href: str
    etag: str
    text: str


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Listing:
    """What a listing request told about a book.

    full=True: `etags` is every card in the book (href -> etag), `deleted` empty.
    full=False: a sync-collection delta since the token we sent: `etags` holds new or
    changed cards, `deleted` the hrefs removed since then.

    `unknown`: cards the listing named without a usable answer — no ETag that could be
    learned (none given, the ETag-only multiget did not tell, or they vanished before it
    asked), or an entry with an error status. They are in neither `etags` nor `deleted`:
    the listing is incomplete about them (not "unchanged", not "gone"), and a position
    (sync token, ctag) must not be advanced past them until they are accounted for.
    """

    etags: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    sync_token: str | None = None
    full: bool = True
    unknown: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        """True when every card the listing named has a known ETag (or is known deleted)."""
        return not self.unknown


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class WriteResult:
    """Outcome of a PUT: where the card lives now and its new ETag (None if not returned)."""

    href: str
    etag: str | None
