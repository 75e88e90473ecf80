"""`--progress` (app/cli/progress.py): a terminal gets every step on one line updated with
`\\r`; a pipe or file whole lines, at most one per 0.25 s, plus the line that ends a book's
apply phase and, at the end, the last step left out. The clock is the test's, so which
lines come out is exact (no timing of the machine involved)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from app.cli.progress import INTERVAL, ProgressPrinter


@dataclass
class P:
    book: str
    phase: str
    done: int
    total: int


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_pipe_gets_whole_lines_at_most_every_interval() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter(out, tty=False, clock=clock)
    show(P("K", "list", 0, 0))  # the first step: at once
    for done in range(0, 1001, 100):
        show(P("K", "fetch", done, 1000))
        clock.now += INTERVAL / 4
    for done in range(0, 1001):
        show(P("K", "apply", done, 1000))
        if done == 600:
            clock.now += 10  # a slow step: the next one is written
    show(P("K", "apply", 1000, 1000))  # the same line again: not repeated
    show.finish()
    assert out.getvalue().splitlines() == [
        "K: list 0/0",
        "K: fetch 400/1000",  # 4 × INTERVAL/4 later
        "K: fetch 800/1000",
        "K: apply 601/1000",
        "K: apply 1000/1000",  # the end of the book's apply phase
    ]
    assert "\r" not in out.getvalue()


def test_the_last_step_left_out_comes_at_the_end() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter(out, tty=False, clock=clock)
    show(P("K", "apply", 0, 10))
    show(P("K", "apply", 3, 10))  # cancelled here, say
    assert out.getvalue() == "K: apply 0/10\n"
    show.finish()
    assert out.getvalue() == "K: apply 0/10\nK: apply 3/10\n"
    show.finish()  # nothing twice
    assert out.getvalue() == "K: apply 0/10\nK: apply 3/10\n"


def test_each_book_ends_with_its_line() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter(out, tty=False, clock=clock)
    for book in ("A", "B", "C"):
        show(P(book, "list", 0, 0))
        show(P(book, "apply", 0, 2))
        show(P(book, "apply", 2, 2))
    show.finish()
    assert out.getvalue().splitlines() == ["A: list 0/0", "A: apply 2/2", "B: apply 2/2",
                                           "C: apply 2/2"]  # fmt: skip


def test_a_terminal_gets_every_step_on_one_line() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter(out, tty=True, clock=clock)
    for done in range(4):
        show(P("K", "apply", done, 3))
    show.finish()
    assert out.getvalue() == (
        "\rK: apply 0/3   \rK: apply 1/3   \rK: apply 2/3   \rK: apply 3/3   \n"
    )


def test_the_stream_decides_by_default() -> None:
    assert ProgressPrinter(io.StringIO()).tty is False  # not a terminal
