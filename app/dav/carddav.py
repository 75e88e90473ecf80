"""CardDAV operations on one address book: list, fetch, write, delete - with ETags.

python-caldav has no CardDAV, so this is ours. It speaks sync-collection (RFC 6578) where
the server has it and plain PROPFIND listings where not, batches addressbook-multiget
(RFC 6352) and writes with If-Match / If-None-Match so that a concurrent change on the
server is never overwritten silently. ETags are kept byte-for-byte as the server sent them.
The work is done by `app.dav.collection.CollectionClient`, shared with CalDAV; this module
says what is particular to address books.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from app.dav import discovery, xml
from app.dav.collection import CollectionClient, Wording
from app.dav.errors import CardRejected
from app.dav.model import Listing, RemoteBook, RemoteCard, WriteResult
from app.dav.refusal import CARD_REFUSALS

VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"

CARD_WORDING = Wording(
    collection_noun="Adressbuch",
    item_noun="Kontakt",
    for_collection="für das Adressbuch",
    collection_gone="Das Adressbuch wurde auf dem Server nicht gefunden.",
    collection_incomplete="Der Server hat das Adressbuch nicht vollständig aufgeführt.",
    item_gone="Der Kontakt existiert auf dem Server nicht mehr.",
    item_changed="Der Kontakt wurde gleichzeitig auf dem Server geändert.",
    name_taken="Auf dem Server existiert bereits ein Kontakt unter diesem Namen.",
    token_expired=(
        "Das Synchronisations-Token ist abgelaufen; das Adressbuch wird vollständig gelesen."
    ),
    refusals=CARD_REFUSALS,
)


class CardDavClient(CollectionClient):
    """Card-level CardDAV operations over one DavSession."""

    multiget_report = xml.ADDRESSBOOK_MULTIGET
    data_prop = xml.ADDRESS_DATA
    content_type = VCARD_CONTENT_TYPE
    item_types = ("text/vcard", "text/x-vcard", "text/directory")
    accept = "text/vcard, text/x-vcard;q=0.9, */*;q=0.1"
    extension = ".vcf"
    # A CardDAV or CalDAV precondition is about the content (Xandikos behind WSGI answers
    # a broken vCard with caldav:valid-calendar-data).
    content_conditions = (f"{{{xml.CARD}}}valid-", f"{{{xml.CALDAV}}}valid-")
    rejected = CardRejected
    wording = CARD_WORDING

    def book_state(self, book_href: str) -> RemoteBook:
        """ctag and sync token of one book (depth-0 PROPFIND), the cheap "changed?" check."""
        return discovery.book_state(self.session, self._collection_path(book_href))

    def changes(self, book_href: str, token: str | None, *, limit: int | None = None) -> Listing:
        """sync-collection listing: full with token None/"", else the delta since `token`.

        Follows 507-truncated pages until complete. A server that cuts a page at `limit`
        without saying so (Xandikos) is asked again without a limit, so nothing is lost.
        Raises SyncTokenInvalid or SyncUnsupported as the server indicates.
        """
        return self._changes(book_href, token, limit)

    def list_etags(self, book_href: str) -> Listing:
        """PROPFIND depth 1: every card's ETag (for servers without sync-collection)."""
        return self._list_etags(book_href)

    def multiget(
        self, book_href: str, hrefs: Iterable[str], *, batch_size: int = 500
    ) -> Iterator[RemoteCard]:
        """addressbook-multiget in batches; hrefs the server does not return are skipped."""
        return self._multiget(book_href, hrefs, batch_size)

    def create(self, book_href: str, text: str, *, name: str) -> WriteResult:
        """Create `<book>/<name>.vcf`, refusing to overwrite (If-None-Match: *).

        Characters outside [A-Za-z0-9._~@+-] in `name` become "-": servers disagree on
        encoding such names (Xandikos under WSGI stores UTF-8 names double-encoded), and
        the resource name is only an identifier. The href actually used is returned.
        """
        return self._create(book_href, text, name)

    def card_href(self, book_href: str, name: str) -> str:
        """The href `create` uses for a card called `name` in `book_href`."""
        return self._item_href(book_href, name)
