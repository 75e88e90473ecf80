"""The figures part of a run, `FiguresPart`, mixed into `CollectionSync` (app.sync.engine)
under the engine's method names: how many items were added, updated and deleted on
either side, the conflicts, and the items that failed. A check's figures count what the
plan would do (`_count`); a run's count what was done: held-back deletions leave them
(`_reset_done_figures`), an action refused or failed leaves them (`_figure` with -1;
`_fail` also records the item's German error), and a cancelled run takes out the changes
not carried out (`_uncount`). The report and the run window show these figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from app.dav.errors import DavError
from app.sync.plan import WRITING, Action, Kind, Plan, guarded_kinds
from app.sync.report import BookReport, ItemError, figure_of

if TYPE_CHECKING:
    from app.sync.sides import LocalSide

S = TypeVar("S")

#: A failure of one of these leaves the server's view unapplied: the position stays.
_LOCAL_WRITES = frozenset(
    {Kind.ADD_LOCAL, Kind.UPDATE_LOCAL, Kind.DELETE_LOCAL, Kind.RESTORE_LOCAL, Kind.SKIP_DELETED}
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

    def _count(self, result: Plan) -> None:
        self.report.count_plan(result)
        self.report.server_only += len(self.others)
        held = guarded_kinds(result.guarded)
        if held and self.dry_run:
            self.report.guarded = sorted(result.guarded)
            self.report.held_back = sum(1 for a in result.actions if a.kind in held)

    def _reset_done_figures(self, result: Plan, held: set[Kind]) -> None:
        """In a run, figures count what was done: held-back deletions do not count."""
        for a in result.actions:
            if a.kind in held and (name := figure_of(a.kind)):
                setattr(self.report, name, getattr(self.report, name) - 1)

    def _figure(self, action: Action, delta: int) -> None:
        """Count an action in (+1) or out of (-1) the report's figures."""
        name = figure_of(action.kind)
        if name is not None:
            setattr(self.report, name, getattr(self.report, name) + delta)
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
