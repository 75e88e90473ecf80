"""A server whose answers name other hosts or escape the collection: ignored, never touched.

The fault proxy rewrites Radicale's 207 answers during a two-way run and adds entries
for cards on another host (a second listener that must never see a request), in another
book of the same user (via "../" and "%2e%2e"), of another user, and a "deleted" entry
for a real card of another book. Nothing outside the bound book is read, written or
deleted; the local book equals the server book; the hrefs are logged and collected on
the client (`CardDavClient.ignored_hrefs`) for the report.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.store import contacts as cs
from tests.robustness.conftest import Rig, card
from tests.robustness.faultproxy import FaultProxy


def test_foreign_hrefs_are_ignored_and_reported(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import app.sync.jobs as jobs

    clients: list[Any] = []
    original = jobs.client_for

    def recording(session: Any) -> Any:
        client = original(session)
        clients.append(client)
        return client

    monkeypatch.setattr(jobs, "client_for", recording)
    server = rig.server
    for i in range(5):
        server.put_card(rig.book_url, f"c{i}.vcf", card(f"c{i}", f"Person{i} Echt"))
    other_url = server.make_book()
    server.put_card(other_url, "victim.vcf", card("victim", "Opfer Anderes"))
    code, data, err = rig.sync()
    assert code == 0, (data, err)

    book_path = urlsplit(rig.book_url).path
    other_name = urlsplit(other_url).path.rstrip("/").rsplit("/", 1)[-1]
    elsewhere = FaultProxy(server.root_url).start()  # "another host": must stay untouched
    foreign_host = f"http://localhost:{elsewhere.port}{book_path}evil.vcf"
    hostile = [
        (foreign_host, 200),
        (f"{book_path}../{other_name}/victim.vcf", 200),
        (f"{book_path}%2e%2e/{other_name}/victim.vcf", 404),
        (f"{book_path}%2E%2E/%2E%2E/bob/evil.vcf", 200),
        ("/bob/contacts/evil.vcf", 200),
        (f"{book_path}..%2f{other_name}/victim.vcf", 404),
    ]

    def entry(href: str, status: int) -> bytes:
        if status == 404:
            return (
                f'<D:response xmlns:D="DAV:"><D:href>{href}</D:href>'
                "<D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
            ).encode()
        return (
            f'<D:response xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
            f"<D:href>{href}</D:href><D:propstat><D:prop>"
            '<D:getetag>"evil-1"</D:getetag><D:getcontenttype>text/vcard</D:getcontenttype>'
            "<C:address-data>BEGIN:VCARD&#13;\nVERSION:3.0&#13;\nUID:evil&#13;\nFN:Böse&#13;\n"
            "END:VCARD&#13;\n</C:address-data>"
            "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        ).encode()

    extra = b"".join(entry(h, s) for h, s in hostile)

    def rewrite(method: str, path: str, status: int, body: bytes) -> bytes:
        if status != 207:
            return body
        cut = body.rstrip().rfind(b"</")
        return body[:cut] + extra + body[cut:]

    rig.proxy.rewrite = rewrite
    server.put_card(rig.book_url, "neu.vcf", card("neu", "Neu Person"))
    book = cs.get_book(rig.name)
    local = cs.find_live_by_uid(book, "c1")
    assert local is not None
    cs.delete_contact(local)
    caplog.set_level(logging.WARNING)
    try:
        for _ in range(2):
            rig.proxy.reset_log()
            code, data, err = rig.sync()
            assert code == 0, (data, err)
            assert all(e.path.startswith(book_path) for e in rig.proxy.log), rig.proxy.log
            assert all("victim" not in e.path and ".." not in e.path for e in rig.proxy.log)
    finally:
        rig.proxy.rewrite = None
        elsewhere.close()
    assert elsewhere.log == []
    # the victim in the other book is untouched, nothing foreign was imported
    text, _ = server.get_card(server.url(other_url) + "victim.vcf")
    assert "UID:victim" in text
    local_uids = set(rig.local_cards())
    assert local_uids == set(rig.server_cards()) == {"c0", "c2", "c3", "c4", "neu"}
    ignored = {h for c in clients for h in c.ignored_hrefs}
    assert len(ignored) == len(hostile), ignored
    assert "Fremde Adresse in der Serverantwort ignoriert" in caplog.text
