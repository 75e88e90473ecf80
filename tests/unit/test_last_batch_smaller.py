"""The end of a long fetch comes in smaller pieces (issue 21): the multigets' last batch
is split into a half and two quarters (app.dav.collection_fetch.batched), and a streaming
first import's last parts are a quarter of a part (app.sync.streaming.part_size), so the
work after the server's last answer — which nothing overlaps — is short."""

from __future__ import annotations

import pytest

from app.dav.collection_fetch import SPLIT_FROM, batched
from app.sync import streaming
from app.sync.streaming import part_size


def _sizes(n: int, size: int) -> list[int]:
    hrefs = [f"/b/{i}.vcf" for i in range(n)]
    batches = batched(hrefs, size)
    assert [h for b in batches for h in b] == hrefs  # each once, in order
    assert all(batches)  # no empty request
    return [len(b) for b in batches]


@pytest.mark.parametrize(
    ("n", "size", "expected"),
    [
        (10_000, 500, [500] * 19 + [250, 125, 125]),
        (1_200, 500, [500, 500, 100, 50, 50]),
        (750, 500, [500, 125, 62, 63]),
        (10_100, 500, [500] * 20 + [100]),  # the last batch is small already
        (600, 500, [500, 100]),
        (500, 500, [500]),  # one request: nothing to overlap
        (12, 5, [5, 5, 2]),  # small batches are not split
        (0, 500, []),
    ],
)
def test_the_last_batch_is_split(n: int, size: int, expected: list[int]) -> None:
    assert _sizes(n, size) == expected


def test_split_only_from_batches_of_split_from() -> None:
    assert _sizes(3 * (SPLIT_FROM - 1), SPLIT_FROM - 1) == [SPLIT_FROM - 1] * 3
    quarter = SPLIT_FROM // 4
    assert _sizes(2 * SPLIT_FROM, SPLIT_FROM) == [SPLIT_FROM, SPLIT_FROM // 2, quarter, quarter]


def test_the_last_parts_are_a_quarter() -> None:
    full = streaming.STREAM_PART
    assert part_size(10_000) == full
    assert part_size(full + 1) == full
    assert part_size(full) == full // 4
    assert part_size(1) == full // 4


def test_parts_of_one_stay_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "STREAM_PART", 1)
    assert part_size(5) == 1 and part_size(1) == 1
