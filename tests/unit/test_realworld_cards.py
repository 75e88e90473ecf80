"""Real-world vCards written by other programs (tests/unit/cards/realworld, see SOURCES.md).

Every card of the corpus goes through what a user does with it: import into a real local
book, export and import again, conversion to 3.0 and 4.0 for an upload, a no-op and a real
edit. The fields the app shows must arrive (checked by hand-written values for most files),
properties the app does not model (X-..., IMPP, RELATED, GEO, KIND, ...) must survive, and
the normalized hash must not change where nothing changed. The files are also read in the
forms they travel in (CRLF, LF, CR, BOM, UTF-16, mixed line breaks, Latin-1/Windows-1252).
"""

from __future__ import annotations

import binascii
import codecs
import contextlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app import vcard
from app.store.books import create_book
from app.store.contacts import get_book
from app.store.models import Contact
from app.store.vcf import export_book, import_vcf
from app.vcard import Address, CardError, ContactFields

CORPUS = Path(__file__).parent / "cards" / "realworld"
FILES = sorted(p.name for p in CORPUS.glob("*.vcf"))
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

# Files with cards that are damaged beyond reading: file -> number of such cards.
DAMAGED = {
    "sonyericsson_21_damaged_end.vcf": 1,  # its last line reads "END:VCARD."
    "sonyericsson_21_agent_nested.vcf": 1,  # END:VCARD missing: the next card begins inside
}
# Files whose cards carry control characters (issue 17): file -> per card, what the import
# leaves out (a raw binary value) and says so in a note; the rest of the card is imported.
SANITIZED = {"sonyericsson_21_raw_binary_photo.vcf": [("PHOTO",)]}
# Files that are not text: bytes of a raw binary value inside (no line-ending variants).
BINARY = frozenset({"sonyericsson_21_raw_binary_photo.vcf"})
TEXT_FILES = [name for name in FILES if name not in BINARY]

# Properties the contact editor models (their values are compared through read_fields);
# every other property of a card must come through conversion and export as it was.
MODELED = frozenset(
    {"BEGIN", "END", "VERSION", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR"}
    | {"BDAY", "NOTE", "CATEGORIES", "URL", "UID"}
)
_TO_30 = {"KIND": "X-ADDRESSBOOKSERVER-KIND", "MEMBER": "X-ADDRESSBOOKSERVER-MEMBER"}
_TO_40 = {v: k for k, v in _TO_30.items()}


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def as_imported(card: str) -> str:
    """The card as the import stores it: without control characters (vcard.sanitize)."""
    try:
        return vcard.sanitize(card).text
    except CardError:
        return card  # unreadable: reported, never stored


def cards_of(name: str) -> list[str]:
    return [as_imported(c) for c in vcard.split_cards(vcard.decode_bytes(raw(name)))]


def _readable(card: str) -> bool:
    try:
        vcard.summarize(card)
    except CardError:
        return False
    return True


CARDS = [
    pytest.param(name, i, id=f"{name}#{i}")
    for name in FILES
    for i, card in enumerate(cards_of(name))
    if _readable(card)
]


def logical_lines(card: str) -> list[str]:
    """Unfolded lines; QUOTED-PRINTABLE soft breaks and unindented 2.1 base64 lines joined."""
    out: list[str] = []
    for line in re.split(r"\r\n|\r|\n", card):
        head = out[-1].split(":", 1)[0].upper() if out else ""
        if out and "QUOTED-PRINTABLE" in head and out[-1].endswith("="):
            out[-1] = out[-1][:-1] + line
        elif out and line[:1] in (" ", "\t"):
            out[-1] += line[1:]
        elif not line.strip():
            continue
        elif out and ":" not in line:
            out[-1] += line
        else:
            out.append(line)
    return out


_PROP_RE = re.compile(r"((?:[A-Za-z0-9-]+\.)?)([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)\Z", re.S)


def props(card: str, *, nested: bool = True) -> list[tuple[str, str, str, str]]:
    """(group, NAME, params, value) of each logical line; BEGIN/END of nested cards too
    (`nested`: and the lines of a nested 2.1 AGENT card)."""
    out = []
    depth = 0
    for line in logical_lines(card):
        m = _PROP_RE.match(line.lstrip("\ufeff"))
        if m:
            prop = (m.group(1).lower(), m.group(2).upper(), m.group(3), m.group(4))
            if prop[1] in ("BEGIN", "END") and prop[3].strip().upper() == "VCARD":
                depth += 1 if prop[1] == "BEGIN" else -1
            elif depth > 1 and not nested:
                continue
            out.append(prop)
    return out


def unmodeled(card: str) -> list[tuple[str, str, str, str]]:
    """The outer card's properties the app does not model (conversion drops a nested AGENT
    card, see app/vcard/conversion.py)."""
    return [p for p in props(card, nested=False) if p[1] not in MODELED]


def has_name_data(card: str) -> bool:
    """True if the card has an FN, N, ORG or EMAIL with something in it."""
    return any(
        name in ("FN", "N", "ORG", "EMAIL") and value.replace(";", "").strip()
        for _, name, _, value in props(card)
    )


def qp_decoded(params: str, value: str) -> str:
    """The value as the app keeps an unmodeled property: QUOTED-PRINTABLE decoded."""
    if "QUOTED-PRINTABLE" not in params.upper():
        return value
    m = re.search(r"CHARSET=\"?([A-Za-z0-9_.:-]+)", params, re.I)
    data = binascii.a2b_qp(value.encode("utf-8"))
    try:
        return data.decode(m.group(1) if m else "utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # Outlook writes 8-bit QP without CHARSET


def loose(value: str) -> str:
    """A value without the escapes of , ; : and backslash (3.0 escapes them in text values)."""
    return re.sub(r"\\([,;:\\])", r"\1", value)


def stored(book: str) -> list[Contact]:
    return list(
        Contact.select()
        .where((Contact.book == get_book(book)) & Contact.deleted_at.is_null())
        .order_by(Contact.id)
    )


def adr(
    street: str = "",
    city: str = "",
    region: str = "",
    postal_code: str = "",
    country: str = "",
    po_box: str = "",
    extended: str = "",
) -> Address:
    return Address(street, city, region, postal_code, country, po_box, extended)


# ---------------------------------------------------------------- the corpus itself


def test_corpus_is_documented_in_sources_md() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+\.vcf) \| (\S+/\S+) \| (.+?) \| (.+?) \|", sources, re.M)
    assert sorted(r[0] for r in rows) == FILES
    assert all(repo and path and license_ for _, repo, path, license_ in rows)
    assert len(FILES) >= 40
    assert len(CARDS) >= 50


def test_corpus_is_byte_exact_as_documented() -> None:
    # a binary file's bytes hold CR LF pairs of their own: its lines end in LF
    crlf = {n for n in TEXT_FILES if b"\r\n" in raw(n)}
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    documented = {r for r in re.findall(r"^\| (\S+\.vcf) \|.*CRLF \|$", sources, re.M)}
    assert crlf == documented
    for name in crlf:  # no stray LF-only lines in a CRLF file
        assert raw(name).count(b"\n") == raw(name).count(b"\r\n")


# ---------------------------------------------------------------- what the user sees

E = dict[str, Any]
CJK_NAME = "十城目管理大型知座"

EXPECTED: dict[str, list[E]] = {
    "evolution_30_ezvcard_john_doe.vcf": [
        {
            "fn": "Mr. John Richter, James Doe Sr.",
            "prefix": "Mr.",
            "given": "John",
            "additional": "Richter, James",
            "family": "Doe",
            "suffix": "Sr.",
            "org": "IBM;Accounting;Dungeon",
            "title": "Money Counter",
            "emails": [("work", "john.doe@ibm.com")],
            "phones": [("cell", "905-666-1234"), ("work", "905-555-1234")],
            "addresses": [
                (
                    "home",
                    adr(
                        "15 Crescent moon drive",
                        "Albaney",
                        "New York",
                        "12345",
                        "United States of America",
                        po_box="ASB-123",
                    ),
                )
            ],
            "birthday": "1980-03-22",
            "categories": ["VIP"],
            "url": "http://www.ibm.com",
            "note_contains": [
                'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"',
                "SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS",
                "POSSIBILITY OF SUCH DAMAGE.",
            ],
        }
    ],
    "gmail_30_list.vcf": [
        {"fn": "Arnold Smith", "given": "Arnold", "emails": [("", "asmithk@gmail.com")]},
        {"fn": "Chris Beatle", "family": "Beatle", "emails": [("", "chrisy55d@yahoo.com")]},
        {"fn": "Doug White", "family": "White", "emails": [("", "dwhite@gmail.com")]},
    ],
    "gmail_30_all_fields.vcf": [
        {
            "fn": "VCard Test",
            "given": "VCard",
            "family": "Test",
            "emails": [
                ("", "email@example.com"),
                ("home", "homeemail@example.com"),
                ("work", "workemail@example.com"),
                ("", "otheremail@example.com"),
                ("", "customcategory@example.com"),
            ],
            "phones": [
                ("", "5555551111"),
                ("home", "5555551112"),
                ("work", "5555551113"),
                ("", "5555551114"),
                ("cell", "5555551115"),
                ("main", "5555551116"),
                ("home,fax", "5555551117"),
                ("work,fax", "5555551118"),
                ("", "5555551119"),
                ("pager", "5555551120"),
                ("", "5555551121"),
            ],
            "addresses": [
                ("", adr("111 Main St", "NY", "New York", "10011")),
                ("home", adr("112 Main St", "NY", "New York", "10011")),
                ("work", adr("113 Main St", "NY", "New York", "10011")),
                ("", adr("114 Main St", "NY", "New York", "10011")),
                ("", adr("115 Main St", "NY", "New York", "10011")),
            ],
            "org": "TheCompany",
            "title": "TheJobTitle",
            "birthday": "1912-06-23",
            "url": "http://www.example1.com",
            "note": "note line 1\nnote line 2\nCustomField: field value",
        }
    ],
    "fullcontact_40.vcf": [
        {
            "fn": "Prefix FirstName MiddleName LastName Suffix",
            "prefix": "Prefix",
            "given": "FirstName",
            "additional": "MiddleName",
            "family": "LastName",
            "suffix": "Suffix",
            "org": "Organization1;Department1",
            "title": "Title1",
            "birthday": "2016-08-01",
            "emails": [
                ("home", "home@example.com"),
                ("work", "work@example.com"),
                ("school", "school@example.com"),
                ("other", "other@example.com"),
                ("customtype", "custom@example.com"),
            ],
            "phones": [
                ("home", "555-555-1111"),
                ("work", "555-555-1112"),
                ("cell", "555-555-1113"),
                ("cell", "555-555-1114"),
                ("", "555-555-1115"),
                ("home,fax", "555-555-1116"),
                ("work,fax", "555-555-1117"),
                ("", "555-555-1118"),
                ("", "555-555-1119"),
            ],
            "addresses": [
                (
                    "home",
                    adr(
                        "HomeStreet",
                        "HomeCity",
                        "HomeState",
                        "HomePostal",
                        "HomeCountry",
                        extended="HomeExtended",
                    ),
                ),
                (
                    "work",
                    adr(
                        "WorkStreet",
                        "WorkCity",
                        "WorkState",
                        "WorkPostal",
                        "WorkCountry",
                        extended="WorkExtended",
                    ),
                ),
                (
                    "other",
                    adr(
                        "OtherStreet",
                        "OtherCity",
                        "OtherState",
                        "OtherPostal",
                        "OtherCountry",
                        extended="OtherExtended",
                    ),
                ),
                (
                    "customtype",
                    adr(
                        "CustomStreet",
                        "CustomCity",
                        "CustomState",
                        "CustomPostal",
                        "CustomCountry",
                        extended="CustomExtended",
                    ),
                ),
            ],
            "note": "Notes line 1\nNotes line 2",
            "categories": ["Tag"],
            "url": "http://www.homepage.com",
        }
    ],
    "kde_kcontacts_30_lotus_example.vcf": [
        {
            "fn": "Frank Dawson",
            "family": "",
            "org": "Lotus Development Corporation",
            "emails": [("", "Frank_Dawson@Lotus.com"), ("", "fdawson@earthlink.net")],
            "phones": [("work,msg", "+1-919-676-9515"), ("work,fax", "+1-919-676-9564")],
            "addresses": [
                ("work", adr("6544 Battleford Drive", "Raleigh", "NC", "27613-3502", "U.S.A."))
            ],
            "url": "http://home.earthlink.net/~fdawson",
        }
    ],
    "kde_kcontacts_30_version_last.vcf": [
        {
            "fn": "ian geiser",
            "given": "ian",
            "family": "geiser",
            "org": "Source eXtreme",
            "title": "VP of Engineering",
            "emails": [("", "geiseri@yahoo.com")],
        }
    ],
    "kde_kcontacts_21_version_last.vcf": [
        {
            "fn": "ian geiser",
            "org": "Source eXtreme",
            "title": "VP of Engineering",
            "emails": [("", "geiseri@yahoo.com")],
        }
    ],
    "kde_kcontacts_30_evolution_slots.vcf": [
        {
            "fn": "Test User",
            "emails": [("home", "thejoe@abc.com"), ("work", "johndoe@abc.com")],
            "url": "test2.url",
        }
    ],
    "kde_kcontacts_30_apple_item_group.vcf": [
        {
            "fn": "Name of Broken Card",
            "given": "SOMENAME",
            "org": "SOME COMPANY",
            "note": "SOME NOTES",
            "phones": [("work", "(111) 111-1111")],
            "addresses": [("work", adr("STREET", "CITY", "STATE", "ZIP", "COUNTRY"))],
        }
    ],
    "kde_kcontacts_30_related.vcf": [
        {
            "fn": "Test Tester",
            "phones": [("home", "+1-800-123456")],
            "url": "http://www.example.com",
        }
    ],
    "pyvobject_40_full.vcf": [
        {
            "fn": "Dr. John Q. Public, III",
            "prefix": "Dr.",
            "given": "John",
            "additional": "Quinlan",
            "family": "Public",
            "suffix": "III",
            "birthday": "1985-04-15",
            "phones": [("", "+1-555-555-5555"), ("cell", "+1-555-123-4567")],
            "emails": [
                ("work", "john.public@example.com"),
                ("home", "johnny@personal.example.org"),
            ],
            "addresses": [
                ("work", adr("123 Main Street", "Any Town", "CA", "91921-1234", "U.S.A.")),
                ("home", adr("456 Oak Lane", "Somewhere", "NY", "10001", "U.S.A.")),
            ],
            "title": "CEO",
            "org": "Example Corp.;North Division;Marketing",
            "categories": ["BUSINESS", "NETWORKING"],
            "note": "This is a note about John.\nHe likes vCards.",
            "url": "http://www.example.com/~jqpublic",
        }
    ],
    "pyvobject_40_altid_cjk.vcf": [{"fn": "Yamada Taro", "family": "Yamada", "given": "Taro"}],
    "pyvobject_40_kind_group.vcf": [{"fn": "The Doe Family", "emails": [], "phones": []}],
    "evolution_30_quoted_type_lowercase_begin.vcf": [
        {
            "fn": "Frank Dawson",
            "org": "Lotus Development Corporation",
            "phones": [("work,msg", "+1-919-676-9515"), ("work,fax", "+1-919-676-9564")],
            "address_values": [
                adr("6544 Battleford Drive", "Raleigh", "NC", "27613-3502", "U.S.A.")
            ],
        }
    ],
    "evolution_30_damaged_params.vcf": [
        {"fn": "Invalid AttributeParam", "given": "Invalid", "family": "AttributeParam"}
    ],
    "nokia_21_qp_soft_breaks.vcf": [
        {
            "fn": "Michael Brüning",
            "given": "Michael",
            "family": "Brüning",
            "phones": [
                ("work,cell", "+491622433834"),
                ("home,cell", "017623384942"),
                ("work", "+4973117546691"),
            ],
            "emails": [("work", "ext-Michael.Bruning@nokia.com")],
            "addresses": [("home", adr("Münsterplatz 21", "Ulm", "Baden-Württemberg", "89073"))],
            "birthday": "1978-12-29",
        }
    ],
    "evolution_21_qp_cjk.vcf": [
        {
            "fn": CJK_NAME,
            "given": CJK_NAME,
            "org": CJK_NAME,
            "title": CJK_NAME,
            "emails": [("", "weird@weird.com")],
            "phones": [
                ("work", CJK_NAME),
                ("work,fax", CJK_NAME),
                ("home", CJK_NAME),
                ("cell", CJK_NAME),
            ],
            "addresses": [("work", adr(CJK_NAME, extended="\n".join([CJK_NAME] * 3)))],
        }
    ],
    "evolution_21_ximian.vcf": [
        {
            "fn": "Nat",
            "family": "Friedman",
            "given": "Nat",
            "additional": "D",
            "prefix": "Mr.",
            "addresses": [
                (
                    "work",
                    adr(
                        city="Any Town",
                        region="CA",
                        postal_code="91921-1234",
                        po_box="P.O. Box 101",
                    ),
                )
            ],
            "phones": [("work", "617 679 1984"), ("cell", "123 456 7890")],
            "emails": [("", "nat@nat.org"), ("", "nat@ximian.com")],
            "birthday": "1977-08-06",
        }
    ],
    "evolution_noversion_minimal.vcf": [{"fn": "Foo Bar", "emails": [("", "foo.bar@example.org")]}],
    "google_gmail_30_export.vcf": [
        {
            "fn": "Mr. John 1 Doe Sr.",
            "prefix": "Mr.",
            "given": "John",
            "additional": "1",
            "family": "Doe",
            "suffix": "Sr.",
            "emails": [
                ("home", "john.doe@home.com"),
                ("work", "doe@work.com"),
                ("", "john@custom.com"),
            ],
            "phones": [
                ("work", "business 1"),
                ("cell", "mobile"),
                ("home", "home"),
                ("main", "main"),
                ("work,fax", "work fax"),
                ("home,fax", "home fax"),
                ("", "google voice"),
                ("pager", "pager"),
                ("", "custom"),
            ],
            "addresses": [
                (
                    "home",
                    adr("home address", "City", "State", "ZIP", "Country", "PO", "neighborhood"),
                ),
                ("work", adr("work address")),
                ("", adr("custom address")),
            ],
            "org": "at company",
            "title": "tester",
            "birthday": "1970-12-30",
            "url": "http://profile.com",
            "note": "A test contact.\ncustom-field: custom field value",
        }
    ],
    "evolution_30_syncevolution_excerpt.vcf": [
        {
            "fn": "Umlaut Ä Ö Ü ß",
            "family": "Ü",
            "given": "Ä",
            "additional": "Ö",
            "prefix": "Umlaut",
            "suffix": "ß",
            "categories": ["Business"],
            "addresses": [
                (
                    "home",
                    adr(
                        "Umlaut Ä in Line 1",
                        "test 1",
                        "test 3",
                        "test 2",
                        "test 4",
                        "test 5",
                        "Line 2",
                    ),
                )
            ],
            "note_contains": [
                "- non-ASCII characters (with umlauts in the name)\n- line break",
                "\n\ncomma ,\ncolon :\nsemicolon ;\nbackslash \\\n\nThe same, in the middle",
                "backslash \\ backslash\n\nA tab \ttab done\n\tline starts with tab",
            ],
        },
        {
            "fn": "special characters",
            "note": "Here are some special characters: comma , colon : semicolon ;",
        },
        {
            "fn": "line breaks",
            "addresses": [
                ("home", adr("Address Line 1", extended="Address Line 2\nAddress Line 3"))
            ],
            "note": "This test case uses line breaks. This is line 1.\nLine 2.\n\n"
            "Line breaks in vcard 2.1 are encoded as =0D=0A.\n"
            "That means the = has to be encoded itself...",
        },
        {
            "fn": "John Doe",
            "org": "Test Inc.;Testing;test#1",
            "title": "Senior Tester",
            "birthday": "2006-01-08",
            "url": "http://john.doe.com",
            "categories": ["TEST"],
            "note": "This is a test case which uses almost all Evolution fields.",
            "emails": [
                ("work", "john.doe@work.com"),
                ("home", "john.doe@home.priv"),
                ("other", "john.doe@other.world"),
                ("other", "john.doe@yet.another.world"),
            ],
            "phones": [
                ("work", "business 1"),
                ("home", "home 2"),
                ("cell", "mobile 3"),
                ("work,fax", "businessfax 4"),
                ("home,fax", "homefax 5"),
                ("pager", "pager 6"),
                ("car", "car 7"),
                ("", "primary 8"),
            ],
            "addresses": [
                (
                    "work",
                    adr(
                        "Test Drive 2",
                        "Test Town",
                        "Upper Test County",
                        "12346",
                        "Old Testovia",
                        "Test Box #2",
                    ),
                ),
                (
                    "home",
                    adr(
                        "Test Drive 1",
                        "Test Village",
                        "Lower Test County",
                        "12345",
                        "Testovia",
                        "Test Box #1",
                    ),
                ),
                (
                    "",
                    adr(
                        "Test Drive 3",
                        "Test Megacity",
                        "Test County",
                        "12347",
                        "New Testonia",
                        "Test Box #3",
                    ),
                ),
            ],
        },
    ],
    "phone_21_qp_continuation.vcf": [
        {
            "fn": "Nikdovic Nikdo",
            "family": "Nikdo",
            "given": "Nikdovic",
            "phones": [("work", "55554444")],
        }
    ],
    "sonyericsson_21_irmc.vcf": [
        {
            "fn": "Yves Laurent",
            "org": "CNRS",
            "phones": [
                ("home", "+33476629472"),
                ("work", "+33476514460"),
                ("cell", "+33608270080"),
                ("fax", "+33476635611"),
                ("", "+33950326470"),
            ],
            "emails": [
                ("", "Yves.Laurent@ujf-grenoble.fr"),
                ("", "Yvalb.Laurent@free.fr"),
                ("", "yves@yclaurent.fr"),
            ],
            "url": "http://www.yclaurent.fr",
            "addresses": [
                ("home", adr("5, Chemin du Marais", "Grenoble", "", "38100", "France")),
                ("work", adr("100 rue des Maths", "Saint Martin d'Hères", "", "38402")),
            ],
            "birthday": "1954-04-21",
        }
    ],
    "sonyericsson_21_cyrillic_excerpt.vcf": [
        {
            "fn": "Іванна (Карпати)",
            "family": "(Карпати)",
            "given": "Іванна",
            "phones": [("cell", "+380984437285")],
            "emails": [],
            "birthday": "2011-05-30",
        },
        {"fn": "Алекс Ильченко", "phones": [("cell", "+380983973556")]},
        {"fn": "Алекс Кирхинштейн", "addresses": [("home", adr(city="Рига"))]},
        {
            "fn": "Александр Терещенко",
            "phones": [("cell", "+380689055070"), ("", "+380675020823")],
            "addresses": [("home", adr("Г.Сталингр.,24а-208", "Киев"))],
            "note": "Продаёт диски",
        },
    ],
    "sonyericsson_21_qp_space_after_soft_break.vcf": [
        {
            "fn": "Алла Андреевна",
            "note": "Нежно убирает. :)",
            "addresses": [("home", adr(city="Киев"))],
        }
    ],
    "phone_21_qp_czech.vcf": [
        {
            "fn": "Bc. Zdeněk Žák",
            "family": "Bc. Zdeněk Žák",
            "phones": [("cell", "444444444"), ("work", "555555555")],
            "emails": [("", "zdenek.zak@dicr.cz")],
        }
    ],
    "phone_21_qp_cr_and_lf.vcf": [{"family": "Nobody\nNowhere", "note": "Nobody\nNowhere"}],
    "phone_21_qp_soft_break_then_empty_line.vcf": [
        {
            "fn": "Joseph Hörmann",
            "family": "Hörmann",
            "given": "Joseph",
            "phones": [("home", "028")],
        }
    ],
    "yahoo_evolution_30_quoted_charset.vcf": [
        {"fn": "NIB", "org": "NIB", "phones": [("other", "1300135540")]}
    ],
    "yahoo_21_addressbook.vcf": [
        {
            "fn": "ACENET",
            "given": "ACENET",
            "phones": [("home", "(07) 3899-5174"), ("work", "(07) 3899-1411")],
            "note": "ISP Ph 019833206",
        }
    ],
    "phone_30_norwegian_utf8.vcf": [
        {
            "fn": "Bodø likningskontor",
            "family": "Bodø likningskontor",
            "note": "Telefonhenvendelser til saksbehandler: \nMan 08:00-15:30, tir-fre 12:00-15:30",
            "phones": [("work", "+4775546800"), ("work,fax", "+4775546805")],
            "addresses": [("work", adr("Moloveien 20", "Bodø", "Nordland", "8002", "Norway"))],
            "emails": [("", "bodo.lk@skatteetaten.no")],
            "categories": ["government", "Norwegian"],
        }
    ],
    "phone_21_type_params_space_in_n.vcf": [
        {
            "fn": "Nikdovic Nikdo",
            "family": "Nikdo",
            "phones": [
                ("cell", "0544813780"),
                ("home", "039562544"),
                ("work", "037679552"),
                ("work", "0549979552"),
            ],
            "birthday": "1970-10-15",
        }
    ],
    "phone_21_private_group.vcf": [{"fn": "Nikdovic Nikdo"}],
    "phone_21_bad_escapes.vcf": [{"fn": "", "note": "text with two\nlines"}],
    "sonyericsson_21_photo_empty_emails.vcf": [
        {
            "fn": "Christelle DECHAMBRE",
            "family": "DECHAMBRE",
            "given": "Christelle",
            "phones": [("cell", "+33685733244")],
            "emails": [("", "christelle.dechambre@intervet.com")],
        }
    ],
    "sonyericsson_21_raw_binary_photo.vcf": [
        {
            "fn": "Christelle DECHAMBRE",
            "family": "DECHAMBRE",
            "given": "Christelle",
            "phones": [("cell", "+33685733244")],
            "emails": [("", "christelle.dechambre@intervet.com")],
        }
    ],
    "sonyericsson_21_agent_nested.vcf": [
        {
            "fn": "Catherine Laurent",  # not the AGENT card's "ACENET"
            "phones": [("home", "+33169389055")],
            "emails": [("", "jacques.garand@club-internet.fr")],
            "addresses": [("home", adr("23 Allée d'Ozonville", "Athis Mons", "", "91200"))],
            "birthday": "1965-08-06",
        },
        {"fn": "Bc. Zdeněk Žák", "phones": [("cell", "444444444"), ("work", "555555555")]},
    ],
    "outlook2003_21_qp_labels.vcf": [
        {
            "fn": "Antoni Jozef Mylka jun.",
            "prefix": "Herr",
            "given": "Antoni",
            "additional": "Jozef",
            "family": "Mylka",
            "suffix": "jun.",
            "org": "DFKI;Knowledge-Management",
            "title": "Intern",
            "note": "These are some notes about antoni.",
            "phones": [
                ("work", "49 631 234 341"),
                ("home", "48 691 342 341"),
                ("cell", "48 91 3 175 234"),
            ],
            "addresses": [
                (
                    "work",
                    adr(
                        "Trippstadter Str. 122",
                        "Kaiserslautern",
                        "Rheinland-Pfalz",
                        "67663",
                        "Deutschland",
                        extended="3.10",
                    ),
                ),
                ("home", adr("Budryka 2/1110", "Krakow", "malopolskie", "30-072", "Polen")),
            ],
            "url": "http://antoni.mylka.com",
            "birthday": "1980-01-18",
            "emails": [("", "antoni_mylka@somedomain.com")],
        }
    ],
    "outlookstyle_21_single_n_component.vcf": [
        {
            "fn": "Dirk",
            "family": "dirk",
            "note": "The canonical Dirk",
            "emails": [("", "dirk@sap.com")],
        }
    ],
    "outlookstyle_21_trailing_space_markers.vcf": [
        {
            "fn": "Dirk",
            "note": "The canonical Dirk",
            "emails": [("", "dirk@sap.com")],
            "addresses": [("work", adr(extended="Szczecin"))],
        }
    ],
    "outlookstyle_21_cp1252_unc_note.vcf": [
        {
            "fn": "Käthe Weiß",
            "given": "Käthe",
            "family": "Weiß",
            "org": "Bauamt Köln;Planung",
            "title": "Sachbearbeiterin",
            # 2.1 escapes no backslash: a UNC path keeps both of its leading backslashes
            "note": "Pläne unter \\\\fileserver\\bau\\2024, Archiv auf \\\\nas01",
            "emails": [("", "k.weiss@bauamt-koeln.example")],
            "phones": [("work", "+49 221 555 0101"), ("cell", "+49 171 555 0102")],
            "addresses": [("work", adr("Domstraße 1", "Köln", "", "50667", "Deutschland"))],
        },
        {
            "fn": "Jürgen Müller",
            "given": "Jürgen",
            "family": "Müller",
            # QUOTED-PRINTABLE carries line breaks as =0D=0A: its \\n is no line break
            "note": "Ablage: \\\\fileserver\\neu\\Verträge\nSchlüssel liegt bei \\\\srv02",
            "phones": [("home", "+49 30 1234567")],
        },
    ],
    "constructed_30_no_fn.vcf": [
        {
            "fn": "Jörg Brandt",
            "given": "Jörg",
            "family": "Brandt",
            "note": "Kennwort-Hinweis: C:\\Daten\\kontakte.txt",
            "emails": [("", "joerg.brandt@example.org")],
            "phones": [("cell", "+49 171 2345678")],
        },
        {
            "org": "Stadtwerke Bonn",
            "phones": [("work", "+49 228 7110")],
            "addresses": [("work", adr("Sandkaule 2", "Bonn"))],
        },
    ],
    "davx5_30_allfields.vcf": [
        {
            "fn": "Ämi Display",
            "prefix": "DDDr.",
            "given": "Firstname",
            "additional": "Middlename1 Middlename2",
            "family": "Lastname",
            "suffix": "MBA",
            "phones": [("home,x-useless", "+49 1234 56788"), ("fax,x-aunt", "+1-800-MYFAX")],
            "emails": [("home", "private@example.com"), ("work", "work@example.com")],
            "org": "ABC, Inc.;North American Division;Marketing",
            "title": "Director, Research and Development",
            "addresses": [
                ("work", adr("6544 Battleford Drive", "Raleigh", "NC", "27613-3502", "U.S.A.")),
                (
                    "work",
                    adr(
                        "Teststraße 22",
                        "Mönchspfaffingen",
                        "",
                        "4043",
                        "Klöster-Reich",
                        "Postfach 314",
                        "vorne hinten",
                    ),
                ),
            ],
            "note": "This fax number is operational 0800 to 1715 EST, Mon-Fri.",
            "birthday": "1996-04-15",
            "url": "https://www.davx5.com/",
        }
    ],
    "davdroid_40_strange_rev.vcf": [
        {"fn": "Name Name", "phones": [("fax", "+49000000"), ("", "+49000000")]}
    ],
    "khard_30_tel_value_uri.vcf": [{"fn": "bug 195", "phones": [("cell", "67545678")]}],
    "khard_40_korean_fn_only.vcf": [{"fn": "최유림", "family": "", "given": ""}],
    "khard_40_grouped_org.vcf": [{"fn": "labeled guy", "org": "Test Inc"}],
    "php_30_text_encodings.vcf": [
        *(
            {
                "fn": "Thies-Tillman Jacobsen",
                "birthday": "1908-10-25",
                "categories": ["Sportverein"],
                "note": note,
            }
            for note in ["Lieblingsfarbe: Violett"] * 4 + ["Ludwig-Götz Graßl"] * 4
        )
    ],
    "php_30_unknown_charset.vcf": [
        {
            "fn": "Jeroen Desloovere",
            "family": "Desloovere",
            "given": "Jeroen",
            "emails": [("", "site@example.com")],
            "url": "http://www.jeroendesloovere.be",
        }
    ],
}


def check_fields(fields: ContactFields, expected: E) -> None:
    for key, want in expected.items():
        if key == "note_contains":
            for part in want:
                assert part in fields.note
        elif key == "address_values":
            assert [a for _, a in fields.addresses] == want
        else:
            assert getattr(fields, key) == want, key


def test_hand_written_expectations_cover_most_of_the_corpus() -> None:
    assert set(EXPECTED) <= set(FILES)
    assert len(EXPECTED) >= 40
    for name, expected in EXPECTED.items():
        readable = [c for c in cards_of(name) if _readable(c)]
        assert len(expected) == len(readable), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields_arrive_as_written(name: str) -> None:
    readable = [c for c in cards_of(name) if _readable(c)]
    for card, expected in zip(readable, EXPECTED[name], strict=True):
        fields = vcard.read_fields(card)
        check_fields(fields, expected)
        summary = vcard.summarize(card)
        assert summary.fn == fields.fn
        assert list(summary.emails) == [e for _, e in fields.emails]
        assert list(summary.phones) == [p for _, p in fields.phones]


# ---------------------------------------------------------------- import, export, import


@pytest.mark.parametrize("name", FILES)
def test_import_export_and_import_again(store: Path, name: str) -> None:
    cards = cards_of(name)
    readable = [c for c in cards if _readable(c)]
    report = import_vcf("Standard", raw(name), duplicates="add", source=name)
    broken = DAMAGED.get(name, 0)
    assert report.cards_read == len(cards)
    assert len(report.errors) == broken
    assert len(readable) == len(cards) - broken
    for error in report.errors:
        assert error.startswith(f"{name}: Karte ") and "END:VCARD" in error
    # a value the import left out or cleaned is named in a note, once per card
    sanitized = SANITIZED.get(name, [])
    assert len(report.notes) == len(sanitized)
    for note, left_out in zip(report.notes, sanitized, strict=True):
        assert note.startswith(f"{name}: Karte ")
        assert all(prop in note for prop in left_out)
    assert report.added + report.groups_added == len(readable)  # group cards counted apart
    if not readable:
        return
    contacts = stored("Standard")
    assert len(contacts) == len(readable)
    for contact, card in zip(contacts, readable, strict=True):
        # the card is kept as it was read; only a missing UID is added
        uid = vcard.summarize(card).uid
        assert contact.vcard == (card if uid == contact.uid else vcard.set_uid(card, contact.uid))
        assert vcard.read_fields(contact.vcard) == vcard.read_fields(card)
        assert vcard.normalized_hash(contact.vcard) == vcard.normalized_hash(card)
        if has_name_data(card):
            assert contact.fn.strip(), "no display name"
        assert contact.fn == vcard.read_fields(card).fn

    exported = export_book("Standard")
    exported.decode("utf-8")
    create_book("Kopie")
    again = import_vcf("Kopie", exported, duplicates="add", source="export.vcf")
    added = again.added + again.groups_added
    assert (again.cards_read, added, again.errors) == (len(readable), len(readable), [])
    copies = {c.uid: c for c in stored("Kopie")}
    for contact in contacts:
        copy = copies[contact.uid]
        # the same text (its CHARSET labels saying UTF-8, as the file is: export_text); export
        # ends a card that had no final line break with CRLF
        sent = vcard.export_text(contact.vcard)
        assert copy.vcard in (sent, sent + "\r\n")
        assert vcard.read_fields(copy.vcard) == vcard.read_fields(contact.vcard)
        assert vcard.normalized_hash(copy.vcard) == vcard.normalized_hash(contact.vcard)
        assert copy.fn == contact.fn
    # export -> import -> export gives the same bytes
    assert export_book("Kopie") == exported
    # what the app does not model comes back in the exported file as it was written
    exported_lines = set(logical_lines(exported.decode("utf-8")))
    for card in readable:
        for line in logical_lines(vcard.export_text(card)):
            m = _PROP_RE.match(line)
            if m and m.group(2).upper() not in MODELED:
                assert line in exported_lines


def test_whole_corpus_in_one_file(store: Path) -> None:
    # one .vcf as a user gets it from `cat *.vcf`: every producer's cards in one import
    data = b"\r\n".join(raw(name) for name in FILES)
    report = import_vcf("Standard", data, duplicates="add", source="alle.vcf")
    assert report.cards_read == len(CARDS) + sum(DAMAGED.values())
    added = report.added + report.groups_added  # the corpus's group cards are counted apart
    assert (added, len(report.errors)) == (len(CARDS), sum(DAMAGED.values()))
    readable = [c for name in FILES for c in cards_of(name) if _readable(c)]
    groups = [c for c in readable if vcard.summarize(c).kind == "group"]
    assert report.groups_added == len(groups) > 0
    contacts = stored("Standard")
    assert len({c.uid for c in contacts}) == len(CARDS)
    assert sum(1 for c in contacts if c.fn == "Yves Laurent") == 1  # the card after the broken one


def test_damaged_card_is_reported_and_its_neighbours_arrive(store: Path) -> None:
    data = b"".join(
        raw(n)
        for n in (
            "sonyericsson_21_irmc.vcf",
            "sonyericsson_21_damaged_end.vcf",
            "nokia_21_qp_soft_breaks.vcf",
        )
    )
    report = import_vcf("Standard", data, source="handy.vcf")
    assert (report.cards_read, report.added) == (3, 2)
    [error] = report.errors
    assert error.startswith("handy.vcf: Karte 2 („Catherine Laurent“): ")
    assert [c.fn for c in stored("Standard")] == ["Yves Laurent", "Michael Brüning"]


def test_a_raw_binary_photo_is_left_out_and_the_rest_of_the_card_arrives(store: Path) -> None:
    # issue 17: the phone backup wrote the JPEG's bytes (NUL, CR, LF) instead of base64
    name = "sonyericsson_21_raw_binary_photo.vcf"
    assert b"\x00" in raw(name)
    report = import_vcf("Standard", raw(name), source="backup.vcf")
    assert (report.added, report.errors) == (1, [])
    assert report.notes == [
        "backup.vcf: Karte 1 („Christelle DECHAMBRE“): Das Foto (PHOTO) ist nicht lesbar: es "
        "enthält die Bilddaten roh statt Base64-kodiert (Steuerzeichen im Wert). Es wurde "
        "weggelassen. Die übrigen Angaben wurden übernommen."
    ]
    [contact] = stored("Standard")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", contact.vcard)
    assert "PHOTO" not in contact.vcard
    [with_photo] = cards_of("sonyericsson_21_photo_empty_emails.vcf")
    assert vcard.read_fields(contact.vcard) == vcard.read_fields(with_photo)
    assert b"PHOTO" not in export_book("Standard")


def test_a_nested_card_is_kept_and_a_broken_one_is_named_by_itself(store: Path) -> None:
    name = "sonyericsson_21_agent_nested.vcf"
    report = import_vcf("Standard", raw(name), source="handy.vcf")
    assert (report.cards_read, report.added) == (3, 2)
    # the card whose END:VCARD is missing is named by its own N, not by the AGENT card's FN
    assert report.errors == [
        "handy.vcf: Karte 2 („Nikdovic Nikdo“): Die Karte ist nicht abgeschlossen (END:VCARD "
        "fehlt, bevor die nächste Karte mit BEGIN:VCARD beginnt) und wurde nicht importiert. "
        "Die folgende Karte wurde für sich gelesen."
    ]
    laurent, zak = stored("Standard")
    assert (laurent.fn, zak.fn) == ("Catherine Laurent", "Bc. Zdeněk Žák")
    # the well-formed AGENT card stays inside its card, and comes back in an export
    assert "AGENT:\nBEGIN:VCARD\n" in laurent.vcard and "FN;CHARSET=utf-8:ACENET" in laurent.vcard
    assert laurent.vcard.count("END:VCARD") == 2
    again = vcard.split_cards(export_book("Standard").decode("utf-8"))
    assert laurent.vcard in again


def test_embedded_photos_are_read_and_kept() -> None:
    # a Sony Ericsson 2.1 photo (folded, ended by an empty line) and DAVx5's 3.0 photo
    [phone] = cards_of("sonyericsson_21_photo_empty_emails.vcf")
    [davx5] = cards_of("davx5_30_allfields.vcf")
    for card, size in ((phone, 4881), (davx5, 317)):
        photo = vcard.read_photo(card)
        assert photo is not None
        data, media = photo
        assert (len(data), media, data[:3], data[-2:]) == (
            size,
            "image/jpeg",
            b"\xff\xd8\xff",
            b"\xff\xd9",
        )
        for version in ("3.0", "4.0"):
            assert vcard.read_photo(vcard.convert(card, version)) == photo
    # photos given by URL are not fetched, and stay
    [fullcontact] = cards_of("fullcontact_40.vcf")
    assert vcard.read_photo(fullcontact) is None
    assert vcard.convert(fullcontact, "3.0").count("\r\nPHOTO") == 3


# ---------------------------------------------------------------- conversion for an upload


def _name_after(name: str, version: str) -> str:
    return (_TO_30 if version == "3.0" else _TO_40).get(name, name)


@pytest.mark.parametrize(("name", "index"), CARDS)
def test_conversion_keeps_fields_and_unknown_properties(name: str, index: int) -> None:
    card = cards_of(name)[index]
    fields = vcard.read_fields(card)
    photo = vcard.read_photo(card)
    names = [p[1] for p in props(card)]
    variants = "ALTID" in card.upper() or names.count("FN") > 1 or names.count("N") > 1
    for version in ("3.0", "4.0"):
        out = vcard.convert(card, version)
        assert out.startswith(f"BEGIN:VCARD\r\nVERSION:{version}\r\n")
        assert all(len(line.encode("utf-8")) <= 75 for line in out.split("\r\n"))
        assert vcard.read_fields(out) == fields
        assert vcard.read_fields(vcard.prepare_for_upload(card, (version,))) == fields
        assert vcard.read_photo(out) == photo
        if not (variants and version == "3.0"):  # 3.0 keeps one FN, one N and no ALTID
            assert vcard.normalized_hash(out) == vcard.normalized_hash(card)
        # unknown properties keep their group, name and (decoded) value
        converted = props(out)
        for group, prop, params, value in unmodeled(card):
            if prop in ("PRODID", "AGENT") or (prop == "CLIENTPIDMAP" and version == "3.0"):
                continue
            target = _name_after(prop, version)
            same = [p for p in converted if (p[0], p[1]) == (group, target)]
            assert same, f"{group}{prop} lost in {version}"
            if prop not in ("GEO", "PHOTO", "LOGO", "SOUND", "KEY"):
                decoded = qp_decoded(params, value).replace("\r\n", "\n").replace("\n", "\\n")
                assert any(loose(decoded) == loose(p[3]) for p in same), f"{prop} in {version}"
    again = vcard.convert(vcard.convert(card, "4.0"), "3.0")
    assert vcard.read_fields(again) == fields


# ---------------------------------------------------------------- edits keep the rest


@pytest.mark.parametrize(("name", "index"), CARDS)
def test_edits_touch_only_what_changed(name: str, index: int) -> None:
    card = cards_of(name)[index]
    fields = vcard.read_fields(card)
    assert vcard.edit_card(card, fields, now=NOW) == card
    more = replace(fields, emails=[*fields.emails, ("work", "neu@beispiel.de")], note="Grüße")
    edited = vcard.edit_card(card, more, now=NOW)
    assert vcard.read_fields(edited) == vcard.normalize_fields(more)
    edited_lines = set(logical_lines(edited))
    for line in logical_lines(card):
        m = _PROP_RE.match(line)
        if m and m.group(2).upper() not in MODELED | {"REV", "VERSION"}:
            assert line in edited_lines


# ---------------------------------------------------------------- the bytes cards travel in


def _variants(data: bytes) -> dict[str, bytes]:
    text = vcard.decode_bytes(data)  # UTF-8, or an Outlook file's Windows-1252
    lf = text.replace("\r\n", "\n")
    out = {
        "crlf": lf.replace("\n", "\r\n").encode(),
        "lf": lf.encode(),
        "cr": lf.replace("\n", "\r").encode(),
        "bom": codecs.BOM_UTF8 + data,
        "utf-16": lf.replace("\n", "\r\n").encode("utf-16"),
        "mixed": "".join(
            line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lf.split("\n"))
        ).encode(),
    }
    for charset in ("latin-1", "cp1252"):
        with contextlib.suppress(UnicodeEncodeError):  # only cards that fit the charset
            out[charset] = text.encode(charset)
    return out


def _all_fields(data: bytes) -> list[ContactFields | str]:
    out: list[ContactFields | str] = []
    for card in vcard.split_cards(vcard.decode_bytes(data)):
        try:
            out.append(vcard.read_fields(card))
        except CardError as exc:
            out.append(exc.message)
    return out


@pytest.mark.parametrize("name", TEXT_FILES)
def test_line_endings_bom_and_8bit_charsets_read_the_same(name: str) -> None:
    expected = _all_fields(raw(name))
    for kind, data in _variants(raw(name)).items():
        assert _all_fields(data) == expected, kind


def test_non_ascii_survives_export_and_conversion(store: Path) -> None:
    samples = {
        "pyvobject_40_altid_cjk.vcf": "山田太郎",  # the ALTID=1 Japanese FN
        "khard_40_korean_fn_only.vcf": "최유림",
        "evolution_21_qp_cjk.vcf": CJK_NAME,  # 2.1 QUOTED-PRINTABLE
        "sonyericsson_21_cyrillic_excerpt.vcf": "Продаёт диски",  # 2.1 QUOTED-PRINTABLE
        "evolution_30_syncevolution_excerpt.vcf": "Umlaut Ä Ö Ü ß",
        "davx5_30_allfields.vcf": "Teststraße 22",
    }
    for name, text in samples.items():
        import_vcf("Standard", raw(name), duplicates="add")
        readable = [c for c in cards_of(name) if _readable(c)]
        assert any(text in vcard.convert(c, "4.0") for c in readable), name
        if name != "pyvobject_40_altid_cjk.vcf":  # 3.0 keeps only the first FN and N
            assert any(text in vcard.convert(c, "3.0") for c in readable), name
    exported = export_book("Standard").decode("utf-8")
    for text in ("山田太郎", "최유림", "Umlaut Ä Ö Ü ß", "Teststraße 22"):
        assert text in exported
    notes = {vcard.read_fields(c.vcard).note for c in stored("Standard")}
    assert "Продаёт диски" in notes
    assert CJK_NAME in {vcard.read_fields(c.vcard).fn for c in stored("Standard")}
