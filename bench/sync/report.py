"""Results: medians, ratios, JSON and the markdown table in docs/PERFORMANCE.md (## Sync)."""

from __future__ import annotations

import re
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
    for (server, size, scenario, tool), all_runs in groups.items():
        runs = [r for r in all_runs if not r.get("error")] or all_runs
        med = {
            key: statistics.median(r.get(key, 0.0) for r in runs)
            for key in ("wall", "cpu", "rss_mb", "requests", "bytes_up", "bytes_down", "server_s")
        }
        out.append({"server": server, "size": size, "scenario": scenario, "tool": tool,
                    "runs": len(runs), **med, "methods": runs[-1].get("methods", {}),
                    "error": runs[-1].get("error", "")})  # fmt: skip
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
            ok = ref and ref["wall"] and not ref.get("error") and not r.get("error")
            r[field] = (r["wall"] / ref["wall"]) if ok and r["tool"] != other else None
    return order(out)


def order(rows: list[dict]) -> list[dict]:
    """Radicale before SabreDAV, then by size, scenario (as in SCENARIOS) and tool."""
    rank = {s: i for i, s in enumerate([*SCENARIOS, "upload_x4"])}

    def key(r: dict) -> tuple:
        return (r["server"] != "radicale", r["size"], rank.get(r["scenario"], 99),
                TOOLS.index(r["tool"]))  # fmt: skip

    return sorted(rows, key=key)


def _wall(r: dict) -> str:
    if r.get("error"):
        m = re.search(r"\b([45]\d\d), message='([^']*)'", r["error"])
        why = f"HTTP {m.group(1)} {m.group(2)}" if m else r["error"][:60].replace("|", "/")
        return f"failed after {r['wall']:.2f} ({why})"
    return f"{r['wall']:.2f}"


def _ratio(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}×"


def table(rows: list[dict]) -> str:
    lines = [
        "| server | cards | scenario | tool | wall s | server s | CPU s | peak RSS MB | requests | "
        "MB up/down | × vdirsyncer | × floor |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['server']} | {r['size']:,} | {r['scenario']} | {r['tool']} | "
            f"{_wall(r)} | {r.get('server_s', 0.0):.2f} | {r['cpu']:.2f} | "
            f"{r['rss_mb']:.0f} | {r['requests']:.0f} | "
            f"{r['bytes_up'] / 1e6:.2f} / {r['bytes_down'] / 1e6:.2f} | "
            f"{_ratio(r['x_vdirsyncer'])} | {_ratio(r['x_floor'])} |"
        )
    return "\n".join(lines)


def _machine(meta: dict) -> str:
    return (
        f"{meta['date']} · {meta['cpus']} CPUs ({meta['cpu_model']}) · Python {meta['python']} · "
        f"Radicale {meta['radicale']} · vdirsyncer {meta['vdirsyncer'] or 'not run'} · "
        f"contactbox-sync {meta['contactbox']} · {meta['repeat']} repeat(s), medians"
    )


def section_many(metas: list[dict], rows: list[dict], extra: str = "") -> str:
    """The ``## Sync`` section for rows merged from several runs (one line per run)."""
    if len(metas) == 1:
        return section(metas[0], rows, extra)
    runs = "\n".join(f"- {_machine(m)}; `{m['command']}` ({m['seconds']:.0f} s)" for m in metas)
    return (
        f"{SECTION}\n\n"
        "Measured with `python -m bench.sync run` (see [bench/README.md](../bench/README.md)): "
        "every tool as a fresh child process against the same local server in the same run, "
        "through one counting proxy. Wall time, CPU (user+sys) and peak RSS are the client "
        "process's; ratios are wall-time ratios within the same run.\n\n"
        f"Runs (merged with `python -m bench.sync report`):\n\n{runs}\n\n"
        f"{table(rows)}\n"
        f"{extra}"
    )


def section(meta: dict, rows: list[dict], extra: str = "") -> str:
    machine = _machine(meta)
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
