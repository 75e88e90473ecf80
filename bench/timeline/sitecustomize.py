"""A start-up timeline of one Python process (issue 21): put this folder on ``PYTHONPATH``.

When each watched module is first imported, when the process first connects a socket
(``socket.connect`` audit event), when it first writes on one (``sendall``) and first reads
from one (``recv_into``: the answer's first bytes), and when its exit handlers run — in ms
since ``CBX_T0`` (a ``time.time()`` the parent takes just before it starts the process; else
since this module loaded), one JSON line appended to the file ``CBX_TIMELINE`` at exit::

    CBX_T0=$(date +%s.%N) CBX_TIMELINE=/tmp/t.jsonl \\
      PYTHONPATH=$PWD:$PWD/bench/timeline contactbox-sync --home H sync LABEL

The hook and the wrapped socket methods cost a little themselves: compare trees measured the
same way, in the same rounds (docs/PERFORMANCE.md, "The request before the store opens").
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import sys
import time
from typing import Any

_START = float(os.environ.get("CBX_T0") or 0) or time.time()
_OUT = os.environ.get("CBX_TIMELINE")
WATCHED = ("peewee", "lxml", "keyring", "sqlite3", "ssl", "http.client", "app.store.models",
           "app.dav.xml", "app.sync.engine")  # fmt: skip
_seen: dict[str, float] = {}


def _mark(name: str) -> None:
    if name not in _seen:
        _seen[name] = round((time.time() - _START) * 1000, 1)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "import" and args[0] in WATCHED:
        _mark(f"import {args[0]}")
    elif event == "socket.connect":
        _mark("connect")


_recv_into = socket.socket.recv_into
_sendall = socket.socket.sendall


def _recv_marked(self: socket.socket, *args: Any, **kwargs: Any) -> int:
    n = _recv_into(self, *args, **kwargs)
    _mark("answer")
    return n


def _send_marked(self: socket.socket, *args: Any, **kwargs: Any) -> None:
    _sendall(self, *args, **kwargs)
    _mark("sent")


def _write() -> None:
    _mark("exit")
    if _OUT:
        with open(_OUT, "a", encoding="utf-8") as f:
            f.write(json.dumps(_seen) + "\n")


_mark("site")
sys.addaudithook(_hook)
socket.socket.recv_into = _recv_marked  # type: ignore[method-assign]
socket.socket.sendall = _send_marked  # type: ignore[method-assign]
atexit.register(_write)
