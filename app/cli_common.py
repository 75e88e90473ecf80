"""What every part of `contactbox-sync` (app/cli.py, app/cli_contacts.py, …) shares: the exit
codes, the one-line error, the text-or-JSON output."""

from __future__ import annotations

import argparse
import json
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_ITEM_ERRORS, EXIT_GUARDED = 0, 1, 2, 3, 4
EXIT_LOCKED = 5


class CliError(Exception):
    """A one-line message for stderr and a non-zero exit."""

    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def out(args: argparse.Namespace, data: Any, text: str) -> None:
    """`data` as JSON with --json, else `text`."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)
