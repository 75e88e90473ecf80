"""app.background: a helper thread's result, and a Ctrl+C that the OS handed to another thread."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

from app.background import in_background, result_of, wait_for


class _Interrupted(Exception):
    """Raised by the test's signal handler (as Python's raises KeyboardInterrupt)."""


@pytest.fixture
def interrupting_handler() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted()

    old = signal.signal(signal.SIGUSR1, handler)
    yield
    signal.signal(signal.SIGUSR1, old)


def test_result_and_error_of_the_work() -> None:
    assert result_of(in_background(lambda: 42)) == 42

    def fails() -> int:
        raise TimeoutError("the server did not answer")  # not mistaken for a wait slice

    future = in_background(fails)
    wait_for(future)
    with pytest.raises(TimeoutError, match="did not answer"):
        result_of(future)


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals only")
@pytest.mark.usefixtures("interrupting_handler")
def test_a_signal_delivered_to_the_helper_thread_still_interrupts_the_waiting_thread() -> None:
    """The kernel may give a process-wide SIGINT to any thread. Python runs the handler
    only in the main thread: a main thread blocked on a lock would sleep until the helper's
    request ends; waiting in slices, it raises within a moment."""
    started, release = threading.Event(), threading.Event()

    def work() -> str:
        started.set()
        release.wait(60)
        return "spät"

    future = in_background(work, "slow-request")
    assert started.wait(10)
    helper = next(t for t in threading.enumerate() if t.name == "slow-request")
    assert helper.ident is not None
    threading.Timer(0.2, signal.pthread_kill, (helper.ident, signal.SIGUSR1)).start()
    try:
        with pytest.raises(_Interrupted):
            result_of(future)
        assert not future.done()  # interrupted while the work still ran
    finally:
        release.set()
    assert result_of(future) == "spät"
