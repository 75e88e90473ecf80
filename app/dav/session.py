"""One authenticated HTTP connection to a DAV server: the request, its retries and redirects.

Everything the DAV layer sends goes through `DavSession.request`: the credentials and the
pinned certificate of one account, Basic or Digest auth (`auth.py`, `digest.py`; Digest sent
from the first request on once a challenge was read), redirects followed only on
the same host and never from https to http, bounded retries of reads (and of conditional writes
a server refused with Retry-After), caps on an answer's size and arrival time, the byte/request
counters, and every failure raised as one of `app.dav.errors` (`error_map.py` names it;
`tls.py` adds the certificate's fingerprint). The answer is a `DavResponse` (`response.py`).
The wire itself (keep-alive connections, TLS and pinning, proxies, gzip) is `http.py`.
The password is kept only inside the auth object; no message, detail or repr ever contains it.
The names callers have always imported from here (`DavResponse`, `decode_body`, the
fingerprint and plain-http helpers) still are.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Container, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from app.dav.auth import BasicAuth, auth_schemes
from app.dav.digest import DigestAuth
from app.dav.error_map import (
    is_retryable,
    map_exception,
    retry_after_seconds,
    status_error_of,
)
from app.dav.errors import CrossHostRedirect, DavError, HostUnreachable, ServerError, TlsError
from app.dav.response import DavResponse, check_content_type, decode_body, wire_bytes
from app.dav.tls import (
    fetch_fingerprint,
    format_fingerprint,
    is_loopback_host,
    normalize_fingerprint,
    plain_http_warning,
)
from app.i18n import _

if TYPE_CHECKING:
    from app.dav.http import Response
    from app.dav.refusal import ServerWords

__all__ = [
    "CONDITIONAL_WRITES",
    "CONNECT_TIMEOUT",
    "IDEMPOTENT_READS",
    "MAX_OBJECT_BYTES",
    "MAX_REDIRECTS",
    "MAX_RESPONSE_BYTES",
    "MAX_RESPONSE_SECONDS",
    "MAX_RETRIES",
    "MAX_RETRY_WAIT",
    "REDIRECTABLE",
    "USER_AGENT",
    "XML_CONTENT_TYPE",
    "DavResponse",
    "DavSession",
    "decode_body",
    "fetch_fingerprint",
    "format_fingerprint",
    "is_loopback_host",
    "normalize_fingerprint",
    "plain_http_warning",
]

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
                _(
                    "Die Serveradresse ist ungültig. Bitte geben Sie z. B. "
                    "„cloud.example.de“ oder „https://cloud.example.de/remote.php/dav/“ ein."
                ),
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
        self.pinned_sha256 = normalize_fingerprint(pinned_sha256) if pinned_sha256 else None
        self.requests_made = 0
        self.bytes_received = 0
        self.auth_scheme = "none" if anonymous else "basic"
        self._basic = BasicAuth(username, password)
        # What must never appear in a text built from an answer (a server echoing our
        # request): the password and the Basic token made from it. Very short passwords
        # are left out: replacing every "ab" would garble the server's message.
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._secrets = tuple(s for s in (password, token) if len(s) >= 4)
        self._digest = DigestAuth(username, password)
        # http.client and the rest of the wire load when the first session opens: the
        # window and the CLI's local commands do not pay for them.
        from app.dav.http import TRANSPORT_ERRORS, HttpClient

        self._transport_errors = TRANSPORT_ERRORS
        # With a pin: no CA or hostname check, but the exact certificate on every new
        # connection (app.dav.http).
        self._http = HttpClient(
            timeout=timeout,
            connect_timeout=min(CONNECT_TIMEOUT, timeout),
            pinned_sha256=self.pinned_sha256,
            user_agent=USER_AGENT,
        )

    # -- helpers -----------------------------------------------------------------

    def __repr__(self) -> str:
        pin = ", pinned" if self.pinned_sha256 else ""
        return f"DavSession({self.base_url!r}, user={self.username!r}{pin})"

    def __enter__(self) -> DavSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def on_request_sent(self, callback: Callable[[], None] | None) -> None:
        """Call `callback` whenever a request has been written, before its answer is
        waited for (None: no more)."""
        self._http.on_sent = callback

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
            raise DavError(
                detail=_("{method} {url}: anderer Server als {host}").format(
                    method=method, url=full_url, host=self.host
                )
            )
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
            except self._transport_errors as exc:
                if method in IDEMPOTENT_READS and attempt < MAX_RETRIES and is_retryable(exc):
                    attempt += 1
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
                wait = retry_after_seconds(retry_after, default=1.0 * (attempt + 1))
                if waited + wait <= MAX_RETRY_WAIT:
                    attempt += 1
                    log.info("HTTP %d, Wiederholung %d in %.1f s", resp.status, attempt, wait)
                    time.sleep(wait)
                    waited += wait
                    continue
            break

        if 200 <= resp.status < 300 or resp.status in accept:
            if 200 <= resp.status < 300 and method in ("GET", "PROPFIND", "REPORT"):
                # only bodies we read; error pages (an accepted 404) and the "201 Created"
                # page some servers send after a PUT may well be HTML
                check_content_type(resp)
            return resp
        raise self._status_error(resp)

    def _send_following(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> DavResponse:
        """Send, switch to Digest if the server asks only for it, follow safe redirects."""
        history: list[int] = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self._send_once(method, current, body, headers, limit)
            if resp.status == 401 and self.auth_scheme == "basic":
                schemes = auth_schemes(resp.header("www-authenticate"))
                if (
                    "digest" in schemes
                    and "basic" not in schemes
                    and self._digest.take_challenge(resp.header("www-authenticate"))
                ):
                    # SabreDAV 1.8 and some appliances only speak Digest; the challenge
                    # is in this answer already: answered at once.
                    self.auth_scheme = "digest"
                    resp = self._send_once(method, current, body, headers, limit, fresh=True)
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
            _("Der Server leitet die Anfrage endlos weiter."),
            _("mehr als {n} Weiterleitungen ab {url}").format(n=MAX_REDIRECTS, url=url),
            status=310,
        )

    def _check_redirect(self, source: str, target: str) -> None:
        """Allow redirects on the same host (http->https too), never a TLS downgrade."""
        src, dst = urlsplit(source), urlsplit(target)
        if dst.scheme not in ("http", "https"):
            raise ServerError(
                _("Ungültige Weiterleitung des Servers."),
                _("nach {url}").format(url=target),
                status=300,
            )
        if (dst.hostname or "").lower() != (src.hostname or "").lower():
            raise CrossHostRedirect(target)
        if src.scheme == "https" and dst.scheme == "http":
            raise TlsError(
                _(
                    "Der Server leitet von einer sicheren (HTTPS) auf eine unsichere "
                    "Verbindung weiter. Die Verbindung wurde abgebrochen."
                ),
                f"{source} -> {target}",
            )

    def _send_once(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        limit: int,
        *,
        fresh: bool = False,
    ) -> DavResponse:
        """One HTTP exchange, counted; with Digest, one more if the server refused the
        nonce we sent (expired, or the request went out before any challenge).

        `fresh`: the Digest challenge was just read from the answer to this very request
        (a 401 then means wrong credentials, unless the server says the nonce is stale).
        """
        resp = self._exchange(method, url, body, headers, limit)
        if resp.status == 401 and self.auth_scheme == "digest":
            challenge = resp.header("www-authenticate")
            if (not fresh or self._digest.stale(challenge)) and self._digest.take_challenge(
                challenge
            ):
                resp = self._exchange(method, url, body, headers, limit)
        return resp

    def _authorization(self, method: str, url: str, body: bytes | None) -> dict[str, str]:
        """The Authorization header of the session's scheme ({} for an anonymous one)."""
        if self.auth_scheme == "basic":
            return {"Authorization": self._basic.header}
        if self.auth_scheme == "digest":
            from app.dav.http import origin_form  # loaded with the first session already

            value = self._digest.authorization(method, origin_form(url), body)
            return {"Authorization": value} if value else {}
        return {}

    def _exchange(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], limit: int
    ) -> DavResponse:
        """Send once and read the answer; counts it.

        The body is streamed so that a cap on its size and on its total arrival time holds
        whatever the server does (Content-Length lies, endless chunked bodies, drip-feed).
        """
        hdrs = {**headers, **self._authorization(method, url, body)}
        r = self._http.send(method, url, body, hdrs)
        self.requests_made += 1
        try:
            content = self._read_body(r, method, url, limit)
        finally:
            r.close()
            self.bytes_received += wire_bytes(r.head_bytes, r.body_bytes)
        return DavResponse(
            status=r.status, headers=r.headers, content=content, url=url, method=method
        )

    def _read_body(self, r: Response, method: str, url: str, limit: int) -> bytes:
        """Read a streamed body within `limit` bytes and `max_response_seconds`."""
        too_large = ServerError(
            _(
                "Die Antwort des Servers ist zu groß und wurde nicht angenommen (Grenze {n} MB)."
            ).format(n=limit // (1024 * 1024)),
            _("{method} {url}: mehr als {n} Bytes").format(method=method, url=url, n=limit),
            status=r.status,
        )
        declared = r.headers.get("content-length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise too_large
        deadline = time.monotonic() + self.max_response_seconds
        chunks: list[bytes] = []
        size = 0
        # chunks as they arrive (decoded: the cap holds for what a gzip body expands to)
        for chunk in r.iter_content():
            if not chunk:
                continue
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise HostUnreachable(
                    _(
                        "Der Server {host} antwortet zu langsam; die Übertragung wurde "
                        "nach {seconds} s abgebrochen. Bitte versuchen Sie es später erneut."
                    ).format(host=self.host, seconds=f"{self.max_response_seconds:.0f}"),
                    f"{method} {url}: {size} Bytes in {self.max_response_seconds:.0f} s",
                )
        return b"".join(chunks)

    # -- error mapping -----------------------------------------------------------

    def server_words(self, resp: DavResponse) -> ServerWords:
        """What the server said in an error answer: its preconditions and its own message
        (plain text, bounded, never the password; app.dav.refusal)."""
        from app.dav.refusal import read_server_words  # (with lxml: not before the answer)

        return read_server_words(resp, self._secrets)

    def _map_exception(self, exc: BaseException, url: str) -> DavError:
        """Transport exception (`app.dav.http`) -> our typed error (`app.dav.error_map`)."""
        return map_exception(
            exc,
            url,
            default_host=self.host,
            pinned_sha256=self.pinned_sha256,
            timeout=self.timeout,
        )

    def _status_error(self, resp: DavResponse) -> DavError:
        """The typed error for an unexpected status; where the server said why, its own
        words are quoted in the message (a 401 or 404 page adds nothing: not quoted)."""
        detail = f"{resp.method} {resp.url} -> HTTP {resp.status}"
        if resp.status not in (401, 404, 410):
            words = self.server_words(resp)
            error = status_error_of(resp, detail)
            if words.detail():
                error.detail = f"{detail}; {words.detail()}"
            if words.message and not words.only_reason_phrase(resp.status):
                error.server_text = words.message
                said = _("Meldung des Servers: „{message}“.").format(message=words.message)
                error.message = f"{error.message} {said}"
            return error
        return status_error_of(resp, detail)
