"""`contactbox-sync`: the headless face of the core, for scripts and benchmarks — a public
interface whose commands and JSON field names stay stable. Exit codes: 0 success, 1 failure
(one-line message on stderr), 2 wrong usage, 3 finished with item errors, 4 deletions held
back by the mass-deletion guard (rerun with --allow-mass-delete), 5 another sync with this
database is running (nothing was done; app/store/lock.py).

Each command group has two modules: its words and parser with the command functions the
parser names (accounts, books, calendars, events, contacts, users, reports, backup, daemon),
and what the commands do (account_commands, book_commands, calendar_commands,
event_commands, contact_commands with groups, user_commands, report_commands,
backup_commands), which a command function imports when it runs. So the parser (parser),
the run of one command line (entry: `main`, the entry point `app.cli:main`; `python -m
app.cli` runs it too) and the shared parts (common, progress, event_times) load no network,
database or keyring code: `--version` and `--help` start in about the time of the bare
interpreter, and each command loads only what it uses (tests/unit/test_cli_startup.py);
this package's own `main` ends `contactbox-sync --version` alone before any of them loads,
and loads the names it re-exports when first asked for.
Never imports Qt."""

from __future__ import annotations

import sys

from app import __version__

TYPE_CHECKING = False  # (not typing's: `--version` alone loads no more than it needs)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from app.cli.common import (
        EXIT_FAIL,
        EXIT_GUARDED,
        EXIT_ITEM_ERRORS,
        EXIT_LOCKED,
        EXIT_OK,
        EXIT_USAGE,
        CliError,
    )
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

_FROM_COMMON = frozenset(__all__) - {"build_parser", "main"}


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point: app/cli/entry.py `main`. A process started as `contactbox-sync
    --version` alone prints the version as argparse would and ends, without loading the
    command line's modules (issue 21: as fast as the bare interpreter)."""
    if argv is None and sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"contactbox-sync {__version__}\n")
        raise SystemExit(0)  # (as argparse's version action ends: the process ends here)
    from app.cli.entry import main as run

    return run(argv)


def __getattr__(name: str) -> Any:
    """The re-exported names, loaded when first asked for (see `main`)."""
    if name in _FROM_COMMON:
        from app.cli import common

        return getattr(common, name)
    if name == "build_parser":
        from app.cli.parser import build_parser

        return build_parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
