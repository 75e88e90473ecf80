"""A small vCard 3.0 builder shared by the server tests."""

from __future__ import annotations


def simple_card(uid: str, fn: str, email: str = "", *, tel: str = "", extra: str = "") -> str:
    """A card with UID, FN, N and optional e-mail, phone and extra raw lines (CRLF)."""
    given, _, family = fn.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{family};{given};;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    if tel:
        lines.append(f"TEL;TYPE=CELL:{tel}")
    if extra:
        lines.extend(extra.strip().splitlines())
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
