"""Results: medians, ratios, JSON and the markdown table in docs/PERFORMANCE.md (## Sync)."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.sync.scenarios import SCENARIOS

SECTION = "## Sync"
TOOLS = ("contactbox", "vdirsyncer", "floor")


def summarize(raw: list[dict]) -> list[dict]:
    """Raw rows (one per run) -> one row per (server, size, scenario, tool) with medians."""
    groups: dict[tuple, list[dict]] = {}
    for row in raw:
        groups.setdefault((row["server"], row["size"], row["scenario"], row["tool"]), []).append(
            row["run"]
        )
    out = []
    for (server, size, scenario, tool), runs in groups.items():
        med = {
            key: statistics.median(r[key] for r in runs)
            for key in ("wall", "cpu", "rss_mb", "requests", "bytes_up", "bytes_down")
        }
        out.append({"server": server, "size": size, "scenario": scenario, "tool": tool,
                    "runs": len(runs), **med, "methods": runs[-1].get("methods", {})})  # fmt: skip
    index = {(r["server"], r["size"], r["scenario"], r["tool"]): r for r in out}
    for r in out:
        key = (r["server"], r["size"], r["scenario"])
        floor_scn = r["scenario"]
        if r["scenario"] == "local_1pct_oneway":
            floor_scn = "local_1pct_oneway"
        for other, field in (("vdirsyncer", "x_vdirsyncer"), ("floor", "x_floor")):
            ref = index.get((*key[:2], floor_scn, other))
            if ref is None and other == "vdirsyncer" and r["scenario"] == "local_1pct_oneway":
                ref = index.get((*key[:2], "local_1pct_twoway", other))
            r[field] = (r["wall"] / ref["wall"]) if ref and ref["wall"] and r["tool"] != other \
                else None  # fmt: skip
    order = {s: i for i, s in enumerate([*SCENARIOS, "upload_x4"])}
    out.sort(key=lambda r: (r["server"] != "radicale", r["size"], order.get(r["scenario"], 99),
                            TOOLS.index(r["tool"])))  # fmt: skip
    return out


def _ratio(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}×"


def table(rows: list[dict]) -> str:
    lines = [
        "| server | cards | scenario | tool | wall s | CPU s | peak RSS MB | requests | "
        "MB up/down | × vdirsyncer | × floor |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['server']} | {r['size']:,} | {r['scenario']} | {r['tool']} | "
            f"{r['wall']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} | {r['requests']:.0f} | "
            f"{r['bytes_up'] / 1e6:.2f} / {r['bytes_down'] / 1e6:.2f} | "
            f"{_ratio(r['x_vdirsyncer'])} | {_ratio(r['x_floor'])} |"
        )
    return "\n".join(lines)


def section(meta: dict, rows: list[dict], extra: str = "") -> str:
    machine = (
        f"{meta['date']} · {meta['cpus']} CPUs ({meta['cpu_model']}) · Python {meta['python']} · "
        f"Radicale {meta['radicale']} · vdirsyncer {meta['vdirsyncer'] or 'not run'} · "
        f"contactbox-sync {meta['contactbox']} · {meta['repeat']} repeat(s), medians"
    )
    return (
        f"{SECTION}\n\n"
        "Measured with `python -m bench.sync run` (see [bench/README.md](../bench/README.md)): "
        "every tool as a fresh child process against the same local server in the same run, "
        "through one counting proxy. Wall time, CPU (user+sys) and peak RSS are the client "
        "process's; ratios are wall-time ratios.\n\n"
        f"Machine: {machine}.\n\n"
        f"Command: `{meta['command']}`\n\n"
        f"{table(rows)}\n"
        f"{extra}"
    )


def write_section(doc: Path, text: str) -> None:
    """Replace the ``## Sync`` section (up to the next ``## `` heading) or append it."""
    if not doc.exists():
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(f"# Performance\n\n{text.rstrip()}\n", encoding="utf-8")
        return
    lines = doc.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        body = "\n".join(lines).rstrip() + "\n\n" + text.rstrip() + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = lines[end:]
        body = "\n".join(lines[:start]).rstrip() + "\n\n" + text.rstrip() + "\n"
        if tail:
            body += "\n" + "\n".join(tail).rstrip() + "\n"
    doc.write_text(body.lstrip("\n"), encoding="utf-8")
