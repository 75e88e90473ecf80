"""`contactbox-sync` that kills itself (SIGKILL) at one exact point of an address book run.

    python -m tests.servers.kill_at POINT [contactbox-sync arguments …]

A kill from outside (tests/servers/test_crash_resume.py, tests/robustness/crash_loop.py)
lands wherever the process happens to be; this one lands exactly at POINT, so a test can
name every moment of "Neu anlegen" it covers and gets the same state on every machine:

- ``listing``: the server's listing has arrived, nothing is written yet
- ``fetch:N``: the N-th fetched card is being read (before the wipe)
- ``wipe``: right after the wipe committed (the book in the trash, nothing imported)
- ``import:N``: the N-th card is imported, its batch of local writes not yet committed
  (a streaming import stores chunks of a fifth of a part: killed after the chunk with it)
- ``reattach``: every card is imported and committed, the re-attachment has not run
- ``reattached``: the re-attachment committed, the run has not ended
- ``-``: no kill (an ordinary run)

Local writes commit in batches of ``CONTACTBOX_TEST_BATCH`` (default 25) cards instead of
1,000 and a first import stores parts of that size, so a few hundred cards already span
several commits. Nothing else differs from ``python -m app.cli``.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from app import cli
from app.sync import engine, execute, streaming


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _patch(owner: Any, name: str, *, before: bool, nth: int = 1) -> None:
    """Kill on the nth call of owner.name: before it runs, or after it returned."""
    original: Callable[..., Any] = getattr(owner, name)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        hit = calls["n"] == nth
        if hit and before:
            _die()
        result = original(*args, **kwargs)
        if hit:
            _die()
        return result

    setattr(owner, name, wrapper)


def _patch_imports(nth: int) -> None:
    """Kill once the nth card is imported, its batch not committed: a card stored alone
    (`import_item`) or in a streaming import's chunk (`import_items`, after the chunk)."""
    done = {"n": 0}
    one, many = execute.BookSide.import_item, execute.BookSide.import_items

    def import_item(self: Any, *args: Any, **kwargs: Any) -> None:
        one(self, *args, **kwargs)
        done["n"] += 1
        if done["n"] >= nth:
            _die()

    def import_items(self: Any, items: Any) -> None:
        many(self, items)
        done["n"] += len(items)
        if done["n"] >= nth:
            _die()

    setattr(execute.BookSide, "import_item", import_item)  # noqa: B010
    setattr(execute.BookSide, "import_items", import_items)  # noqa: B010


def install(point: str) -> None:
    batch = int(os.environ.get("CONTACTBOX_TEST_BATCH", "25"))
    engine.LOCAL_BATCH = batch
    streaming.STREAM_PART = batch
    streaming.IMPORT_CHUNK = max(1, batch // 5)  # several chunks per part
    name, _, n = point.partition(":")
    nth = int(n or 1)
    if name == "-":
        return
    if name == "listing":
        _patch(engine.CollectionSync, "_list", before=True)
    elif name == "fetch":
        _patch(engine.CollectionSync, "_take", before=True, nth=nth)
    elif name == "wipe":
        _patch(execute.BookSide, "wipe_for_recreate", before=False)
    elif name == "import":
        _patch_imports(nth)
    elif name == "reattach":
        _patch(execute.BookSide, "reattach", before=True)
    elif name == "reattached":
        _patch(execute.BookSide, "reattach", before=False)
    else:
        raise SystemExit(f"kill_at: unknown point {point!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    sys.exit(cli.main(sys.argv[2:]))
