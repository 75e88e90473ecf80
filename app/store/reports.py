"""Run reports kept as history: save, list, load; when runs last ran and succeeded.

A report's details (each item the run changed, app.sync.details) are kept apart from its
data (RunReportDetails): listing reports never reads them, `load_report` gives them as
"details" when there are any (a report stored before they existed has none)."""

from __future__ import annotations

import json
from typing import Any

from peewee import JOIN

from app.store.models import Account, RunReport, RunReportDetails, database


def save_report(
    account: Account | None,
    data: dict[str, Any],
    trigger: str,
    details: list[dict[str, Any]] | None = None,
) -> int:
    """Keep a report (`details`: its items, `ItemDetail.to_dict()` each, if any)."""
    with database.atomic():
        row = RunReport.create(
            account=account,
            account_label=data.get("account", ""),
            trigger=trigger,
            status=data.get("status", "ok"),
            data=json.dumps(data, ensure_ascii=False),
        )
        if details:
            text = json.dumps(details, ensure_ascii=False, separators=(",", ":"))
            RunReportDetails.create(report=row, data=text)
    return int(row.id)


def report_details(report_id: int) -> list[dict[str, Any]]:
    """The items a kept report's run changed; [] for one without (stored before)."""
    row = RunReportDetails.get_or_none(RunReportDetails.report == report_id)
    return [] if row is None else list(json.loads(row.data))


def _with_account() -> Any:
    """Reports with their account's kind (none when the account was removed)."""
    return RunReport.select(RunReport, Account.kind).join(Account, JOIN.LEFT_OUTER)


def _data(row: RunReport) -> dict[str, Any]:
    """A stored report's data with its id. A report stored before reports said what they
    are about ("collection") gets it from its account: a calendar account's runs are
    about calendars (app.sync.report.RunReport.from_dict gives it to the books)."""
    data: dict[str, Any] = json.loads(row.data)
    if "collection" not in data:
        kind = getattr(row.account, "kind", None)  # joined: None when the account is gone
        data["collection"] = "calendar" if kind == "caldav" else "addressbook"
    return {"id": row.id, **data}


def list_reports(account: Account | None = None, limit: int = 50) -> list[dict[str, Any]]:
    q = _with_account().order_by(RunReport.id.desc()).limit(limit)
    if account is not None:
        q = q.where(RunReport.account == account)
    return [_data(r) for r in q]


def load_report(report_id: int, details: bool = False) -> dict[str, Any] | None:
    """A kept report's data; with `details` also its items as "details" (if it has any)."""
    r = _with_account().where(RunReport.id == report_id).first()
    if r is None:
        return None
    data = _data(r)
    if details:
        found = report_details(report_id)
        if found:
            data["details"] = found
    return data


def last_run_times(account_id: int) -> tuple[Any, Any]:
    """(start of the last run that was not cancelled, start of the last successful run)
    of an account, as naive UTC datetimes or None: where a scheduler continues from."""
    runs = RunReport.select(RunReport.started).where(RunReport.account == account_id)
    last = runs.where(RunReport.status != "cancelled").order_by(RunReport.id.desc()).first()
    ok = runs.where(RunReport.status.in_(("ok", "errors"))).order_by(RunReport.id.desc()).first()
    return (last.started if last else None, ok.started if ok else None)


def last_success_time() -> Any:
    """When the latest successful run ("ok" or "errors") of any account ended, as a naive
    UTC datetime, or None. save_report() stores a run when it ends: its `started` column
    is the end time."""
    row = (
        RunReport.select(RunReport.started)
        .where(RunReport.status.in_(("ok", "errors")))
        .order_by(RunReport.id.desc())
        .first()
    )
    return row.started if row else None


def last_report_id(account_id: int) -> int:
    """The id of the account's latest stored report, 0 when it has none."""
    row = (
        RunReport.select(RunReport.id)
        .where(RunReport.account == account_id)
        .order_by(RunReport.id.desc())
        .first()
    )
    return int(row.id) if row else 0
