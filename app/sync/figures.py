"""The figures part of a run, `FiguresPart`, mixed into `CollectionSync` (app.sync.engine)
under the engine's method names: how many items were added, updated and deleted on
either side, the conflicts, and the items that failed. A check's figures count what the
plan would do (`_count`); a run's count what was done: held-back deletions leave them
(`_reset_done_figures`), an action refused or failed leaves them (`_figure` with -1;
`_fail` also records the item's German error), and a cancelled run takes out the changes
not carried out (`_uncount`). The report and the run window show these figures.

Group cards are counted apart (`_is_group`): a change of a group card counts in
`groups_changed`, not in the contacts' changes, and the group cards on either side in
`server_groups` / `local_groups` (`_count_items`), never in "Kontakte auf dem Server / in
Contactbox". Whether an item is a group card is known without reading any card again: a
local item by the side's group card ids (`LocalSide.group_cards`, read with the local
side), a fetched server object by what reading it found (`Fetched.group`), an unchanged one
by its local counterpart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from app.dav.errors import DavError
from app.sync.details import DetailList, side_and_action
from app.sync.plan import WRITING, Action, Kind, Plan, StateItem, guarded_kinds
from app.sync.report import CHANGE_FIGURES, BookReport, ItemError, figure_of

if TYPE_CHECKING:
    from app.sync.sides import Fetched, LocalSide

S = TypeVar("S")

#: A failure of one of these leaves the server's view unapplied: the position stays.
_LOCAL_WRITES = frozenset(
    {
        Kind.ADD_LOCAL,
        Kind.UPDATE_LOCAL,
        Kind.DELETE_LOCAL,
        Kind.RESTORE_LOCAL,
        Kind.SKIP_DELETED,
        Kind.MERGE,  # (the server's change is merged by the next run: it must see it)
    }
)


def _detail(exc: Exception) -> str:
    return str(getattr(exc, "detail", ""))


class FiguresPart(Generic[S]):
    """The report's figures and item errors (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__.
    side: LocalSide[S]
    report: BookReport
    dry_run: bool
    others: dict[str, str]
    position_safe: bool
    # Set by the run: the local group cards' ids (live or trashed) and the server objects
    # that are group cards; group cards this run added (+) or deleted (-) on the server.
    group_ids: frozenset[int]
    group_hrefs: set[str]
    _server_groups_delta: int
    # The items counted in, with their changed fields (app.sync.details): set by
    # CollectionSync.__init__, kept in the report when the run ends.
    details: DetailList
    fetched: dict[str, Fetched[S]]
    state_by_href: dict[str, StateItem]

    def _is_group(self, action: Action) -> bool:
        """Is the action's item a group card (on the side it is known on)?"""
        if action.href is not None and action.href in self.group_hrefs:
            return True
        return action.contact_id is not None and action.contact_id in self.group_ids

    def _figure_name(self, action: Action) -> str | None:
        """The figure an action counts in: a change of a group card in `groups_changed`."""
        name = figure_of(action.kind)
        if name in CHANGE_FIGURES and self._is_group(action):
            return "groups_changed"
        return name

    def _count_items(self, server: list[str], local: list[int]) -> None:
        """The report's counts: people and group cards apart (`server`: the hrefs of the
        collection's items; `local`: the ids of the live local items)."""
        groups = sum(1 for href in server if href in self.group_hrefs)
        self.report.server_groups = groups
        self.report.server_count = len(server) - groups + len(self.others)
        groups = sum(1 for cid in local if cid in self.group_ids)
        self.report.local_groups = groups
        self.report.local_count = len(local) - groups

    def _count(self, result: Plan) -> None:
        """The plan's figures (a check's: what the run would do; a run's, before it), and
        its items' details, built in batches."""
        self.details.add_all(result.actions, self.fetched, self.state_by_href)
        for action in result.actions:
            self._figure(action, +1)
        self.report.server_only += len(self.others)
        held = guarded_kinds(result.guarded)
        if held and self.dry_run:
            self.report.guarded = sorted(result.guarded)
            self.report.held_back = sum(1 for a in result.actions if a.kind in held)

    def _reset_done_figures(self, result: Plan, held: set[Kind]) -> None:
        """In a run, figures count what was done: held-back deletions do not count."""
        for a in result.actions:
            if a.kind in held:
                self._figure(a, -1)

    def _figure(self, action: Action, delta: int) -> None:
        """Count an action in (+1) or out of (-1) the report's figures, and its item in or
        out of the details (the list follows the figures)."""
        if side_and_action(action) is not None:
            if delta > 0:
                self.details.add(action, self.fetched, self.state_by_href)
            else:
                self.details.drop(action)
        name = self._figure_name(action)
        if name is not None:
            setattr(self.report, name, getattr(self.report, name) + delta)
        if name == "groups_changed" and action.kind is Kind.ADD_SERVER:
            self._server_groups_delta += delta
        elif name == "groups_changed" and action.kind is Kind.DELETE_SERVER:
            self._server_groups_delta -= delta
        if action.conflict:
            self.report.conflicts += delta

    def _uncount(self, actions: list[Action]) -> None:
        """Cancelled: the changes not carried out leave the figures (a run's figures
        count what was done; the report and the run window show them)."""
        for a in actions:
            if a.kind in WRITING:
                self._figure(a, -1)

    def _fail(self, action: Action, name: str, exc: Exception) -> None:
        self._figure(action, -1)
        if action.kind in _LOCAL_WRITES:
            self.position_safe = False
        self.report.errors.append(
            ItemError(
                name,
                action.uid,
                action.href or "",
                action.kind.value,
                # a refused item is named in the server's refusal ("… den Kontakt „X“ …")
                exc.message_for(name) if isinstance(exc, DavError) else self.side.message(exc),
                _detail(exc),
            )
        )
