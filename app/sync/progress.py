"""What a run tells its caller while it runs, and how the caller stops it: `Progress`
(phase, done of total, the changes carried out and planned) handed to a `ProgressFn`, and
`Cancelled`, raised between two items once the `CancelFn` says so. A leaf module: the
engine (`app.sync.engine`, which re-exports these names) and its parts import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Progress:
    """Where a run stands: phase "list" | "fetch" | "apply", done of total, current name.

    `done` / `total` count the items the phase goes through (in "apply": every action,
    links and skips too). `changes_done` / `changes_total` count the changes of the apply
    phase only (the kinds the report counts as new, updated or deleted on either side):
    carried out so far, and planned as far as known (a streaming first import estimates
    the rest from what is still to fetch; its last "apply" progress is exact).
    """

    book: str
    phase: str
    done: int
    total: int
    current: str = ""
    changes_done: int = 0
    changes_total: int = 0


ProgressFn = Callable[[Progress], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled between two items."""
