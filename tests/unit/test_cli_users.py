"""`contactbox-sync users list|add|rename|remove|use` (issue 17: a headless install can be
set up like the GUI's Benutzerkonfiguration): human text, --json, German errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.store.models import Appointment, User
from app.store.users import current_user
from tests.servers.cli_inprocess import cli_raw


def _json(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = cli_raw(home, capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_list_shows_the_users_as_the_gui_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code, out, err = cli_raw(home, capsys, "users", "list")
    assert code == 0, err
    assert out.splitlines() == [
        "Standardbenutzer (aktuell, Standard)\t0 Termine\t0 Wiedervorlagen"
        "\tkein Kalender abgeglichen"
    ]
    code, out, err = cli_raw(home, capsys, "users", "add", "Eva")
    assert (code, out.strip(), err) == (0, "Benutzer „Eva“ angelegt.", "")
    code, _out, err = cli_raw(home, capsys, "calendar", "event", "add", "--user", "Eva",
                              "--summary", "Zahnarzt", "--start", "2026-12-24T09:00")  # fmt: skip
    assert code == 0, err

    data = _json(home, capsys, "users", "list")
    assert data == [
        {"id": 2, "name": "Eva", "current": False, "default": False, "appointments": 1,
         "followups": 0, "calendar": None},
        {"id": 1, "name": "Standardbenutzer", "current": True, "default": True,
         "appointments": 0, "followups": 0, "calendar": None},
    ]  # fmt: skip
    code, out, _err = cli_raw(home, capsys, "users", "list")
    assert out.splitlines()[0].startswith("Eva\t1 Termin\t0 Wiedervorlagen\t")


def test_add_refuses_a_duplicate_name_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    added = _json(home, capsys, "users", "add", "  Eva   Engel ")
    assert added == {"id": 2, "name": "Eva Engel", "current": False, "default": False,
                     "appointments": 0, "followups": 0, "calendar": None}  # fmt: skip
    for name in ("Eva Engel", "eva engel", " EVA  ENGEL"):
        code, out, err = cli_raw(home, capsys, "users", "add", name)
        assert code == 1 and out == ""
        assert err.strip() == "contactbox-sync: Einen Benutzer „Eva Engel“ gibt es bereits."
    code, _out, err = cli_raw(home, capsys, "users", "add", "   ")
    assert code == 1 and "Bitte einen Namen für den Benutzer angeben." in err
    code, _out, err = cli_raw(home, capsys, "users", "add", "x" * 101)
    assert code == 1 and "zu lang" in err
    code, _out, err = cli_raw(home, capsys, "users", "add")
    assert code == 2 and "required" in err
    assert [u.name for u in User.select().order_by(User.id)] == ["Standardbenutzer", "Eva Engel"]


def test_rename_and_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    cli_raw(home, capsys, "users", "add", "Eva")
    code, out, err = cli_raw(home, capsys, "users", "rename", "eva", "Eva Engel")
    assert (code, out.strip()) == (0, "Benutzer „Eva“ heißt jetzt „Eva Engel“."), err
    code, _out, err = cli_raw(home, capsys, "users", "rename", "Eva Engel", "standardbenutzer")
    assert code == 1 and "Einen Benutzer „Standardbenutzer“ gibt es bereits." in err
    code, _out, err = cli_raw(home, capsys, "users", "rename", "Nobody", "X")
    assert code == 1
    assert "Den Benutzer „Nobody“ gibt es nicht (vorhanden: Standardbenutzer, Eva Engel)." in err

    data = _json(home, capsys, "users", "use", "Eva Engel")
    assert data == {"id": 2, "name": "Eva Engel", "current": True, "default": False,
                    "appointments": 0, "followups": 0, "calendar": None}  # fmt: skip
    assert current_user().name == "Eva Engel"
    # The current user is whose appointments `calendar event` works on without --user.
    code, _out, err = cli_raw(home, capsys, "calendar", "event", "add", "--summary", "Termin",
                              "--start", "2026-12-24")  # fmt: skip
    assert code == 0, err
    assert Appointment.get().user.name == "Eva Engel"
    code, out, _err = cli_raw(home, capsys, "users", "use", "2")  # by number
    assert code == 0 and "„Eva Engel“ ist jetzt der aktuelle Benutzer." in out


def test_remove_asks_for_yes_and_never_removes_the_last_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    cli_raw(home, capsys, "users", "add", "Eva")
    cli_raw(home, capsys, "users", "use", "Eva")
    cli_raw(home, capsys, "calendar", "event", "add", "--summary", "T", "--start", "2026-12-24")
    code, out, err = cli_raw(home, capsys, "users", "remove", "Eva")
    assert code == 2 and out == ""
    assert "„Eva“ wird nur mit --yes entfernt: 1 Termin und 0 Wiedervorlagen des Benutzers" in err
    assert User.select().count() == 2 and Appointment.select().count() == 1

    data = _json(home, capsys, "users", "remove", "--yes", "Eva")
    assert data == {"removed": "Eva", "current": "Standardbenutzer"}
    assert [u.name for u in User.select()] == ["Standardbenutzer"]
    assert Appointment.select().count() == 0
    assert current_user().name == "Standardbenutzer"

    code, _out, err = cli_raw(home, capsys, "users", "remove", "Standardbenutzer", "--yes")
    assert code == 1
    assert "„Standardbenutzer“ ist der einzige Benutzer und kann nicht entfernt werden." in err
    code, _out, err = cli_raw(home, capsys, "users", "remove", "Eva", "--yes")
    assert code == 1 and "Den Benutzer „Eva“ gibt es nicht" in err
