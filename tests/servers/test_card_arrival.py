"""Issue 17: cards from real producers arrive on Radicale, Xandikos and SabreDAV 1.8 with their
values intact, through the `contactbox-sync` CLI (import the .vcf, then sync).

The Outlook-layout 2.1 card (Windows-1252 bytes, 2-part N, UNC paths in a plain and in a
QUOTED-PRINTABLE NOTE, `;` inside X-MS-SPOUSE and X-MS-OL-DESIGN) goes up converted to 3.0;
the FN-less 3.0 cards go up with an FN (Radicale refuses them without). What the server hands
back is read and compared field by field; the local cards stay as imported, and a second run
finds nothing to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import vcard
from app.store import contacts as cs
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, figures, fresh_book_env

REALWORLD = Path(__file__).parents[1] / "unit" / "cards" / "realworld"
FILES = ("outlookstyle_21_cp1252_unc_note.vcf", "constructed_30_no_fn.vcf")


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Ankunft", dav_server, tmp_path, monkeypatch, capsys)


def _import(env: Env) -> dict[str, str]:
    """Import the two corpus files through the CLI; UID -> local text."""
    book = cs.ensure_book(env.name)
    for name in FILES:
        code, out = env.run_cli(
            "contacts", "import", "--book", book.name, "--file", str(REALWORLD / name)
        )
        assert code == 0, out
    local = env.local()
    assert len(local) == 4
    return local


def _value(text: str, name: str) -> str:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    [line] = [x for x in unfolded.splitlines() if re.match(rf"{name}[;:]", x)]
    return line.split(":", 1)[1]


def _text(value: str) -> str:
    """An unknown property's value as vCard 3.0 text (RFC 2425: text is the default type)."""
    return value.replace("\\;", ";").replace("\\,", ",")


@pytest.mark.parametrize("mode", ["oneway", "sync"])
def test_real_producer_cards_arrive_with_their_values(env: Env, mode: str) -> None:
    local = _import(env)
    out = env.sync(mode)
    assert figures(out) == {"added_server": 4}, out["_errors"]
    server = env.server_cards()
    assert set(server) == set(local)
    for uid, text in local.items():
        remote = server[uid]
        assert vcard.read_fields(remote) == vcard.read_fields(text), uid
        assert vcard.normalized_hash(remote) == vcard.normalized_hash(text), uid
        assert re.search(r"^FN[;:]", remote, re.M), "the server card has an FN"
    by_fn = {vcard.read_fields(t).fn: t for t in server.values()}
    [local_kaethe] = [t for t in local.values() if vcard.read_fields(t).fn == "Käthe Weiß"]
    kaethe = by_fn["Käthe Weiß"]
    assert "VERSION:3.0" in kaethe
    assert vcard.read_fields(kaethe).note == (
        "Pläne unter \\\\fileserver\\bau\\2024, Archiv auf \\\\nas01"
    )
    assert _value(kaethe, "N") == "Weiß;Käthe;;;"  # all five components
    # X- values: sent as written (no `\;` added, so SabreDAV 4 has nothing to repair);
    # Radicale re-serializes every card through vobject, which writes their `;` as `\;`
    assert _text(_value(kaethe, "X-MS-SPOUSE")) == "Jörg Weiß; geb. Brandt"
    design = _value(vcard.export_text(local_kaethe), "X-MS-OL-DESIGN")
    assert '<label align="right" color="626262">Amt; Abteilung</label>' in design
    assert _text(_value(kaethe, "X-MS-OL-DESIGN")) == design
    if env.server.name != "radicale":
        assert _value(kaethe, "X-MS-OL-DESIGN") == design
    assert vcard.read_fields(by_fn["Jürgen Müller"]).note == (
        "Ablage: \\\\fileserver\\neu\\Verträge\nSchlüssel liegt bei \\\\srv02"
    )
    assert _value(by_fn["Jörg Brandt"], "FN") == "Jörg Brandt"
    assert _value(by_fn["Stadtwerke Bonn"], "FN") == "Stadtwerke Bonn"
    # the local cards are as they were imported: 2.1 in Windows-1252 terms, 3.0 without FN
    assert env.local() == local
    assert sum("CHARSET=Windows-1252:" in t for t in local.values()) == 2
    assert sum(not re.search(r"^FN[;:]", t, re.M) for t in local.values()) == 2
    # and the next runs see no change on either side
    for again in (mode, "sync"):
        assert figures(env.sync(again)) == {}
    assert env.local() == local
