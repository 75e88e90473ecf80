"""Time zones of iCalendar: a TZID (and its VTIMEZONE) resolved to a `tzinfo`.

`_resolve_zone` tries, in this order: UTC spellings, an IANA name (also inside Mozilla/Citadel
style prefixes such as "/mozilla.org/20050126_1/Europe/Berlin"), a Windows name ("W. Europe
Standard Time", Outlook and Exchange) via icalendar's table, the VTIMEZONE's X-LIC-LOCATION,
and last the VTIMEZONE's own STANDARD/DAYLIGHT rules (dateutil's tzical). Resolutions are
cached (512 TZID/VTIMEZONE pairs), so a calendar run pays for each zone once; None means
unknown, which the callers read as the computer's local time.
"""

from __future__ import annotations

import re
from datetime import UTC, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo


def _windows_zones() -> dict[str, str]:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - a declared dependency; older ones lack the table
        return {}
    return dict(WINDOWS_TO_OLSON)


@lru_cache(maxsize=1)
def _windows_table() -> dict[str, str]:
    return _windows_zones()


def _zoneinfo(name: str) -> tzinfo | None:
    name = name.strip().strip('"')
    if not name or ".." in name or name.startswith("/") or " " in name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return None


@lru_cache(maxsize=512)
def _resolve_zone(tzid: str, vtimezone: str) -> tzinfo | None:
    """tzinfo for a TZID (see the module docstring for the order); None if unknown."""
    name = tzid.strip().strip('"')
    if name.upper() in ("UTC", "GMT", "Z", "ETC/UTC"):
        return UTC
    zone = _zoneinfo(name)
    if zone is not None:
        return zone
    segments = [s for s in name.split("/") if s]
    for n in (3, 2, 1):  # "/mozilla.org/20050126_1/America/Argentina/Buenos_Aires"
        if len(segments) > n:
            zone = _zoneinfo("/".join(segments[-n:]))
            if zone is not None:
                return zone
    mapped = _windows_table().get(name)
    if mapped:
        zone = _zoneinfo(mapped)
        if zone is not None:
            return zone
    if vtimezone:
        m = re.search(r"^X-LIC-LOCATION:(.+?)\s*$", vtimezone, re.M | re.I)
        if m:
            zone = _zoneinfo(m.group(1))
            if zone is not None:
                return zone
        return _zone_from_rules(vtimezone)
    return None


def _zone_from_rules(vtimezone: str) -> tzinfo | None:
    """tzinfo from the VTIMEZONE's STANDARD/DAYLIGHT rules (dateutil), None if unreadable."""
    from dateutil import tz as dateutil_tz  # type: ignore[import-untyped]

    text = vtimezone.replace("\r\n", "\n").replace("\r", "\n")
    # dateutil wants a bare VTIMEZONE; quoted TZIDs and X- props are fine.
    try:
        parsed = dateutil_tz.tzical(_StringIO(text))
        keys = parsed.keys()
        return parsed.get(keys[0]) if keys else None
    except Exception:  # dateutil raises ValueError/KeyError/AttributeError on odd input
        return None


class _StringIO:
    """Minimal file object for dateutil's tzical (it wants .read() and a name)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.name = "<vtimezone>"

    def read(self) -> str:
        return self._text
