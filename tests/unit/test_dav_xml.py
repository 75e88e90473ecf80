"""Unit tests for app.dav.xml: request bodies, hostile XML, href normalization."""

from __future__ import annotations

import pytest
from lxml import etree

from app.dav import xml

BASE = "https://dav.example.org/remote.php/dav/addressbooks/users/anna/kontakte/"
BOOK = "/remote.php/dav/addressbooks/users/anna/kontakte/"


def _ms(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"'
        ' xmlns:cs="http://calendarserver.org/ns/">' + body + "</d:multistatus>"
    ).encode()


def _resp(href: str, props: str = "", status: str | None = None) -> str:
    if status is not None:
        return f"<d:response><d:href>{href}</d:href><d:status>{status}</d:status></d:response>"
    return (
        f"<d:response><d:href>{href}</d:href><d:propstat><d:prop>{props}</d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


# -- hostile input ----------------------------------------------------------------------


def test_entity_declaration_is_refused() -> None:
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE d:multistatus [<!ENTITY x "boom"><!ENTITY y "&x;&x;&x;&x;&x;&x;">]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&y;</d:href></d:response></d:multistatus>"""
    with pytest.raises(xml.XmlError):
        xml.parse_multistatus(hostile, BASE)


def test_external_entity_is_refused_and_not_read() -> None:
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>/x/&xxe;</d:href></d:response></d:multistatus>"""
    with pytest.raises(xml.XmlError) as info:
        xml.parse_multistatus(hostile, BASE)
    assert "root:" not in str(info.value)


def test_doctype_after_comment_is_refused() -> None:
    hostile = b'<?xml version="1.0"?><!-- hi --><!doctype x SYSTEM "http://evil/x.dtd"><x/>'
    with pytest.raises(xml.XmlError):
        xml.parse_xml(hostile)


def test_undefined_entity_is_a_syntax_error() -> None:
    with pytest.raises(xml.XmlError):
        xml.parse_xml(b'<d:multistatus xmlns:d="DAV:">&nope;</d:multistatus>')


def test_malformed_and_empty_bodies() -> None:
    for body in (b"", b"   ", b"<d:multistatus", b"not xml at all"):
        with pytest.raises(xml.XmlError):
            xml.parse_multistatus(body, BASE)


def test_non_multistatus_root_is_refused() -> None:
    with pytest.raises(xml.XmlError):
        xml.parse_multistatus(b'<d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>', BASE)


def test_doctype_word_inside_cdata_is_fine() -> None:
    body = _ms(
        _resp(
            BOOK + "a.vcf",
            '<d:getetag>"1"</d:getetag><card:address-data><![CDATA[BEGIN:VCARD\r\n'
            "NOTE:<!DOCTYPE html> & <!ENTITY>\r\nEND:VCARD\r\n]]></card:address-data>",
        )
    )
    ms = xml.parse_multistatus(body, BASE, collection=BOOK)
    assert "<!DOCTYPE html>" in (ms.entries[0].raw_text(xml.ADDRESS_DATA) or "")


# -- hrefs ------------------------------------------------------------------------------


def test_hrefs_of_other_hosts_are_ignored() -> None:
    body = _ms(
        _resp(BOOK + "a.vcf", '<d:getetag>"1"</d:getetag>')
        + _resp("https://evil.example.com" + BOOK + "b.vcf", '<d:getetag>"2"</d:getetag>')
        + _resp("https://dav.example.org" + BOOK + "c.vcf", '<d:getetag>"3"</d:getetag>')
        + _resp("//evil.example.com/d.vcf", '<d:getetag>"4"</d:getetag>')
        + _resp("mailto:x@example.org", '<d:getetag>"5"</d:getetag>')
    )
    ms = xml.parse_multistatus(body, BASE, collection=BOOK)
    assert [e.href for e in ms] == [BOOK + "a.vcf", BOOK + "c.vcf"]


def test_hrefs_outside_the_collection_are_ignored() -> None:
    body = _ms(
        _resp(BOOK, "<d:resourcetype><d:collection/></d:resourcetype>")
        + _resp(BOOK + "a.vcf", '<d:getetag>"1"</d:getetag>')
        + _resp("/remote.php/dav/addressbooks/users/anna/other/x.vcf", "")
        + _resp(BOOK + "../other/y.vcf", "")
        + _resp(BOOK.rstrip("/") + "-evil/z.vcf", "")
    )
    ms = xml.parse_multistatus(body, BASE, collection=BOOK)
    assert [e.href for e in ms] == [BOOK, BOOK + "a.vcf"]


def test_relative_hrefs_become_absolute_paths() -> None:
    body = _ms(_resp("a.vcf", '<d:getetag>"1"</d:getetag>'))
    ms = xml.parse_multistatus(body, BASE, collection=BOOK)
    assert ms.entries[0].href == BOOK + "a.vcf"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/a b/c.vcf", "/a%20b/c.vcf"),
        ("/a%20b/c.vcf", "/a%20b/c.vcf"),
        ("/a%20%62/c.vcf", "/a%20b/c.vcf"),
        ("/M%c3%bcller.vcf", "/M%C3%BCller.vcf"),
        ("/Müller.vcf", "/M%C3%BCller.vcf"),
        ("/x%2Fy.vcf", "/x%2Fy.vcf"),
        ("/$Contacts$/a@b.vcf", "/$Contacts$/a@b.vcf"),
        ("/a%40b.vcf", "/a@b.vcf"),
        ("", "/"),
    ],
)
def test_canonical_path(given: str, expected: str) -> None:
    assert xml.canonical_path(given) == expected


def test_differently_encoded_hrefs_compare_equal() -> None:
    a = xml.normalize_href("/dav/M%C3%BCller%20Hans.vcf", BASE)
    b = xml.normalize_href("https://DAV.example.org/dav/Müller Hans.vcf", BASE)
    assert a == b == "/dav/M%C3%BCller%20Hans.vcf"
    assert xml.same_href("/dav/book/", "/dav/book")


def test_find_is_encoding_insensitive() -> None:
    body = _ms(_resp("/dav/b%C3%BCro/", "<d:displayname>Büro</d:displayname>"))
    ms = xml.parse_multistatus(body, "https://dav.example.org/dav/")
    entry = ms.find("/dav/büro")
    assert entry is not None
    assert entry.text(xml.DISPLAYNAME) == "Büro"


# -- content ----------------------------------------------------------------------------


def test_statuses_props_and_sync_token() -> None:
    body = _ms(
        _resp(BOOK + "gone.vcf", status="HTTP/1.1 404 Not Found")
        + "<d:response><d:href>"
        + BOOK
        + "a.vcf</d:href>"
        '<d:propstat><d:prop><d:getetag>W/"abc"</d:getetag></d:prop>'
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        "<d:propstat><d:prop><d:getcontenttype/></d:prop>"
        "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>"
        "<d:sync-token>http://example.org/sync/42</d:sync-token>"
    )
    ms = xml.parse_multistatus(body, BASE, collection=BOOK)
    assert ms.sync_token == "http://example.org/sync/42"
    gone, card = ms.entries
    assert gone.status == 404 and not gone.ok
    assert card.ok and card.text(xml.GETETAG) == 'W/"abc"'
    assert xml.GETCONTENTTYPE in card.missing
    assert card.text(xml.GETCONTENTTYPE) is None


def test_book_properties() -> None:
    body = _ms(
        _resp(
            BOOK,
            "<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>"
            "<d:displayname>Kontakte</d:displayname><cs:getctag>7</cs:getctag>"
            "<card:supported-address-data>"
            '<card:address-data-type content-type="text/vcard" version="3.0"/>'
            '<card:address-data-type content-type="text/vcard" version="4.0"/>'
            '<card:address-data-type content-type="application/vcard+json" version="4.0"/>'
            "</card:supported-address-data>"
            "<d:supported-report-set><d:supported-report><d:report><d:sync-collection/>"
            "</d:report></d:supported-report></d:supported-report-set>",
        )
    )
    entry = xml.parse_multistatus(body, BASE).entries[0]
    assert xml.ADDRESSBOOK in entry.child_tags(xml.RESOURCETYPE)
    assert xml.SYNC_COLLECTION in entry.child_tags(xml.SUPPORTED_REPORT_SET)
    assert xml.address_data_versions(entry) == ("3.0", "4.0")
    assert entry.text(xml.GETCTAG) == "7"


def test_error_conditions() -> None:
    body = b'<?xml version="1.0"?><d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>'
    assert xml.error_conditions(body) == {xml.VALID_SYNC_TOKEN}
    assert xml.error_conditions(b"<html>Forbidden</html>") == set()
    assert xml.error_conditions(b"") == set()
    hostile = b'<!DOCTYPE x [<!ENTITY a "b">]><d:error xmlns:d="DAV:"><d:x/></d:error>'
    assert xml.error_conditions(hostile) == set()


# -- request bodies ---------------------------------------------------------------------


def _parse(body: bytes) -> etree._Element:
    return xml.parse_xml(body)


def test_sync_collection_body() -> None:
    root = _parse(xml.sync_collection_body("tok<&>", 50))
    assert root.tag == xml.SYNC_COLLECTION
    children = [c.tag for c in root]
    assert children == [
        xml.SYNC_TOKEN,
        xml.clark(xml.DAV, "sync-level"),
        xml.clark(xml.DAV, "limit"),
        xml.clark(xml.DAV, "prop"),
    ]
    assert root.findtext(xml.SYNC_TOKEN) == "tok<&>"
    assert root.findtext(xml.clark(xml.DAV, "sync-level")) == "1"
    assert root.findtext(f"{xml.clark(xml.DAV, 'limit')}/{xml.clark(xml.DAV, 'nresults')}") == "50"

    initial = _parse(xml.sync_collection_body(None))
    assert initial.findtext(xml.SYNC_TOKEN) in ("", None)
    assert initial.find(xml.clark(xml.DAV, "limit")) is None


def test_multiget_body_escapes_hrefs() -> None:
    root = _parse(xml.multiget_body(["/a/b&c.vcf", "/a/d.vcf"]))
    assert root.tag == xml.clark(xml.CARD, "addressbook-multiget")
    assert [h.text for h in root.iter(xml.clark(xml.DAV, "href"))] == ["/a/b&c.vcf", "/a/d.vcf"]
    assert root.find(f"{xml.clark(xml.DAV, 'prop')}/{xml.ADDRESS_DATA}") is not None
    etag_only = _parse(xml.multiget_body(["/a/x.vcf"], with_data=False))
    assert etag_only.find(f"{xml.clark(xml.DAV, 'prop')}/{xml.ADDRESS_DATA}") is None


def _address_data(body: bytes) -> etree._Element:
    el = _parse(body).find(f"{xml.clark(xml.DAV, 'prop')}/{xml.ADDRESS_DATA}")
    assert el is not None
    return el


def test_multiget_body_asks_for_the_vcard_version() -> None:
    # RFC 6352 §10.4: <C:address-data content-type="text/vcard" version="4.0"/>
    el = _address_data(xml.multiget_body(["/a/x.vcf"], data_attrs=xml.address_data_attrs("4.0")))
    assert dict(el.attrib) == {"content-type": "text/vcard", "version": "4.0"}
    assert len(el) == 0 and not (el.text or "").strip()  # the whole card, no sub-props
    # No version: the element as before, the server's default (3.0) is sent.
    assert dict(_address_data(xml.multiget_body(["/a/x.vcf"])).attrib) == {}
    plain = xml.multiget_body(["/a/x.vcf"], data_attrs=xml.address_data_attrs(None))
    assert dict(_address_data(plain).attrib) == {}
    assert b"<C:address-data/>" in plain


def test_multiget_body_etag_only_has_no_data_whatever_version() -> None:
    body = xml.multiget_body(["/a/x.vcf"], with_data=False, data_attrs={"version": "4.0"})
    assert _parse(body).find(f"{xml.clark(xml.DAV, 'prop')}/{xml.ADDRESS_DATA}") is None
    assert b"4.0" not in body


def _versions(listed: str) -> tuple[str, ...]:
    body = _ms(
        _resp(
            BOOK,
            "<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>"
            f"<card:supported-address-data>{listed}</card:supported-address-data>",
        )
    )
    return xml.address_data_versions(xml.parse_multistatus(body, BASE).entries[0])


def test_address_data_versions_only_vcard_counts() -> None:
    # SabreDAV 4 (Nextcloud, ownCloud): vCard 3.0, 4.0 and jCard.
    assert _versions(
        '<card:address-data-type content-type="text/vcard" version="3.0"/>'
        '<card:address-data-type content-type="text/vcard" version="4.0"/>'
        '<card:address-data-type content-type="application/vcard+json" version="4.0"/>'
    ) == ("3.0", "4.0")
    # jCard 4.0 is no vCard 4.0 we could ask for
    assert _versions(
        '<card:address-data-type content-type="text/vcard" version="3.0"/>'
        '<card:address-data-type content-type="application/vcard+json" version="4.0"/>'
    ) == ("3.0",)
    # content-type defaults to text/vcard (RFC 6352 §10.4); whitespace is no version
    assert _versions('<card:address-data-type version=" 4.0 "/>') == ("4.0",)
    # SabreDAV 1.8 lists 3.0 only
    assert _versions('<card:address-data-type content-type="text/vcard" version="3.0"/>') == (
        "3.0",
    )
    # Xandikos 0.4 names the element CARD:content-type: not the RFC's, nothing listed
    assert _versions('<card:content-type content-type="text/vcard" version="3.0"/>') == ()
    assert _versions("") == ()


def test_propfind_bodies() -> None:
    root = _parse(xml.principal_propfind())
    names = {c.tag for c in root.find(xml.clark(xml.DAV, "prop"))}  # type: ignore[union-attr]
    assert {xml.CURRENT_USER_PRINCIPAL, xml.ADDRESSBOOK_HOME_SET, xml.RESOURCETYPE} <= names
    root = _parse(xml.etag_propfind())
    names = {c.tag for c in root.find(xml.clark(xml.DAV, "prop"))}  # type: ignore[union-attr]
    assert names == {xml.GETETAG, xml.GETCONTENTTYPE, xml.RESOURCETYPE}


def _privileges(*names: str) -> xml.Entry:
    granted = "".join(f"<d:privilege><d:{n}/></d:privilege>" for n in names)
    prop = f"<d:current-user-privilege-set>{granted}</d:current-user-privilege-set>"
    body = _ms(_resp(BOOK, prop))
    return xml.parse_multistatus(body, BASE).entries[0]


@pytest.mark.parametrize(
    ("granted", "read_only"),
    [
        # Radicale's own book; Xandikos ("all"); SabreDAV/Nextcloud expand "write".
        (("read", "all", "write", "write-properties", "write-content"), False),
        (("all",), False),
        (("read", "read-current-user-privilege-set", "write-properties", "write-content",
          "bind", "unbind"), False),
        # Only adding or only changing items still is writing.
        (("read", "bind"), False),
        (("read", "write-content"), False),
        # Radicale "r"; a Nextcloud read-only share (it may rename it for itself only).
        (("read",), True),
        (("read", "read-current-user-privilege-set", "write-properties"), True),
        ((), True),
    ],
)
def test_read_only_from_the_privilege_set(granted: tuple[str, ...], read_only: bool) -> None:
    assert xml.read_only(_privileges(*granted)) is read_only


def test_a_server_that_does_not_tell_is_taken_as_writable() -> None:
    body = _ms(_resp(BOOK, "<d:displayname>Kontakte</d:displayname>"))
    assert xml.read_only(xml.parse_multistatus(body, BASE).entries[0]) is False
