"""The streaming multistatus parse (issue 21) reads every answer as the tree walk did.

`xml.parse_multistatus` reads each DAV:response as the parser finishes it and drops it from
the tree. These tests hold it against a reading of the whole tree (`_tree_reading`, the walk
it replaced) over answers as real servers send them and over broken and hostile ones: the
same entries, properties, statuses, sync-token, ignored hrefs, and the same errors.
"""

from __future__ import annotations

import random
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree

from app.dav import hrefs, xml

BASE = "https://dav.example.org/dav/anna/book/"
BOOK = "/dav/anna/book/"


def _tree_reading(content: bytes, url: str, collection: str | None) -> dict[str, object]:
    """What the answer says, read from the whole tree (the pre-streaming parse)."""
    root = xml.parse_xml(content)
    if root.tag != xml.clark(xml.DAV, "multistatus"):
        raise xml.XmlError(
            xml._("keine multistatus-Antwort, sondern {tag}").format(tag=repr(root.tag))
        )
    token_el = root.find(xml.SYNC_TOKEN)
    token = (xml.element_text(token_el) or "").strip() or None if token_el is not None else None
    entries, ignored = [], []
    for resp in root.iterchildren(xml.clark(xml.DAV, "response")):
        status = xml.parse_status(xml.element_text(resp.find(xml.clark(xml.DAV, "status"))))
        for href_el in resp.iterchildren(xml.clark(xml.DAV, "href")):
            raw = xml.element_text(href_el) or ""
            href = xml.normalize_href(raw, url, collection)
            if href is None:
                if raw.strip():
                    ignored.append(raw.strip()[:300])
                continue
            found: dict[str, tuple[str, frozenset[str]]] = {}
            missing: set[str] = set()
            for ps in resp.iterchildren(xml.clark(xml.DAV, "propstat")):
                ps_status = xml.parse_status(
                    xml.element_text(ps.find(xml.clark(xml.DAV, "status")))
                )
                prop = ps.find(xml.clark(xml.DAV, "prop"))
                for child in prop if prop is not None else ():
                    if not isinstance(child.tag, str):
                        continue
                    if ps_status is None or 200 <= ps_status < 300:
                        tags = frozenset(
                            c.tag for c in child.iter() if isinstance(c.tag, str) and c is not child
                        )
                        found[child.tag] = (xml.element_text(child) or "", tags)
                    else:
                        missing.add(child.tag)
            entries.append((href, status, found, frozenset(missing)))
    return {"entries": entries, "token": token, "ignored": ignored}


def _streamed_reading(content: bytes, url: str, collection: str | None) -> dict[str, object]:
    ms = xml.parse_multistatus(content, url, collection=collection)
    entries = []
    for e in ms:
        names = set(e.texts) | set(e.props)
        found = {n: (e.raw_text(n) or "", frozenset(e.child_tags(n))) for n in names}
        assert all(e.found(n) for n in names)
        entries.append((e.href, e.status, found, e.missing))
    return {"entries": entries, "token": ms.sync_token, "ignored": ms.ignored}


def _outcome(read, content: bytes, url: str, collection: str | None) -> object:  # type: ignore[no-untyped-def]
    try:
        return read(content, url, collection)
    except xml.XmlError as exc:
        return (type(exc), str(exc))


RADICALE = (
    "<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns=\"DAV:\">"
    "<response><href>/dav/anna/book/a.vcf</href><propstat><prop>"
    '<getetag>"e1"</getetag><getcontenttype>text/vcard;charset=utf-8</getcontenttype></prop>'
    "<status>HTTP/1.1 200 OK</status></propstat></response>"
    "<response><href>/dav/anna/book/gone.vcf</href><status>HTTP/1.1 404 Not Found</status>"
    "</response>"
    "<sync-token>http://radicale.org/ns/sync/abc</sync-token></multistatus>"
)
XANDIKOS = (  # ns0 prefixes; an unchanged prop left out (no ETag); a 404 propstat
    '<ns0:multistatus xmlns:ns0="DAV:"><ns0:response><ns0:href>/dav/anna/book/b%20c.vcf'
    "</ns0:href><ns0:propstat><ns0:status>HTTP/1.1 200 OK</ns0:status><ns0:prop>"
    "<ns0:getcontenttype>text/vcard</ns0:getcontenttype></ns0:prop></ns0:propstat>"
    "<ns0:propstat><ns0:status>HTTP/1.1 404 Not Found</ns0:status><ns0:prop><ns0:getetag/>"
    "</ns0:prop></ns0:propstat></ns0:response><ns0:sync-token>http://x/1</ns0:sync-token>"
    "</ns0:multistatus>"
)
SABRE = (  # d: prefix, extra namespaces, resourcetype with and without children, absolute URL
    '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"'
    ' xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:oc="http://owncloud.org/ns">\n'
    " <d:response>\n  <d:href>/dav/anna/book/</d:href>\n  <d:propstat>\n   <d:prop>\n"
    "    <d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>\n"
    "    <d:getetag/>\n   </d:prop>\n   <d:status>HTTP/1.1 200 OK</d:status>\n  </d:propstat>\n"
    "  <d:propstat><d:prop><d:getcontenttype/><oc:size/></d:prop>"
    "<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>\n </d:response>\n"
    " <d:response>\n  <d:href>https://dav.example.org/dav/anna/book/%C3%A4%20x.vcf</d:href>\n"
    "  <d:propstat><d:prop><d:resourcetype/><d:getetag>&quot;6a&quot;</d:getetag>"
    "<d:getcontenttype>text/vcard; charset=utf-8</d:getcontenttype></d:prop>"
    "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>\n </d:response>\n</d:multistatus>\n"
)
MULTIGET = (  # prefix per element, CDATA and escaped card text, relative href, two hrefs
    '<x:multistatus xmlns:x="DAV:"><x:response><x:href>c.vcf</x:href><x:href>d.vcf</x:href>'
    '<x:propstat><x:prop><x:getetag>"1"</x:getetag><A:address-data xmlns:A="urn:ietf:params:'
    'xml:ns:carddav"><![CDATA[BEGIN:VCARD\r\nFN:A & B <x>\r\n]]>NOTE:&lt;1&gt;\r\nEND:VCARD'
    "\r\n</A:address-data></x:prop><x:status>HTTP/1.1 200 OK</x:status></x:propstat>"
    '<x:propstat><x:prop><x:getetag>"2"</x:getetag></x:prop></x:propstat>'  # later wins
    "</x:response><x:response><x:href>/dav/anna/book/e.vcf</x:href><x:propstat><x:prop>"
    '<x:getetag>"3"</x:getetag></x:prop><x:status>garbled</x:status></x:propstat>'
    "</x:response></x:multistatus>"
)
ODD = (  # sync-token first, foreign and escaping hrefs, nested response, no href, odd status
    '<multistatus xmlns="DAV:"><sync-token> t-1 </sync-token>'
    "<response><status>HTTP/1.1 200 OK</status></response>"
    "<response><href>http://evil.example/dav/anna/book/x.vcf</href></response>"
    "<response><href>/dav/anna/book/%2e%2e/y.vcf</href></response>"
    "<response><href>/dav/anna/other.vcf</href></response>"
    "<response><href>  /dav/anna/book/f.vcf </href><status>HTTP/1.1 507 Insufficient</status>"
    "<status>HTTP/1.1 200 OK</status><propstat><prop><displayname>A<b>bold</b>tail</displayname>"
    "<response><href>/dav/anna/book/nested.vcf</href></response></prop></propstat></response>"
    "<other><response><href>/dav/anna/book/deep.vcf</href></response></other>"
    "<response><href>/dav/anna/book//g.vcf</href><href>/dav/anna/book/h?x=1</href></response>"
    "<response><href>/dav/anna/book/~i;j=k@l:m,n.vcf</href><href></href></response>"
    "</multistatus>"
)
REFUSED = {
    "empty": b"",
    "blank": b"  \n",
    "not_xml": b"<html><body>502</body></html",
    "broken_after_entries": (RADICALE[:-20]).encode(),
    "other_root": b'<d:error xmlns:d="DAV:"><d:response><d:href>/a</d:href></d:response></d:error>',
    "other_root_broken": b'<d:error xmlns:d="DAV:"><d:response><d:href>/a</d:href></d:response>',
    "doctype": b'<!DOCTYPE m><multistatus xmlns="DAV:"><response><href>/a</href></response>'
    b"</multistatus>",
    "doctype_utf16": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE m [<!ENTITY e "x">]>'
    '<multistatus xmlns="DAV:"><response><href>/dav/anna/book/&e;</href></response>'
    "</multistatus>".encode("utf-16"),
    "doctype_utf16_broken": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE m>'
    '<multistatus xmlns="DAV:"><response><href>/a</href></response>'.encode("utf-16"),
    "undefined_entity": b'<multistatus xmlns="DAV:"><response><href>&e;</href></response>'
    b"</multistatus>",
    "comment_only": b"<!-- nothing -->",
    "too_deep": b'<multistatus xmlns="DAV:"><response><href>/a</href>'
    + b"<x>" * 300
    + b"</x>" * 300
    + b"</response></multistatus>",
    "text_beyond_10mb": b'<multistatus xmlns="DAV:"><response><href>/a</href><propstat><prop>'
    b"<getetag>" + b"A" * (10_000_001) + b"</getetag></prop></propstat></response></multistatus>",
}
ANSWERS = {
    "radicale": RADICALE.encode(),
    "xandikos": XANDIKOS.encode(),
    "sabredav": SABRE.encode(),
    "multiget": MULTIGET.encode(),
    "odd": ODD.encode(),
    "utf16": RADICALE.replace("utf-8", "utf-16").encode("utf-16"),
    "empty_multistatus": b'<multistatus xmlns="DAV:"/>',
}


@pytest.mark.parametrize("collection", [BOOK, None, "/dav/anna/book", "/"])
@pytest.mark.parametrize("name", sorted(ANSWERS) + sorted(REFUSED))
def test_streamed_parse_reads_what_the_tree_says(name: str, collection: str | None) -> None:
    content = ANSWERS.get(name) or REFUSED[name]
    tree = _outcome(_tree_reading, content, BASE, collection)
    assert _outcome(_streamed_reading, content, BASE, collection) == tree
    if name in REFUSED:
        assert isinstance(tree, tuple) and issubclass(tree[0], xml.XmlError)
    if name == "text_beyond_10mb":
        assert tree[0] is xml.XmlTooLarge  # type: ignore[index]


def test_what_the_answers_say() -> None:
    """The corpus means what it should (so the comparison above compares something)."""
    ms = xml.parse_multistatus(ANSWERS["radicale"], BASE, collection=BOOK)
    assert [(e.href, e.status, e.text(xml.GETETAG)) for e in ms] == [
        ("/dav/anna/book/a.vcf", None, '"e1"'),
        ("/dav/anna/book/gone.vcf", 404, None),
    ]
    assert ms.sync_token == "http://radicale.org/ns/sync/abc"
    (b,) = xml.parse_multistatus(ANSWERS["xandikos"], BASE, collection=BOOK).entries
    assert (b.href, b.text(xml.GETETAG)) == ("/dav/anna/book/b%20c.vcf", None)
    assert b.missing == {xml.GETETAG}
    book, item = xml.parse_multistatus(ANSWERS["sabredav"], BASE, collection=BOOK).entries
    assert book.child_tags(xml.RESOURCETYPE) == {xml.COLLECTION, xml.ADDRESSBOOK}
    assert book.text(xml.GETETAG) == "" and book.found(xml.GETETAG)
    assert item.href == "/dav/anna/book/%C3%A4%20x.vcf" and item.text(xml.GETETAG) == '"6a"'
    assert item.found(xml.RESOURCETYPE) and item.child_tags(xml.RESOURCETYPE) == set()
    c, d, e = xml.parse_multistatus(ANSWERS["multiget"], BASE, collection=BOOK).entries
    assert c.raw_text(xml.ADDRESS_DATA) == "BEGIN:VCARD\nFN:A & B <x>\nNOTE:<1>\nEND:VCARD\n"
    assert (c.text(xml.GETETAG), e.text(xml.GETETAG)) == ('"2"', '"3"')
    assert d.href == "/dav/anna/book/d.vcf"
    odd = xml.parse_multistatus(ANSWERS["odd"], BASE, collection=BOOK)
    assert odd.sync_token == "t-1" and len(odd.ignored) == 3
    assert [e.href for e in odd] == [
        "/dav/anna/book/f.vcf",
        "/dav/anna/book//g.vcf",
        "/dav/anna/book/h",
        "/dav/anna/book/~i;j=k@l:m,n.vcf",
    ]
    assert odd.entries[0].status == 507 and odd.entries[0].text(xml.DISPLAYNAME) == "Aboldtail"


def test_no_element_of_the_answer_is_kept() -> None:
    """Entries hold strings, and a property with children as an element of its own."""
    book, item = xml.parse_multistatus(ANSWERS["sabredav"], BASE, collection=BOOK).entries
    resourcetype = book.props[xml.RESOURCETYPE]
    assert resourcetype.getparent() is None
    assert resourcetype.getroottree().getroot() is resourcetype
    assert not item.props and all(type(v) is str for v in item.texts.values())


def test_responses_are_dropped_from_the_tree_as_they_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tree never holds more than the responses of one chunk of the answer (the
    parser reads 32 KB at a time): those read before are gone."""
    seen: list[int] = []
    real = xml._Reader.response

    def spy(self: xml._Reader, resp: etree._Element) -> None:
        seen.append(len(resp.getparent()))  # type: ignore[arg-type]
        real(self, resp)

    monkeypatch.setattr(xml._Reader, "response", spy)
    answer = "".join(f"<response><href>{BOOK}{i}.vcf</href></response>" for i in range(5000))
    ms = xml.parse_multistatus(
        f'<multistatus xmlns="DAV:"><sync-token>s</sync-token>{answer}</multistatus>'.encode(),
        BASE,
    )
    assert len(ms.entries) == 5000 and ms.sync_token == "s"
    assert max(seen) < 1000 and seen[-1] <= 3  # the sync-token, the previous, this one


def _normalized_the_full_way(href: str, base: str, collection: str | None) -> str | None:
    """normalize_href without its short way for plain paths (as it was before)."""
    href = href.strip()
    if not href:
        return None
    if href[0] == "/" and href[1:2] != "/" and not hrefs._NEEDS_JOIN.search(href):
        raw_path = href
    else:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("http", "https") or parts.hostname != "dav.example.org":
            return None
        raw_path = parts.path
    path = hrefs._checked_path(raw_path)
    if path is None or collection is None:
        return path
    coll = xml.canonical_path(collection)
    coll = coll if coll.endswith("/") else coll + "/"
    if path.rstrip("/") != coll.rstrip("/") and not path.startswith(coll):
        return None
    return path


@pytest.mark.parametrize("collection", [None, BOOK, "/dav/anna/book", "/dav//", "/", "/a b/"])
def test_plain_paths_take_the_short_way_to_the_same_href(collection: str | None) -> None:
    """An href of plain characters is taken as it is: exactly what the full way gives."""
    rng = random.Random(21)
    pieces = [*"abcAZ09-._~!$&'()*+,;=:@/ \\?#ä", "%20", "%2F", "%2e", "%C3%A4", "..", "//"]
    plain = 0
    for _ in range(5000):
        href = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        href = rng.choice(["/", BOOK, "/dav/anna/book", ""]) + href
        plain += bool(hrefs._PLAIN_PATH.fullmatch(href))
        expected = _normalized_the_full_way(href, BASE, collection)
        assert xml.normalize_href(href, BASE, collection) == expected, href
    assert plain > 500
