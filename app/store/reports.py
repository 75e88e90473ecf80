"""Run reports kept as history: save, list, load; when runs last ran and succeeded."""

from __future__ import annotations

import json
from typing import Any

from peewee import JOIN

from app.store.models import Account, RunReport


def save_report(account: Account | None, data: dict[str, Any], trigger: str) -> int:
    row = RunReport.create(
        account=account,
        account_label=data.get("account", ""),
        trigger=trigger,
        status=data.get("status", "ok"),
        data=json.dumps(data, ensure_ascii=False),
    )
    return int(row.id)


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


def load_report(report_id: int) -> dict[str, Any] | None:
    r = _with_account().where(RunReport.id == report_id).first()
    return None if r is None else _data(r)


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
