"""`contacts ACTION REF --book B` and `contacts ACTION --book B REF` mean the same (issue 17:
scripts write options first as often as last)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.servers.cli_inprocess import cli_raw


def test_the_reference_may_follow_the_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code, _out, err = cli_raw(home, capsys, "contacts", "add", "--book", "Standard",
                              "--fn", "Anna Alt", "--email", "anna@example.org")  # fmt: skip
    assert code == 0, err
    shown = []
    for args in (
        ("contacts", "show", "Anna Alt", "--book", "Standard", "--json"),
        ("contacts", "show", "--book", "Standard", "Anna Alt", "--json"),
        ("contacts", "show", "--book", "Standard", "--json", "Anna Alt"),
    ):
        code, out, err = cli_raw(home, capsys, *args)
        assert code == 0, (args, err)
        shown.append(json.loads(out))
    assert shown[0] == shown[1] == shown[2]
    assert "anna@example.org" in json.dumps(shown[0])

    code, out, err = cli_raw(home, capsys, "contacts", "history", "--book", "Standard", "Anna Alt")
    assert code == 0, err


def test_what_is_left_over_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    for args in (
        ("contacts", "show", "--book", "Standard", "Anna", "Alt"),  # two words: which one?
        ("contacts", "show", "Anna", "--book", "Standard", "Bert"),  # a reference twice
        ("contacts", "list", "--bogus"),
        ("accounts", "extra"),
    ):
        code, _out, err = cli_raw(home, capsys, *args)
        assert code == 2, args
        assert "unrecognized arguments" in err or "invalid choice" in err, (args, err)
