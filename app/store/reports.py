"""Run reports kept as history: save, list, load."""

from __future__ import annotations

import json
from typing import Any

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


def list_reports(account: Account | None = None, limit: int = 50) -> list[dict[str, Any]]:
    q = RunReport.select().order_by(RunReport.id.desc()).limit(limit)
    if account is not None:
        q = q.where(RunReport.account == account)
    return [{"id": r.id, **json.loads(r.data)} for r in q]


def load_report(report_id: int) -> dict[str, Any] | None:
    r = RunReport.get_or_none(RunReport.id == report_id)
    return None if r is None else {"id": r.id, **json.loads(r.data)}


def last_run_times(account_id: int) -> tuple[Any, Any]:
    """(start of the last run that was not cancelled, start of the last successful run)
    of an account, as naive UTC datetimes or None: where a scheduler continues from."""
    runs = RunReport.select(RunReport.started).where(RunReport.account == account_id)
    last = runs.where(RunReport.status != "cancelled").order_by(RunReport.id.desc()).first()
    ok = runs.where(RunReport.status.in_(("ok", "errors"))).order_by(RunReport.id.desc()).first()
    return (last.started if last else None, ok.started if ok else None)
