"""`--progress` of `run`, `sync` and `calendar run`: where a run stands, on stderr — part of
the public interface of `contactbox-sync`. Each step reads `BOOK: PHASE DONE/TOTAL` (PHASE
`list`, `fetch` or `apply`). On a terminal it is one line updated in place (`\\r`), every
step. To a pipe or a file — a script, a log — each is a whole line ending in `\\n`, at most
one every `INTERVAL` seconds (the steps in between are left out), plus the line that
finishes a book's `apply` phase, and at the end the last step if it was left out."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

#: Seconds between two progress lines to a pipe or file.
INTERVAL = 0.25


class ProgressPrinter:
    """The `on_progress` callback of a run (app.sync.engine.Progress); `finish()` after it."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock
        self._printed_at: float | None = None
        self._last = ""  # the last line written
        self._held = ""  # a line left out, written by finish() if nothing came after it

    def __call__(self, p: Any) -> None:
        line = f"{p.book}: {p.phase} {p.done}/{p.total}"
        if self.tty:
            self.stream.write(f"\r{line}   ")
            self.stream.flush()
            self._last = line
            return
        if line == self._last:
            return
        now = self.clock()
        book_done = p.phase == "apply" and p.total > 0 and p.done >= p.total
        if book_done or self._printed_at is None or now - self._printed_at >= INTERVAL:
            self._write(line)
            self._printed_at = now
        else:
            self._held = line

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
        self._last = line
        self._held = ""

    def finish(self) -> None:
        """The run has ended: a terminal's line is closed, a pipe gets the last step."""
        if self.tty:
            if self._last:
                self.stream.write("\n")
                self.stream.flush()
        elif self._held:
            self._write(self._held)


def progress_printer(args: argparse.Namespace) -> ProgressPrinter | None:
    """--progress: on stderr, a line updated in place on a terminal, whole lines (a few
    per second) to a pipe or file; finish() once the run is over."""
    if not getattr(args, "progress", False):
        return None
    return ProgressPrinter(sys.stderr)


def finish(progress: ProgressPrinter | None) -> None:
    if progress is not None:
        progress.finish()
