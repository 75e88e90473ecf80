"""The read-only part of a run, `ReadOnlyPart`, mixed into `CollectionSync` (app.sync.engine)
under the engine's method names: a binding remembered as read-only is asked once more
before planning (`_for_read_only`: the rights may have been granted since) and, if it
still is, the plan holds no server writes (`plan.read_only_action`); a server write
refused with 403 on a collection that turns out to be read-only is remembered for later
runs and kept local instead of failing (`_refused_for_read_only`, `_keep_local`); the
changes kept local are counted and named in one German note (`_note_kept_local`) — they
stay in Contactbox and go to the server once it allows writing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.i18n import ngettext
from app.store import syncbase
from app.sync.plan import SERVER_WRITES, Action, Kind, Plan, read_only_action

if TYPE_CHECKING:
    from app.sync.report import BookReport
    from app.sync.sides import AnyBinding, CollectionClient, Wording


class ReadOnlyPart:
    """Local changes stay local while the collection is read-only (mixed into
    `CollectionSync`)."""

    # Set by CollectionSync.__init__.
    binding: AnyBinding
    client: CollectionClient
    wording: Wording
    report: BookReport
    href: str
    dry_run: bool
    read_only: bool

    if TYPE_CHECKING:

        def _figure(self, action: Action, delta: int) -> None: ...

        def _apply(self, action: Action) -> None: ...

    def _for_read_only(self, result: Plan) -> Plan:
        """The binding was read-only: ask once more (the rights may have been granted
        since), and if it still is, plan no server writes."""
        if not self.client.read_only(self.href):
            self.read_only = False
            if not self.dry_run:
                self.binding.read_only = False
                syncbase.save_fields(self.binding, "read_only")
            return result
        actions: list[Action] = []
        for action in result.actions:
            kept = read_only_action(action)
            if kept is None:
                self.report.kept_local += 1
            else:
                actions.append(kept)
        guarded = set(result.guarded)
        if not any(a.kind is Kind.DELETE_SERVER for a in actions):
            guarded.discard("local")  # no deletion would go to the server
        return replace(result, actions=actions, guarded=guarded)

    def _refused_for_read_only(self, action: Action, exc: Exception) -> bool:
        """A server write refused with 403: True if the collection turns out to be
        read-only for us (remembered for later runs); the action then stays local."""
        if action.kind not in SERVER_WRITES or getattr(exc, "status", 0) != 403:
            return False
        if not self.read_only:
            if not self.client.read_only(self.href):
                return False  # refused for another reason: that item's error
            self.read_only = True
            self.binding.read_only = True
            syncbase.save_fields(self.binding, "read_only")
        self._keep_local(action)
        return True

    def _keep_local(self, action: Action) -> None:
        """A server write not sent because the collection is read-only."""
        self._figure(action, -1)
        kept = read_only_action(action)
        if kept is None:
            self.report.kept_local += 1
            return
        self._figure(kept, +1)
        self._apply(kept)  # a conflict: the server's version wins

    def _note_kept_local(self) -> None:
        n = self.report.kept_local
        if n:
            self.report.notes.append(
                self.wording.pick(
                    ngettext(
                        "{n} Änderung aus Contactbox wurde nicht übertragen: Das Adressbuch "
                        "ist auf dem Server schreibgeschützt (nur Lesen). Sie bleibt in "
                        "Contactbox erhalten und wird übertragen, sobald der Server "
                        "Schreibrechte gibt.",
                        "{n} Änderungen aus Contactbox wurden nicht übertragen: Das Adressbuch "
                        "ist auf dem Server schreibgeschützt (nur Lesen). Sie bleiben in "
                        "Contactbox erhalten und werden übertragen, sobald der Server "
                        "Schreibrechte gibt.",
                        n,
                    ),
                    ngettext(
                        "{n} Änderung aus Contactbox wurde nicht übertragen: Der Kalender "
                        "ist auf dem Server schreibgeschützt (nur Lesen). Sie bleibt in "
                        "Contactbox erhalten und wird übertragen, sobald der Server "
                        "Schreibrechte gibt.",
                        "{n} Änderungen aus Contactbox wurden nicht übertragen: Der Kalender "
                        "ist auf dem Server schreibgeschützt (nur Lesen). Sie bleiben in "
                        "Contactbox erhalten und werden übertragen, sobald der Server "
                        "Schreibrechte gibt.",
                        n,
                    ),
                ).format(n=n)
            )
