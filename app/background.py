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
from concurrent.futures import wait as _wait
from typing import TypeVar

T = TypeVar("T")

# How long one wait for a helper lasts before the waiting thread looks for a Ctrl+C.
_SLICE_SECONDS = 0.1


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


def wait_for(future: Future[T]) -> None:
    """Wait until the work is done (its error, if any, stays in the future).

    In short slices, not one blocking wait: the process may hand a Ctrl+C (SIGINT) to any
    of its threads — the helper in its socket read, or a thread of the HTTP library — and
    then only a waiting main thread that wakes up now and then sees the interrupt; one
    that blocks on a lock sleeps until the server answers (minutes, with a slow server).
    """
    while not future.done():
        _wait([future], timeout=_SLICE_SECONDS)


def result_of(future: Future[T]) -> T:
    """The work's result (or its error raised here), waiting as `wait_for` does."""
    wait_for(future)
    return future.result()
