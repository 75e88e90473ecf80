"""What went wrong, in our typed errors: statuses, exceptions, and whether to try again.

`status_error_of` names the `app.dav.errors` class and the message (German msgid, translated
through `app.i18n`) for an unexpected HTTP
status (401 with the app-password hint for Nextcloud/ownCloud, 403, 404/410, 503/429, 507, 5xx);
`map_exception` does the same for a transport exception (`app.dav.http`: the standard
library's socket, ssl and http.client exceptions; TLS with the presented
certificate's fingerprint, timeouts, unknown names, refused or dropped connections, broken
compression), its detail holding the root cause but never credentials. `is_retryable` tells a
dropped connection worth one more read from a failure that a repeat cannot cure, and
`retry_after_seconds` reads a Retry-After header. The retry policy itself is
`DavSession.request`'s.
"""

from __future__ import annotations

import email.utils
import socket
import ssl
import time
from urllib.parse import urlsplit

from app.dav.errors import (
    APP_PASSWORD_HINT,
    AccessDenied,
    AuthError,
    DavError,
    HostUnreachable,
    NotFound,
    ServerError,
)
from app.dav.response import DavResponse
from app.dav.tls import tls_error
from app.i18n import _


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was caused by (`ProtocolError` wraps the cause)."""
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
    "DecodeError",
)


def is_retryable(exc: BaseException) -> bool:
    """A dropped/reset connection (worth one more try), not refused/DNS/TLS/timeout."""
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    if names & {"ConnectionRefusedError", "gaierror", "CertificateMismatch"}:
        return False
    if any(isinstance(e, TimeoutError) for e in chain):
        return False
    if "ProtocolError" not in names and any(isinstance(e, ssl.SSLError) for e in chain):
        return False  # the handshake failed: a repeat fails alike
    text = _chain_text(exc).lower()
    return bool(names & set(_RETRYABLE_NAMES)) or "reset by peer" in text or "aborted" in text


def retry_after_seconds(value: str | None, *, default: float) -> float:
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


def status_error_of(resp: DavResponse, detail: str) -> DavError:
    """The typed error for a status, in our words only."""
    if resp.status == 401:
        realm = (resp.header("www-authenticate") or "").lower()
        product = next((p for p in ("Nextcloud", "ownCloud") if p.lower() in realm), "")
        if product:
            hint = _(APP_PASSWORD_HINT).format(product=product)
            return AuthError(f"{_(AuthError.default_message)} {hint}", detail)
        return AuthError(detail=detail)
    if resp.status == 403:
        return AccessDenied(detail=detail)
    if resp.status in (404, 410):
        return NotFound(detail=detail)
    if resp.status in (503, 429):
        return ServerError(
            _(
                "Der Server ist vorübergehend überlastet oder im Wartungsmodus. Bitte "
                "versuchen Sie es später erneut."
            ),
            detail,
            status=resp.status,
        )
    if resp.status == 507:
        return ServerError(
            _(
                "Auf dem Server ist nicht genug Speicherplatz frei (Kontingent überschritten). "
                "Bitte wenden Sie sich an Ihren Administrator."
            ),
            detail,
            status=resp.status,
        )
    if resp.status >= 500:
        return ServerError(detail=detail, status=resp.status)
    return ServerError(
        _("Der Server hat unerwartet geantwortet (HTTP {status}).").format(status=resp.status),
        detail,
        status=resp.status,
    )


def map_exception(
    exc: BaseException,
    url: str,
    *,
    default_host: str,
    pinned_sha256: str | None,
    timeout: float,
) -> DavError:
    """Transport exception -> our typed error (text never holds credentials).

    `default_host`: the session's host, for a URL without one; `pinned_sha256` and
    `timeout`: the session's, for a TLS failure (`tls_error`).
    """
    detail = f"{url}: {_chain_text(exc)}"[:800]
    names = {type(e).__name__ for e in _chain(exc)}
    parts = urlsplit(url)
    host = parts.hostname or default_host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    chain = _chain(exc)
    if "ProtocolError" not in names and any(isinstance(e, ssl.SSLError) for e in chain):
        # (a TLS connection lost during an answer is a dropped connection, not TLS)
        return tls_error(host, port, detail, pinned_sha256=pinned_sha256, timeout=timeout)
    if any(isinstance(e, TimeoutError) for e in chain):
        return HostUnreachable(
            _(
                "Der Server {host} antwortet nicht (Zeitüberschreitung). Bitte prüfen Sie "
                "Serveradresse und Port sowie Ihre Internetverbindung."
            ).format(host=host),
            detail,
        )
    if any(isinstance(e, socket.gaierror) for e in chain):
        return HostUnreachable(
            _(
                "Der Servername „{host}“ wurde nicht gefunden. Bitte prüfen Sie die "
                "Schreibweise der Serveradresse und Ihre Internetverbindung."
            ).format(host=host),
            detail,
        )
    if "ConnectionRefusedError" in names:
        return HostUnreachable(
            _(
                "Der Server {host} lehnt Verbindungen auf Port {port} ab. Bitte prüfen Sie "
                "Port und Serveradresse."
            ).format(host=host, port=port),
            detail,
        )
    if "InvalidURL" in names:  # http.client's
        return HostUnreachable(_("Die Serveradresse ist ungültig."), detail)
    if "DecodeError" in names:
        return ServerError(
            _("Der Server hat eine unlesbare Antwort geschickt (fehlerhaft komprimiert)."),
            detail,
            status=0,
        )
    if names & {"IncompleteRead", "ProtocolError"}:
        return HostUnreachable(
            _(
                "Die Verbindung zum Server {host} wurde mitten in der Übertragung "
                "unterbrochen. Bitte versuchen Sie es später erneut."
            ).format(host=host),
            detail,
        )
    if names & {"ConnectionResetError", "RemoteDisconnected", "ConnectionAbortedError"}:
        return HostUnreachable(
            _(
                "Der Server {host} hat die Verbindung unerwartet getrennt. Bitte versuchen "
                "Sie es später erneut."
            ).format(host=host),
            detail,
        )
    if isinstance(exc, OSError):
        return HostUnreachable(detail=detail)
    return ServerError(_("Die Verbindung zum Server ist fehlgeschlagen."), detail, status=0)
