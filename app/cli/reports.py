"""`contactbox-sync reports [LABEL] [--id N]` and its parser: the kept reports of an account
of either kind, or one of them again. What it does, and how a run's report is printed and
becomes the exit code, is in app/cli/report_commands.py, imported when a command runs."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import details_option, js
from app.i18n import _


def cmd_reports(args: argparse.Namespace) -> int:
    from app.cli.report_commands import reports

    return reports(args)


def add_reports_parser(sub: Any) -> None:
    """`reports [LABEL] [--id N]`."""
    r = sub.add_parser(
        "reports",
        help=_("Frühere Berichte"),
        description=_(
            "Ohne --id: die gespeicherten Berichte (eines Accounts, mit LABEL), die neuesten "
            "zuerst: Nr., Zeit, Account, Art (run/check), Ergebnis (ok, errors, failed, "
            "cancelled); mit --id N: den Bericht Nr. N."
        ),
    )
    r.add_argument("label", nargs="?")
    r.add_argument("--id", type=int, help=_("Einen Bericht zeigen: seine Nr."))
    details_option(r)
    js(r)
    r.set_defaults(func=cmd_reports)
