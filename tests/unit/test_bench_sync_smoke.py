"""Smoke run of the sync benchmark (``python -m bench.sync run --quick``) so it cannot rot.

Real Radicale (and SabreDAV when php is installed), the real ``contactbox-sync`` CLI and the
protocol floor, 100 contacts, one repeat, no vdirsyncer.  No timing assertions: only that
every scenario produced a result with requests counted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RADICALE_SCENARIOS = {
    "initial", "nochange", "server_1pct", "check",
    "local_1pct_twoway", "local_1pct_oneway", "upload",
}  # fmt: skip
SABRE_SCENARIOS = {"initial", "nochange", "server_1pct"}


def test_quick_benchmark_covers_every_scenario(tmp_path: Path) -> None:
    out = tmp_path / "quick.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.sync", "run", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    found = {(r["server"], r["scenario"], r["tool"]): r for r in rows}

    expected = {("radicale", s, "contactbox") for s in RADICALE_SCENARIOS}
    expected |= {("radicale", s, "floor") for s in RADICALE_SCENARIOS}
    if shutil.which("php"):
        expected |= {("sabredav", s, t) for s in SABRE_SCENARIOS for t in ("contactbox", "floor")}
    missing = expected - set(found)
    assert not missing, f"no result for {sorted(missing)}"
    for key in expected:
        row = found[key]
        assert row["requests"] > 0, key
        assert row["wall"] > 0 and row["rss_mb"] > 0, key
        assert row["server_s"] > 0, key  # the proxy timed the server's answers
        assert sum(row["methods"].values()) == row["requests"], key
    # peak RSS is each client's own (launcher), not the harness's: the floor (standard
    # library only) must come out smaller than the CLI that imports the whole app
    for server in {k[0] for k in expected}:
        assert found[(server, "nochange", "floor")]["rss_mb"] < found[
            (server, "nochange", "contactbox")]["rss_mb"], server  # fmt: skip
    assert all(r["size"] == 100 for r in rows)
    assert not any(r["tool"] == "vdirsyncer" for r in rows)
