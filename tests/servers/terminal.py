"""A pseudo-terminal for a subprocess's stderr, for tests that act on every progress step.

`--progress` writes every step to a terminal (one line updated with `\\r`), but to a pipe
only a few whole lines per second (app/cli/progress.py). The crash tests kill a run at an
exact step (the n-th fetched card, a fraction of the apply phase), so they give the run a
terminal as its stderr — as a user watching it has — and read what it writes there.
"""

from __future__ import annotations

import contextlib
import os
import pty
import termios


class TerminalStderr:
    """`stderr=t.slave` for Popen, then `t.started()`; `read()` as `os.read` of a pipe."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        attrs = termios.tcgetattr(self.slave)
        attrs[1] &= ~termios.ONLCR  # "\n" stays "\n" (no "\r\n"), as the program wrote it
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)

    def started(self) -> None:
        """The child has its copy of the terminal: ours goes, so reading ends with it."""
        os.close(self.slave)

    def read(self, size: int = 65536) -> bytes:
        """The next bytes; b"" once the child (every holder of the terminal) is gone."""
        try:
            return os.read(self.master, size)
        except OSError:  # EIO: the other side of the terminal is closed
            return b""

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.master)
