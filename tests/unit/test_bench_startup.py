"""The start-up bench (bench/startup.py) runs and reports what docs/PERFORMANCE.md quotes:
one quick round without Radicale (`--no-sync`), the results file read back."""

from __future__ import annotations

import json
from pathlib import Path

from bench import startup


def test_the_startup_bench_measures_every_command_against_the_bare_interpreter(
    tmp_path: Path,
) -> None:
    out = tmp_path / "startup.json"
    assert startup.main(["--no-sync", "--repeat", "1", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["tree"], r["command"]): r for r in data["rows"]}
    assert rows[("", "`python -c pass`")]["x_bare"] == 1.0
    for command in ("version", "help", "account_list"):
        row = rows[("after", command)]
        assert row["runs"] == 1 and row["wall_ms"] > 0 and row["x_bare"] > 0
    assert data["raw"]["after"]["sync"] == []  # (--no-sync)
    assert data["meta"]["command"].startswith("python -m bench.startup --no-sync")
