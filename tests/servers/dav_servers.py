"""Real CardDAV servers on loopback for the test suite.

Three servers, each a real subprocess on 127.0.0.1 with a free port, its own temp folder and
HTTP Basic authentication for one user:

* Radicale  - ``python -m radicale`` with htpasswd auth and filesystem storage.
* Xandikos  - xandikos's WSGI app behind a small Basic-auth middleware, served by a threaded
  wsgiref server (this module's ``__main__``: ``python -m tests.servers.dav_servers xandikos``).
* SabreDAV  - Debian's SabreDAV 1.8 under ``php -S`` with ``sabredav/server.php`` as router and
  a PDO SQLite database.  It has no sync-collection: that exercises the client's fallback path.

Each ``start_*`` context manager yields a :class:`DavServer` once the server answers HTTP and
real discovery (current-user-principal -> addressbook-home-set) has found the expected home;
if a server cannot start, it raises :class:`ServerStartError` carrying the server's output.

Only the stdlib is used here (the helper's own requests: `HelperHttp`, on http.client).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import ctypes
import hashlib
import hmac
import http.client
import io
import os
import re
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

USER = "alice"
PASSWORD = "wonderland-42"
SERVER_NAMES: tuple[str, ...] = ("radicale", "xandikos", "sabredav")
STARTUP_TIMEOUT = 20.0
REQUEST_TIMEOUT = 30.0

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SABRE_SCRIPT = HERE / "sabredav" / "server.php"

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"

_PASSWORD_ENV = "CBX_DAV_PASSWORD"


def _clark(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


class ServerStartError(RuntimeError):
    """A DAV server process did not come up; the message includes its captured output."""


class DavRequestError(AssertionError):
    """A helper request got an unexpected status (an AssertionError, so tests fail plainly)."""


@dataclass
class HelperResponse:
    """A helper request's answer (the body read whole)."""

    method: str
    url: str
    status_code: int
    headers: http.client.HTTPMessage  # case-insensitive .get / []
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise DavRequestError(f"{self.method} {self.url} -> {self.status_code}")


def _md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class HelperHttp:
    """The test helper's own HTTP: one keep-alive connection per origin, no proxy, never
    following redirects. `verify`: True (system trust), a CA file, or False (no check)."""

    def __init__(self) -> None:
        self.verify: bool | str = True
        self._conns: dict[tuple[str, str, int], http.client.HTTPConnection] = {}
        self._lock = threading.Lock()

    def _connection(self, scheme: str, host: str, port: int) -> http.client.HTTPConnection:
        conn = self._conns.get((scheme, host, port))
        if conn is None:
            if scheme == "https":
                ctx = ssl.create_default_context()
                if self.verify is False:
                    ctx.check_hostname = False
                    ctx.verify_mode = ssl.CERT_NONE
                elif isinstance(self.verify, str):
                    ctx.load_verify_locations(self.verify)
                conn = http.client.HTTPSConnection(host, port, timeout=REQUEST_TIMEOUT, context=ctx)
            else:
                conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
            self._conns[(scheme, host, port)] = conn
        return conn

    def request(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        *,
        digest: tuple[str, str] | None = None,
    ) -> HelperResponse:
        """Send once; with `digest` (user, password): again with Digest (MD5, qop=auth, as
        SabreDAV 1.8 asks) if the answer is a 401 challenge."""
        resp = self._send(method, url, data, headers)
        challenge = resp.headers.get("WWW-Authenticate", "")
        if digest is None or resp.status_code != 401 or "digest" not in challenge.lower():
            return resp
        fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        path = urlsplit(url).path or "/"
        cnonce, nc = uuid.uuid4().hex[:16], "00000001"
        ha1 = _md5_hex(f"{digest[0]}:{fields['realm']}:{digest[1]}")
        ha2 = _md5_hex(f"{method}:{path}")
        answer = _md5_hex(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        authorization = (
            f'Digest username="{digest[0]}", realm="{fields["realm"]}", '
            f'nonce="{fields["nonce"]}", uri="{path}", response="{answer}", qop=auth, '
            f'nc={nc}, cnonce="{cnonce}", opaque="{fields.get("opaque", "")}"'
        )
        return self._send(method, url, data, {**headers, "Authorization": authorization})

    def _send(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str]
    ) -> HelperResponse:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port or 0)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            for attempt in (1, 2):
                conn = self._connection(parts.scheme, key[1], port)
                reused = conn.sock is not None
                try:
                    conn.request(method, target, body=data, headers=headers)
                    resp = conn.getresponse()
                    content = resp.read()
                except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                    conn.close()
                    self._conns.pop((parts.scheme, key[1], port), None)
                    if reused and attempt == 1:
                        continue  # the server had closed the idle connection
                    raise
                if resp.will_close:
                    conn.close()
                    self._conns.pop((parts.scheme, key[1], port), None)
                return HelperResponse(method, url, resp.status, resp.msg, content)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            for conn in self._conns.values():
                conn.close()
            self._conns.clear()


# ---------------------------------------------------------------------------------------------
# The server handle
# ---------------------------------------------------------------------------------------------


@dataclass
class DavServer:
    name: str  # "radicale" | "xandikos" | "sabredav"
    root_url: str  # what a user types as server address; discovery starts here
    user: str
    password: str
    home_url: str  # address book home collection of the user (ends with "/")
    supports_sync_collection: bool
    principal_url: str = ""  # the user's principal collection (ends with "/")
    default_book_url: str = ""  # a book that exists from the start ("" for Radicale)
    digest: bool = False  # the server speaks HTTP Digest only (SabreDAV, `start_sabredav`)
    _http: HelperHttp = field(
        default_factory=lambda: HelperHttp(), init=False, repr=False, compare=False
    )

    # -- raw access ----------------------------------------------------------------------------

    def url(self, path_or_url: str) -> str:
        """Absolute URL for an href/path (or an absolute URL, returned unchanged)."""
        return urljoin(self.root_url, path_or_url)

    def request(
        self,
        method: str,
        url: str,
        *,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        depth: str | int | None = None,
        auth: tuple[str, str] | bool = True,
    ) -> HelperResponse:
        """Send one request. ``auth``: True = this server's user, False = none, or (user, pw).

        A str body is sent as UTF-8 with ``Content-Type: application/xml`` unless a content
        type is given (Xandikos insists on it for PROPFIND/REPORT/MKCOL bodies).
        """
        hdrs = dict(headers or {})
        data = body.encode("utf-8") if isinstance(body, str) else body
        if data is not None and not any(k.lower() == "content-type" for k in hdrs):
            hdrs["Content-Type"] = XML_CONTENT_TYPE
        if depth is not None:
            hdrs["Depth"] = str(depth)
        creds: tuple[str, str] | None
        if auth is True:
            creds = (self.user, self.password)
        elif auth is False:
            creds = None
        else:
            creds = auth
        if creds is not None and self.digest:
            return self._http.request(method, self.url(url), data, hdrs, digest=creds)
        if creds is not None:
            # Encode ourselves: UTF-8 credentials (RFC 7617) whatever the library's default.
            token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
            hdrs["Authorization"] = f"Basic {token}"
        return self._http.request(method, self.url(url), data, hdrs)

    def propfind(
        self, url: str, props: Iterable[str], depth: int = 0
    ) -> dict[str, dict[str, ET.Element]]:
        """PROPFIND ``props`` (Clark names) -> {href (path): {clark name: element}} (200s only)."""
        prop_xml = "".join(_empty_element_xml(p) for p in props)
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<propfind xmlns="DAV:"><prop>{prop_xml}</prop></propfind>'
        )
        resp = self.request("PROPFIND", url, body=body, depth=depth)
        _expect(resp, 207)
        return parse_multistatus(resp.content or b"")

    def discover(self) -> tuple[str, str]:
        """RFC 6764/6352 discovery from ``root_url``: (principal URL, address book home URL)."""
        cup = _clark(DAV, "current-user-principal")
        found = self.propfind(self.root_url, [cup])
        principal_href = _single_href(found, cup, self.root_url)
        principal_url = self.url(principal_href)
        home_set = _clark(CARDDAV, "addressbook-home-set")
        found = self.propfind(principal_url, [home_set])
        home_url = self.url(_single_href(found, home_set, principal_url))
        return principal_url, home_url

    # -- the API the sync tests use ---------------------------------------------------------------

    def make_book(self, name: str | None = None, display_name: str | None = None) -> str:
        """Create a new, empty address book (extended MKCOL); return its URL ending with '/'."""
        name = name or f"book-{uuid.uuid4().hex[:12]}"
        url = urljoin(self.home_url, quote(name, safe="") + "/")
        props = "<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>" + (
            f"<D:displayname>{escape(display_name)}</D:displayname>" if display_name else ""
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<D:mkcol xmlns:D="DAV:" xmlns:CR="{CARDDAV}">'
            f"<D:set><D:prop>{props}</D:prop></D:set></D:mkcol>"
        )
        _expect(self.request("MKCOL", url, body=body), 201)
        return url

    def card_url(self, book_url: str, filename: str) -> str:
        """URL of ``filename`` (a plain, unquoted name) inside ``book_url``."""
        return urljoin(book_url, quote(filename, safe="@"))

    def put_card(self, book_url: str, filename: str, text: str) -> str:
        """Write a card as another client would (create or overwrite); return its ETag."""
        url = self.card_url(book_url, filename)
        resp = self.request("PUT", url, body=text, headers={"Content-Type": VCARD_CONTENT_TYPE})
        _expect(resp, 201, 204)
        etag = resp.headers.get("ETag")
        if etag:
            return str(etag)
        return self.get_card(url)[1]

    def put_cards(
        self, book_url: str, texts: dict[str, str], display_name: str | None = None
    ) -> None:
        """Create many cards (file name -> text) quickly, as a seeding step before a test.

        Radicale checks UID uniqueness over the whole book on every PUT (O(n) per card),
        so there the book is written in one collection PUT and its display name set again.
        """
        if self.name != "radicale":
            for filename, text in texts.items():
                self.put_card(book_url, filename, text)
            return
        resp = self.request(
            "PUT", book_url, body="".join(texts.values()),
            headers={"Content-Type": VCARD_CONTENT_TYPE},
        )  # fmt: skip
        _expect(resp, 201, 204)
        if display_name:
            resp = self.request(
                "PROPPATCH", book_url,
                body='<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:">'
                f"<D:set><D:prop><D:displayname>{escape(display_name)}</D:displayname>"
                "</D:prop></D:set></D:propertyupdate>",
            )  # fmt: skip
            _expect(resp, 207)
        if len(self.list_etags(book_url)) < len(texts):
            raise DavRequestError(f"{self.name}: collection PUT did not create every card")

    def get_card(self, card_url: str) -> tuple[str, str]:
        """GET a card: (vCard text, ETag)."""
        resp = self.request("GET", card_url)
        _expect(resp, 200)
        etag = resp.headers.get("ETag")
        if not etag:
            found = self.propfind(card_url, [_clark(DAV, "getetag")])
            etag = next(iter(found.values()))[_clark(DAV, "getetag")].text
        if not etag:
            raise DavRequestError(f"{self.name}: no ETag for {card_url}")
        return (resp.content or b"").decode("utf-8"), str(etag)

    def delete_card(self, card_url: str, etag: str | None = None) -> None:
        """DELETE a card (with ``If-Match`` when ``etag`` is given)."""
        headers = {"If-Match": etag} if etag else None
        _expect(self.request("DELETE", card_url, headers=headers), 200, 204)

    def list_etags(self, book_url: str) -> dict[str, str]:
        """href (path, as the server reports it) -> ETag of every card in the book."""
        getetag, resourcetype = _clark(DAV, "getetag"), _clark(DAV, "resourcetype")
        found = self.propfind(book_url, [getetag, resourcetype], depth=1)
        book_path = unquote(urlsplit(book_url).path).rstrip("/")
        out: dict[str, str] = {}
        for href, props in found.items():
            rtype = props.get(resourcetype)
            if rtype is not None and rtype.find(_clark(DAV, "collection")) is not None:
                continue
            if unquote(href).rstrip("/") == book_path:
                continue
            etag_el = props.get(getetag)
            out[href] = (etag_el.text or "") if etag_el is not None else ""
        return out

    def list_cards(self, book_url: str) -> dict[str, str]:
        """href (path, as the server reports it) -> full vCard text of every card in the book."""
        return {href: self.get_card(href)[0] for href in self.list_etags(book_url)}

    def close(self) -> None:
        self._http.close()


def _empty_element_xml(clark: str) -> str:
    ns, _, local = clark[1:].partition("}")
    return f'<x:{local} xmlns:x="{ns}"/>'


def parse_multistatus(content: bytes) -> dict[str, dict[str, ET.Element]]:
    """Multistatus body -> {href path: {prop clark name: element}} for 200 propstats."""
    root = ET.fromstring(content)
    out: dict[str, dict[str, ET.Element]] = {}
    for response in root.iter(_clark(DAV, "response")):
        href_el = response.find(_clark(DAV, "href"))
        if href_el is None or not href_el.text:
            continue
        href = urlsplit(href_el.text.strip()).path
        props: dict[str, ET.Element] = {}
        for propstat in response.findall(_clark(DAV, "propstat")):
            status = propstat.findtext(_clark(DAV, "status")) or ""
            prop = propstat.find(_clark(DAV, "prop"))
            if " 200 " not in f"{status} " or prop is None:
                continue
            for el in prop:
                props[el.tag] = el
        out[href] = props
    return out


def _single_href(found: dict[str, dict[str, ET.Element]], prop: str, where: str) -> str:
    for props in found.values():
        el = props.get(prop)
        if el is not None:
            href = el.findtext(_clark(DAV, "href"))
            if href:
                return href.strip()
    raise DavRequestError(f"no {prop} at {where}")


def _expect(resp: HelperResponse, *codes: int) -> None:
    if resp.status_code in codes:
        return
    method, url = resp.method, resp.url
    text = (resp.content or b"")[:2000].decode("utf-8", "replace")
    raise DavRequestError(f"{method} {url} -> {resp.status_code}, expected {codes}:\n{text}")


# ---------------------------------------------------------------------------------------------
# Process management
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _read_log(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")[-20000:]
    except OSError:
        return "<no output captured>"


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the test process dies without cleaning up (Linux)."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the process group we started (php -S may fork workers)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _answers_http(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("OPTIONS", "/")
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


@contextlib.contextmanager
def _server_process(
    name: str,
    make_argv: Callable[[int], list[str]],
    *,
    tmp: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    port: int | None = None,
    answers: Callable[[int], bool] | None = None,
) -> Iterator[tuple[int, Path]]:
    """Start ``make_argv(port)`` on a free port, wait until it answers HTTP, stop it at exit.

    Retries with another port only when the log says the port was taken meanwhile. A given
    ``port`` (a restart on the same address) and ``answers`` (e.g. an HTTPS probe) are used
    as they are.
    """
    full_env = {**os.environ, **(env or {})}
    probe = answers or _answers_http
    for attempt in range(3):
        port = port or free_port()
        argv = make_argv(port)
        log_path = tmp / f"{name}-{port}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=full_env,
                start_new_session=True,  # own process group, so _stop() gets the workers too
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        failure = ""
        while True:
            if proc.poll() is not None:
                failure = f"exited with status {proc.returncode} during startup"
                break
            if probe(port):
                break
            if time.monotonic() > deadline:
                failure = f"did not answer on port {port} within {STARTUP_TIMEOUT:.0f} s"
                break
            time.sleep(0.05)
        if not failure:
            try:
                yield port, log_path
            finally:
                _stop(proc)
            return
        _stop(proc)
        output = _read_log(log_path)
        if "in use" in output and attempt < 2:
            port = None
            continue
        raise ServerStartError(f"{name} server {failure}\ncommand: {argv}\noutput:\n{output}")


@contextlib.contextmanager
def _temp_folder(tmp: Path | None, name: str) -> Iterator[Path]:
    if tmp is not None:
        tmp.mkdir(parents=True, exist_ok=True)
        yield tmp
        return
    path = Path(tempfile.mkdtemp(prefix=f"cbx-{name}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _checked(server: DavServer, log_path: Path) -> DavServer:
    """Run real discovery once; the expected principal/home must be what the server reports."""
    try:
        principal_url, home_url = server.discover()
    except Exception as exc:
        raise ServerStartError(
            f"{server.name}: discovery failed: {exc}\noutput:\n{_read_log(log_path)}"
        ) from exc
    if (principal_url, home_url) != (server.principal_url, server.home_url):
        raise ServerStartError(
            f"{server.name}: discovery found principal {principal_url} / home {home_url}, "
            f"expected {server.principal_url} / {server.home_url}"
        )
    return server


# ---------------------------------------------------------------------------------------------
# Radicale
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def start_radicale(
    tmp: Path | None = None,
    *,
    user: str = USER,
    password: str = PASSWORD,
    rights: str = "",
    more_users: dict[str, str] | None = None,
    realm: str = "",
) -> Iterator[DavServer]:
    """Radicale: principal /USER/, which is also the address book home (no default book).

    `rights`: the text of a Radicale rights file (`[rights] type = from_file`) instead of
    owner_only; `more_users`: further logins (name -> password), e.g. one that fills
    collections the user may only read; `realm`: what its 401 answers name in
    WWW-Authenticate (e.g. "Nextcloud", as Nextcloud's do).
    """
    with _temp_folder(tmp, "radicale") as folder:
        users = folder / "users"
        logins = {user: password, **(more_users or {})}
        users.write_text("".join(f"{u}:{p}\n" for u, p in logins.items()), encoding="utf-8")
        storage = folder / "collections"
        config = folder / "radicale.conf"
        rights_file = folder / "rights"
        if rights:
            rights_file.write_text(rights, encoding="utf-8")
        rights_conf = (
            f"type = from_file\nfile = {rights_file}\n" if rights else ("type = owner_only\n")
        )

        def argv(port: int) -> list[str]:
            config.write_text(
                "[server]\n"
                f"hosts = 127.0.0.1:{port}\n"
                "[auth]\n"
                "type = htpasswd\n"
                f"htpasswd_filename = {users}\n"
                "htpasswd_encryption = plain\n"
                "delay = 0\n" + (f"realm = {realm}\n" if realm else "") + "[rights]\n"
                f"{rights_conf}"
                "[storage]\n"
                f"filesystem_folder = {storage}\n"
                "[web]\n"
                "type = none\n"
                "[logging]\n"
                "level = warning\n",
                encoding="utf-8",
            )
            return [sys.executable, "-m", "radicale", "--config", str(config)]

        with _server_process("radicale", argv, tmp=folder) as (port, log_path):
            root = f"http://127.0.0.1:{port}/"
            principal = f"{root}{quote(user)}/"
            server = DavServer(
                name="radicale",
                root_url=root,
                user=user,
                password=password,
                home_url=principal,
                supports_sync_collection=True,
                principal_url=principal,
            )
            try:
                yield _checked(server, log_path)
            finally:
                server.close()


def _answers_https(port: int) -> bool:
    """The TLS probe: any HTTP answer over an unverified TLS connection."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=2, context=ctx)
    try:
        conn.request("OPTIONS", "/")
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


@dataclass(frozen=True)
class Certificate:
    """A self-signed server certificate in PEM files, with its SHA-256 ("AB:CD:…")."""

    cert_path: Path
    key_path: Path
    fingerprint: str
    hosts: tuple[str, ...] = ("127.0.0.1",)


def make_self_signed(folder: Path, name: str, hosts: Iterable[str] = ("127.0.0.1",)) -> Certificate:
    """A fresh self-signed certificate (EC P-256, one day) for ``hosts`` (IPs or names)."""
    import datetime
    import hashlib
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    hosts = tuple(hosts)
    key = ec.generate_private_key(ec.SECP256R1())
    alt: list[x509.GeneralName] = []
    for h in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            alt.append(x509.DNSName(h))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / f"{name}.cert.pem"
    key_path = folder / f"{name}.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    fingerprint = ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    return Certificate(cert_path, key_path, fingerprint, hosts)


@contextlib.contextmanager
def start_radicale_tls(
    folder: Path,
    certificate: Certificate,
    *,
    port: int | None = None,
    user: str = USER,
    password: str = PASSWORD,
) -> Iterator[DavServer]:
    """Radicale over HTTPS with ``certificate``; data in ``folder``, so a restart on the same
    ``port`` with another certificate serves the same collections (a "changed certificate")."""
    folder.mkdir(parents=True, exist_ok=True)
    users = folder / "users"
    users.write_text(f"{user}:{password}\n", encoding="utf-8")
    config = folder / "radicale-tls.conf"

    def argv(p: int) -> list[str]:
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{p}\n"
            "ssl = True\n"
            f"certificate = {certificate.cert_path}\n"
            f"key = {certificate.key_path}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {folder / 'collections'}\n"
            "[web]\n"
            "type = none\n"
            "[logging]\n"
            "level = warning\n",
            encoding="utf-8",
        )
        return [sys.executable, "-m", "radicale", "--config", str(config)]

    with _server_process("radicale-tls", argv, tmp=folder, port=port, answers=_answers_https) as (
        actual_port,
        log_path,
    ):
        root = f"https://127.0.0.1:{actual_port}/"
        principal = f"{root}{quote(user)}/"
        server = DavServer(
            name="radicale",
            root_url=root,
            user=user,
            password=password,
            home_url=principal,
            supports_sync_collection=True,
            principal_url=principal,
        )
        # The helper trusts this certificate (as its own CA file), or any when it names
        # another host (the hostname-mismatch case).
        server._http.verify = (
            str(certificate.cert_path) if "127.0.0.1" in certificate.hosts else False
        )
        try:
            yield _checked(server, log_path)
        finally:
            server.close()


# ---------------------------------------------------------------------------------------------
# Xandikos
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def start_xandikos(
    tmp: Path | None = None, *, user: str = USER, password: str = PASSWORD
) -> Iterator[DavServer]:
    """Xandikos: principal /USER/, home /USER/contacts/, default book .../contacts/addressbook/."""
    with _temp_folder(tmp, "xandikos") as folder:
        data = folder / "data"

        def argv(port: int) -> list[str]:
            return [
                sys.executable, "-m", "tests.servers.dav_servers", "xandikos",
                "--port", str(port), "--directory", str(data), "--user", user,
            ]  # fmt: skip

        env = {
            _PASSWORD_ENV: password,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        with _server_process("xandikos", argv, tmp=folder, env=env, cwd=REPO_ROOT) as (
            port,
            log_path,
        ):
            root = f"http://127.0.0.1:{port}/"
            principal = f"{root}{quote(user)}/"
            server = DavServer(
                name="xandikos",
                root_url=root,
                user=user,
                password=password,
                home_url=f"{principal}contacts/",
                supports_sync_collection=True,
                principal_url=principal,
                default_book_url=f"{principal}contacts/addressbook/",
            )
            try:
                yield _checked(server, log_path)
            finally:
                server.close()


def _dechunk(stream: Any) -> bytes:
    """Decode a chunked request body (wsgiref leaves Transfer-Encoding to the app)."""
    out = bytearray()
    while True:
        size_line = stream.readline(65537)
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while stream.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return bytes(out)
        out += stream.read(size)
        stream.readline(65537)


def basic_auth_middleware(
    app: Callable[..., Iterable[bytes]], user: str, password: str, realm: str = "Xandikos"
) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: HTTP Basic for one user (as a reverse proxy would do for Xandikos).

    Also buffers request bodies (de-chunking them) and serialises calls into the app.
    """
    expected = f"{user}:{password}".encode()
    lock = threading.Lock()

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        try:
            given = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            given = b""
        if scheme.lower() != "basic" or not hmac.compare_digest(given, expected):
            body = b"Authentication required.\n"
            start_response(
                "401 Unauthorized",
                [
                    ("WWW-Authenticate", f'Basic realm="{realm}", charset="UTF-8"'),
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        environ["REMOTE_USER"] = user
        # Xandikos reads wsgi.input until EOF (fine under gunicorn/uwsgi, which cap it at
        # Content-Length); wsgiref hands over the raw socket, so buffer exactly the body.
        if "chunked" in environ.pop("HTTP_TRANSFER_ENCODING", "").lower():
            data = _dechunk(environ["wsgi.input"])
        else:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            data = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
        with lock:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return middleware


def serve_xandikos(directory: Path, port: int, user: str, password: str) -> None:
    """Run Xandikos for one user on 127.0.0.1:port (blocking). Used as this module's main."""
    import logging
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    from xandikos.web import SingleUserFilesystemBackend, XandikosApp
    from xandikos.wsgi_helpers import WellknownRedirector

    logging.basicConfig(level=logging.WARNING, format="xandikos: %(message)s")
    principal = f"/{user}/"
    directory.mkdir(parents=True, exist_ok=True)
    backend: Any = SingleUserFilesystemBackend(str(directory.resolve()), autocreate=True)
    backend._mark_as_principal(principal)
    if backend.get_resource(principal) is None:
        # What `xandikos --defaults` does: the principal with its calendar and address book
        # homes (calendars/, contacts/) and a default "calendar" and "addressbook" in them.
        backend.create_principal(principal, create_defaults=True)
    app = WellknownRedirector(XandikosApp(backend, current_user_principal=principal), "/")
    wsgi_app = basic_auth_middleware(app, user, password)

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Handler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    with Server(("127.0.0.1", port), Handler) as httpd:
        httpd.set_app(wsgi_app)
        # Exit at once: a normal interpreter shutdown spends seconds in dulwich finalizers.
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        httpd.serve_forever()


# ---------------------------------------------------------------------------------------------
# SabreDAV 1.8
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def start_sabredav(
    tmp: Path | None = None,
    *,
    user: str = USER,
    password: str = PASSWORD,
    digest: bool = False,
) -> Iterator[DavServer]:
    """SabreDAV 1.8: principal /principals/USER/, home /addressbooks/USER/, book .../default/.

    `digest`: the server speaks HTTP Digest only (the helper answers its challenges too)."""
    php = shutil.which("php")
    if php is None:
        raise ServerStartError("sabredav: php is not installed (apt-get install php-cli ...)")
    with _temp_folder(tmp, "sabredav") as folder:
        env = {
            "SABRE_DB": str(folder / "sabredav.sqlite"),
            "SABRE_USER": user,
            "SABRE_PASSWORD": password,
            "SABRE_AUTH": "digest" if digest else "basic",
        }
        init = subprocess.run(
            [php, str(SABRE_SCRIPT), "init"],
            env={**os.environ, **env},
            capture_output=True,
            timeout=STARTUP_TIMEOUT,
            check=False,
        )
        if init.returncode != 0:
            raise ServerStartError(
                f"sabredav: database init failed ({init.returncode}):\n"
                + (init.stdout + init.stderr).decode("utf-8", "replace")
            )

        def argv(port: int) -> list[str]:
            return [php, "-S", f"127.0.0.1:{port}", str(SABRE_SCRIPT)]

        with _server_process("sabredav", argv, tmp=folder, env=env, cwd=SABRE_SCRIPT.parent) as (
            port,
            log_path,
        ):
            root = f"http://127.0.0.1:{port}/"
            home = f"{root}addressbooks/{quote(user)}/"
            server = DavServer(
                name="sabredav",
                root_url=root,
                user=user,
                password=password,
                home_url=home,
                supports_sync_collection=False,
                principal_url=f"{root}principals/{quote(user)}/",
                default_book_url=f"{home}default/",
            )
            server.digest = digest
            try:
                yield _checked(server, log_path)
            finally:
                server.close()


STARTERS: dict[str, Callable[..., contextlib.AbstractContextManager[DavServer]]] = {
    "radicale": start_radicale,
    "xandikos": start_xandikos,
    "sabredav": start_sabredav,
}


def start_server(
    name: str, tmp: Path | None = None
) -> contextlib.AbstractContextManager[DavServer]:
    """``with start_server("radicale") as server: ...`` for any of :data:`SERVER_NAMES`."""
    return STARTERS[name](tmp)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    xp = sub.add_parser("xandikos", help="serve Xandikos with Basic auth (password in env)")
    xp.add_argument("--port", type=int, required=True)
    xp.add_argument("--directory", type=Path, required=True)
    xp.add_argument("--user", default=USER)
    args = parser.parse_args(argv)
    if args.command == "xandikos":
        serve_xandikos(args.directory, args.port, args.user, os.environ[_PASSWORD_ENV])


if __name__ == "__main__":
    main()
