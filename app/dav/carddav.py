"""CardDAV operations on one address book: list, fetch, write, delete - with ETags.

python-caldav has no CardDAV, so this is ours. It speaks sync-collection (RFC 6578) where
the server has it and plain PROPFIND listings where not, batches addressbook-multiget
(RFC 6352) and writes with If-Match / If-None-Match so that a concurrent change on the
server is never overwritten silently. ETags are kept byte-for-byte as the server sent them.
The work is done by `app.dav.collection.CollectionClient`, shared with CalDAV; this module
says what is particular to address books.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.dav import xml
from app.dav.collection import CollectionClient, Wording
from app.dav.errors import CardRejected
from app.dav.model import RemoteBook
from app.dav.session import DavSession
from app.i18n import N_

VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"
# GET without a version asked for: the server's default (vCard 3.0, RFC 6352 §5.1.1).
ACCEPT_ANY = "text/vcard, text/x-vcard;q=0.9, */*;q=0.1"
# GET asking for vCard 4.0 (RFC 6350 §10.1: the media type's version parameter) and
# taking 3.0 or whatever else the server has, with lower preference.
ACCEPT_4 = (
    "text/vcard;version=4.0, text/vcard;version=3.0;q=0.9, text/vcard;q=0.8, "
    "text/x-vcard;q=0.7, */*;q=0.1"
)


def preferred_version(versions: Iterable[str]) -> str | None:
    """The vCard version to ask a book for, given its supported-address-data: "4.0"
    when listed (servers that convert, SabreDAV 3+ of Nextcloud and ownCloud, otherwise
    hand out their 4.0 cards as 3.0, losing what 3.0 cannot say); None otherwise, as
    before: the server's default, which is 3.0 (RFC 6352 §10.4)."""
    return "4.0" if "4.0" in {v.strip() for v in versions} else None


CARD_WORDING = Wording(
    collection_elsewhere=N_("Adressbuch {href} liegt nicht auf diesem Server"),
    item_elsewhere=N_("Kontakt {href} liegt nicht auf diesem Server"),
    gone_detail=N_("{method} {url} -> 207 mit {status} für das Adressbuch"),
    collection_gone=N_("Das Adressbuch wurde auf dem Server nicht gefunden."),
    collection_incomplete=N_("Der Server hat das Adressbuch nicht vollständig aufgeführt."),
    item_gone=N_("Der Kontakt existiert auf dem Server nicht mehr."),
    item_changed=N_("Der Kontakt wurde gleichzeitig auf dem Server geändert."),
    name_taken=N_("Auf dem Server existiert bereits ein Kontakt unter diesem Namen."),
    token_expired=N_(
        "Das Synchronisations-Token ist abgelaufen; das Adressbuch wird vollständig gelesen."
    ),
    refusals_of="card",
)


class CardDavClient(CollectionClient):
    """Card-level CardDAV operations over one DavSession: `changes`, `list_etags`,
    `multiget`, `get`, `create`, `update` and `delete` of `CollectionClient`, plus the
    vCard version a book is asked for."""

    multiget_report = xml.ADDRESSBOOK_MULTIGET
    data_prop = xml.ADDRESS_DATA
    content_type = VCARD_CONTENT_TYPE
    item_types = ("text/vcard", "text/x-vcard", "text/directory")
    accept = ACCEPT_ANY
    extension = ".vcf"
    batch_size = 500
    # A CardDAV or CalDAV precondition is about the content (Xandikos behind WSGI answers
    # a broken vCard with caldav:valid-calendar-data).
    content_conditions = (f"{{{xml.CARD}}}valid-", f"{{{xml.CALDAV}}}valid-")
    rejected = CardRejected
    wording = CARD_WORDING

    def __init__(self, session: DavSession) -> None:
        super().__init__(session)
        # book path -> the vCard version asked for in its multigets and GETs
        self._versions: dict[str, str] = {}

    def use_versions(self, book_href: str, versions: Iterable[str]) -> None:
        """Tell the client which vCard versions the book lists in supported-address-data
        (`RemoteBook.vcard_versions`, kept on the binding): its multigets and GETs then
        ask for 4.0 where listed (`preferred_version`); none listed, or only 3.0: no
        version asked, the server sends its default as before."""
        path = self._collection_path(book_href)
        version = preferred_version(versions)
        if version is None:
            self._versions.pop(path, None)
        else:
            self._versions[path] = version

    def _data_attrs(self, collection: str) -> dict[str, str]:
        return xml.address_data_attrs(self._versions.get(collection))

    def _accept_for(self, path: str) -> str:
        book = path.rsplit("/", 1)[0] + "/"  # a card lies directly in its book
        return ACCEPT_4 if self._versions.get(book) == "4.0" else ACCEPT_ANY

    def book_state(self, book_href: str) -> RemoteBook:
        """ctag and sync token of one book (depth-0 PROPFIND), the cheap "changed?" check."""
        from app.dav import discovery  # (a book bound before needs no discovery: issue 21)

        return discovery.book_state(self.session, self._collection_path(book_href))

    #: the href `create` uses for a card called `name` in a book
    card_href = CollectionClient.item_href
