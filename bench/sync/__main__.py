"""``python -m bench.sync run [--sizes 1000,10000] [--repeat 3] [--quick]`` (address books)
and ``python -m bench.sync calendar [--sizes 1000,5000]`` (a calendar): bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.sync import calendar_bench, report, tools
from bench.sync.proxy import CountingProxy
from bench.sync.scenarios import Bench, run_radicale, run_sabredav
from bench.sync.servers import radicale, radicale_version, sabredav

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "PERFORMANCE.md"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.sync")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run the sync benchmark")
    r.add_argument("--sizes", default="1000,10000", help="book sizes (comma-separated)")
    r.add_argument("--big", action="store_true", help="also 50,000 contacts (slow)")
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument(
        "--repeat-big",
        type=int,
        default=1,
        help="repeats at 10,000 cards and more (their PUT scenarios are slow)",
    )
    r.add_argument("--upload-repeat", type=int, default=1, help="repeats of the upload scenario")
    r.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 100 contacts, 1 repeat, no vdirsyncer, no doc update",
    )
    r.add_argument("--tools", default="contactbox,vdirsyncer,floor")
    r.add_argument("--servers", default="radicale,sabredav", help="servers to run against")
    r.add_argument(
        "--scenarios",
        default="",
        help="only these scenarios (comma-separated; initial always runs); '' = all",
    )
    r.add_argument(
        "--big-scenarios",
        default="initial,nochange,server_1pct",
        help="the scenarios at 50,000 cards and more ('' = all)",
    )
    r.add_argument(
        "--sabre-sizes",
        default="1000,10000",
        help="SabreDAV (no sync-collection) sizes, among --sizes; '' = none",
    )
    r.add_argument(
        "--upload",
        type=int,
        default=1000,
        help="new local contacts uploaded, at the size equal to this only (0 = off)",
    )
    r.add_argument("--out", type=Path, help="results JSON (default bench/results/sync-DATE.json)")
    r.add_argument("--no-doc", action="store_true", help="do not write docs/PERFORMANCE.md")
    r.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run Contactbox under cProfile, one .prof per scenario (slower figures)",
    )
    r.add_argument("--keep", action="store_true", help="keep the work folder")
    r.add_argument(
        "--installed",
        action="store_true",
        help="run contactbox-sync as a wheel install starts, without the editable install's "
        "finder (bench/sync/tools.py installed_layout; vdirsyncer is always installed so)",
    )
    m = sub.add_parser(
        "report", help="merge result files into one table (and docs/PERFORMANCE.md's ## Sync)"
    )
    m.add_argument("files", nargs="+", type=Path, help="bench/results/sync-*.json")
    m.add_argument("--no-doc", action="store_true", help="only print the table")
    calendar_bench.build_parser(sub)
    return p  # fmt: skip


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "report":
        return merge(args.files, write_doc=not args.no_doc)
    if args.command == "calendar":
        return calendar_bench.main(args, argv if argv is not None else sys.argv[1:])
    names = [t for t in args.tools.split(",") if t]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    sabre_sizes = {int(s) for s in args.sabre_sizes.split(",") if s}
    upload = args.upload
    repeat = args.repeat
    if args.quick:
        sizes, sabre_sizes, repeat, upload = [100], {100}, 1, 100
        names = [t for t in names if t != "vdirsyncer"]
    if args.big and 50000 not in sizes:
        sizes.append(50000)
    if "vdirsyncer" in names:
        tools.ensure_vdirsyncer()
    tools.precompile()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    raw: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="cbx-bench-sync-"))
    partial = work.parent / f"{work.name}-partial.json"  # every run so far, kept on abort
    print(f"work folder {work} (runs so far: {partial})", flush=True)
    if args.installed:
        tools.use_installed_layout(work)

    def log(msg: str) -> None:
        print(msg, flush=True)

    try:
        for n in sizes:
            for kind in ("radicale", "sabredav"):
                if kind not in args.servers.split(","):
                    continue
                if kind == "sabredav" and (n not in sabre_sizes or not shutil.which("php")):
                    if n in sabre_sizes:
                        log("  SabreDAV skipped: php is not installed")
                    continue
                log(f"{kind} with {n:,} cards")
                folder = work / f"{kind}-{n}"
                folder.mkdir()
                start = radicale if kind == "radicale" else sabredav
                with start(n, folder, log=log) as server, CountingProxy(server.port) as proxy:

                    def record(scenario: str, tool: str, run: tools.Run,
                               _n: int = n, _kind: str = kind) -> None:  # fmt: skip
                        raw.append({"server": _kind, "size": _n, "scenario": scenario,
                                    "tool": tool, "run": run.as_dict()})  # fmt: skip
                        partial.write_text(json.dumps(raw), encoding="utf-8")  # survives an abort

                    reps = repeat if n < 10000 or args.quick else args.repeat_big
                    picked = args.big_scenarios if n >= 50000 else args.scenarios
                    only = {x for x in picked.split(",") if x} or None
                    bench = Bench(server, proxy, folder, n, tools=names, repeat=reps,
                                  record=record, log=log, profile_dir=args.profile)  # fmt: skip
                    if kind == "radicale":
                        run_radicale(
                            bench,
                            upload=upload if n == upload else 0,
                            upload_repeat=1 if args.quick else args.upload_repeat,
                            only=only,
                        )
                    else:
                        run_sabredav(bench, only=only)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    rows = report.summarize(raw)
    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "radicale": radicale_version(),
        "vdirsyncer": tools.vdirsyncer_version() if "vdirsyncer" in names else "",
        "contactbox": _contactbox_version(),
        "repeat": f"{repeat} (10,000+: {args.repeat_big}; upload: {args.upload_repeat})",
        "command": "python -m bench.sync "
        + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:])),
        "seconds": round(time.perf_counter() - started, 1),
        "profiled": bool(args.profile),
        "layout": "installed" if args.installed else "editable",
    }
    suffix = "-quick" if args.quick else ""
    out = args.out or ROOT / "bench" / "results" / f"sync-{dt.date.today()}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "rows": rows, "raw": raw}, indent=1), encoding="utf-8")
    print(report.table(rows))
    print(f"results: {out} ({meta['seconds']} s)")
    if not (args.quick or args.no_doc or args.profile):
        report.write_section(DOC, report.section(meta, rows))
        print(f"table written to {DOC}")
    return 0


def merge(files: Sequence[Path], *, write_doc: bool) -> int:
    """Several runs (e.g. 1,000 + 10,000, and 50,000 later) in one table: each row keeps
    the ratios of its own run; the machine line lists every run's versions and command."""
    rows: list[dict] = []
    metas: list[dict] = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        metas.append(data["meta"])
        seen = {(r["server"], r["size"], r["scenario"], r["tool"]) for r in rows}
        rows += [r for r in data["rows"]
                 if (r["server"], r["size"], r["scenario"], r["tool"]) not in seen]  # fmt: skip
    rows = report.order(rows)
    print(report.table(rows))
    if write_doc:
        report.write_section(DOC, report.section_many(metas, rows))
        print(f"table written to {DOC}")
    return 0


def _contactbox_version() -> str:
    try:
        from app import __version__

        return str(__version__)
    except ImportError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
