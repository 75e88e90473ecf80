"""Fault injection: a two-way run hit by every fault type at random points, then a rerun.

A real Radicale sits behind `FaultProxy`. The book starts with 100 server-only cards and
100 local-only contacts (a first two-way run unites them: 200 on both sides). Then, per
round, both sides change (server: 2 new, 3 edited, 1 deleted; Contactbox: 2 new,
3 edited, 1 deleted; never the same contact on both sides) and a run is made with one
fault injected at a random request (seeded). Whatever happens, the run must end with a
report - status ok/errors/failed, a German message where it did not succeed, no
traceback - and then clean reruns must converge within two runs, the second a no-op:
the same UIDs on both sides, each exactly once, exactly the expected ones, with equal
normalized content and the expected names. Nothing lost, nothing duplicated.

ROUNDS_PER_FAULT rounds per fault type plus RANDOM_ROUNDS rounds in which every request
gets a random fault with probability RANDOM_P (several faults per run). Seed: SEED.
The figures are printed at the end (`pytest -s` or `-rA` shows them) and are quoted in
docs/RELIABILITY.md.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from typing import Any

from app import vcard
from app.dav.session import MAX_RETRIES
from app.store import contacts as cs
from tests.robustness.conftest import Rig, card
from tests.robustness.faultproxy import FAULTS, FaultProxy, at, no_faults, random_faults

SEED = 20261129
N_SERVER = 100
N_LOCAL = 100
ROUNDS_PER_FAULT = 2
RANDOM_ROUNDS = 4
RANDOM_P = 0.15
FAULT_WINDOW = 9  # the fault hits request 1..FAULT_WINDOW of the run (a round has ~9)

FIGURE_KEYS = (
    "added_local",
    "updated_local",
    "deleted_local",
    "added_server",
    "updated_server",
    "deleted_server",
    "conflicts",
)
FIGURES: dict[str, Any] = {}


def _check_report(code: int, data: Any, err: str) -> str:
    """The run ended with a report (never a traceback); return its status."""
    assert "Traceback" not in err, err
    assert isinstance(data, dict), (code, err)
    status = data["status"]
    assert status in ("ok", "errors", "failed"), data
    assert code == {"ok": 0, "errors": 3, "failed": 1}[status], (code, data)
    if status != "ok":
        messages = [data["message"], *(e.get("message", "") for e in data["errors"])]
        text = " ".join(m for m in messages if m)
        assert text, data
        # German, for the user: no exception class names, no Python reprs
        assert any(w in text for w in ("Server", "Verbindung", "Kontakt", "Antwort")), text
        assert "Error(" not in text and "Exception" not in text, text
    return str(status)


def _retries_bounded(proxy: FaultProxy) -> tuple[int, list[float]]:
    """Every injected fault is followed by at most MAX_RETRIES repeats of that request;
    after a 503 the repeat waits at least Retry-After. Returns (repeats, 503 pauses)."""
    log = proxy.log
    repeats = 0
    pauses: list[float] = []
    for i, entry in enumerate(log):
        if not entry.fault:
            continue
        j = i + 1
        while j < len(log) and (log[j].method, log[j].path) == (entry.method, entry.path):
            j += 1
        same = j - i - 1
        dropped = entry.fault in ("reset_before", "reset_after", "timeout", "truncated")
        if entry.method in ("PUT", "DELETE") and dropped:
            # a write is repeated only after a refusal with Retry-After, never after a
            # dropped connection (it may have been carried out)
            assert same == 0, (entry, same)
        assert same <= MAX_RETRIES, (entry, same)
        repeats += min(same, 1)
        if entry.fault == "status_503" and same and entry.method != "PUT":
            pause = log[i + 1].at - entry.at
            assert pause >= proxy.retry_after * 0.95, (entry, pause)
            pauses.append(pause)
        elif entry.fault == "status_503" and same:
            pauses.append(log[i + 1].at - entry.at)
    return repeats, pauses


class Model:
    """What both sides must hold: UID -> FN."""

    def __init__(self, rig: Rig, rng: random.Random) -> None:
        self.rig, self.rng = rig, rng
        self.expected: dict[str, str] = {}
        self.counter = 0
        self.rev = 0

    def seed(self) -> None:
        rig = self.rig
        texts = {}
        for i in range(N_SERVER):
            uid = f"srv-{i:03d}"
            texts[f"{uid}.vcf"] = card(uid, f"Server Person{i:03d}")
            self.expected[uid] = f"Server Person{i:03d}"
        rig.server.put_cards(rig.book_url, texts, display_name=rig.name)
        book = cs.ensure_book(rig.name)
        for i in range(N_LOCAL):
            uid = f"loc-{i:03d}"
            cs.add_contact(book, card(uid, f"Lokal Person{i:03d}"))
            self.expected[uid] = f"Lokal Person{i:03d}"

    def mutate(self) -> None:
        rig, rng = self.rig, self.rng
        self.rev += 1
        hrefs = {vcard.summarize(t).uid: h for h, t in rig.server.list_cards(rig.book_url).items()}
        chosen = rng.sample(sorted(self.expected), 8)
        srv_edit, srv_del, loc_edit, loc_del = chosen[:3], chosen[3], chosen[4:7], chosen[7]
        book = cs.get_book(rig.name)
        for uid in srv_edit:
            fn = f"{self.expected[uid].split(' R')[0]} R{self.rev}s"
            rig.server.put_card(
                rig.book_url, hrefs[uid].rsplit("/", 1)[-1], card(uid, fn, self.rev)
            )
            self.expected[uid] = fn
        rig.server.delete_card(rig.server.url(hrefs[srv_del]))
        del self.expected[srv_del]
        for uid in loc_edit:
            fn = f"{self.expected[uid].split(' R')[0]} R{self.rev}l"
            contact = cs.find_live_by_uid(book, uid)
            assert contact is not None, uid
            cs.update_contact(contact, card(uid, fn, self.rev))
            self.expected[uid] = fn
        contact = cs.find_live_by_uid(book, loc_del)
        assert contact is not None, loc_del
        cs.delete_contact(contact)
        del self.expected[loc_del]
        for side in ("srv", "loc", "srv", "loc"):
            self.counter += 1
            uid = f"new-{side}-{self.counter:04d}"
            fn = f"Neu{side.title()} Person{self.counter:04d}"
            if side == "srv":
                rig.server.put_card(rig.book_url, f"{uid}.vcf", card(uid, fn))
            else:
                cs.add_contact(book, card(uid, fn))
            self.expected[uid] = fn

    def assert_converged(self) -> None:
        server = self.rig.server_cards()
        local = self.rig.local_cards()
        dup_s = {u: len(t) for u, t in server.items() if len(t) > 1}
        dup_l = {u: len(t) for u, t in local.items() if len(t) > 1}
        assert not dup_s and not dup_l, (dup_s, dup_l)
        assert set(server) == set(self.expected), (
            sorted(set(self.expected) - set(server)),
            sorted(set(server) - set(self.expected)),
        )
        assert set(local) == set(self.expected), (
            sorted(set(self.expected) - set(local)),
            sorted(set(local) - set(self.expected)),
        )
        for uid, fn in self.expected.items():
            s, lo = server[uid][0], local[uid][0]
            assert vcard.summarize(s).fn == fn == vcard.summarize(lo).fn, (uid, fn)
            assert vcard.normalized_hash(s) == vcard.normalized_hash(lo), uid


def _converge(rig: Rig, model: Model) -> int:
    """Clean reruns until a no-op; at most two runs. Returns the number of runs."""
    rig.proxy.reset_log(no_faults)
    for n in (1, 2):
        code, data, err = rig.sync()
        assert _check_report(code, data, err) == "ok", data
        if not any(data["totals"][k] for k in FIGURE_KEYS):
            model.assert_converged()
            return n
    raise AssertionError("no convergence after two clean runs")


def test_every_fault_type_at_random_points_converges(rig: Rig) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    model = Model(rig, rng)
    model.seed()
    code, data, err = rig.sync()
    assert _check_report(code, data, err) == "ok", data
    _converge(rig, model)

    plan: list[str] = [f for f in FAULTS for _ in range(ROUNDS_PER_FAULT)]
    rng.shuffle(plan)
    plan += ["random"] * RANDOM_ROUNDS
    injected: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    reruns: Counter[int] = Counter()
    repeats_total = 0
    rounds_log: list[tuple[Any, ...]] = []
    pauses: list[float] = []
    window = FAULT_WINDOW
    extra = 0
    round_no = 0
    while round_no < len(plan):
        fault = plan[round_no]
        round_no += 1
        model.mutate()
        if fault == "random":
            schedule = random_faults(SEED + round_no, RANDOM_P)
        else:
            schedule = at({rng.randint(1, window): fault})
        rig.proxy.reset_log(schedule)
        code, data, err = rig.sync()
        status = _check_report(code, data, err)
        rounds_log.append(
            (fault, len(rig.proxy.log), [(e.n, e.method, e.fault) for e in rig.proxy.injected],
             status, data["message"] or "; ".join(e["message"] for e in data["errors"])[:120])
        )  # fmt: skip
        statuses[status] += 1
        if fault != "random" and not rig.proxy.injected and extra < 10:
            # the run ended before the chosen request: this fault gets another round
            window = max(1, len(rig.proxy.log))
            plan.insert(round_no, fault)
            extra += 1
        for entry in rig.proxy.injected:
            injected[entry.fault or ""] += 1
        repeats, p = _retries_bounded(rig.proxy)
        repeats_total += repeats
        pauses += p
        reruns[_converge(rig, model)] += 1

    # every type was injected at least ROUNDS_PER_FAULT times (the window fits a round)
    for f in FAULTS:
        assert injected[f] >= ROUNDS_PER_FAULT, (f, injected)
    FIGURES.update(
        rounds=len(plan),
        rounds_repeated_because_no_fault_hit=extra,
        injected=dict(sorted(injected.items())),
        injected_total=sum(injected.values()),
        statuses=dict(statuses),
        reruns_to_converge=dict(reruns),
        retried_after_fault=repeats_total,
        retry_after_pauses=[round(x, 2) for x in pauses],
        contacts=len(model.expected),
        lost=0,
        duplicates=0,
        seconds=round(time.monotonic() - started, 1),
    )
    if os.environ.get("CONTACTBOX_FAULT_LOG"):
        for line in rounds_log:
            print("ROUND", *line, file=sys.__stderr__)
    print("\nFAULT FIGURES", FIGURES, file=sys.__stderr__)
