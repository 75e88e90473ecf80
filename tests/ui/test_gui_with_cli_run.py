"""The GUI open on a database while a `contactbox-sync run` imports into it.

The GUI side is this process: the contact list's model (ui/contact_model.py) on the
database, and the GUI's sync job (AccountJob, what "Vorgang starten" and the tray run).
The CLI is a real subprocess importing 300 cards from a real Radicale through
`FaultProxy`, which holds it at its listing for a moment:

* meanwhile the GUI's own run is refused with the German message naming the CLI's PID
  (the sync lock, app/store/lock.py) and writes nothing;
* the GUI keeps reading the list all through the import (SQLite in WAL mode: readers
  never wait for the writer): every read succeeds, the count only grows, every row read
  is a whole contact;
* after the CLI has finished the GUI sees all 300, and its own run goes through.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from pytestqt.qtbot import QtBot

from app import secrets
from app.store.models import Account, Binding
from app.store.models import RunReport as RunReportRow
from app.sync.jobs import AccountJob
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cards import simple_card
from tests.servers.cli_process import CliProcesses
from tests.servers.dav_servers import DavServer
from ui.contact_model import ContactTableModel

N_CARDS = 300


def test_gui_reads_and_is_refused_while_the_cli_syncs(
    qtbot: QtBot,
    store: Path,
    tmp_path: Path,
    radicale_server: DavServer,
) -> None:
    server = radicale_server
    name = f"GUI und CLI {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_cards(
        book_url,
        {
            f"gc-{i:03d}.vcf": simple_card(f"gc-{i:03d}", f"Gleichzeitig {i:03d}")
            for i in range(N_CARDS)
        },
        display_name=name,
    )
    arrived, opened = threading.Event(), threading.Event()

    def hold_listing(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"sync-collection" in body and not arrived.is_set():
            arrived.set()
            opened.wait(120)

    proxy = FaultProxy(server.root_url, on_request=hold_listing).start()
    procs = CliProcesses(store.parent, tmp_path / "xdg")  # the GUI's database file
    try:
        added = procs.call(
            "account", "add", "Test", "--url", proxy.url, "--user", server.user,
            extra_env={"CONTACTBOX_PASSWORD": server.password},
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        cli = procs.start("run", "Test", "--book", name, "--mode", "sync", "--option", "server")
        assert arrived.wait(60), "the CLI run never listed the book"

        # The GUI's run while the CLI holds the lock: refused, nothing written.
        account = Account.get(Account.label == "Test")
        secrets.set_password(account.id, server.password)
        bindings = list(Binding.select().where(Binding.account == account))
        assert len(bindings) == 1
        reports = RunReportRow.select().count()
        refused = AccountJob(account, bindings).run()
        assert refused.status == "failed"
        assert refused.message == (
            "Eine andere Synchronisation mit dieser Datenbank läuft gerade "
            f"(contactbox-sync, PID {cli.pid}). Bitte warten Sie, bis sie beendet ist."
        )
        assert RunReportRow.select().count() == reports

        model = ContactTableModel()
        model.set_book(name)
        assert model.rowCount() == 0
        opened.set()
        counts: list[int] = []
        while cli.poll() is None:
            model.reload()
            n = model.rowCount()
            counts.append(n)
            for row in {0, n // 2, n - 1} if n else set():
                contact = model.contact(row)
                assert contact is not None and contact.fn.startswith("Gleichzeitig "), row
            qtbot.wait(5)
        _, err = cli.communicate(timeout=60)
        assert cli.returncode == 0, err
        assert len(counts) >= 3, "the GUI did not get to read while the CLI ran"
        assert counts == sorted(counts) and all(0 <= n <= N_CARDS for n in counts)

        model.reload()
        assert model.rowCount() == N_CARDS
        names = [model.contact(row).fn for row in range(N_CARDS)]  # type: ignore[union-attr]
        assert names == [f"Gleichzeitig {i:03d}" for i in range(N_CARDS)]

        # The CLI is done: the lock is free, the GUI's run goes through (nothing to do).
        mine = AccountJob(account, bindings).run()
        assert mine.status == "ok", mine.message
        assert mine.books[0].unchanged or mine.totals()["added_local"] == 0
    finally:
        opened.set()
        proxy.close()
