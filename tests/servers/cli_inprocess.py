"""`contactbox-sync` called in-process, as the tests' user types it (one copy for all tests).

`cli_raw` gives (exit code, stdout, stderr); `cli_runner(home, capsys)` a function of the
arguments that gives (exit code, the JSON output parsed, or the text of both streams).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import cli


def cli_raw(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`contactbox-sync --home home args…`: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        code = cli.main(["--home", str(home), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def cli_runner(home: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, Any]]:
    """`contactbox-sync --home home …`: (exit code, JSON output parsed, or the text)."""

    def run_cli(*args: str) -> tuple[int, Any]:
        code, out, err = cli_raw(home, capsys, *args)
        try:
            return code, json.loads(out) if out.strip() else err
        except json.JSONDecodeError:
            return code, out + err

    return run_cli
