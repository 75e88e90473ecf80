"""The protocol floor: only the requests a scenario strictly needs, nothing stored.

Run as a fresh child process by the harness (standard library only, so its start-up is
as lean as a client's can be)::

    python bench/sync/floor.py PLAN.json

PLAN is a JSON object::

    {"base": "http://127.0.0.1:PORT", "book": "/user/book/", "user": "...", "password": "...",
     "batch": 500, "parallel": 1, "kind": "addressbook",        # or "calendar" (CalDAV)
     "ops": [{"op": "sync", "token": ""},                 # sync-collection REPORT + multigets
             {"op": "ctag"},                              # PROPFIND Depth 0 getctag
             {"op": "etags", "known": "etags.json"},      # PROPFIND Depth 1 + multiget of changed
             {"op": "put", "cards": "cards.json"}]}       # [[href, etag|null, text], ...]

It prints one JSON object: the new sync token / ctag / etags file written, cards fetched, PUTs.
Response bodies are parsed (a client must read the ETags) and then dropped.
"""

from __future__ import annotations

import base64
import http.client
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

DAV = "{DAV:}"
MULTIGET_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
    "<D:prop><D:getetag/><C:address-data/></D:prop>"
)
SYNC_BODY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token>'
    "<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"
)
ETAGS_BODY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
)
CTAG_BODY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">'
    "<D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>"
)


CALENDAR_MULTIGET_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
)


class Client:
    def __init__(self, plan: dict) -> None:
        self.calendar = plan.get("kind") == "calendar"
        parts = urlsplit(plan["base"])
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        token = base64.b64encode(f"{plan['user']}:{plan['password']}".encode()).decode()
        self.auth = f"Basic {token}"
        self.book = plan["book"]
        self.batch = int(plan.get("batch", 500))
        self.parallel = int(plan.get("parallel", 1))
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        return conn

    def request(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        hdrs = {"Authorization": self.auth, **headers}
        data = body.encode("utf-8") if body is not None else None
        conn = self._conn()
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        content = resp.read()
        return resp.status, content, resp

    def xml(self, method: str, path: str, body: str, depth: str) -> ET.Element:
        status, content, _ = self.request(
            method, path, body, {"Content-Type": "application/xml; charset=utf-8", "Depth": depth}
        )
        if status != 207:
            raise SystemExit(f"{method} {path}: HTTP {status}")
        return ET.fromstring(content)

    def multiget(self, hrefs: list[str]) -> int:
        fetched = 0
        for i in range(0, len(hrefs), self.batch):
            chunk = hrefs[i : i + self.batch]
            head, tail, data = (
                (CALENDAR_MULTIGET_HEAD, "</C:calendar-multiget>",
                 ".//{urn:ietf:params:xml:ns:caldav}calendar-data")
                if self.calendar
                else (MULTIGET_HEAD, "</C:addressbook-multiget>",
                      ".//{urn:ietf:params:xml:ns:carddav}address-data")
            )  # fmt: skip
            body = head + "".join(f"<D:href>{h}</D:href>" for h in chunk) + tail
            root = self.xml("REPORT", self.book, body, "1")
            for resp in root.iter(f"{DAV}response"):
                if resp.find(data) is not None:
                    fetched += 1
        return fetched

    def sync(self, token: str) -> dict:
        root = self.xml("REPORT", self.book, SYNC_BODY.format(token=token), "0")
        changed = []
        for resp in root.iter(f"{DAV}response"):
            href = resp.findtext(f"{DAV}href") or ""
            status = resp.findtext(f"{DAV}status") or ""
            if href.endswith("/") or " 404 " in status:
                continue
            changed.append(href)
        new_token = root.findtext(f"{DAV}sync-token") or ""
        return {"token": new_token, "listed": len(changed), "fetched": self.multiget(changed)}

    def ctag(self) -> dict:
        root = self.xml("PROPFIND", self.book, CTAG_BODY, "0")
        return {"ctag": root.findtext(".//{http://calendarserver.org/ns/}getctag") or ""}

    def etags(self, known_file: str | None) -> dict:
        root = self.xml("PROPFIND", self.book, ETAGS_BODY, "1")
        etags = {}
        for resp in root.iter(f"{DAV}response"):
            href = resp.findtext(f"{DAV}href") or ""
            if href.endswith("/"):
                continue
            etags[href] = resp.findtext(f".//{DAV}getetag") or ""
        known: dict[str, str] = {}
        if known_file:
            try:
                with open(known_file, encoding="utf-8") as f:
                    known = json.load(f)
            except OSError:
                known = {}
        changed = [h for h, e in etags.items() if known.get(h) != e]
        fetched = self.multiget(changed)
        if known_file:
            with open(known_file, "w", encoding="utf-8") as f:
                json.dump(etags, f)
        return {"listed": len(etags), "fetched": fetched}

    def put(self, cards_file: str) -> dict:
        with open(cards_file, encoding="utf-8") as f:
            cards = json.load(f)

        def one(card: list) -> int:
            href, etag, text = card
            headers = {"Content-Type": "text/vcard; charset=utf-8"}
            if etag:
                headers["If-Match"] = etag
            else:
                headers["If-None-Match"] = "*"
            status, _, _ = self.request("PUT", href, text, headers)
            if status not in (200, 201, 204):
                raise SystemExit(f"PUT {href}: HTTP {status}")
            return 1

        if self.parallel > 1:
            with ThreadPoolExecutor(self.parallel) as pool:
                done = sum(pool.map(one, cards))
        else:
            done = sum(one(c) for c in cards)
        return {"put": done}


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    client = Client(plan)
    out: dict = {}
    for op in plan["ops"]:
        kind = op["op"]
        if kind == "sync":
            out.update(client.sync(op.get("token", "")))
        elif kind == "ctag":
            out.update(client.ctag())
        elif kind == "etags":
            out.update(client.etags(op.get("known")))
        elif kind == "put":
            out.update(client.put(op["cards"]))
        else:
            raise SystemExit(f"unknown op {kind!r}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
