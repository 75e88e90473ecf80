"""bench.cards (the demo/benchmark vCard generator) and bench.demo_server's Radicale storage."""

from __future__ import annotations

import base64
import re
import socket
import statistics
import subprocess
import uuid
from pathlib import Path

import pytest
import vobject

from app.vcard import summarize
from bench.cards import fold_line, generate_cards, write_vcf
from bench.demo_server import (
    DemoServerError,
    account_command,
    banner,
    book_id,
    dav_request,
    prepare,
    radicale_argv,
    radicale_env,
    seed_storage,
    stop_process,
    vcard_hrefs,
    wait_until_up,
)

PROPFIND_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
)


@pytest.fixture(scope="module")
def cards30() -> list[tuple[str, str]]:
    return generate_cards(1000, seed=0)


@pytest.fixture(scope="module")
def cards40() -> list[tuple[str, str]]:
    return generate_cards(300, seed=5, version="4.0")


def _physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------


def test_deterministic_per_seed_and_prefix_stable() -> None:
    a = generate_cards(60, seed=7)
    assert a == generate_cards(60, seed=7)
    assert a != generate_cards(60, seed=8)
    # card i depends on (seed, i) only: a smaller book is a prefix of a bigger one
    assert generate_cards(20, seed=7) == a[:20]
    assert generate_cards(0) == []


def test_uids_unique_uppercase_uuid5(cards30: list[tuple[str, str]]) -> None:
    uids = [uid for uid, _ in cards30]
    assert len(set(uids)) == len(uids)
    for uid, text in cards30[:100]:
        assert uid == uid.upper()
        assert uuid.UUID(uid).version == 5
        assert f"\r\nUID:{uid}\r\n" in text
    other = {uid for uid, _ in generate_cards(100, seed=1)}
    assert not other & set(uids[:100])


def test_umlauts_and_non_ascii_names(cards30: list[tuple[str, str]]) -> None:
    texts = "".join(text for _, text in cards30)
    for ch in "äöüÄÖÜß":
        assert ch in texts, ch
    fns = [summarize(text).fn for _, text in cards30]
    assert sum(not fn.isascii() for fn in fns) > len(fns) // 4
    assert len(set(fns)) > len(fns) * 0.8  # varied names
    assert any(fn.startswith(("Dr.", "Prof. Dr.")) for fn in fns)
    assert "Österreich" in texts and "Schweiz" in texts and "Deutschland" in texts


def test_photo_ratio_and_photo_data(cards30: list[tuple[str, str]]) -> None:
    with_photo = [text for _, text in cards30 if "\r\nPHOTO;" in text]
    assert len(with_photo) == 50  # 5 % of 1000
    assert not [t for _, t in generate_cards(100, photo_ratio=0.0) if "PHOTO" in t]
    card = vobject.readOne(with_photo[0])
    data = card.photo.value  # vobject decodes ENCODING=b
    assert isinstance(data, bytes)
    assert data.startswith(b"\xff\xd8\xff\xe0") and data.endswith(b"\xff\xd9")
    assert 14_000 <= len(data) <= 16_000  # ~20 KB of base64
    assert 18_000 <= len(with_photo[0].encode("utf-8")) <= 30_000


def test_photo_as_data_uri_in_40(cards40: list[tuple[str, str]]) -> None:
    photos = [text for _, text in cards40 if "\r\nPHOTO:" in text]
    assert len(photos) == 15  # 5 % of 300
    # vobject 0.9.9 cuts a 4.0 data: URI at its comma, so look at the unfolded line itself
    line = next(ln for ln in photos[0].replace("\r\n ", "").split("\r\n") if "PHOTO" in ln)
    assert line.startswith("PHOTO:data:image/jpeg;base64,")
    raw = base64.b64decode(line.split(",", 1)[1], validate=True)
    assert raw.startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_card_parses_with_vobject_and_summarize(
    version: str, cards30: list[tuple[str, str]], cards40: list[tuple[str, str]]
) -> None:
    cards = cards30 if version == "3.0" else cards40
    for uid, text in cards:
        card = vobject.readOne(text)
        assert card.version.value == version
        assert card.uid.value == uid
        s = summarize(text)
        assert s.uid == uid
        assert s.version == version
        assert s.fn == card.fn.value
        assert s.family and s.given
        assert 1 <= len(s.emails) <= 3
        assert all("@" in e for e in s.emails)
        assert 1 <= len(s.phones) <= 3
        assert all(p.startswith("+4") for p in s.phones)
        adrs = card.contents.get("adr", [])
        assert len(adrs) <= 2
        for adr in adrs:
            assert adr.value.country in ("Deutschland", "Österreich", "Schweiz")
            assert adr.value.code and adr.value.city


def test_feature_mix(cards30: list[tuple[str, str]]) -> None:
    texts = [text for _, text in cards30]

    def share(pattern: str) -> float:
        rx = re.compile(pattern, re.M)
        return sum(bool(rx.search(t.replace("\r\n ", ""))) for t in texts) / len(texts)

    assert 0.05 < share(r"^BDAY[;:]") < 0.7
    assert 0.3 < share(r"^NOTE:") < 0.95
    assert 0.2 < share(r"^CATEGORIES:") < 0.9
    assert 0.1 < share(r"^(item\d+\.)?URL[;:]") < 0.9
    assert 0.1 < share(r"^item\d+\.X-ABLabel:") < 0.5
    assert 0.2 < share(r"^X-(?!ABLabel)[A-Z-]+[;:]") < 0.95
    assert 0.5 < share(r"^ORG:") < 1.0
    assert 0.5 < share(r"^TITLE:") < 1.0
    assert 0.1 < share(r"^N:[^;]*;[^;]*;[^;]*;[^;\r]+") < 0.4  # with a prefix (Dr.)
    assert share(r"^TEL;TYPE=[A-Z,]*FAX") > 0.05
    assert share(r"^EMAIL;TYPE=INTERNET,HOME") > 0.3
    assert share(r"^(item\d+\.)?ADR;") > 0.5


def test_multiline_note_escaping_round_trips(cards30: list[tuple[str, str]]) -> None:
    found = 0
    for _, text in cards30:
        card = vobject.readOne(text)
        note = card.contents.get("note")
        if not note:
            continue
        value = note[0].value
        assert "\\" not in value  # every escape was undone: nothing was escaped twice
        if "\n" in value and "," in value and ";" in value:
            found += 1
            raw = text.replace("\r\n ", "")
            line = next(ln for ln in raw.split("\r\n") if ln.startswith("NOTE:"))
            assert "\\n" in line and "\\," in line and "\\;" in line
    assert found >= 20


def test_lines_folded_at_75_octets_with_crlf(
    cards30: list[tuple[str, str]], cards40: list[tuple[str, str]]
) -> None:
    folded = 0
    for _, text in cards30 + cards40:
        assert "\n" not in text.replace("\r\n", "")
        assert text.startswith("BEGIN:VCARD\r\nVERSION:")
        assert text.endswith("\r\nEND:VCARD\r\n")
        for line in _physical_lines(text):
            assert len(line.encode("utf-8")) <= 75, line
            assert line  # no empty lines
            folded += line.startswith(" ")
    assert folded > 1000


def test_fold_line_never_splits_a_utf8_character() -> None:
    for filler in ("ä", "ß", "€", "🙂", "ı", "aß"):
        line = "NOTE:" + filler * 90
        folded = fold_line(line)
        parts = folded.split("\r\n")
        assert len(parts) > 1
        assert all(len(p.encode("utf-8")) <= 75 for p in parts)
        assert all(p[1:] for p in parts[1:]) and all(p.startswith(" ") for p in parts[1:])
        assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
        # the parts are whole characters, and they fill the lines (no needless short ones)
        assert all(
            len(p.encode("utf-8")) > 75 - len(filler.encode("utf-8")) - 1 for p in parts[:-1]
        )
    assert fold_line("FN:kurz") == "FN:kurz"
    assert fold_line("X" * 75) == "X" * 75
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"


def test_average_size_without_photo(cards30: list[tuple[str, str]]) -> None:
    sizes = [len(text.encode("utf-8")) for _, text in cards30 if "PHOTO" not in text]
    assert 1000 <= statistics.mean(sizes) <= 2500
    assert min(sizes) >= 300


def test_write_vcf(tmp_path: Path) -> None:
    cards = generate_cards(30, seed=3, photo_ratio=0.1)
    path = write_vcf(tmp_path / "sub" / "export.vcf", cards)
    raw = path.read_bytes()
    assert raw.count(b"BEGIN:VCARD\r\n") == 30
    assert raw.decode("utf-8") == "".join(text for _, text in cards)
    parsed = list(vobject.readComponents(raw.decode("utf-8")))
    assert [c.uid.value for c in parsed] == [uid for uid, _ in cards]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_cards(3, version="2.1")
    with pytest.raises(ValueError):
        generate_cards(-1)


# ---------------------------------------------------------------------------------------------
# Demo server storage (no server process)
# ---------------------------------------------------------------------------------------------


def test_seed_storage_layout(tmp_path: Path) -> None:
    books = {"Kontakte": generate_cards(12), "Bewerber_innen": generate_cards(3, seed=1)}
    config = seed_storage(tmp_path / "store", "demo", "geheim", books)
    root = tmp_path / "store" / "collections" / "collection-root" / "demo"
    assert config == (tmp_path / "store" / "radicale.conf").resolve()
    assert "htpasswd_encryption = plain" in config.read_text(encoding="utf-8")
    assert (tmp_path / "store" / "users").read_text(encoding="utf-8") == "demo:geheim\n"
    assert sorted(p.name for p in root.iterdir()) == ["bewerber_innen", "kontakte"]
    props = (root / "kontakte" / ".Radicale.props").read_text(encoding="utf-8")
    assert props == '{"D:displayname": "Kontakte", "tag": "VADDRESSBOOK"}'
    files = sorted(p.name for p in (root / "kontakte").glob("*.vcf"))
    assert files == sorted(f"{uid}.vcf" for uid, _ in books["Kontakte"])
    uid, text = books["Kontakte"][0]
    assert (root / "kontakte" / f"{uid}.vcf").read_bytes() == text.encode("utf-8")
    # seeding again replaces the user's books
    seed_storage(tmp_path / "store", "demo", "geheim", {"Neu": generate_cards(2)})
    assert [p.name for p in root.iterdir()] == ["neu"]


def test_book_id() -> None:
    assert book_id("Kontakte") == "kontakte"
    assert book_id("Bewerber_innen") == "bewerber_innen"
    assert book_id("Große Kunden (Süd)") == "grosse-kunden-sud"


def test_prepare_reuses_unless_reset_or_changed(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    books = {"Kontakte": (5, 0), "Bewerber_innen": (2, 1)}
    _, seeded, _ = prepare(folder, "demo", "demo", books)
    assert seeded
    book = folder / "collections" / "collection-root" / "demo" / "kontakte"
    extra = book / "ADDED-BY-A-SYNC.vcf"
    extra.write_text(generate_cards(1, seed=9)[0][1], encoding="utf-8")
    _, seeded, _ = prepare(folder, "demo", "demo", books)
    assert not seeded and extra.exists()  # reused as it was
    _, seeded, _ = prepare(folder, "demo", "demo", books, reset=True)
    assert seeded and not extra.exists()
    _, seeded, _ = prepare(folder, "demo", "demo", {"Kontakte": (6, 0)})
    assert seeded and len(list(book.glob("*.vcf"))) == 6
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "important.txt").write_text("nicht löschen", encoding="utf-8")
    with pytest.raises(DemoServerError):
        prepare(foreign, "demo", "demo", books)
    assert (foreign / "important.txt").exists()


def test_banner_names_everything() -> None:
    text = banner("http://127.0.0.1:5232/", "demo", "demo", {"Kontakte": 1000}, Path("/x"))
    cmd = (
        "CONTACTBOX_PASSWORD=demo contactbox-sync account add Demo "
        "--url http://127.0.0.1:5232/ --user demo --preset radicale"
    )
    assert account_command("http://127.0.0.1:5232/", "demo", "demo") == cmd
    assert text.count(cmd) == 2
    assert text.index("Serveradresse") < text.index("Server address")
    assert "„Kontakte“ (1000 Kontakte)" in text and "Strg+C" in text and "Ctrl+C" in text


# ---------------------------------------------------------------------------------------------
# A real Radicale on the seeded storage
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.servers
def test_radicale_serves_the_seeded_book(tmp_path: Path) -> None:
    user, password = "demo", "Pässwort-1"
    cards = generate_cards(200, seed=11)
    config = seed_storage(
        tmp_path, user, password, {"Kontakte": cards, "Bewerber_innen": generate_cards(3)}
    )
    port = _free_port()
    log = tmp_path / "radicale.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            radicale_argv(config, port),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=radicale_env(),
        )
    try:
        try:
            wait_until_up(proc, port, 30.0)
        except DemoServerError:
            pytest.fail(log.read_text("utf-8", "replace"))
        root = f"http://127.0.0.1:{port}/"
        book = f"{root}{user}/kontakte/"

        status, body = dav_request(
            "PROPFIND", book, (user, password), body=PROPFIND_ETAGS, depth="1", timeout=120
        )
        assert status == 207, body[:500]
        hrefs = vcard_hrefs(body)
        assert sorted(hrefs) == sorted(f"/{user}/kontakte/{uid}.vcf" for uid, _ in cards)

        status, body = dav_request("GET", f"{root}{hrefs[0][1:]}", (user, password))
        assert status == 200
        assert summarize(body.decode("utf-8")).uid == hrefs[0].rsplit("/", 1)[1][:-4]

        # the home lists both books with their display names
        status, body = dav_request(
            "PROPFIND",
            f"{root}{user}/",
            (user, password),
            body='<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>',
            depth="1",
        )
        assert status == 207
        assert b"<displayname>Kontakte</displayname>" in body
        assert b"<displayname>Bewerber_innen</displayname>" in body

        status, _ = dav_request("PROPFIND", book, (user, "falsch"), body=PROPFIND_ETAGS, depth="0")
        assert status == 401
        status, _ = dav_request("PROPFIND", book, None, body=PROPFIND_ETAGS, depth="0")
        assert status == 401
    finally:
        stop_process(proc)
    assert proc.poll() is not None
