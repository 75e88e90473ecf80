"""Contact groups through a two-way sync against Radicale, Xandikos and SabreDAV 1.8 (issue 19).

A server book holds what three kinds of clients write: an Apple-style group card
(`X-ADDRESSBOOKSERVER-KIND:group`, 3.0), a vCard 4 group card (`KIND:group`, 4.0) and people
with Nextcloud-style `CATEGORIES`. None of the three servers converts a card: each keeps the
4.0 group card a 4.0 `KIND:group` card (Radicale re-orders the lines of every card; see the
first test).
The cards are put there with the test's own HTTP client, as another client would; the run
is the CLI's two-way "sync"; every change in Contactbox goes through app.store.groups.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import vcard
from app.store import contacts as cs
from app.store import groups
from app.store.models import Account, AddressBook, Contact, ContactVersion
from app.vcard import groups as vgroups
from tests.servers.cards import simple_card
from tests.servers.dav_servers import VCARD_CONTENT_TYPE, DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env

# The people (UID -> name) and the categories each has on the server (Nextcloud style).
PEOPLE = {
    "p-anna": "Anna Arndt",
    "p-bernd": "Bernd Beck",
    "p-clara": "Clara Claßen",
    "p-dora": "Dora Dietz",
    "p-emil": "Emil Ebert",
    "p-frida": "Frida Funk",
}
CATEGORIES = {"p-anna": "Presse", "p-dora": "Presse", "p-emil": "Presse,Kunden Süd"}

APPLE_UID = "grp-kunden-nord"
APPLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//AddressBook 13.0//EN\r\n"
    "N:Kunden Nord\r\n"
    "FN:Kunden Nord\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p-anna\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p-bernd\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p-clara\r\n"
    "REV:2024-03-01T12:00:00Z\r\n"
    f"UID:{APPLE_UID}\r\n"
    "END:VCARD\r\n"
)
V4_UID = "grp-bewerber"
UNKNOWN = "urn:uuid:9c1a7e2e-0000-4000-8000-nur-woanders"  # a contact only another client has
V4 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    f"UID:{V4_UID}\r\n"
    "KIND:group\r\n"
    "FN:Bewerber_innen\r\n"
    "MEMBER:urn:uuid:p-dora\r\n"
    f"MEMBER:{UNKNOWN}\r\n"
    "MEMBER:urn:uuid:p-frida\r\n"
    "REV:20240301T120000Z\r\n"
    "END:VCARD\r\n"
)
FILES = {APPLE_UID: "kunden-nord.vcf", V4_UID: "bewerber.vcf"}


def person(uid: str) -> str:
    cats = CATEGORIES.get(uid)
    extra = f"CATEGORIES:{cats}" if cats else ""
    mail = uid.removeprefix("p-") + "@example.de"
    return simple_card(uid, PEOPLE[uid], mail, extra=extra)


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    """A server book with the six people and both group cards, synced two-way into a fresh
    local book (server preferred)."""
    env = fresh_book_env("Gruppen", dav_server, tmp_path, monkeypatch, capsys)
    for uid in PEOPLE:
        env.put(f"{uid}.vcf", person(uid))
    env.put(FILES[APPLE_UID], APPLE)
    env.put(FILES[V4_UID], V4)
    out = env.sync("sync", "server")
    assert out["_exit"] == 0 and not out["_errors"], out
    assert out["added_local"] == len(PEOPLE)  # people only: the group cards count apart
    assert out["groups_changed"] == 2
    return env


def book_of(env: Env) -> AddressBook:
    return cs.get_book(env.name)


def ids(env: Env, *uids: str) -> list[int]:
    book = book_of(env)
    found = [cs.find_live_by_uid(book, u) for u in uids]
    assert all(found), uids
    return [c.id for c in found if c is not None]


def table(env: Env) -> dict[str, tuple[int, str]]:
    """list_groups of the local book as {name: (members, kind)}."""
    return {g.name: (g.members, g.kind) for g in groups.list_groups(book_of(env))}


def server_card(env: Env, uid: str) -> str:
    text = env.server_cards().get(uid)
    assert text is not None, f"{uid} not on the server"
    return text


def members_of(text: str) -> tuple[tuple[str, ...], str]:
    g = vgroups.group_of(text)
    assert g is not None, text
    return g.members, g.dialect


def same_card(a: str, b: str) -> bool:
    """The same card, as the sync compares them (a server's re-serialisation, or the
    upload's completion of N with all its components, is no change) — and the same group."""
    same_group = vgroups.group_of(a) == vgroups.group_of(b)
    return same_group and vcard.normalized_hash(a) == vcard.normalized_hash(b)


def run(env: Env, option: str = "server") -> dict[str, object]:
    out = env.sync("sync", option)
    assert out["_exit"] == 0 and not out["_errors"], out
    return out


# ---------------------------------------------------------------- import


def test_groups_arrive_as_groups_not_as_people(env: Env) -> None:
    book = book_of(env)
    assert groups.list_groups(book) == [
        groups.GroupInfo("Bewerber_innen", 2, groups.KIND_CARD),  # the unknown member not counted
        groups.GroupInfo("Kunden Nord", 3, groups.KIND_CARD),
        groups.GroupInfo("Kunden Süd", 1, groups.KIND_CATEGORIES),
        groups.GroupInfo("Presse", 3, groups.KIND_CATEGORIES),
    ]
    assert cs.count_live(book) == len(PEOPLE)
    rows = cs.page_contacts(book, limit=100)
    assert {r.uid for r in rows} == set(PEOPLE)
    assert {r.uid for r in cs.page_contacts(book, group="Kunden Nord")} == {
        "p-anna",
        "p-bernd",
        "p-clara",
    }
    assert {r.uid for r in cs.page_contacts(book, group="Bewerber_innen")} == {"p-dora", "p-frida"}
    anna = cs.find_live_by_uid(book, "p-anna")
    assert anna is not None
    assert groups.contact_groups(anna) == ["Kunden Nord", "Presse"]

    # No server converts a group card: the 4.0 card stays 4.0 (KIND, MEMBER), the Apple card
    # 3.0 with its X-ADDRESSBOOKSERVER lines. Xandikos and SabreDAV 1.8 keep both byte for
    # byte; Radicale re-serialises every card (vobject: VERSION, PRODID, UID first, the other
    # lines ordered by name, N padded to its five components) — same lines, other order.
    on_server = env.server_cards()
    for uid, text in ((APPLE_UID, APPLE), (V4_UID, V4)):
        if env.server.name == "radicale":
            padded = text.replace("\nN:Kunden Nord\r\n", "\nN:Kunden Nord;;;;\r\n")
            assert sorted(on_server[uid].splitlines()) == sorted(padded.splitlines())
        else:
            assert on_server[uid] == text
    # The group cards are stored as they are: byte for byte what the server hands out.
    for uid in (APPLE_UID, V4_UID):
        card = cs.find_live_by_uid(book, uid)
        assert card is not None and card.kind == "group"
        assert card.vcard == on_server[uid]


# ---------------------------------------------------------------- edits in Contactbox


def test_edits_in_contactbox_reach_the_server_in_each_cards_dialect(env: Env) -> None:
    book = book_of(env)
    assert groups.add_members(book, "Kunden Nord", ids(env, "p-dora")) == 1
    assert groups.remove_members(book, "Kunden Nord", ids(env, "p-anna")) == 1
    groups.rename_group(book, "Kunden Nord", "Kunden Nordwest")
    assert groups.add_members(book, "Bewerber_innen", ids(env, "p-emil")) == 1
    assert groups.remove_members(book, "Bewerber_innen", ids(env, "p-dora")) == 1
    groups.rename_group(book, "Bewerber_innen", "Bewerbungen")
    assert groups.add_members(book, "Presse", ids(env, "p-bernd")) == 1
    assert groups.remove_members(book, "Presse", ids(env, "p-anna")) == 1
    groups.rename_group(book, "Kunden Süd", "Kunden Süd-Ost")

    out = run(env)
    assert out["updated_server"] == 3  # Bernd, Anna, Emil (categories)
    assert out["groups_changed"] == 2  # the two group cards
    assert out["updated_local"] == 0 and out["conflicts"] == 0

    apple = server_card(env, APPLE_UID)
    assert members_of(apple) == (
        ("urn:uuid:p-bernd", "urn:uuid:p-clara", "urn:uuid:p-dora"),
        vgroups.APPLE,
    )
    assert "VERSION:3.0\r\n" in apple and "FN:Kunden Nordwest\r\n" in apple
    assert "N:Kunden Nordwest;;;;\r\n" in apple
    assert "PRODID:-//Apple Inc.//AddressBook 13.0//EN\r\n" in apple  # other lines kept
    assert "\nKIND:" not in apple and "\nMEMBER:" not in apple  # stays an Apple card

    v4 = server_card(env, V4_UID)
    assert members_of(v4) == ((UNKNOWN, "urn:uuid:p-frida", "urn:uuid:p-emil"), vgroups.VCARD4)
    assert "VERSION:4.0\r\n" in v4 and "FN:Bewerbungen\r\n" in v4 and "KIND:group\r\n" in v4
    assert "X-ADDRESSBOOKSERVER" not in v4

    cats = {uid: vgroups.categories_of(server_card(env, uid)) for uid in PEOPLE}
    assert cats == {
        "p-anna": (),
        "p-bernd": ("Presse",),
        "p-clara": (),
        "p-dora": ("Presse",),
        "p-emil": ("Presse", "Kunden Süd-Ost"),
        "p-frida": (),
    }
    # Contactbox and the server agree: the next run has nothing to do.
    out = run(env)
    assert out["updated_server"] == 0 and out["updated_local"] == 0
    assert table(env) == {
        "Bewerbungen": (2, groups.KIND_CARD),
        "Kunden Nordwest": (3, groups.KIND_CARD),
        "Kunden Süd-Ost": (1, groups.KIND_CATEGORIES),
        "Presse": (3, groups.KIND_CATEGORIES),
    }


def test_new_group_is_written_as_the_accounts_group_style_says(env: Env) -> None:
    book = book_of(env)
    account = Account.get(Account.label == "Test")
    before = set(env.server_cards())
    for style in groups.STYLES:
        Account.update(group_style=style).where(Account.id == account.id).execute()
        assert groups.book_style(book) == style
        groups.create_group(book, f"Neu {style}", ids(env, "p-clara", "p-frida"))
    out = run(env)
    assert out["added_server"] == 0 and out["updated_server"] == 2  # Clara, Frida
    assert out["groups_changed"] == 2  # the new group cards ("cards" and "both")

    on_server = env.server_cards()
    new_cards = {
        vgroups.group_of(t).name: t  # type: ignore[union-attr]
        for uid, t in on_server.items()
        if uid not in before
    }
    # "cards" and "both" wrote a group card — Apple's 3.0 dialect, as none of these servers
    # lists vCard 4.0 — "categories" none.
    assert set(new_cards) == {"Neu cards", "Neu both"}
    for text in new_cards.values():
        members, dialect = members_of(text)
        assert dialect == vgroups.APPLE and "VERSION:3.0\r\n" in text
        assert set(members) == {"urn:uuid:p-clara", "urn:uuid:p-frida"}
    # "categories" and "both" wrote the category on each member, "cards" did not.
    for uid in ("p-clara", "p-frida"):
        assert vgroups.categories_of(on_server[uid]) == ("Neu categories", "Neu both")
    assert table(env)["Neu categories"] == (2, groups.KIND_CATEGORIES)
    assert table(env)["Neu cards"] == (2, groups.KIND_CARD)
    assert table(env)["Neu both"] == (2, groups.KIND_BOTH)


# ---------------------------------------------------------------- changes on the server


def put_changed(env: Env, uid: str, text: str) -> str:
    """Another client changes a card on the server, with its ETag as precondition; returns
    the card as the server now hands it out."""
    url = env.server.card_url(env.book_url, FILES.get(uid, f"{uid}.vcf"))
    _, etag = env.server.get_card(url)
    resp = env.server.request(
        "PUT", url, body=text, headers={"Content-Type": VCARD_CONTENT_TYPE, "If-Match": etag}
    )
    assert resp.status_code in (201, 204), resp.status_code
    return env.server.get_card(url)[0]


def test_membership_changed_on_the_server_arrives(env: Env) -> None:
    put_changed(env, APPLE_UID, vgroups.set_members(APPLE, add=["p-emil"], remove=["p-bernd"]))
    put_changed(env, V4_UID, vgroups.set_members(V4, remove=["p-dora", "p-frida"]))
    put_changed(env, "p-frida", vgroups.set_categories(person("p-frida"), add=["Presse"]))
    out = run(env)
    assert out["updated_local"] == 1 and out["updated_server"] == 0  # Frida
    assert out["groups_changed"] == 2  # the two group cards
    assert table(env) == {
        "Bewerber_innen": (0, groups.KIND_CARD),
        "Kunden Nord": (3, groups.KIND_CARD),
        "Kunden Süd": (1, groups.KIND_CATEGORIES),
        "Presse": (4, groups.KIND_CATEGORIES),
    }
    book = book_of(env)
    assert {r.uid for r in cs.page_contacts(book, group="Kunden Nord")} == {
        "p-anna",
        "p-clara",
        "p-emil",
    }
    v4 = cs.find_live_by_uid(book, V4_UID)
    assert v4 is not None and members_of(v4.vcard) == ((UNKNOWN,), vgroups.VCARD4)


# ---------------------------------------------------------------- conflict


def test_members_changed_on_both_sides_are_merged_without_loser(env: Env) -> None:
    """A phone adds a member on the server, the desk removes another: both stay done
    (issue 22: MEMBER lines merge line by line), on both sides, nothing lost."""
    put_changed(env, APPLE_UID, vgroups.set_members(APPLE, add=["p-emil"]))
    book = book_of(env)
    card = cs.find_live_by_uid(book, APPLE_UID)
    assert card is not None
    imported = card.vcard
    groups.remove_members(book, "Kunden Nord", ids(env, "p-anna"))

    out = run(env, "server")
    assert out["merged"] == 1 and out["conflicts"] == 0 and out["conflict_notes"] == []
    want = {"p-bernd", "p-clara", "p-emil"}
    assert {r.uid for r in cs.page_contacts(book, group="Kunden Nord")} == want
    on_server = server_card(env, APPLE_UID)
    assert "p-emil" in on_server and "p-anna" not in on_server
    card = Contact.get_by_id(card.id)
    assert same_card(on_server, card.vcard)
    history = list(ContactVersion.select().where(ContactVersion.contact == card))
    assert [v for v in history if v.reason == "conflict"] == []
    assert imported in [v.vcard for v in history]  # the card before the local edit


# ---------------------------------------------------------------- deleted groups


def test_deleted_groups_go_on_both_sides_and_their_members_stay(env: Env) -> None:
    book = book_of(env)
    assert groups.delete_group(book, "Kunden Nord") == 3
    assert groups.delete_group(book, "Presse") == 3
    url = env.server.card_url(env.book_url, FILES[V4_UID])
    env.server.delete_card(url, env.server.get_card(url)[1])  # another client's deletion

    out = run(env)
    # the Apple card's deletion, the category off Anna, Dora and Emil; the vCard 4 card
    assert out["deleted_server"] == 0 and out["updated_server"] == 3  # people only
    assert out["deleted_local"] == 0
    assert out["groups_changed"] == 2  # the Apple card gone there, the vCard 4 card here
    on_server = env.server_cards()
    assert set(on_server) == set(PEOPLE)
    assert [vgroups.categories_of(t) for t in on_server.values() if "CATEGORIES" in t] == [
        ("Kunden Süd",)
    ]
    assert table(env) == {"Kunden Süd": (1, groups.KIND_CATEGORIES)}
    assert cs.count_live(book) == len(PEOPLE)
    trash = {r.uid for r in cs.page_contacts(book, trash=True)}
    assert trash == {APPLE_UID, V4_UID}  # both group cards restorable, no person deleted


# ---------------------------------------------------------------- unknown members


def test_unknown_member_never_breaks_a_run_and_stays_on_both_sides(env: Env) -> None:
    # The vCard 4 card came down with its unknown member (the fixture's run had no error).
    book = book_of(env)
    local = cs.find_live_by_uid(book, V4_UID)
    assert local is not None and UNKNOWN in members_of(local.vcard)[0]

    # A second unknown member arrives from the server on the Apple card ...
    other = "urn:uuid:D2C4E0F1-1111-4222-8333-444455556666"
    put_changed(env, APPLE_UID, vgroups.set_members(APPLE, add=[other]))
    run(env)
    apple = cs.find_live_by_uid(book, APPLE_UID)
    assert apple is not None and other in members_of(apple.vcard)[0]
    assert table(env)["Kunden Nord"] == (3, groups.KIND_CARD)

    # ... and both stay through local edits of either card and the uploads.
    groups.add_members(book, "Kunden Nord", ids(env, "p-frida"))
    groups.remove_members(book, "Bewerber_innen", ids(env, "p-frida"))
    out = run(env)
    assert out["updated_server"] == 0 and out["groups_changed"] == 2
    assert members_of(server_card(env, APPLE_UID))[0] == (
        "urn:uuid:p-anna",
        "urn:uuid:p-bernd",
        "urn:uuid:p-clara",
        other,
        "urn:uuid:p-frida",
    )
    assert members_of(server_card(env, V4_UID))[0] == ("urn:uuid:p-dora", UNKNOWN)
    for uid in (APPLE_UID, V4_UID):
        local = cs.find_live_by_uid(book, uid)
        assert local is not None and same_card(local.vcard, server_card(env, uid))
    assert vcard.summarize(server_card(env, V4_UID)).kind == "group"
