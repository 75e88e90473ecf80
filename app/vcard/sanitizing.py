"""Control characters: a card is text (RFC 6350 §3.3: no control characters but HTAB in a
value), and `sanitize` makes every card the import and the sync store one. It finds control
characters fast on the UTF-8 bytes (`_has_controls`, run on every fetched card), drops binary
properties that carry raw bytes instead of base64 (and the lines their line breaks made),
removes control characters from any other value and says what it did (`Sanitized.message`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.i18n import _

from .parse import _parse_card, _Prop
from .syntax import _BINARY, _CTRL_RE, _TOKEN_RE, _encoding

# Property names of vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350, 6474, 6715, 8605, 9554).
# After a raw binary value, a line that does not start with one of them (or an X- name) is
# more of the same bytes: a line break inside the data made it look like a line of its own.
_PROPERTY_NAMES = frozenset(
    {"BEGIN", "END", "VERSION", "SOURCE", "NAME", "PROFILE", "KIND", "XML", "FN", "N"}
    | {"NICKNAME", "PHOTO", "BDAY", "ANNIVERSARY", "GENDER", "ADR", "LABEL", "TEL", "EMAIL"}
    | {"MAILER", "IMPP", "LANG", "TZ", "GEO", "TITLE", "ROLE", "LOGO", "AGENT", "ORG"}
    | {"MEMBER", "RELATED", "CATEGORIES", "NOTE", "PRODID", "REV", "SORT-STRING", "SOUND"}
    | {"UID", "CLIENTPIDMAP", "URL", "CLASS", "KEY", "FBURL", "CALADRURI", "CALURI"}
    | {"BIRTHPLACE", "DEATHPLACE", "DEATHDATE", "EXPERTISE", "HOBBY", "INTEREST"}
    | {"ORG-DIRECTORY", "CONTACT-URI", "CREATED", "GRAMGENDER", "LANGUAGE", "PRONOUNS"}
    | {"SOCIALPROFILE", "JSPROP"}
)


# A CR that ends no line (not followed by LF, possibly after more CRs): in a text with LF
# line breaks, it is a control character inside a line. In a CR-only text CRs end lines.
_LONE_CR_RE = re.compile(r"\r(?!\r*\n)")


# The UTF-8 bytes of text: everything but the C0 controls (HTAB, LF and CR allowed) and DEL.
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))


_C1_UTF8_RE = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080..U+009F in UTF-8


def _has_controls(s: str, lf: bool) -> bool:
    """True if s holds a control character other than HTAB and the line breaks (the set
    `_CTRL_RE` removes, and a lone CR where LF ends lines). Every fetched card is checked:
    on its UTF-8 bytes this is about twice as fast as the regex on the text."""
    data = s.encode("utf-8", "surrogatepass")
    if data.translate(None, _TEXT_BYTES):
        return True
    if b"\xc2" in data and _C1_UTF8_RE.search(data) is not None:
        return True
    return lf and s.count("\r") != s.count("\r\n") and _LONE_CR_RE.search(s) is not None


def _without_controls(s: str, lf: bool) -> str:
    """s without the control characters `_has_controls` finds; line breaks stay."""
    s = _CTRL_RE.sub("", s)
    return _LONE_CR_RE.sub("", s) if lf else s


def _plausible(p: _Prop) -> bool:
    """True if a logical line starts like a property (a known or X- name, a token group)."""
    if not _TOKEN_RE.match(p.name) or (p.group and not _TOKEN_RE.match(p.group)):
        return False
    return p.name in _PROPERTY_NAMES or p.name.startswith("X-")


@dataclass(frozen=True)
class Sanitized:
    """A card without control characters in its values (`sanitize`), and what was done."""

    text: str
    dropped: tuple[str, ...] = ()  # properties left out: raw binary data instead of base64
    cleaned: tuple[str, ...] = ()  # properties whose control characters were removed

    @property
    def changed(self) -> bool:
        return bool(self.dropped or self.cleaned)

    def message(self) -> str:
        """What was done, in the user's language ("" if nothing)."""
        parts: list[str] = []
        if self.dropped:
            names = list(dict.fromkeys(self.dropped))
            if names == ["PHOTO"]:
                parts.append(
                    _(
                        "Das Foto (PHOTO) ist nicht lesbar: es enthält die Bilddaten roh statt "
                        "Base64-kodiert (Steuerzeichen im Wert). Es wurde weggelassen."
                    )
                )
            elif len(names) == 1:
                parts.append(
                    _(
                        "Die Angabe {name} ist nicht lesbar: sie enthält Binärdaten roh statt "
                        "Base64-kodiert (Steuerzeichen im Wert). Sie wurde weggelassen."
                    ).format(name=names[0])
                )
            else:
                parts.append(
                    _(
                        "Die Angaben {names} sind nicht lesbar: sie enthalten Binärdaten roh "
                        "statt Base64-kodiert (Steuerzeichen im Wert). Sie wurden weggelassen."
                    ).format(names=", ".join(names))
                )
        if self.cleaned:
            names = list(dict.fromkeys(self.cleaned))
            if len(names) == 1:
                parts.append(
                    _("Steuerzeichen im Wert von {name} wurden entfernt.").format(name=names[0])
                )
            else:
                parts.append(
                    _("Steuerzeichen in den Werten von {names} wurden entfernt.").format(
                        names=", ".join(names)
                    )
                )
        if parts:
            parts.append(_("Die übrigen Angaben wurden übernommen."))
        return " ".join(parts)


def sanitize(text: str) -> Sanitized:
    """The card without control characters in its values (RFC 6350 §3.3: text has none but
    HTAB; CR and LF only end lines).

    A binary property (PHOTO, LOGO, SOUND, KEY, or any base64 value) holding control
    characters carries raw bytes instead of base64 (a phone backup that wrote the JPEG as
    it is): it cannot be decoded, so it is left out, together with the lines its line
    breaks made (lines that do not start like a property). From any other value the
    control characters are removed (what `summarize` and the normalized hash ignore
    anyway). Every other line stays byte for byte; the usual card has no control
    character and is returned as it is, without a parse. Raises CardError for a non-card.
    """
    lf = "\n" in text
    if not _has_controls(text, lf):
        return Sanitized(text)
    card = _parse_card(text)
    repl: dict[int, str] = {}
    dropped: list[str] = []
    cleaned: list[str] = []
    binary_run = False  # inside the lines a raw binary value broke into
    last = len(card.props) - 1
    for i, p in enumerate(card.props):
        bad = _has_controls(p.raw, lf)
        if i in (0, last):  # BEGIN (with blank lines after it) and END: no value
            if bad:
                repl[i] = _without_controls(p.raw, lf)
            continue
        if binary_run and not _plausible(p):
            repl[i] = ""
            continue
        binary_run = False
        if not bad:
            continue
        if p.name in _BINARY or (p.params and _encoding(p.params) in ("BASE64", "B")):
            repl[i] = ""
            dropped.append(p.name)
            binary_run = True
        else:
            repl[i] = _without_controls(p.raw, lf)
            cleaned.append(p.name if _plausible(p) else _without_controls(p.name, lf))
    card.head = _without_controls(card.head, lf)
    card.tail = _without_controls(card.tail, lf)
    return Sanitized(card.text(repl, {}), tuple(dropped), tuple(cleaned))
