"""Issue 21 made `summarize_and_hash` faster; the normalized hash is stored in every database
(Contact.hash, ItemState hashes), so it must not change for any card, nor the summary. These
tests compare the current code with the frozen copy in tests/unit/reference_hashing.py over
the sample cards, generated bench cards and Hypothesis-mutated cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.vcard import CardError, decode_bytes, normalized_hash, split_cards, summarize_and_hash
from bench.cards import generate_cards
from tests.unit import reference_hashing as ref

CARDS = Path(__file__).parent / "cards"


def _same(text: str) -> None:
    try:
        expected = ref.summarize_and_hash(text)
    except CardError as e:
        with pytest.raises(CardError) as got:
            summarize_and_hash(text)
        assert got.value.detail == e.detail
        return
    assert summarize_and_hash(text) == expected
    assert normalized_hash(text) == expected[1] == ref.normalized_hash(text)


def _variants(text: str) -> list[str]:
    lf = text.replace("\r\n", "\n")
    return [text, lf, lf.replace("\n", "\r\n"), lf.replace("\n", "\r"), lf.replace("\n", "\r\r\n")]


SAMPLES = sorted(CARDS.rglob("*.vcf"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(CARDS)))
def test_sample_cards_hash_and_summarize_as_before(path: Path) -> None:
    text = decode_bytes(path.read_bytes())
    for variant in _variants(text):
        _same(variant)
    for card in split_cards(text):
        for variant in _variants(card):
            _same(variant)


def test_there_are_sample_cards() -> None:
    assert len(SAMPLES) > 40


@pytest.mark.parametrize(("seed", "version"), [(0, "3.0"), (1, "3.0"), (7, "4.0")])
def test_generated_cards_hash_and_summarize_as_before(seed: int, version: str) -> None:
    n = 10000 if seed == 0 else 2000
    for _, text in generate_cards(n, seed=seed, version=version):
        assert summarize_and_hash(text) == ref.summarize_and_hash(text)


_NAMES = [
    "FN", "fn", "N", "n", "ORG", "Org", "EMAIL", "email", "TEL", "tel", "ADR", "NOTE", "LABEL",
    "TITLE", "CATEGORIES", "NICKNAME", "URL", "KIND", "X-ADDRESSBOOKSERVER-KIND", "MEMBER",
    "X-ADDRESSBOOKSERVER-MEMBER", "BDAY", "ANNIVERSARY", "GEO", "PHOTO", "UID", "REV",
    "X-CUSTOM", "x-foo", "item1.EMAIL", "item2.X-ABLabel", "item1.tel", "IMPP", "VERSION",
]  # fmt: skip
_PARAMS = [
    "TYPE=WORK", "TYPE=INTERNET,HOME", "type=pref", "TYPE=\"cell,voice\"", "PREF=1", "HOME",
    "CELL", "VOICE", "INTERNET", "ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE",
    "CHARSET=UTF-8", "CHARSET=ISO-8859-1", "ENCODING=b", "BASE64", "VALUE=uri", "VALUE=date",
    "LANGUAGE=de", "X-APPLE-OMIT-YEAR=1604", "X-Foo=bar", "LABEL=\"a;b:c\"", "PID=1.1",
    "MEDIATYPE=image/png", "JPEG", "CELL=", "SORT-AS=\"x,y\"", "ALTID=1", "",
]  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from([
        "", " ", "Hans Müller", "Müller;Hans;;;", ";;Straße 1;Köln;;50667;", "a\\,b", "a\\;b",
        "x\\ny", "C:\\neu", "\\\\server\\share", "tel:+49 30 123", "mailto:a@b.de", "a=3Db=0D=0Ac",
        "=C3=BC", "SGFsbG8=", "data:image/png;base64,iVBORw0KGgo=", "1604-03-05", "--0305",
        "2001-02-03", "geo:1.5,2.5", "urn:uuid:1234", "group", "Group ", "a,,b, ,c", "trail\\",
        "x\u00a0y", "tab\there", "ctrl\x01x", "a:b", "Dr.;Eva;Maria;Weiß;jun.", "\\N\\,\\;\\:",
    ]),
    st.text(alphabet=st.sampled_from("aZ ü;,:\\=nN\t.-\u00a0\x7f\""), max_size=12),
)  # fmt: skip


@st.composite
def _mutated_cards(draw: st.DrawFn) -> str:
    lines = []
    version = draw(st.sampled_from(["2.1", "3.0", "4.0", " 3.0", None]))
    if version is not None and draw(st.booleans()):
        lines.append(f"VERSION:{version}")
    for _ in range(draw(st.integers(0, 8))):
        name = draw(st.sampled_from(_NAMES))
        params = draw(st.lists(st.sampled_from(_PARAMS), max_size=3))
        head = ";".join([name, *params])
        lines.append(f"{head}:{draw(_VALUES)}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["stray text", "", "  ", "AGHI"])))
    if version is not None and draw(st.booleans()):
        lines.append(f"VERSION:{version}")
    if draw(st.integers(0, 9)) == 0:
        lines[len(lines) // 2 : len(lines) // 2] = ["BEGIN:VCARD", "FN:nested", "END:VCARD"]
    folded = []
    for line in lines:
        cut = draw(st.integers(0, 40))
        if 0 < cut < len(line) and draw(st.booleans()):
            soft = "=" if "QUOTED" in line.upper() and draw(st.booleans()) else ""
            indent = "" if soft else draw(st.sampled_from([" ", "\t"]))
            line = line[:cut] + soft + "\n" + indent + line[cut:]
        folded.append(line)
    begins = ["BEGIN:VCARD", "begin:vcard", "\ufeffBEGIN:VCARD", "BEGIN:VCARD "]
    begin = draw(st.sampled_from(begins))
    end = draw(st.sampled_from(["END:VCARD", "End:VCard", "END:VCARD\t"]))
    text = "\n".join([begin, *folded, end]) + draw(st.sampled_from(["", "\n", "\n\n"]))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r", "\r\r\n"]))
    return text.replace("\n", eol)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_cards())
def test_mutated_cards_hash_and_summarize_as_before(text: str) -> None:
    _same(text)


_B, _E = "BEGIN:VCARD\n", "END:VCARD\n"
# Edges of the one-pass fast path (_one_pass) and its fall-backs: the 2.1 guess ("VERSION:2.1"
# as a whole line) wrong either way, nested-card markers it must tell from other lines, quoted
# heads, stray lines, no FN, escapes its regex-free unescape reads.
_EDGE_CARDS = [
    _B + "version:2.1\nFN:a\\nb\nNOTE:C:\\neu\nEND:VCARD\n",
    _B + "VERSION: 2.1\nFN:x\nN:a\\;b;c\nNOTE:x\\,y\n" + _E,
    _B + "FN:x\\n\nVERSION:2.1\n" + _E,
    _B + "VERSION:3.0\nFN:x\nBEGIN:VCARD\nVERSION:2.1\nFN:y\nEND:VCARD\nNOTE:\\\\a\n" + _E,
    _B + "VERSION:2.1\nVERSION:3.0\nFN:x\nNOTE:a\\nb\n" + _E,
    _B + "FN:x\nbegin:vcard\nFN:n\nend:vcard \nEMAIL:a@b\n" + _E,
    _B + "FN:x\n\ufeffBEGIN:VCARD\nFN:n\nEND:VCARD\t\nTEL:1\n" + _E,
    _B + "FN:x\nBEG\u0131N:VCARD\nFN:n\nEND:VCARD\nTEL:2\n" + _E,
    _B + "FN:x\nx.BEGIN:VCARD\nBEGIN :VCARD\nBEGIN;X=1:VCARD\nBEGIN:VCARDS\nTEL:3\n" + _E,
    _B + "FN:x\nEND:VCARD\nTEL:4\nBEGIN:VCARD\nTEL:5\n" + _E,
    _B + 'FN:x\nADR;LABEL="a:b;c":;;S 1;K\nADR;LABEL="a:;;T\nX-A;P="q":v\nX-A;P="q:\n' + _E,
    _B + 'FN:x\nEMAIL;TYPE="work,pref":a@b\nEMAIL;TYPE="work,pref:c@d\n' + _E,
    _B + 'FN:x\nX-A;P="q\n' + _E,
    _B + "FN:x\nNOTE:a\nstray\nTEL:1\n" + _E,
    _B + "N:Doe;John\nORG:Acme\nEMAIL:mailto:j@d\n" + _E,
    _B + "FN:x\nTEL:Tel: tel:1\nTEL:tel:\nEMAIL:MAILTO:a@b\nEMAIL: mailto: \n" + _E,
    _B + "FN:x\nADR:;; a;b  ;;\nADR:a;;b;\nADR: ;\nN:;;;;\nORG:a ,b; c\nADR:x ;\n" + _E,
    _B + "FN:\nN:;;;\nEMAIL:j@d\n" + _E,
    _B + "FN:x\nNOTE: a \\n b \\N\\:c\\x\\,\\; d\\\n" + _E,
    _B + "FN:x\nNOTE:\\n\\n\nTITLE:\\,\nTEL:tel:\\,1\nEMAIL:MAILTO:a\\@b\n" + _E,
    _B + "FN:x\\,y\nNOTE:a\u00a0\\nb\u2028c\nX-Y:a\\;b\\,c\\nd\n" + _E,
    _B + "UID:  \nUID:u1\nFN:x\nN: Doe ; John ;;; \nORG: A ; B \nCATEGORIES: a ,, b\n" + _E,
    _B + "UID:u\\,1\nFN:x\nN:Do\\,e;J\nORG:A\\;B;C\nCATEGORIES:a\\,b,c\n" + _E,
    _B + "item1.FN:grouped\nitem1.X-ABLabel:l\nITEM2.Email;type=INTERNET:a@b\n" + _E,
    _B + "FN:x\nTEL;TYPE=CELL:1\nTEL;TYPE=CELL:2\ntel;type=cell:3\n" + _E,
    _B + "FN:x\nNOTE:a\x00b\nTEL:1\x7f\nEMAIL:\ta@b \n" + _E,
    _B + "VERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller\\n=0A\n" + _E,
    _B + "VERSION:3.0\nFN;ENCODING=b:SGFucyBNw7xsbGVy\nN;ENCODING=QUOTED-PRINTABLE:a=3Bb;c\n" + _E,
    _B + "VERSION:2.1\nN;BASE64:TcO8bGxlcjtIYW5z\nFN:x\nTEL;QUOTED-PRINTABLE:=2B49\n" + _E,
]


@pytest.mark.parametrize("card", _EDGE_CARDS)
def test_fast_path_edges_hash_and_summarize_as_before(card: str) -> None:
    for variant in _variants(card):
        _same(variant)


def test_a_different_value_still_changes_the_hash() -> None:
    a = "BEGIN:VCARD\nVERSION:3.0\nFN:Eva\nNOTE:a\\nb\nEND:VCARD\n"
    b = a.replace("a\\nb", "a\\nc")
    assert normalized_hash(a) != normalized_hash(b)
    assert normalized_hash(a) == ref.normalized_hash(a)
