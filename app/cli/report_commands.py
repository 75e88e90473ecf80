"""A run's report on the command line, for address books and calendars alike: `run_job`
runs a job (with `--progress` if asked) and prints its report as text or JSON, and the
report's outcome becomes the exit code (locked 5, failed 1, held back by the mass-deletion
guard 4, item errors 3, else 0); `reports` lists the kept reports of an account of either
kind, or shows one again (its parser: app/cli/reports.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from app.cli.common import (
    EXIT_FAIL,
    EXIT_GUARDED,
    EXIT_ITEM_ERRORS,
    EXIT_LOCKED,
    EXIT_OK,
    CliError,
    out,
)
from app.cli.progress import finish, progress_printer
from app.i18n import _, format_datetime
from app.store.reports import list_reports, load_report
from app.sync.details import detail_lines
from app.sync.report import RunReport, format_text


def report_exit(report: RunReport) -> int:
    if report.error_kind == "locked":
        return EXIT_LOCKED
    if report.status == "failed":
        return EXIT_FAIL
    if any(b.guarded for b in report.books) and report.kind == "run":
        return EXIT_GUARDED
    if report.status == "errors":
        return EXIT_ITEM_ERRORS
    return EXIT_OK


def print_report(args: argparse.Namespace, report: RunReport) -> int:
    """The report as text or JSON; with --details also every item (JSON: "details")."""
    details = bool(getattr(args, "details", False))
    text = format_text(report)
    if details:
        text += "\n\n" + details_text(report)
    out(args, report.to_dict(details=details), text)
    if report.status == "failed" and not getattr(args, "json", False):
        print(report.message or _("Der Vorgang ist fehlgeschlagen."), file=sys.stderr)
    return report_exit(report)


def details_text(report: RunReport) -> str:
    """The items of a report for the terminal: a heading, one line per item, fields indented."""
    items = report.details()
    if not items:
        return _("Einzelne Änderungen: keine.")
    heading = _("Einzelne Änderungen ({n}):").format(n=len(items))
    return "\n".join([heading, *("  " + line for line in detail_lines(items))])


def run_job(args: argparse.Namespace, job: Any) -> int:
    """Run an address book or calendar job (an `AccountJob` or `CalendarJob`): its
    progress on stderr with --progress, then its report; the report's exit code."""
    progress = progress_printer(args)
    report = job.run(on_progress=progress)
    finish(progress)
    return print_report(args, report)


def reports(args: argparse.Namespace) -> int:
    if args.id is not None:
        data = load_report(args.id, details=bool(getattr(args, "details", False)))
        if data is None:
            raise CliError(_("Den Bericht Nr. {id} gibt es nicht.").format(id=args.id))
        data.pop("id", None)
        print_report(args, RunReport.from_dict(data))
        return EXIT_OK  # showing an old report succeeded, whatever that run's outcome
    account = None
    if args.label:
        from app.accounts import get_account

        account = get_account(args.label, kind=None)
    rows = list_reports(account)
    lines = [
        f"{r['id']}\t{_when(r['started'])}\t{r['account']}\t{r['kind']}\t{r['status']}"
        for r in rows
    ] or [_("Noch keine Berichte.")]
    out(args, rows, "\n".join(lines))
    return EXIT_OK


def _when(started: str) -> str:
    """A report's time (ISO 8601, naive UTC as the store keeps it) as local time in the
    language's format: "06.12.2026 14:05" / "2026-12-06 14:05"."""
    try:
        value = datetime.fromisoformat(started)
    except (TypeError, ValueError):
        return str(started)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone())
