"""Which vCard version a book is asked for (app.dav.carddav.preferred_version, the Accept)."""

from __future__ import annotations

import pytest

from app.dav import carddav


@pytest.mark.parametrize(
    ("listed", "asked"),
    [
        (("3.0", "4.0"), "4.0"),  # SabreDAV 4 (Nextcloud, ownCloud), Radicale 3
        (("4.0", "3.0"), "4.0"),
        (("4.0",), "4.0"),
        ((" 4.0",), "4.0"),
        (("3.0",), None),  # SabreDAV 1.8: as before, the server's default
        ((), None),  # nothing listed (Xandikos): as before
        (("2.1",), None),
    ],
)
def test_preferred_version(listed: tuple[str, ...], asked: str | None) -> None:
    assert carddav.preferred_version(listed) == asked


def _accepted(header: str) -> list[tuple[str, float]]:
    """(media type with its non-q parameters, q) of each entry, as a server reads them."""
    out = []
    for item in header.split(","):
        kind, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        rest = []
        for param in params:
            name, _, value = param.partition("=")
            if name == "q":
                q = float(value)
            else:
                rest.append(param)
        out.append((";".join([kind, *rest]), q))
    return out


def test_accept_asks_for_4_first_and_takes_3_and_anything_else() -> None:
    entries = dict(_accepted(carddav.ACCEPT_4))
    assert entries["text/vcard;version=4.0"] == 1.0
    assert entries["text/vcard;version=3.0"] < 1.0
    assert entries["text/vcard"] < entries["text/vcard;version=3.0"]
    assert 0 < entries["*/*"] < entries["text/vcard"]  # nothing is refused with 406
    # without 4.0 listed: the Accept of before, no version at all
    assert "version" not in carddav.ACCEPT_ANY
    assert dict(_accepted(carddav.ACCEPT_ANY))["text/vcard"] == 1.0
