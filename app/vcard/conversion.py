"""Conversion between versions and the card a server gets: `convert` rebuilds a card as 3.0
or 4.0, and `prepare_for_upload` returns a card unchanged where the server accepts it (only
completed: FN added, N and ADR with all components) and converted where its version or its
encodings would be refused. The local card is never touched.

Conversion (`convert`, `prepare_for_upload`): every logical line is rebuilt from its decoded
value: QUOTED-PRINTABLE and CHARSET are decoded to Unicode, bare 2.1 type params become TYPE=...
(`TEL;WORK;VOICE` -> `TEL;TYPE=WORK,VOICE`; 4.0: lowercase, `pref` -> `PREF=1`), base64 PHOTO/
LOGO/SOUND/KEY become `ENCODING=b;TYPE=JPEG` (3.0) or a `data:image/jpeg;base64,` URI (4.0),
2.1 text is re-escaped per RFC 2426 (3.0: `\\ , ;` and newline) or RFC 6350 (4.0: `;` only inside
compound values), unknown and X- properties keep their params and their value as written
(only decoded, newlines as `\\n`), FN (and N for 3.0) is added when missing, a 4.0 -> 3.0
conversion keeps only the first FN/N and drops ALTID/PID/CLIENTPIDMAP, bare 2.1 tokens that are
not type names (Android's `X-CUSTOM(...)` label) and nested 2.1 AGENT cards are dropped. Output
uses CRLF and folds lines longer than 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from .emit import _fold, _head, _type_params
from .hashing import _sabre_fn
from .model import VERSIONS
from .parse import _Card, _parse_card, _Prop
from .syntax import (
    _ALIASES,
    _B64_TEXT,
    _BINARY,
    _COMPOUND,
    _DATA_URI_RE,
    _ENCODINGS,
    _LISTS,
    _TEXTS,
    _TOKEN_RE,
    Params,
    _b64_text,
    _charset,
    _clean,
    _content,
    _encoding,
    _esc_comp,
    _esc_item,
    _esc_text,
    _is_charset_token,
    _is_type_param,
    _media,
    _param,
    _physical_lines,
    _qp_decode,
    _split_escaped,
    _type_tokens,
    _unescape,
    _unquote,
)


def _nl(value: str) -> str:
    """Raw newlines (from QUOTED-PRINTABLE) as the 3.0/4.0 \\n escape."""
    if "\n" in value or "\r" in value:
        return _clean(value).replace("\n", "\\n")
    return value


# Components N and ADR are written with (RFC 6350 requires them; RFC 2426 allows fewer, but
# sabre/vobject's validator, run by SabreDAV 4 / Nextcloud on every PUT, "repairs" a shorter
# value by re-serializing the whole card, which re-escapes unknown properties on the way).
_MIN_COMPONENTS = {"N": 5, "ADR": 7}


def _pad_components(name: str, value: str) -> str:
    """An escaped N/ADR value with empty components added up to its full count."""
    missing = _MIN_COMPONENTS[name] - len(_split_escaped(value, ";"))
    return value + ";" * missing if missing > 0 else value


def _convert_prop(p: _Prop, src: str, dst: str) -> str | None:
    """One property as an unfolded dst-version line, or None to drop it."""
    name = p.name
    if dst == "3.0" and name == "KIND":
        name = "X-ADDRESSBOOKSERVER-KIND"
    elif dst == "3.0" and name == "MEMBER":
        name = "X-ADDRESSBOOKSERVER-MEMBER"
    elif dst == "4.0" and name in _ALIASES:
        name = _ALIASES[name]
    if dst != "4.0" and name == "CLIENTPIDMAP":
        return None
    if name == "AGENT" and not p.value.strip():
        return None  # a nested 2.1 card; 3.0 would need it escaped inline
    params = p.params
    enc = _encoding(params)
    value = p.value
    decoded_qp = enc == "QUOTED-PRINTABLE"  # or base64 text: raw newlines, no encoding left
    if decoded_qp:
        value = _qp_decode(value, _charset(params))
    elif enc in ("BASE64", "B") and name in _B64_TEXT:
        text = _b64_text(value, _charset(params))
        if text is not None:
            value = text
            decoded_qp = True
    types: list[str] = []
    other: Params = []
    value_type: str | None = None
    pref = False
    for n, x in params:
        if n is None:
            if x.upper() in _ENCODINGS or _is_charset_token(x):
                continue
            if _TOKEN_RE.match(x):
                types.append(x)
            continue  # not a type name (Android's X-CUSTOM(...) label): no 3.0/4.0 spelling
        if n in ("ENCODING", "CHARSET"):
            continue
        if n == "TYPE" or _is_type_param(n, x):
            types.extend(_type_tokens([(n, x)]))
        elif n == "VALUE":
            value_type = _unquote(x)
        elif n == "PREF":
            if dst == "4.0":
                other.append((n, x))
            else:
                pref = True
        elif (n in ("ALTID", "PID", "MEDIATYPE") and dst != "4.0") or not _TOKEN_RE.match(n):
            continue  # not in 3.0, or not a param name at all (Android's X-CUSTOM(...) label)
        else:
            other.append((n, x))
    if value_type and value_type.upper() == "URL":
        value_type = "uri"
    if name in _BINARY and enc in ("BASE64", "B"):
        data = "".join(value.split())
        media = types[0] if types else "JPEG"
        if dst == "4.0":
            params_out = other
            value = f"data:{_media(media)};base64,{data}"
        else:
            params_out = [("ENCODING", "b"), ("TYPE", media.upper()), *other]
            value = data
        return _head(p.group, name, params_out) + ":" + value
    if name in _BINARY and dst == "3.0":
        m = _DATA_URI_RE.match(value.strip())
        if m and m.group(3):
            sub = m.group(1).split("/")[-1].upper() or "JPEG"
            params_out = [("ENCODING", "b"), ("TYPE", sub), *other]
            return _head(p.group, name, params_out) + ":" + "".join(m.group(4).split())
    if enc in ("BASE64", "B") and not decoded_qp:
        other.insert(0, ("ENCODING", "b"))  # base64 that is no text (X-MS-CARDPICTURE) stays so
    if pref:
        types.append("pref")
    if dst == "4.0":
        if any(t.lower() == "pref" for t in types):
            types = [t for t in types if t.lower() != "pref"]
            if _param(other, "PREF") is None:
                other.append(("PREF", "1"))
        types = [t.lower() for t in types]
    seen: list[str] = []
    for t in types:
        if t.lower() not in (s.lower() for s in seen):
            seen.append(t)
    if src == "2.1":
        qp = enc == "QUOTED-PRINTABLE"
        if name in _COMPOUND:
            comps = _split_escaped(value, ";")
            value = ";".join(_esc_comp(_clean(_unescape(c, True, qp)), dst) for c in comps)
        elif name in _LISTS:
            items = _split_escaped(value, ",")
            value = ",".join(_esc_item(_clean(_unescape(c, True, qp)).strip(), dst) for c in items)
        elif name in _TEXTS:
            value = _esc_text(_clean(_unescape(value, True, qp)), dst)
        elif name == "GEO":
            lat, _, lon = value.replace(";", ",").partition(",")
            value = f"geo:{lat.strip()},{lon.strip()}" if dst == "4.0" else f"{lat};{lon}"
        else:
            value = _nl(value)
    elif decoded_qp:
        value = _nl(value)
    if name in _MIN_COMPONENTS:
        value = _pad_components(name, value)
    if name == "TEL" and dst == "3.0" and value[:4].lower() == "tel:":
        value = value[4:]
        value_type = None
    if value_type and not (dst == "3.0" and value_type.lower() == "text"):
        other.append(("VALUE", value_type))
    return _head(p.group, name, _type_params(seen, dst) + other) + ":" + value


def convert(text: str, version: str) -> str:
    """The first card of text rebuilt as a 3.0 or 4.0 card (CRLF, folded); see the module doc.

    Writing 2.1 is not offered: no server wants it, and Outlook and Android read 3.0.
    """
    if version not in ("3.0", "4.0"):
        raise ValueError(f"cannot convert to vCard {version!r}; use '3.0' or '4.0'")
    dst = version
    card = _parse_card(text)
    src = card.version
    lines = ["BEGIN:VCARD", f"VERSION:{dst}"]
    has_fn = has_n = False
    for p in card.props[1:-1]:
        if p.name == "VERSION":
            continue
        if dst != "4.0" and ((p.name == "FN" and has_fn) or (p.name == "N" and has_n)):
            continue  # 4.0 ALTID variants: 3.0 allows one FN and one N
        if p.name == "FN":
            has_fn = True
        elif p.name == "N":
            has_n = True
        out = _convert_prop(p, src, dst)
        if out is not None:
            lines.append(out)
    if not has_fn:
        lines.insert(2, "FN:" + _esc_text(_sabre_fn(card.props, src == "2.1"), dst))
    if not has_n and dst == "3.0":
        lines.insert(2, "N:;;;;")
    lines.append("END:VCARD")
    return "".join(_fold(line, "\r\n") for line in lines)


def _legacy_encoded(card: _Card) -> bool:
    """True if a property uses QUOTED-PRINTABLE or a non-UTF-8 CHARSET (invalid in 3.0/4.0)."""
    for p in card.props:
        if not p.params:
            continue
        if _encoding(p.params) == "QUOTED-PRINTABLE":
            return True
        cs = _charset(p.params)
        if cs is not None and cs.upper().replace("-", "") != "UTF8":
            return True
    return False


def _blank_tail(raw: str) -> str:
    """The empty physical lines a logical line's raw text carries after its content."""
    lines = _physical_lines(raw)
    k = len(lines)
    while k > 1 and not _content(lines[k - 1]).strip():
        k -= 1
    return "".join(lines[k:])


def _completed(text: str, card: _Card) -> str:
    """A 3.0/4.0 card with what servers require and would otherwise refuse or repair in.

    FN is required (RFC 2426/6350; Radicale answers 400 without it) and is added from N, else
    ORG, else EMAIL (`_sabre_fn`, the FN the normalized hash assumes, so the local card without
    FN and the uploaded one with it hash alike); N and ADR get all their components. Every other
    line stays as it was; a complete card is returned as the same object.
    """
    repl: dict[int, str] = {}
    after: dict[int, list[str]] = {}
    for i, p in enumerate(card.props):
        if p.name not in _MIN_COMPONENTS or _encoding(p.params) in ("BASE64", "B"):
            continue
        padded = _pad_components(p.name, p.value)
        if padded != p.value:
            line = _fold(_head(p.group, p.name, p.params) + ":" + padded, card.eol)
            repl[i] = line + _blank_tail(p.raw)
    if not any(p.name == "FN" for p in card.props):
        fn = _esc_text(_sabre_fn(card.props, False), card.version)
        anchor = next((i for i, p in enumerate(card.props) if p.name == "VERSION"), 0)
        after[anchor] = [_fold("FN:" + fn, card.eol)]
    if not repl and not after:
        return text
    return card.text(repl, after)


def prepare_for_upload(text: str, accepted_versions: tuple[str, ...]) -> str:
    """The card as a server accepts it: converted if its version or encodings would be refused.

    accepted_versions is the server's supported-address-data (empty = unknown: 3.0 and 4.0 pass,
    2.1 does not). A card in an accepted version without QUOTED-PRINTABLE or non-UTF-8 CHARSET is
    returned unchanged, only completed (`_completed`: FN added when missing, N and ADR with all
    components); a 3.0/4.0 card with them is cleaned in its own version; anything else is
    converted to 3.0, or to 4.0 when the server lists 4.0 but not 3.0. The local card is never
    touched: this is the text that goes to the server.
    """
    card = _parse_card(text)
    v = card.version
    accepted = tuple(a for a in (x.strip() for x in accepted_versions) if a in VERSIONS)
    ok = v in accepted if accepted else v != "2.1"
    if ok and v == "2.1":
        return text  # the server said it takes 2.1 as is
    if ok and not _legacy_encoded(card):
        return _completed(text, card)
    if ok:
        target = v
    elif not accepted or "3.0" in accepted:
        target = "3.0"
    elif "4.0" in accepted:
        target = "4.0"
    else:
        target = "3.0"
    return convert(text, target)
