"""The crash loop (tests/robustness/crash_loop.py) at CI size: 8 kill points × 300 contacts.

The full size (50 points × 2,000 contacts, both scenarios) is a documented command, see
docs/RELIABILITY.md. Here each scenario must kill the run at every drawn point (the
phases spread as in the full loop), converge after each kill without losing, doubling or
inventing a contact, and end with a clean no-op run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.crash_loop import RECREATE_PHASES, TWOWAY_PHASES, CrashLoop
from tests.servers.dav_servers import DavServer

POINTS = 8
CONTACTS = 300


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["twoway", "recreate"])
def test_crash_loop_loses_and_doubles_nothing(
    radicale_server: DavServer, tmp_path: Path, scenario: str
) -> None:
    loop = CrashLoop(
        radicale_server,
        tmp_path,
        contacts=CONTACTS,
        points=POINTS,
        seed=20261129,
        scenario=scenario,
    )
    try:
        figures = loop.run()
    finally:
        loop.close()
    assert figures.points == POINTS
    # Every point killed the run (a point the run passes unharmed proves nothing).
    assert figures.kills == POINTS, figures.missed
    phases = TWOWAY_PHASES if scenario == "twoway" else RECREATE_PHASES
    assert set(figures.kills_by_phase) == set(phases)
    assert figures.items_lost == 0
    assert figures.duplicates == 0
    assert figures.unexpected == 0
    assert not figures.failures
    # Each kill was healed by the very next run.
    assert dict(figures.resume_runs) == {1: POINTS}
    if scenario == "twoway":
        assert figures.conflicts_checked == POINTS  # the losing local versions are kept
        assert figures.final_contacts == CONTACTS + POINTS * (3 - 2 + 3 - 2)
    else:
        assert figures.wipes == POINTS
        assert figures.final_contacts == CONTACTS + POINTS * (3 - 2)
