"""A card with control characters on the server (issue 17, "Broken input is stored").

Radicale keeps what another client wrote as long as vobject reads it: a PHOTO whose JPEG
bytes were written as text instead of base64 (here as Latin-1: Radicale itself filters C0
control characters, the C1 ones stay) and a NOTE with DEL and C1 characters. The run
finishes, the Importbericht says what was left out, the local copy holds no control
character — and since the local copy's hash is what the state remembers for both sides,
the next run finds no change and uploads nothing: the server's card stays as it is until
someone changes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import vcard
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, figures, fresh_book_env

REALWORLD = Path(__file__).parents[1] / "unit" / "cards" / "realworld"
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def raw_photo_as_text() -> str:
    """A real phone JPEG's bytes as a producer that did not encode them writes them into
    a UTF-8 card: as Latin-1 text, without the bytes that would break the line."""
    text = vcard.decode_bytes((REALWORLD / "sonyericsson_21_photo_empty_emails.vcf").read_bytes())
    photo = vcard.read_photo(text)
    assert photo is not None
    return re.sub(r"[\x00-\x1f\x85]", "", photo[0].decode("latin-1"))


def broken_card(uid: str, tel: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Rita Roh\r\nN:Roh;Rita;;;\r\n"
        f"TEL;TYPE=CELL:{tel}\r\nNOTE:Rückruf\x9a bitte\x7f\r\n"
        f"PHOTO;TYPE=JPEG:{raw_photo_as_text()}\r\nEND:VCARD\r\n"
    )


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Kontakte", radicale_server, tmp_path, monkeypatch, capsys)


def _notes_of(book: dict[str, object]) -> list[str]:
    notes = book["notes"]
    assert isinstance(notes, list)
    return [n for n in notes if "Rita Roh" in n]


def test_a_server_card_with_a_raw_photo_is_stored_without_it_and_never_uploaded(env: Env) -> None:
    env.put("gut.vcf", simple_card("uid-gut", "Gerda Gut", "gerda@example.de"))
    etag = env.put("roh.vcf", broken_card("uid-roh", "+49 170 1111"))
    served, _ = env.server.get_card(env.server.card_url(env.book_url, "roh.vcf"))
    assert CONTROLS.search(served)  # the server really holds (and serves) such a card
    assert "PHOTO" in served

    first = env.sync("sync", "server")
    assert first["_exit"] == 0 and not first["errors"] and not first["_errors"], first
    assert figures(first) == {"added_local": 2}
    [note] = _notes_of(first)
    assert "roh.vcf" in note
    assert "Das Foto (PHOTO) ist nicht lesbar" in note
    assert "Steuerzeichen im Wert von NOTE wurden entfernt" in note
    local = env.local()
    assert not any(CONTROLS.search(text) for text in local.values())
    rita = local["uid-roh"]
    assert "PHOTO" not in rita
    fields = vcard.read_fields(rita)
    assert (fields.fn, fields.phones, fields.note) == (
        "Rita Roh",
        [("cell", "+49 170 1111")],
        "Rückruf bitte",
    )

    # the next run: no change on either side, nothing uploaded, nothing said again
    second = env.sync("sync", "server")
    assert figures(second) == {} and not second["errors"], second
    assert _notes_of(second) == []
    assert (
        env.server.list_etags(env.book_url)[
            next(h for h in env.server.list_etags(env.book_url) if h.endswith("roh.vcf"))
        ]
        == etag
    )
    assert env.server.get_card(env.server.card_url(env.book_url, "roh.vcf"))[0] == served
    assert env.local()["uid-roh"] == rita


def test_a_changed_server_card_is_read_again_and_a_local_edit_goes_up_without_the_photo(
    env: Env,
) -> None:
    env.put("roh.vcf", broken_card("uid-roh", "+49 170 1111"))
    env.sync("sync", "server")

    # another client changes the number and keeps the broken photo: a server change
    env.put("roh.vcf", broken_card("uid-roh", "+49 170 2222"))
    changed = env.sync("sync", "server")
    assert figures(changed) == {"updated_local": 1} and not changed["errors"], changed
    assert len(_notes_of(changed)) == 1
    rita = env.local()["uid-roh"]
    assert not CONTROLS.search(rita) and "+49 170 2222" in rita
    assert figures(env.sync("sync", "server")) == {}

    # an edit in Contactbox is the user's: it goes up as the contact is (no photo)
    code, out = env.run_cli("contacts", "edit", "Rita Roh", "--book", env.name,
                            "--note", "Rückruf erledigt")  # fmt: skip
    assert code == 0, out
    edited = env.sync("sync", "server")
    assert figures(edited) == {"updated_server": 1} and not edited["errors"], edited
    on_server = env.server_cards()["uid-roh"]
    assert "Rückruf erledigt" in on_server and "PHOTO" not in on_server
    assert not CONTROLS.search(on_server)
    assert figures(env.sync("sync", "server")) == {}
