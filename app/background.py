"""One piece of work on a helper thread, its result or error delivered by a Future.

The sync uses this to let the server work while the client does: the listing request goes
out while the local side is read, and the next multiget batch is fetched while the current
one is parsed. The thread is a daemon: a process that ends (Ctrl+C on the command line) does
not wait for a request still in flight, which a ThreadPoolExecutor's exit handler would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T], name: str = "background") -> Future[T]:
    """Start `work` on a new daemon thread; the Future tells its result or raises its error."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = work()
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
