"""Run one command and write its wall time, CPU time and peak RSS as JSON (standard library
only, started with ``python -S`` so it stays small)::

    python -S bench/sync/rusage.py OUT.json COMMAND [ARG ...]

Why a separate launcher: on Linux a process's ``ru_maxrss`` starts at the high-water RSS of
the process it was forked from (``exec`` records the old address space's peak).  Measured
straight from the harness, every client would "use" at least the harness's own memory
(tens of MB more at 10,000 cards, where the harness holds every card).  Forked from this
~10 MB launcher instead, the figure is the client's own: the maximum resident set size of
the client process and of every descendant it waited for (``os.wait4``), at least the
launcher's ~10 MB.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    out, cmd = argv[1], argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    with open(out, "w", encoding="utf-8") as f:
        json.dump(
            {
                "wall": wall,
                "rc": os.waitstatus_to_exitcode(status),
                "cpu": usage.ru_utime + usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1),
            },
            f,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
