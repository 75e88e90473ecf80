"""Hrefs of DAV answers and requests: one canonical form, and only this server's paths.

A server may percent-encode the same path in more than one way; `canonical_path` brings each
into one form so that hrefs compare as strings. `normalize_href` turns what an answer names
into such a path, refusing hrefs of other hosts, outside the collection asked about, or with
a hidden step up. `app.dav.xml` re-exports the public names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, TypeVar
from urllib.parse import quote, unquote, urljoin, urlsplit

# Characters left as they are in a path segment: RFC 3986 unreserved + sub-delims + ":" "@".
SEGMENT_SAFE = "!$&'()*+,;=:@-._~"


@lru_cache(maxsize=65536)
def canonical_path(path: str) -> str:
    """Percent-encode a path the one way we compare hrefs: decode each segment, re-encode.

    `%2F` inside a segment stays encoded so the segmentation never changes; "/a%20b",
    "/a b" and "/a%20%62" all come out as "/a%20b".
    """
    if not path:
        return "/"
    segments = path.split("/")
    out = [quote(unquote(seg, errors="surrogateescape"), safe=SEGMENT_SAFE) for seg in segments]
    result = "/".join(out)
    if not result.startswith("/"):
        result = "/" + result
    return result


def _host_of(url: str) -> str:
    """Lower-cased host name of a URL ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _escaping_segment(segment: str) -> bool:
    """A decoded path segment that is, or hides, a step up or a separator."""
    return segment in (".", "..") or "/" in segment or "\\" in segment or "\x00" in segment


def normalize_href(href: str, base_url: str, collection: str | None = None) -> str | None:
    """Return `href` as a canonical absolute path, or None if it must be ignored.

    Relative hrefs are resolved against `base_url` (the request URL). Hrefs naming another
    host are dropped, because a hostile or confused server must not make us read or write
    elsewhere with the user's credentials; with `collection` given, hrefs outside that
    collection (other than the collection itself) are dropped as well.
    """
    href = href.strip()
    if not href:
        return None
    if href[0] == "/" and href[1:2] != "/" and _web_base(base_url) and not _NEEDS_JOIN.search(href):
        # The common case, an absolute path: resolving it against the base changes nothing.
        if _PLAIN_PATH.fullmatch(href):
            # Nothing to decode or encode, no dot segment (_NEEDS_JOIN): already canonical.
            return _inside(href, collection)
        raw_path = href
    else:
        try:
            absolute = urljoin(base_url, href)
            parts = urlsplit(absolute)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https"):
            return None
        base_host = _host_of(base_url)
        if base_host and (parts.hostname or "").lower() != base_host:
            return None
        raw_path = parts.path
    path = _checked_path(raw_path)
    if path is None:
        return None
    return _inside(path, collection)


def collection_path(href: str, base_url: str) -> str | None:
    """The canonical absolute path of a collection, always with a trailing slash (None: an
    href `normalize_href` drops)."""
    path = normalize_href(href, base_url)
    if path is None:
        return None
    return path if path.endswith("/") else path + "/"


def _inside(path: str, collection: str | None) -> str | None:
    """`path` if it is `collection` or inside it (or no collection is given), else None."""
    if collection is not None:
        prefix, bare = _collection_prefix(collection)
        if not path.startswith(prefix) and path.rstrip("/") != bare:
            return None
    return path


@lru_cache(maxsize=64)
def _collection_prefix(collection: str) -> tuple[str, str]:
    """A collection's canonical path ending in "/", and without the trailing slashes."""
    coll = canonical_path(collection)
    prefix = coll if coll.endswith("/") else coll + "/"
    return prefix, coll.rstrip("/")


# What urljoin would change in an absolute path: a query, a fragment, a dot segment.
_NEEDS_JOIN = re.compile(r"[?#]|/\.")
# A path of unreserved characters, sub-delims, ":" and "@" only (no "%"): canonical as it is.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/!$&'()*+,;=:@._~-]*")


@lru_cache(maxsize=64)
def _web_base(base_url: str) -> bool:
    """An http(s) URL with a host: absolute paths resolve against it unchanged."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@lru_cache(maxsize=65536)
def _checked_path(path: str) -> str | None:
    """The canonical form of an absolute path, or None if a segment hides a step up."""
    if any(_escaping_segment(unquote(seg)) for seg in path.split("/")):
        # "%2e%2e" or "..%2f" survive urljoin's dot-segment removal; a server or proxy that
        # decodes them later would resolve them outside the collection: never accept them.
        return None
    return canonical_path(path)


def same_href(a: str, b: str) -> bool:
    """Compare two hrefs (paths) ignoring encoding differences and a trailing slash."""
    return canonical_path(a).rstrip("/") == canonical_path(b).rstrip("/")


class NamedCollection(Protocol):
    """A server book or calendar, as far as naming one goes."""

    @property
    def href(self) -> str: ...

    @property
    def display_name(self) -> str: ...


_C = TypeVar("_C", bound=NamedCollection)


def collections_named(items: Sequence[_C], ref: str) -> list[_C]:
    """The collections of `items` that `ref` names: the one whose href it is (exactly);
    else each whose href ends with it ("kontakte", "/alice/kontakte/") or whose display name
    it is (case-insensitive). More than one: `ref` is ambiguous (app.sync.jobs
    `pick_collection` says so; a `run`'s head start asks nothing ahead)."""
    for c in items:
        if same_href(c.href, ref):
            return [c]  # a full path names one collection
    tail = "/" + ref.strip("/")
    found: list[_C] = []
    for c in items:
        by_path = tail != "/" and c.href.rstrip("/").endswith(tail)
        if (by_path or c.display_name.casefold() == ref.casefold()) and c not in found:
            found.append(c)
    return found
