"""Saving a change at a chosen point of a real run (issue 15), shared by the tests.

`At` hooks a run of the engine in this process at four points and, when a point is
reached, runs the change armed for it through `elsewhere`: on another thread with its own
database connection, as the window (or a second process) has, and waits for it:

* ``listing``  — right after the run read the local items, while the listing request is
  out (the plan works with the version before the change);
* ``planned``  — after the plan, before its first local write;
* ``request``  — while our PUT is on its way (the text sent is the one before the change);
* ``answer``   — after the server carried out our PUT, before we heard the answer and
  committed the state.

The last two need the run's requests to go through a `FaultProxy`; `At.entry` is the
PUT (method, path) during which the change was made, for a change that wants to aim at
the item being uploaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.store.models import database
from app.sync import engine, streaming
from tests.robustness.faultproxy import FaultProxy, Logged

POINTS = ("listing", "planned", "request", "answer")


def elsewhere(fn: Callable[[], None]) -> None:
    """Run `fn` on another thread (its own database connection, like the window's) and wait."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            fn()
        except BaseException as exc:  # handed to the test
            errors.append(exc)
        finally:
            database.close()

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert not t.is_alive(), "the edit waited for the run's transaction"
    if errors:
        raise errors[0]


class At:
    """Saves one change at one point of the next run (see the module docstring)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, proxy: FaultProxy, side: type[Any]) -> None:
        self.pending: dict[str, Callable[[], None]] = {}
        self.fired: list[str] = []
        self.entry: Logged | None = None  # the PUT at "request"/"answer"
        reading = side.local_items
        planning = engine.plan

        def local_items(this: Any) -> Any:
            items = reading(this)
            self._fire("listing")
            return items

        def plan(*args: Any, **kwargs: Any) -> Any:
            result = planning(*args, **kwargs)
            self._fire("planned")
            return result

        def on_request(entry: Logged, body: bytes) -> None:
            if entry.method == "PUT":
                self._fire("request", entry)

        def on_answer(entry: Logged, status: int, body: bytes) -> None:
            if entry.method == "PUT":
                self._fire("answer", entry)

        monkeypatch.setattr(side, "local_items", local_items)
        monkeypatch.setattr(engine, "plan", plan)
        monkeypatch.setattr(streaming, "plan", plan)  # each part of a first import
        proxy.on_request = on_request
        proxy.on_answer = on_answer

    def arm(self, point: str, edit: Callable[[], None]) -> None:
        """Run `edit` when the next run reaches `point` (after what is armed there already)."""
        earlier = self.pending.get(point)
        if earlier is None:
            self.pending[point] = edit
            return

        def both() -> None:
            earlier()
            edit()

        self.pending[point] = both

    def disarm(self) -> list[str]:
        """Drop the changes whose point the run never reached; returns those points."""
        missed = list(self.pending)
        self.pending.clear()
        return missed

    def _fire(self, point: str, entry: Logged | None = None) -> None:
        edit = self.pending.pop(point, None)
        if edit is not None:
            self.entry = entry
            try:
                elsewhere(edit)
            finally:
                self.entry = None
            self.fired.append(point)
