"""The sync benchmark's parts that need no server: the peak-RSS launcher, scenario selection,
merging result files, and the one-parse summary + hash the sync uses for fetched cards."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app import vcard
from bench.cards import generate_cards
from bench.sync import __main__ as bench_main
from bench.sync import report
from bench.sync.scenarios import RADICALE_ORDER, SABRE_ORDER, run_radicale, run_sabredav
from bench.sync.tools import BenchError, run_child

ROOT = Path(__file__).resolve().parents[2]

ALLOC = "b = bytearray({mb} * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ok')"


def test_peak_rss_is_the_child_s_own_not_the_harness_s() -> None:
    # The harness holds 150 MB; a child forked straight from it would report at least that
    # (Linux carries the parent's high-water mark over exec). Through the launcher it does not.
    ballast = bytearray(150 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    small = run_child([sys.executable, "-S", "-c", "print('ok')"])
    big = run_child([sys.executable, "-S", "-c", ALLOC.format(mb=80)])
    assert small.output.strip() == "ok" and big.output.strip() == "ok"
    assert small.rss_mb < 60, small.rss_mb
    assert 80 <= big.rss_mb < 150, big.rss_mb
    assert big.cpu > 0 and big.wall > 0 and big.rc == 0
    del ballast


def test_run_child_reports_a_failing_child() -> None:
    with pytest.raises(BenchError, match="exited 2"):
        run_child([sys.executable, "-S", "-c", "import sys; print('kaputt'); sys.exit(2)"])
    run = run_child([sys.executable, "-S", "-c", "import sys; sys.exit(2)"], check=False)
    assert run.rc == 2


class _FakeBench:
    """Records which scenario steps run (the real ones need a server)."""

    def __init__(self) -> None:
        self.n, self.k, self.calls = 10, 1, []  # type: ignore[var-annotated]

    def log(self, msg: str) -> None:
        pass

    def __getattr__(self, name: str):  # initial, nochange, server_changed, check, ...
        def step(*args: object, **kwargs: object) -> None:
            self.calls.append((name, args, kwargs))

        return step


def test_scenario_selection_keeps_initial_and_order() -> None:
    fake = _FakeBench()
    run_radicale(fake, upload=0, only={"server_1pct", "nochange"})  # type: ignore[arg-type]
    assert [c[0] for c in fake.calls] == ["initial", "nochange", "server_changed"]
    fake = _FakeBench()
    run_radicale(fake, upload=100, upload_repeat=2)  # type: ignore[arg-type]
    names = [c[0] for c in fake.calls]
    assert names == ["initial", "nochange", "server_changed", "check", "local_changed",
                     "local_changed", "upload"]  # fmt: skip
    assert fake.calls[-1][1:] == ((100,), {"repeat": 2})
    assert len(RADICALE_ORDER) == 7
    fake = _FakeBench()
    run_sabredav(fake, only={"nochange"})  # type: ignore[arg-type]
    assert [c[0] for c in fake.calls] == ["initial", "nochange"]
    assert SABRE_ORDER == ("initial", "nochange", "server_1pct")


def _row(size: int, scenario: str, tool: str, wall: float) -> dict:
    return {"server": "radicale", "size": size, "scenario": scenario, "tool": tool, "runs": 1,
            "wall": wall, "cpu": wall / 2, "rss_mb": 50.0, "requests": 1, "bytes_up": 10,
            "bytes_down": 20, "methods": {}, "x_vdirsyncer": None, "x_floor": None}  # fmt: skip


def _meta(cmd: str) -> dict:
    return {"date": "2026-11-29 15:00", "cpus": 2, "cpu_model": "x", "python": "3.11",
            "radicale": "3.9", "vdirsyncer": "0.21", "contactbox": "0.1", "repeat": "3",
            "command": cmd, "seconds": 12.0, "profiled": False}  # fmt: skip


def test_report_merges_runs_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    rows_a = [_row(10000, "nochange", "floor", 1.0), _row(10000, "initial", "contactbox", 9.0)]
    rows_b = [_row(1000, "initial", "contactbox", 2.0),
              _row(10000, "initial", "contactbox", 99.0)]  # fmt: skip
    a.write_text(json.dumps({"meta": _meta("run A"), "rows": rows_a, "raw": []}), "utf-8")
    b.write_text(json.dumps({"meta": _meta("run B"), "rows": rows_b, "raw": []}), "utf-8")
    assert bench_main.main(["report", str(a), str(b), "--no-doc"]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith("| radicale")]
    assert [ln.split(" | ")[1:3] for ln in lines] == [
        ["1,000", "initial"], ["10,000", "initial"], ["10,000", "nochange"]]  # fmt: skip
    assert "| 9.00 |" in lines[1]  # the first file's row wins over a duplicate
    text = report.section_many([_meta("run A"), _meta("run B")], report.order(rows_a))
    assert text.startswith("## Sync\n") and "`run A`" in text and "`run B`" in text


def test_summarize_and_hash_equals_the_two_calls() -> None:
    cards = [t for _, t in generate_cards(300, seed=5)]
    cards += [t for _, t in generate_cards(100, seed=6, version="4.0")]
    for path in sorted((ROOT / "tests").rglob("*.vcf")):
        cards += vcard.split_cards(vcard.decode_bytes(path.read_bytes()))
    qp = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;"
        "J=\r\n=C3=BCrgen\r\nTEL;CELL:+49 170 1\r\nEMAIL;INTERNET:j@x.de\r\nEND:VCARD\r\n"
    )
    cards.append(qp)
    assert len(cards) > 400
    for text in cards:
        try:
            expected = (vcard.summarize(text), vcard.normalized_hash(text))
        except vcard.CardError:  # the real-world corpus keeps a phone card that lost its END
            with pytest.raises(vcard.CardError):
                vcard.summarize_and_hash(text)
            continue
        assert vcard.summarize_and_hash(text) == expected
    summary, _ = vcard.summarize_and_hash(qp)
    assert summary.family == "Müller" and summary.given == "Jürgen"
    assert summary.phones == ("+49 170 1",)
