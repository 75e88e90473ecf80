"""HTTP Digest authentication (RFC 7616, and RFC 2617's older forms) for `DavSession`.

`DigestAuth.take_challenge` reads a server's WWW-Authenticate (the Digest challenge among
others; SHA-256 preferred over MD5 when both are offered); from then on `authorization` makes
the header for every request, counting `nc` up per nonce, so that later requests carry it
from the start instead of costing a 401 round trip each. Algorithms MD5, MD5-sess, SHA-256,
SHA-256-sess; qop "auth" (or "auth-int" where a server offers only that), or none (RFC
2069). Thread-safe (the multiget prefetch sends from a helper thread). The password is kept
only here; the repr never shows it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable
from urllib.parse import quote

_HASHES: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda b: hashlib.md5(b, usedforsecurity=False).hexdigest(),
    "SHA-256": lambda b: hashlib.sha256(b).hexdigest(),
}
_PARAM = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*)\s*(?:,|$)')
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)(?:\s+|\s*(?:,|$))")


def parse_challenges(header: str) -> list[tuple[str, dict[str, str]]]:
    """WWW-Authenticate -> [(scheme in lower case, {param in lower case: value})]."""
    out: list[tuple[str, dict[str, str]]] = []
    pos = 0
    while pos < len(header):
        if header[pos] in ", \t":
            pos += 1
            continue
        scheme = _SCHEME.match(header, pos)
        if scheme is None:
            break
        params: dict[str, str] = {}
        pos = scheme.end()
        while pos < len(header):
            m = _PARAM.match(header, pos)
            if m is None:
                break
            value = m.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            params[m.group(1).lower()] = value
            pos = m.end()
        out.append((scheme.group(1).lower(), params))
    return out


class DigestAuth:
    """The Digest state of one session: the last challenge and its nonce count."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username
        self._password = password
        self._lock = threading.Lock()
        self._challenge: dict[str, str] | None = None
        self._nc = 0

    def __repr__(self) -> str:
        return "DigestAuth(***)"

    def take_challenge(self, header: str | None) -> bool:
        """Read the Digest challenge of a 401's WWW-Authenticate; False if none we can
        answer (unknown algorithm, no nonce)."""
        usable = [
            params
            for scheme, params in parse_challenges(header or "")
            if scheme == "digest"
            and params.get("nonce")
            and _algorithm(params)[0] in _HASHES
            and (not params.get("qop") or _qop(params))
        ]
        if not usable:
            return False
        usable.sort(key=lambda p: _algorithm(p)[0] != "SHA-256")  # stable: server's order
        with self._lock:
            if self._challenge is None or self._challenge.get("nonce") != usable[0]["nonce"]:
                self._nc = 0
            self._challenge = usable[0]
        return True

    def stale(self, header: str | None) -> bool:
        """True if the 401's Digest challenge says only the nonce had expired."""
        return any(
            scheme == "digest" and params.get("stale", "").lower() == "true"
            for scheme, params in parse_challenges(header or "")
        )

    def authorization(self, method: str, uri: str, body: bytes | None) -> str | None:
        """The Authorization header for a request to `uri` (path and query), or None
        before any challenge."""
        with self._lock:
            challenge = self._challenge
            if challenge is None:
                return None
            self._nc += 1
            nc = f"{self._nc:08x}"
        algorithm, sess = _algorithm(challenge)
        h = _HASHES[algorithm]
        realm, nonce = challenge.get("realm", ""), challenge["nonce"]
        cnonce = _cnonce()
        ha1 = h(f"{self._username}:{realm}:{self._password}".encode())
        if sess:
            ha1 = h(f"{ha1}:{nonce}:{cnonce}".encode())
        qop = _qop(challenge)
        a2 = f"{method}:{uri}"
        if qop == "auth-int":
            a2 = f"{a2}:{h(body or b'')}"
        ha2 = h(a2.encode())
        if qop:
            response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}".encode())
        else:
            response = h(f"{ha1}:{nonce}:{ha2}".encode())
        if self._username.isascii():
            user = f'username="{_quote(self._username)}"'
        else:  # RFC 7616 §3.4.4: a name a header cannot carry as it is
            user = f"username*=UTF-8''{quote(self._username, safe='')}"
        fields = [
            user,
            f'realm="{_quote(realm)}"',
            f'nonce="{_quote(nonce)}"',
            f'uri="{_quote(uri)}"',
            f'response="{response}"',
        ]
        if "algorithm" in challenge:
            fields.append(f"algorithm={challenge['algorithm']}")
        if "opaque" in challenge:
            fields.append(f'opaque="{_quote(challenge["opaque"])}"')
        if qop:
            fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(fields)


def _algorithm(params: dict[str, str]) -> tuple[str, bool]:
    """("MD5" | "SHA-256" | other, whether "-sess")."""
    name = params.get("algorithm", "MD5").upper()
    sess = name.endswith("-SESS")
    return (name[: -len("-SESS")] if sess else name), sess


def _qop(params: dict[str, str]) -> str:
    """The qop we answer with: "auth" if offered, else "auth-int", else "" (none offered
    or none we know)."""
    offered = {q.strip().lower() for q in params.get("qop", "").split(",")}
    return "auth" if "auth" in offered else "auth-int" if "auth-int" in offered else ""


def _cnonce() -> str:
    return os.urandom(12).hex()


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
