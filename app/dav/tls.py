"""Certificates and unencrypted addresses: everything the DAV layer knows about TLS.

A server's certificate is named by its SHA-256 fingerprint ("AB:CD:..", the form admins compare
by eye; `format_fingerprint`, `normalize_fingerprint`); after a failed handshake
`fetch_fingerprint` reads what the server presented, without sending anything, and `tls_error`
turns it into the German `TlsError` the user acts on (untrusted, changed against the pinned one,
or refused for another reason). `plain_http_warning` is the warning for an http:// address of
another machine (`is_loopback_host`: nothing leaves the computer). The pinning itself is
`app.dav.http`'s (the SHA-256 of the certificate checked on every new connection).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import socket
import ssl
from urllib.parse import urlsplit

from app.dav.errors import TlsError
from app.i18n import _


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
        raise ValueError(_("kein gültiger SHA-256-Fingerabdruck"))
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


def plain_http_warning(url: str, items: str = "") -> str | None:
    """The warning for an unencrypted (http://) address of another machine, in the user's
    language.

    Plain http is allowed (a server in the own LAN without certificate), but the password
    and every contact then cross the network readable by anyone on the way. Silent for
    https and for loopback addresses, where nothing leaves the computer. `items`: what
    crosses it, already translated (default: the contacts; the appointments for a calendar
    account).
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or not host or is_loopback_host(host):
        return None
    if not items:
        return _(
            "Die Verbindung zu {host} ist nicht verschlüsselt (http://): Passwort und "
            "Kontakte werden im Klartext übertragen und können im Netzwerk mitgelesen "
            "werden. Verwenden Sie nach Möglichkeit https://."
        ).format(host=host)
    return _(
        "Die Verbindung zu {host} ist nicht verschlüsselt (http://): Passwort und {items} "
        "werden im Klartext übertragen und können im Netzwerk mitgelesen werden. Verwenden "
        "Sie nach Möglichkeit https://."
    ).format(host=host, items=items)


def tls_error(
    host: str, port: int, detail: str, *, pinned_sha256: str | None, timeout: float
) -> TlsError:
    """TlsError carrying the fingerprint of what the server actually presented.

    `pinned_sha256`: the certificate the account trusts (64 hex digits), if any; `timeout`:
    the session's, for the extra handshake that reads the fingerprint.
    """
    fingerprint = fetch_fingerprint(host, port, timeout=min(timeout, 10.0))
    if fingerprint is None:
        return TlsError(
            _(
                "Es konnte keine sichere Verbindung (HTTPS) aufgebaut werden. Bitte prüfen "
                "Sie Port und Protokoll (http/https) der Serveradresse."
            ),
            detail,
        )
    if pinned_sha256 and normalize_fingerprint(fingerprint) != pinned_sha256:
        # Either the server got a new certificate or someone is in between: nothing
        # was sent (the handshake failed before any request), nothing is synced.
        return TlsError(
            _(
                "Das Zertifikat des Servers {host} hat sich geändert und stimmt nicht mehr "
                "mit dem vertrauten Zertifikat überein; es wurde nichts abgeglichen. Neuer "
                "SHA-256-Fingerabdruck: {fingerprint} – prüfen Sie ihn mit Ihrem "
                "Administrator; nur wenn er stimmt, vertrauen Sie dem neuen Zertifikat in "
                "den Account-Einstellungen."
            ).format(host=host, fingerprint=fingerprint),
            detail,
            fingerprint=fingerprint,
        )
    if pinned_sha256:
        # The pinned certificate itself, refused for another reason (cipher, protocol).
        return TlsError(
            _(
                "Die sichere Verbindung (HTTPS) zu {host} ist fehlgeschlagen, obwohl das "
                "Zertifikat dem vertrauten entspricht. Bitte wenden Sie sich an Ihren "
                "Administrator."
            ).format(host=host),
            detail,
            fingerprint=fingerprint,
        )
    return TlsError(
        _(
            "Das Zertifikat des Servers {host} ist nicht vertrauenswürdig (selbst signiert, "
            "abgelaufen, für einen anderen Namen ausgestellt oder von einer unbekannten "
            "Stelle). SHA-256-Fingerabdruck: {fingerprint} – prüfen Sie ihn mit Ihrem "
            "Administrator und vertrauen Sie dem Zertifikat nur, wenn er übereinstimmt."
        ).format(host=host, fingerprint=fingerprint),
        detail,
        fingerprint=fingerprint,
    )
