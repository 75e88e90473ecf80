"""One authenticated HTTP connection to a DAV server, with errors mapped to our typed ones.

Everything the DAV layer sends goes through `DavSession.request`, so TLS pinning, Basic or
Digest auth, safe redirects, bounded retries of reads, byte/request counters and the
mapping of niquests/urllib3 exceptions to `app.dav.errors` live in one place. The password
is kept only inside the auth object; no message, detail or repr ever contains it.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import ipaddress
import logging
import re
import socket
import ssl
import time
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

from app.dav.errors import (
    APP_PASSWORD_HINT,
    AccessDenied,
    AuthError,
    CrossHostRedirect,
    DavError,
    HostUnreachable,
    NotFound,
    ServerError,
    TlsError,
)
from app.dav.refusal import ServerWords, read_server_words

log = logging.getLogger(__name__)

USER_AGENT = "ContactboxSync/0.1"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"

# Methods that only read: safe to repeat after a dropped connection or a 503.
IDEMPOTENT_READS = frozenset({"GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT"})
# Methods whose redirects we follow (well-known discovery, moved principals).
REDIRECTABLE = frozenset({"GET", "HEAD", "OPTIONS", "PROPFIND"})
# Writes that may be repeated after the server *refused* them with 503/429 + Retry-After:
# only with a precondition (If-Match / If-None-Match), so a repeat can never overwrite a
# newer card or create a second one. Never after a dropped connection: the first attempt
# may have been carried out, and the repeat's 412 would then be misread (see
# docs/RELIABILITY.md "Retries").
CONDITIONAL_WRITES = frozenset({"PUT", "DELETE"})
MAX_REDIRECTS = 5
MAX_RETRIES = 2
MAX_RETRY_WAIT = 10.0  # seconds, summed over all retries of one request

# Size caps on what we read (the body is streamed and cut off at the cap).
MAX_RESPONSE_BYTES = 200 * 1024 * 1024  # any answer, e.g. a multistatus of a huge book
MAX_OBJECT_BYTES = 10 * 1024 * 1024  # a single GET (one card or calendar object)
# Total time one answer may take to arrive (a server dripping bytes just fast enough to
# beat the per-read timeout must not hold a run forever).
MAX_RESPONSE_SECONDS = 600.0
# Reaching the server is quick or not at all: an unreachable host is reported after this,
# however long the read timeout (a 10,000-card REPORT may take a busy server minutes).
CONNECT_TIMEOUT = 15.0


@dataclass
class DavResponse:
    """What a request returned: status, headers (lower-cased keys), body and final URL."""

    status: int
    headers: dict[str, str]
    content: bytes
    url: str
    method: str = ""
    history: list[int] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively; None if absent."""
        return self.headers.get(name.lower())

    @property
    def text(self) -> str:
        """Body decoded with the charset the server declared (UTF-8 by default)."""
        return decode_body(self.content, self.header("content-type"))

    def __repr__(self) -> str:
        return f"DavResponse({self.method} {self.url} -> {self.status}, {len(self.content)} B)"


def decode_body(content: bytes, content_type: str | None) -> str:
    """Decode a text body: declared charset, else UTF-8, else Latin-1 (never fails)."""
    charset = "utf-8"
    if content_type:
        m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type)
        if m:
            charset = m.group(1)
    try:
        return content.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("latin-1")


# ---------------------------------------------------------------------------
# Certificates


def format_fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as "AB:CD:..." (the form admins compare by eye)."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalize_fingerprint(value: str) -> str:
    """Accept "AB:CD:..", "abcd..", "sha256_abcd.." and return 64 lower-case hex digits."""
    text = value.strip().lower()
    if text.startswith("sha256_"):
        text = text[len("sha256_") :]
    text = re.sub(r"[\s:]", "", text)
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ValueError("kein gültiger SHA-256-Fingerabdruck")
    return text


def fetch_fingerprint(host: str, port: int, timeout: float = 10.0) -> str | None:
    """Handshake without verification just to read the peer certificate's fingerprint.

    Used only to *show* the user what the server presented after a verification failure;
    nothing is sent over this connection.
    """
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            ctx.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError, ValueError):
        return None
    return format_fingerprint(der) if der else None


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 (also IPv4-mapped), "localhost" and names under ".localhost"."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def plain_http_warning(url: str, items: str = "Kontakte") -> str | None:
    """The German warning for an unencrypted (http://) address of another machine.

    Plain http is allowed (a server in the own LAN without certificate), but the password
    and every contact then cross the network readable by anyone on the way. Silent for
    https and for loopback addresses, where nothing leaves the computer. `items`: what
    crosses it ("Kontakte", or "Termine" for a calendar account).
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or not host or is_loopback_host(host):
        return None
    return (
        f"Die Verbindung zu {host} ist nicht verschlüsselt (http://): Passwort und {items} "
        "werden im Klartext übertragen und können im Netzwerk mitgelesen werden. Verwenden "
        "Sie nach Möglichkeit https://."
    )


# ---------------------------------------------------------------------------
# Auth


def _niquests() -> ModuleType:
    """niquests, imported when the first session opens: importing it costs ~0.3 s, which
    the window and the CLI's local commands (contacts, reports, --version) should not pay."""
    import niquests
    import niquests.auth

    return niquests


class _BasicAuth:
    """HTTP Basic with UTF-8 credentials (niquests' default would need Latin-1); any
    callable is an auth for niquests."""

    def __init__(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"

    def __call__(self, r: Any) -> Any:
        r.headers["Authorization"] = self._header
        return r

    def __repr__(self) -> str:
        return "_BasicAuth(***)"


class _NoAuth:
    """No credentials at all, not even from ~/.netrc (an auth that niquests sees as set)."""

    def __call__(self, r: Any) -> Any:
        r.headers.pop("Authorization", None)
        return r

    def __repr__(self) -> str:
        return "_NoAuth()"


def _auth_schemes(header: str | None) -> set[str]:
    """Scheme names offered in WWW-Authenticate ("basic", "digest", ...)."""
    if not header:
        return set()
    found = re.findall(
        r"(?:^|,)\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s+[A-Za-z0-9_-]+=|\s*,|\s*$)", header
    )
    return {s.lower() for s in found}


# ---------------------------------------------------------------------------
# Exception mapping


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was caused by (niquests wraps deeply)."""
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        nxt = cur.__cause__ or cur.__context__
        if nxt is None and cur.args and isinstance(cur.args[0], BaseException):
            nxt = cur.args[0]
        cur = nxt
    return seen


def _chain_text(exc: BaseException) -> str:
    """Short technical text: the outer type and the root cause (no duplicated wrappers)."""
    chain = _chain(exc)
    root = chain[-1]
    if root is exc:
        return f"{type(exc).__name__}: {exc}"
    return f"{type(exc).__name__} <- {type(root).__name__}: {root}"


_RETRYABLE_NAMES = (
    "ConnectionResetError",
    "BrokenPipeError",
    "RemoteDisconnected",
    "ProtocolError",
    "IncompleteRead",
    "ConnectionAbortedError",
    "ContentDecodingError",
)


def _is_retryable(exc: BaseException) -> bool:
    """A dropped/reset connection (worth one more try), not refused/DNS/TLS/timeout."""
    names = {type(e).__name__ for e in _chain(exc)}
    if names & {
        "ConnectionRefusedError",
        "gaierror",
        "NameResolutionError",
        "SSLError",
        "ReadTimeoutError",
        "ConnectTimeoutError",
        "TimeoutError",
    }:
        return False
    if isinstance(exc, _niquests().exceptions.Timeout):
        return False
    text = _chain_text(exc).lower()
    return bool(names & set(_RETRYABLE_NAMES)) or "reset by peer" in text or "aborted" in text


# ---------------------------------------------------------------------------
# The session


class DavSession:
    """Keep-alive HTTP/1.1 session to one DAV server with auth, pinning and error mapping."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        pinned_sha256: str | None = None,
        timeout: float = 30.0,
        max_response_seconds: float = MAX_RESPONSE_SECONDS,
        anonymous: bool = False,
    ) -> None:
        """`anonymous`: send no credentials at all (a probe before the user agreed to send
        the password to this address); `username` and `password` are then ignored."""
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HostUnreachable(
                "Die Serveradresse ist ungültig. Bitte geben Sie z. B. "
                "„cloud.example.de“ oder „https://cloud.example.de/remote.php/dav/“ ein.",
                # whatever stands before an "@" may be user:password: never shown
                f"URL {base_url.rsplit('@', 1)[-1]!r}",
            )
        if parts.username or parts.password:
            # Never carry credentials inside the URL (they would end up in logs).
            netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
            if ":" in (parts.hostname or ""):
                netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
            parts = parts._replace(netloc=netloc)
        self.base_url = parts.geturl()
        self.username = username
        self.timeout = timeout
        self.max_response_seconds = max_response_seconds
        self.retries_made = 0
        self.pinned_sha256 = normalize_fingerprint(pinned_sha256) if pinned_sha256 else None
        self.requests_made = 0
        self.bytes_received = 0
        self.bytes_sent = 0
        self.auth_scheme = "none" if anonymous else "basic"
        self._basic = _BasicAuth(username, password)
        # What must never appear in a text built from an answer (a server echoing our
        # request): the password and the Basic token made from it. Very short passwords
        # are left out: replacing every "ab" would garble the server's message.
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._secrets = tuple(s for s in (password, token) if len(s) >= 4)
        niquests = _niquests()
        self._digest = niquests.auth.HTTPDigestAuth(username, password)
        verify: bool | str = True
        if self.pinned_sha256:
            # niquests turns "sha256_<hex>" into urllib3's assert_fingerprint: no CA or
            # hostname check, but the exact certificate on every new connection.
            verify = f"sha256_{self.pinned_sha256}"
        # Passed with every request too: a session-level value alone loses against
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE in the environment (requests' old quirk).
        self._verify = verify
        self._http = niquests.Session(
            disable_http2=True,
            disable_http3=True,
            pool_connections=2,
            pool_maxsize=2,
            retries=0,
            revocation_configuration=None,
            verify=verify,
        )
        self._http.headers["User-Agent"] = USER_AGENT
        self._http.auth = _NoAuth() if anonymous else self._basic

    # -- helpers -----------------------------------------------------------------

    def __repr__(self) -> str:
        pin = ", pinned" if self.pinned_sha256 else ""
        return f"DavSession({self.base_url!r}, user={self.username!r}{pin})"

    def __enter__(self) -> DavSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    @property
    def host(self) -> str:
        """Host name of the server (lower case)."""
        return (urlsplit(self.base_url).hostname or "").lower()

    @property
    def port(self) -> int:
        """TCP port of the server."""
        parts = urlsplit(self.base_url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    def url_for(self, url: str) -> str:
        """Resolve a path or URL against the base URL."""
        return urljoin(self.base_url, url)

    # -- the request -------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        depth: str | None = None,
        accept: Container[int] = (),
        max_bytes: int | None = None,
    ) -> DavResponse:
        """Send one DAV request; return 2xx answers and those in `accept`, raise otherwise.

        401 -> AuthError, 403 -> AccessDenied, 404/410 -> NotFound, 5xx -> ServerError,
        anything else unexpected -> ServerError with the status; network and TLS failures
        -> HostUnreachable / TlsError; an answer larger than `max_bytes` (default: 10 MB
        for GET, 200 MB otherwise), slower than `max_response_seconds` in total, cut short
        or of the wrong content type -> ServerError / HostUnreachable with a German message.

        Retries (at most MAX_RETRIES, waits summed at most MAX_RETRY_WAIT seconds): reads
        after a dropped connection or a 503/429 (waiting as Retry-After says); PUT/DELETE
        only after a 503/429 that carries Retry-After and only with If-Match/If-None-Match.
        """
        method = method.upper()
        full_url = self.url_for(url)
        if (urlsplit(full_url).hostname or "").lower() != self.host:
            # The credentials are for this server only; hrefs naming others are dropped
            # by the XML layer, so this is a caller bug, never a server's wish.
            raise DavError(detail=f"{method} {full_url}: anderer Server als {self.host}")
        hdrs: dict[str, str] = dict(headers or {})
        if depth is not None:
            hdrs["Depth"] = depth
        if body is not None and method in ("PROPFIND", "REPORT", "PROPPATCH"):
            hdrs.setdefault("Content-Type", XML_CONTENT_TYPE)

        limit = (
            max_bytes
            if max_bytes is not None
            else (MAX_OBJECT_BYTES if method == "GET" else MAX_RESPONSE_BYTES)
        )
        conditional = any(k.lower() in ("if-match", "if-none-match") for k in hdrs)
        waited = 0.0
        attempt = 0
        while True:
            try:
                resp = self._send_following(method, full_url, body, hdrs, limit)
            except _niquests().exceptions.RequestException as exc:
                if method in IDEMPOTENT_READS and attempt < MAX_RETRIES and _is_retryable(exc):
                    attempt += 1
                    self.retries_made += 1
                    pause = min(0.2 * attempt, MAX_RETRY_WAIT - waited)
                    log.info("Verbindung abgebrochen, Wiederholung %d: %s", attempt, full_url)
                    if pause > 0:
                        time.sleep(pause)
                        waited += pause
                    continue
                raise self._map_exception(exc, full_url) from None
            retry_after = resp.header("retry-after")
            may_repeat = method in IDEMPOTENT_READS or (
                method in CONDITIONAL_WRITES and conditional and retry_after is not None
            )
            if (
                resp.status in (503, 429)
                and may_repeat
                and attempt < MAX_RETRIES
                and resp.status not in accept
            ):
                wait = _retry_after(retry_after, default=1.0 * (attempt + 1))
                if waited + wait <= MAX_RETRY_WAIT:
                    attempt += 1
                    self.retries_made += 1
                    log.info("HTTP %d, Wiederholung %d in %.1f s", resp.status, attempt, wait)
                    time.sleep(wait)
                    waited += wait
                    continue
            break

        if 200 <= resp.status < 300 or resp.status in accept:
            if 200 <= resp.status < 300 and method in ("GET", "PROPFIND", "REPORT"):
                # only bodies we read; error pages (an accepted 404) and the "201 Created"
                # page some servers send after a PUT may well be HTML
                self._check_content_type(resp)
            return resp
        raise self._status_error(resp)

    @staticmethod
    def _check_content_type(resp: DavResponse) -> None:
        """Refuse a success answer whose declared type cannot be what a DAV server sends.

        A 207 must be XML; no DAV answer we read is a web page (a captive portal or a
        proxy's login page answering 200 with HTML must never be taken for a vCard or an
        empty listing). An absent Content-Type is accepted (some servers omit it).
        """
        ctype = (resp.header("content-type") or "").split(";", 1)[0].strip().lower()
        if not ctype or not resp.content:
            return
        detail = f"{resp.method} {resp.url} -> HTTP {resp.status}, Content-Type {ctype}"
        if ctype in ("text/html", "application/xhtml+xml"):
            raise ServerError(
                "Der Server hat statt einer DAV-Antwort eine Webseite geschickt (z. B. die "
                "Anmeldeseite eines Proxys oder WLANs). Bitte prüfen Sie Serveradresse und "
                "Netzwerk.",
                detail,
                status=resp.status,
            )
        if resp.status == 207 and "xml" not in ctype:
            raise ServerError(
                "Der Server hat eine Antwort in einem unerwarteten Format geschickt.",
                detail,
                status=resp.status,
            )

    def _send_following(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> DavResponse:
        """Send, switch to Digest if the server asks only for it, follow safe redirects."""
        history: list[int] = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self._send_once(method, current, body, headers, limit)
            if resp.status == 401 and self.auth_scheme == "basic":
                schemes = _auth_schemes(resp.header("www-authenticate"))
                if "digest" in schemes and "basic" not in schemes:
                    # SabreDAV 1.8 and some appliances only speak Digest.
                    self.auth_scheme = "digest"
                    self._http.auth = self._digest
                    resp = self._send_once(method, current, body, headers, limit)
            location = resp.header("location")
            if method in REDIRECTABLE and resp.status in (301, 302, 303, 307, 308) and location:
                target = urljoin(current, location)
                self._check_redirect(current, target)
                history.append(resp.status)
                current = target
                continue
            resp.history = history
            return resp
        raise ServerError(
            "Der Server leitet die Anfrage endlos weiter.",
            f"mehr als {MAX_REDIRECTS} Weiterleitungen ab {url}",
            status=310,
        )

    def _check_redirect(self, source: str, target: str) -> None:
        """Allow redirects on the same host (http->https too), never a TLS downgrade."""
        src, dst = urlsplit(source), urlsplit(target)
        if dst.scheme not in ("http", "https"):
            raise ServerError("Ungültige Weiterleitung des Servers.", f"nach {target}", status=300)
        if (dst.hostname or "").lower() != (src.hostname or "").lower():
            raise CrossHostRedirect(target)
        if src.scheme == "https" and dst.scheme == "http":
            raise TlsError(
                "Der Server leitet von einer sicheren (HTTPS) auf eine unsichere Verbindung "
                "weiter. Die Verbindung wurde abgebrochen.",
                f"{source} -> {target}",
            )

    def _send_once(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> DavResponse:
        """One HTTP exchange (plus Digest's own challenge round trip); counts it.

        The body is streamed so that a cap on its size and on its total arrival time holds
        whatever the server does (Content-Length lies, endless chunked bodies, drip-feed).
        """
        r = self._http.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout),
            allow_redirects=False,
            verify=self._verify,
            stream=True,
        )
        try:
            content = self._read_body(r, method, url, limit)
        finally:
            r.close()
        exchanges = [*r.history, r]
        self.requests_made += len(exchanges)
        self.bytes_sent += len(body or b"") * len(exchanges)
        for ex in exchanges:
            self.bytes_received += _wire_bytes(ex)
        return DavResponse(
            status=int(r.status_code or 0),
            headers={k.lower(): v for k, v in r.headers.items()},
            content=content,
            url=str(r.url or url),
            method=method,
        )

    def _read_body(self, r: Any, method: str, url: str, limit: int) -> bytes:
        """Read a streamed body within `limit` bytes and `max_response_seconds`."""
        too_large = ServerError(
            "Die Antwort des Servers ist zu groß und wurde nicht angenommen "
            f"(Grenze {limit // (1024 * 1024)} MB).",
            f"{method} {url}: mehr als {limit} Bytes",
            status=int(r.status_code or 0),
        )
        declared = r.headers.get("content-length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise too_large
        deadline = time.monotonic() + self.max_response_seconds
        chunks: list[bytes] = []
        size = 0
        # -1: chunks as they arrive (a fixed size would wait for it to fill up).
        for chunk in r.iter_content(chunk_size=-1):
            if not chunk:
                continue
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise HostUnreachable(
                    f"Der Server {self.host} antwortet zu langsam; die Übertragung wurde "
                    f"nach {self.max_response_seconds:.0f} s abgebrochen. Bitte versuchen "
                    "Sie es später erneut.",
                    f"{method} {url}: {size} Bytes in {self.max_response_seconds:.0f} s",
                )
        return b"".join(chunks)

    # -- error mapping -----------------------------------------------------------

    def server_words(self, resp: DavResponse) -> ServerWords:
        """What the server said in an error answer: its preconditions and its own message
        (plain text, bounded, never the password; app.dav.refusal)."""
        return read_server_words(resp, self._secrets)

    def _status_error(self, resp: DavResponse) -> DavError:
        """The typed error for an unexpected status; where the server said why, its own
        words are quoted in the message (a 401 or 404 page adds nothing: not quoted)."""
        detail = f"{resp.method} {resp.url} -> HTTP {resp.status}"
        if resp.status not in (401, 404, 410):
            words = self.server_words(resp)
            error = self._status_error_of(resp, detail)
            if words.detail():
                error.detail = f"{detail}; {words.detail()}"
            if words.message and not words.only_reason_phrase(resp.status):
                error.server_text = words.message
                error.message = f"{error.message} Meldung des Servers: „{words.message}“."
            return error
        return self._status_error_of(resp, detail)

    def _status_error_of(self, resp: DavResponse, detail: str) -> DavError:
        """The typed error for a status, in our words only."""
        if resp.status == 401:
            realm = (resp.header("www-authenticate") or "").lower()
            product = next((p for p in ("Nextcloud", "ownCloud") if p.lower() in realm), "")
            if product:
                hint = APP_PASSWORD_HINT.format(product)
                return AuthError(f"{AuthError.default_message} {hint}", detail)
            return AuthError(detail=detail)
        if resp.status == 403:
            return AccessDenied(detail=detail)
        if resp.status in (404, 410):
            return NotFound(detail=detail)
        if resp.status in (503, 429):
            return ServerError(
                "Der Server ist vorübergehend überlastet oder im Wartungsmodus. Bitte "
                "versuchen Sie es später erneut.",
                detail,
                status=resp.status,
            )
        if resp.status == 507:
            return ServerError(
                "Auf dem Server ist nicht genug Speicherplatz frei (Kontingent überschritten). "
                "Bitte wenden Sie sich an Ihren Administrator.",
                detail,
                status=resp.status,
            )
        if resp.status >= 500:
            return ServerError(detail=detail, status=resp.status)
        return ServerError(
            f"Der Server hat unerwartet geantwortet (HTTP {resp.status}).",
            detail,
            status=resp.status,
        )

    def _map_exception(self, exc: BaseException, url: str) -> DavError:
        """niquests/urllib3 exception -> our typed error (text never holds credentials)."""
        niquests = _niquests()
        detail = f"{url}: {_chain_text(exc)}"[:800]
        names = {type(e).__name__ for e in _chain(exc)}
        parts = urlsplit(url)
        host = parts.hostname or self.host
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if isinstance(exc, niquests.exceptions.SSLError) or "SSLError" in names:
            return self._tls_error(host, port, detail)
        if isinstance(exc, niquests.exceptions.Timeout) or names & {
            "TimeoutError",
            "ConnectTimeoutError",
            "ReadTimeoutError",
        }:
            return HostUnreachable(
                f"Der Server {host} antwortet nicht (Zeitüberschreitung). Bitte prüfen Sie "
                "Serveradresse und Port sowie Ihre Internetverbindung.",
                detail,
            )
        if names & {"gaierror", "NameResolutionError"}:
            return HostUnreachable(
                f"Der Servername „{host}“ wurde nicht gefunden. Bitte prüfen Sie die "
                "Schreibweise der Serveradresse und Ihre Internetverbindung.",
                detail,
            )
        if "ConnectionRefusedError" in names:
            return HostUnreachable(
                f"Der Server {host} lehnt Verbindungen auf Port {port} ab. Bitte prüfen Sie "
                "Port und Serveradresse.",
                detail,
            )
        if isinstance(
            exc,
            niquests.exceptions.InvalidURL
            | niquests.exceptions.MissingSchema
            | niquests.exceptions.InvalidSchema,
        ):
            return HostUnreachable("Die Serveradresse ist ungültig.", detail)
        if names & {"DecodeError", "ContentDecodingError"}:
            return ServerError(
                "Der Server hat eine unlesbare Antwort geschickt (fehlerhaft komprimiert).",
                detail,
                status=0,
            )
        if names & {"IncompleteRead", "ProtocolError", "ChunkedEncodingError"} or isinstance(
            exc, niquests.exceptions.ChunkedEncodingError
        ):
            return HostUnreachable(
                f"Die Verbindung zum Server {host} wurde mitten in der Übertragung "
                "unterbrochen. Bitte versuchen Sie es später erneut.",
                detail,
            )
        if names & {"ConnectionResetError", "RemoteDisconnected", "ConnectionAbortedError"}:
            return HostUnreachable(
                f"Der Server {host} hat die Verbindung unerwartet getrennt. Bitte versuchen "
                "Sie es später erneut.",
                detail,
            )
        if isinstance(exc, niquests.exceptions.ConnectionError):
            return HostUnreachable(detail=detail)
        return ServerError("Die Verbindung zum Server ist fehlgeschlagen.", detail, status=0)

    def _tls_error(self, host: str, port: int, detail: str) -> TlsError:
        """TlsError carrying the fingerprint of what the server actually presented."""
        fingerprint = fetch_fingerprint(host, port, timeout=min(self.timeout, 10.0))
        if fingerprint is None:
            return TlsError(
                "Es konnte keine sichere Verbindung (HTTPS) aufgebaut werden. Bitte prüfen "
                "Sie Port und Protokoll (http/https) der Serveradresse.",
                detail,
            )
        if self.pinned_sha256 and normalize_fingerprint(fingerprint) != self.pinned_sha256:
            # Either the server got a new certificate or someone is in between: nothing
            # was sent (the handshake failed before any request), nothing is synced.
            return TlsError(
                f"Das Zertifikat des Servers {host} hat sich geändert und stimmt nicht mehr "
                "mit dem vertrauten Zertifikat überein; es wurde nichts abgeglichen. Neuer "
                f"SHA-256-Fingerabdruck: {fingerprint} – prüfen Sie ihn mit Ihrem "
                "Administrator; nur wenn er stimmt, vertrauen Sie dem neuen Zertifikat in "
                "den Account-Einstellungen.",
                detail,
                fingerprint=fingerprint,
            )
        if self.pinned_sha256:
            # The pinned certificate itself, refused for another reason (cipher, protocol).
            return TlsError(
                f"Die sichere Verbindung (HTTPS) zu {host} ist fehlgeschlagen, obwohl das "
                "Zertifikat dem vertrauten entspricht. Bitte wenden Sie sich an Ihren "
                "Administrator.",
                detail,
                fingerprint=fingerprint,
            )
        return TlsError(
            f"Das Zertifikat des Servers {host} ist nicht vertrauenswürdig (selbst signiert, "
            "abgelaufen, für einen anderen Namen ausgestellt oder von einer unbekannten "
            f"Stelle). SHA-256-Fingerabdruck: {fingerprint} – prüfen Sie ihn mit Ihrem "
            "Administrator und vertrauen Sie dem Zertifikat nur, wenn er übereinstimmt.",
            detail,
            fingerprint=fingerprint,
        )


def _wire_bytes(r: Any) -> int:
    """Bytes read off the socket for one response (compressed size when gzip was used)."""
    raw = getattr(r, "raw", None)
    try:
        n = int(raw.tell()) if raw is not None else 0
    except Exception:  # pragma: no cover - defensive, tell() is optional
        n = 0
    if n <= 0:
        n = len(getattr(r, "_content", b"") or b"")
    return n


def _retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait per Retry-After (delta-seconds or HTTP date); default if absent."""
    if value is None:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when is None:
        return default
    return max(0.0, when.timestamp() - time.time())
