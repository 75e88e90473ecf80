"""Smoke run of the calendar benchmark (``python -m bench.sync calendar``) so it cannot rot.

Real Radicale with a seeded calendar (series included), the real ``contactbox-sync
calendar run`` of this checkout and the protocol floor, 60 events, one repeat, no
vdirsyncer. No timing assertions: every scenario produced a result with its requests
counted, and a no-change run is one request.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_calendar_benchmark_covers_every_scenario(tmp_path: Path) -> None:
    out = tmp_path / "calendar.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.sync", "calendar", "--sizes", "60", "--repeat", "1",
         "--tools", "contactbox,floor", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert Path(data["meta"]["app"]) == ROOT  # the checkout's own app/ was measured
    found = {(r["scenario"], r["tool"]): r for r in data["rows"]}
    expected = {(s, t) for s in ("initial", "nochange", "server_1pct")
                for t in ("contactbox", "floor")}  # fmt: skip
    assert set(found) == expected
    for key, row in found.items():
        assert row["size"] == 60 and row["requests"] > 0, key
        assert row["wall"] > 0 and row["rss_mb"] > 0 and row["server_s"] > 0, key
        assert sum(row["methods"].values()) == row["requests"], key
    assert found[("nochange", "contactbox")]["requests"] == 1
    assert found[("server_1pct", "contactbox")]["methods"] == {"REPORT": 2}  # delta + multiget
    assert found[("initial", "contactbox")]["bytes_down"] > 0
