"""`contactbox-sync --language en` against a real Radicale (issue 20, the CLI part A):
`account add` with a wrong password, an unreachable server and a self-signed certificate,
`account check|list|show`, `books`, `binding`, `sync`'s refusal and `run --progress` speak
English — no German word (tests/i18n_words.py) — and their JSON is the same in both
languages (`account check`'s "message" is free text: the server check's words).

The connection check's own words come from app/dav/* and app/accounts.py (another part of
the core): they are let through while they are still the same in both languages
(`not_yet_english`); once that part is translated, the whole line must be English."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.i18n_words import assert_no_german
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer, free_port, make_self_signed, start_radicale_tls


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def en(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return cli_raw(home, capsys, "--language", "en", *args)


def de(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return cli_raw(home, capsys, "--language", "de", *args)


def not_yet_english(text_en: str, text_de: str) -> list[str]:
    """Another part's text, let through while it is the same in both languages."""
    return [text_en] if text_en == text_de else []


def both_json(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Any, Any]:
    code_de, out_de, err_de = de(home, capsys, *args, "--json")
    code_en, out_en, err_en = en(home, capsys, *args, "--json")
    assert code_de == code_en, (args, err_de, err_en)
    return json.loads(out_de), json.loads(out_en)


def test_wrong_password_and_unreachable_server_in_english(
    radicale_server: DavServer, home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "Not-The-Password-55")
    wrong = ("account", "add", "Office", "--url", radicale_server.root_url, "--user",
             radicale_server.user)  # fmt: skip
    code, out, err_en = en(home, capsys, *wrong)
    _, _, err_de = de(home, capsys, *wrong)
    assert (code, out) == (1, "") and err_en.startswith("contactbox-sync: ")
    assert err_en.count("\n") == 1 and "Not-The-Password-55" not in err_en
    assert_no_german(err_en, allow=not_yet_english(err_en, err_de))
    code, out, _ = en(home, capsys, "account", "list")
    assert (code, out) == (0, "No accounts set up.\n")

    unreachable = ("account", "add", "Away", "--url", f"http://127.0.0.1:{free_port()}/",
                   "--user", "u")  # fmt: skip
    code, out, err_en = en(home, capsys, *unreachable)
    _, _, err_de = de(home, capsys, *unreachable)
    assert (code, out) == (1, "") and err_en.startswith("contactbox-sync: ")
    assert err_en.count("\n") == 1  # one line, no traceback
    assert_no_german(err_en, allow=not_yet_english(err_en, err_de))


def test_accounts_books_bindings_and_progress_in_english(
    radicale_server: DavServer, home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    server = radicale_server
    name = f"Customers {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(
        book_url,
        {f"c{i}.vcf": simple_card(f"uid-c{i}", f"Person {i}", f"p{i}@example.org")
         for i in range(30)},
        display_name=name,
    )  # fmt: skip
    monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
    code, out, err = en(home, capsys, "account", "add", "Office", "--url", server.root_url,
                        "--user", server.user)  # fmt: skip
    assert code == 0, err
    assert out.startswith("Account “Office” added (") and err == ""

    # account check: the check's message is the other part's; the JSON the same but it.
    code, out, err = en(home, capsys, "account", "check", "Office")
    _, out_de, _ = de(home, capsys, "account", "check", "Office")
    assert code == 0, err
    assert_no_german(out, allow=[*not_yet_english(out, out_de), name])
    checked_de, checked_en = both_json(home, capsys, "account", "check", "Office")
    assert {**checked_de, "message": ""} == {**checked_en, "message": ""}

    # books: every book of the (shared) server; their names and paths are the user's data.
    books_de, books_en = both_json(home, capsys, "books", "Office")
    assert books_de == books_en
    (mine,) = [b for b in books_en if b["name"] == name]
    assert mine["server_count"] == 30 and mine["local_count"] == 0
    code, out, err = en(home, capsys, "books", "Office")
    assert code == 0, err
    assert f"{name}\t{mine['href']}\tServer: 30\tContactbox: 0\n" in out
    assert_no_german(out, allow=[x for b in books_en for x in (b["name"], b["href"])])

    # run --progress: BOOK: PHASE DONE/TOTAL on stderr, whole lines (not a terminal).
    code, out, err = en(home, capsys, "run", "Office", "--book", name, "--mode", "import",
                        "--progress", "--json")  # fmt: skip
    assert code == 0, err
    lines = err.splitlines()
    shape = re.compile(rf"{re.escape(name)}: (list|fetch|apply) \d+/\d+\Z")
    assert lines and all(shape.match(line) for line in lines), lines
    assert lines[-1] == f"{name}: apply 30/30"
    assert_no_german(err)

    # The account now has one address book: a real singular.
    code, out, err = en(home, capsys, "account", "list")
    assert code == 0 and out.endswith("\ton\t15 min\t1 address book\n"), out
    code, out, err = en(home, capsys, "account", "show", "Office")
    assert code == 0 and "Address books: 1" in out.splitlines()
    assert f"  {name} ({mine['href']})" in out.splitlines()
    assert_no_german(out)
    listed_de, listed_en = both_json(home, capsys, "account", "list")
    assert listed_de == listed_en and listed_en[0]["books"][0]["mode"] == "import"
    shown_de, shown_en = both_json(home, capsys, "account", "show", "Office")
    assert shown_de == shown_en

    # sync: an import is not continued — refused, in English.
    code, out, err = en(home, capsys, "sync", "Office")
    assert (code, out) == (1, "")
    assert err == (
        "contactbox-sync: “Office” has no one-way or synchronization connection set up "
        "(see “run”).\n"
    )

    # binding disable / enable / remove, JSON the same in both languages.
    for action, said in (("disable", f"“{name}”: disabled.\n"),
                         ("enable", f"“{name}”: enabled.\n")):  # fmt: skip
        code, out, err = en(home, capsys, "binding", action, "Office", "--book", name)
        assert (code, out) == (0, said), err
        data_de, data_en = both_json(home, capsys, "binding", action, "Office", "--book", name)
        assert data_de == data_en == {"book": name, "action": action}
    code, out, err = en(home, capsys, "binding", "remove", "Office", "--book", name)
    assert (code, out) == (0, f"“{name}” is no longer synchronized; the contacts are kept.\n")
    code, out, err = en(home, capsys, "binding", "remove", "Office", "--book", name)
    assert (code, err) == (1, f"contactbox-sync: “{name}” is not connected to Contactbox.\n")


def test_a_self_signed_certificate_says_how_to_trust_it_in_english(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    certificate = make_self_signed(tmp_path, "english")
    with start_radicale_tls(tmp_path / "tls", certificate) as server:
        monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)
        add = ("account", "add", "Secure", "--url", server.root_url, "--user", server.user)
        code, out, err_en = en(home, capsys, *add)
        _, _, err_de = de(home, capsys, *add)
        fingerprint = certificate.fingerprint
        assert (code, out) == (1, "")
        assert err_en.endswith(f" To trust it: --trust-fingerprint {fingerprint}\n"), err_en
        assert err_de.endswith(f" Zum Vertrauen: --trust-fingerprint {fingerprint}\n"), err_de
        # What the TLS check said (app/dav/*) before our hint.
        theirs_en = err_en[: err_en.index(" To trust it:")]
        theirs_de = err_de[: err_de.index(" Zum Vertrauen:")]
        theirs_en = theirs_en.removesuffix(f" SHA-256 fingerprint: {fingerprint}.")
        theirs_de = theirs_de.removesuffix(f" SHA-256-Fingerabdruck: {fingerprint}.")
        assert_no_german(err_en, allow=not_yet_english(theirs_en, theirs_de))
        code, out, err = en(home, capsys, *add, "--trust-fingerprint", fingerprint)
        assert code == 0, err
        assert out.startswith("Account “Secure” added (https://127.0.0.1:")
        code, out, err = en(home, capsys, "account", "check", "Secure")
        _, out_de, _ = de(home, capsys, "account", "check", "Secure")
        assert code == 0, err
        assert_no_german(out, allow=not_yet_english(out, out_de))
