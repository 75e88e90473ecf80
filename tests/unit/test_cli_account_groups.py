"""How an address book account writes groups (issue 19): `account add|set --groups
categories|cards|both`, the default of a new account from its server type (every way an
account is created: `app.accounts.add_account`, which the CLI and the account dialog call),
`account list|show --json` showing it — and a new group of a bound book written that way.
Real SQLite store, real (in-memory) keyring backend, the CLI in-process; `--no-check`
(no server needed to save an account)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.accounts import AccountError, add_account, set_group_style
from app.store import contacts as cs
from app.store.models import Account, Binding
from tests.servers.cli_inprocess import cli_raw


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTACTBOX_PASSWORD", "geheim")
    return tmp_path / "home"


def ok(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = cli_raw(home, capsys, *args, "--json")
    assert code == 0, (args, err)
    return json.loads(out)


def add(home: Path, capsys: pytest.CaptureFixture[str], label: str, *extra: str) -> Any:
    return ok(home, capsys, "account", "add", label, "--url", f"https://{label.lower()}.example",
              "--user", "eva", "--no-check", *extra)  # fmt: skip


def test_a_new_account_gets_its_server_types_default_unless_told(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(home, capsys, "NC", "--preset", "nextcloud")["groups"] == "categories"
    assert add(home, capsys, "OC", "--preset", "owncloud")["groups"] == "categories"
    assert add(home, capsys, "Kerio", "--preset", "kerio")["groups"] == "cards"
    assert add(home, capsys, "Radi", "--preset", "radicale")["groups"] == "cards"
    assert add(home, capsys, "Other")["groups"] == "cards"
    assert (
        add(home, capsys, "Both", "--groups", "both", "--preset", "nextcloud")["groups"] == "both"
    )
    listed = {a["label"]: a for a in ok(home, capsys, "account", "list")}
    assert {k: a["groups"] for k, a in listed.items()} == {
        "NC": "categories", "OC": "categories", "Kerio": "cards", "Radi": "cards",
        "Other": "cards", "Both": "both",
    }  # fmt: skip
    assert list(listed["NC"]) == ["label", "user", "url", "enabled", "interval_minutes",
                                  "groups", "books"]  # fmt: skip
    assert {a.label: a.group_style for a in Account.select()} == {
        k: a["groups"] for k, a in listed.items()
    }


def test_account_set_and_show(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(home, capsys, "NC", "--preset", "nextcloud")
    shown = ok(home, capsys, "account", "show", "NC")
    assert shown == {"label": "NC", "user": "eva", "url": "https://nc.example/remote.php/dav/",
                     "enabled": True, "interval_minutes": 15, "groups": "categories",
                     "books": []}  # fmt: skip
    code, out, err = cli_raw(home, capsys, "account", "show", "NC")
    assert (code, err) == (0, "")
    assert "Gruppen: als Kategorien" in out.splitlines()

    data = ok(home, capsys, "account", "set", "NC", "--groups", "both")
    assert data == {"label": "NC", "enabled": True, "interval_minutes": 15, "groups": "both"}
    data = ok(home, capsys, "account", "set", "NC", "--interval", "30")  # the rest stays
    assert data["groups"] == "both"
    code, out, err = cli_raw(home, capsys, "account", "set", "--groups", "cards", "NC")
    assert (code, err) == (0, "")
    assert out.strip() == "Account „NC“: an, Importintervall 30 Min., Gruppen als Gruppen-vCards."
    assert ok(home, capsys, "account", "show", "NC")["groups"] == "cards"

    code, out, err = cli_raw(home, capsys, "account", "set", "NC", "--groups", "gruppen")
    assert (code, out) == (2, "") and "invalid choice: 'gruppen'" in err
    code, out, err = cli_raw(home, capsys, "account", "show", "Nix")
    assert (code, out) == (1, "")
    assert err.strip() == "contactbox-sync: Den Account „Nix“ gibt es nicht (vorhanden: NC)."


def test_calendar_accounts_have_no_group_setting(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ok(home, capsys, "calendar", "account", "add", "Kal", "--url", "https://kal.example",
              "--user", "eva", "--no-check")  # fmt: skip
    assert "groups" not in data
    assert "groups" not in ok(home, capsys, "calendar", "account", "show", "Kal")
    code, _out, err = cli_raw(home, capsys, "calendar", "account", "add", "K2", "--url",
                              "https://k2.example", "--user", "eva", "--no-check",
                              "--groups", "both")  # fmt: skip
    assert code == 2 and "--groups" in err


def test_a_new_group_is_written_as_the_bound_account_says(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`account set --groups` decides the form of the next new group of its books."""
    add(home, capsys, "NC", "--preset", "nextcloud")
    book = cs.ensure_book("Kunden")
    Binding.create(account=Account.get(Account.label == "NC"), remote_href="/k/", book=book,
                   operation="sync", option="server")  # fmt: skip
    code, _out, err = cli_raw(
        home, capsys, "contacts", "add", "--book", "Kunden", "--fn", "Anna Alt"
    )
    assert code == 0, err
    made = {}
    for style, group in (("categories", "G1"), ("cards", "G2"), ("both", "G3")):
        ok(home, capsys, "account", "set", "NC", "--groups", style)
        made[group] = ok(home, capsys, "contacts", "group", "create", group, "Anna Alt",
                         "--book", "Kunden")["kind"]  # fmt: skip
    assert made == {"G1": "categories", "G2": "card", "G3": "both"}
    groups = ok(home, capsys, "contacts", "groups", "--book", "Kunden")
    assert [(g["name"], g["members"]) for g in groups] == [("G1", 1), ("G2", 1), ("G3", 1)]


def test_add_account_sets_the_default_for_every_caller(store: Path) -> None:
    """The account dialog and the CLI both create accounts through add_account."""
    nc = add_account("NC", server="https://nc.example", username="u", password="p",
                     preset="nextcloud")  # fmt: skip
    kerio = add_account("Kerio", server="https://k.example", username="u", password="p",
                        preset="kerio")  # fmt: skip
    told = add_account("Told", server="https://t.example", username="u", password="p",
                       preset="owncloud", group_style="cards")  # fmt: skip
    stored = {a.label: a.group_style for a in Account.select()}
    assert stored == {"NC": "categories", "Kerio": "cards", "Told": "cards"}
    assert (nc.group_style, kerio.group_style, told.group_style) == ("categories", "cards", "cards")

    with pytest.raises(AccountError, match="keine Art, Gruppen zu schreiben"):
        add_account("Bad", server="https://b.example", username="u", password="p",
                    group_style="vcards")  # fmt: skip
    assert not Account.select().where(Account.label == "Bad").exists()

    set_group_style(nc, "both")
    assert Account.get(Account.label == "NC").group_style == "both"
    with pytest.raises(AccountError, match="möglich: categories, cards, both"):
        set_group_style(nc, "")
    assert Account.get(Account.label == "NC").group_style == "both"
