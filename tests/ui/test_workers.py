"""The job worker keeps the GUI thread free: progress is throttled, never lost at the ends."""

from __future__ import annotations

from app.sync.execute import Progress
from ui.workers import JobWorker


class FakeJob:
    def run(self, on_progress, cancelled):  # type: ignore[no-untyped-def]
        on_progress(Progress("B", "list", 0, 0))
        for i in range(5000):
            on_progress(Progress("B", "apply", i, 5000))
        on_progress(Progress("B", "apply", 5000, 5000))
        return "report"


def test_progress_is_throttled_but_phase_changes_and_the_end_get_through() -> None:
    worker = JobWorker(lambda: FakeJob())  # type: ignore[arg-type, return-value]
    seen: list[Progress] = []
    worker.progress.connect(seen.append)
    done: list[object] = []
    worker.done.connect(done.append)
    worker.run()  # in this thread: signals are delivered directly
    assert done == ["report"]
    assert seen[0].phase == "list"
    assert seen[1].phase == "apply" and seen[1].done == 0
    assert (seen[-1].done, seen[-1].total) == (5000, 5000)
    assert len(seen) < 100  # not 5,002 repaints
