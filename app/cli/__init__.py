"""`contactbox-sync`: the headless face of the core, for scripts and benchmarks — a public
interface whose commands and JSON field names stay stable. Exit codes: 0 success, 1 failure
(one-line message on stderr), 2 wrong usage, 3 finished with item errors, 4 deletions held
back by the mass-deletion guard (rerun with --allow-mass-delete), 5 another sync with this
database is running (nothing was done; app/store/lock.py). One module per command group
(accounts, books, calendars, events, contacts, users, reports, backup, daemon), the shared
parts (common, progress), the parser (parser) and the run of one command line (entry:
`main`, the entry point `app.cli:main`; `python -m app.cli` runs it too). Never imports Qt,
so start-up stays lean."""

from __future__ import annotations

from app.cli.common import (
    EXIT_FAIL,
    EXIT_GUARDED,
    EXIT_ITEM_ERRORS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
)
from app.cli.entry import main
from app.cli.parser import build_parser

__all__ = [
    "EXIT_FAIL",
    "EXIT_GUARDED",
    "EXIT_ITEM_ERRORS",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliError",
    "build_parser",
    "main",
]
