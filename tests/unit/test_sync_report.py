"""The sync-collection REPORT's body, written as text (app/dav/sync_report.py, issue 21:
a `sync`'s head start sends it before lxml loads) is byte for byte what lxml serialized,
for any token: escaped where XML needs it, refused where XML cannot carry it."""

from __future__ import annotations

import pytest
from lxml import etree

from app.dav import xml
from app.dav.sync_report import sync_collection_body


def _with_lxml(token: str | None, limit: int | None) -> bytes:
    """The body as app/dav/xml.py built it with lxml before."""
    root = etree.Element(xml.clark(xml.DAV, "sync-collection"), nsmap={"D": xml.DAV})
    etree.SubElement(root, xml.clark(xml.DAV, "sync-token")).text = token or ""
    etree.SubElement(root, xml.clark(xml.DAV, "sync-level")).text = "1"
    if limit is not None:
        lim = etree.SubElement(root, xml.clark(xml.DAV, "limit"))
        etree.SubElement(lim, xml.clark(xml.DAV, "nresults")).text = str(int(limit))
    prop = etree.SubElement(root, xml.clark(xml.DAV, "prop"))
    etree.SubElement(prop, xml.GETETAG)
    etree.SubElement(prop, xml.GETCONTENTTYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


TOKENS = [None, "", "http://radicale.org/ns/sync/1", "https://x/sync/7?a=1&b=<2>",
          "data:,30\"'", "]]>", "Ünïcödé €", "a\r\nb\tc", "http://sabre.io/ns/sync/12"]  # fmt: skip


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("limit", [None, 1, 500])
def test_the_text_is_what_lxml_wrote(token: str | None, limit: int | None) -> None:
    assert sync_collection_body(token, limit) == _with_lxml(token, limit)
    assert xml.sync_collection_body is sync_collection_body  # (one function for both)
    parsed = etree.fromstring(sync_collection_body(token, limit))
    assert parsed.findtext(xml.clark(xml.DAV, "sync-token")) == (token or "")


@pytest.mark.parametrize("token", ["a\x00b", "tok\x1b", "\ud800"])
def test_what_xml_cannot_carry_is_refused_as_by_lxml(token: str) -> None:
    with pytest.raises(ValueError):
        _with_lxml(token, None)
    with pytest.raises(ValueError):
        sync_collection_body(token)
