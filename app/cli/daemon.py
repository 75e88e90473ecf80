"""`contactbox-sync daemon [--once]`: every active account (address books and calendars)
synced at its interval until SIGTERM or Ctrl+C — the scheduler of app/daemon.py without a
desktop, its log lines on stdout; `--once` syncs only the accounts due now and ends. The
daemon uses each account's stored password, so app/cli/entry.py refuses --password-stdin
for it."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK
from app.i18n import _


def cmd_daemon(args: argparse.Namespace) -> int:
    """Sync every active account at its interval until SIGTERM / Ctrl+C (app/daemon.py)."""
    import signal

    from app.daemon import Daemon

    def log(line: str) -> None:
        print(line, flush=True)

    daemon = Daemon(log=log)
    if args.once:
        daemon.run_pending()
        return EXIT_OK

    def stop(_signum: int, _frame: object) -> None:
        daemon.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(_("Contactbox Sync läuft im Hintergrund (Beenden mit Strg+C oder SIGTERM)."))
    daemon.run_forever()
    log(_("Beendet."))
    return EXIT_OK


def add_daemon_parser(sub: Any) -> None:
    """`daemon [--once]`."""
    dm = sub.add_parser(
        "daemon",
        help=_(
            "Im Hintergrund abgleichen: jeder aktive Account in seinem Importintervall "
            "(wie das Symbol im Infobereich, ohne Desktop)"
        ),
    )
    dm.add_argument(
        "--once", action="store_true", help=_("nur die jetzt fälligen Accounts, dann Ende")
    )
    dm.set_defaults(func=cmd_daemon)
