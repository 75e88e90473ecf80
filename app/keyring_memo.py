"""keyring's backend, found by keyring's search once and then remembered (issue 21).

keyring's search (`keyring.core.init_backend`) loads the entry points of every installed
package and asks every backend class whether it is viable: ~0.1 s on every start of the CLI
or the window (keyring's macOS backend even starts processes through
`ctypes.util.find_library`, on Linux too). `resolve_backend()` (app/secrets.py calls it
before each use of keyring) remembers the backend the search chose in `BACKEND_MEMO`, beside
the open database - class paths only, no password, no user name - and later starts load
that class, or the members of keyring's chain in keyring's order, directly. Only a real
keyring is remembered (priority >= 1; a fallback such as keyrings.alt's plaintext file is
searched for on every start, so a keyring set up later is found as keyring would). Which backend is
used does not change: the memo counts only while each remembered class is still viable
(priority > 0) and the installed packages, the interpreter and the kind of desktop session
are those of the search; otherwise keyring searches as always and the memo is renewed.
PYTHON_KEYRING_BACKEND and keyringrc.cfg win (with either, keyring decides alone), and a
backend set before (`keyring.set_keyring`, as the tests' memory keyring is) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

#: Next to the open database: the backend keyring's own search chose (class paths only - no
#: password, no user name), and what that search depended on (`_environment`).
BACKEND_MEMO = "keyring-backend.json"
_MEMO_VERSION = 1
#: Whether a desktop session is there decides which backends are viable (Secret Service and
#: KWallet need D-Bus): a start in another kind of session searches again.
_SESSION_PRESENT = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")
_SESSION_VALUES = ("XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "KDE_FULL_SESSION")
_resolve_lock = threading.Lock()


def resolve_backend(database_file: Path | None = None) -> None:
    """Choose keyring's backend as keyring would, without its search when the memo counts
    (see the module docstring). `database_file`: the database the memo lies beside, when
    the models are not bound to it yet (a `sync`'s head start, app/sync/head_start.py);
    None: the open database's."""
    import keyring.core as core

    config_path = getattr(core, "_config_path", None)
    if getattr(core, "_keyring_backend", True) is not None or config_path is None:
        return  # chosen already, or a keyring whose internals this does not know
    if "PYTHON_KEYRING_BACKEND" in os.environ or config_path().exists():
        return  # the user's own choice: keyring reads it
    with _resolve_lock:
        if core._keyring_backend is not None:
            return
        memo = _memo_path() if database_file is None else database_file.parent / BACKEND_MEMO
        environment = _environment()
        remembered = _read_memo(memo, environment) if memo is not None else None
        if remembered is not None:
            core.set_keyring(remembered)
            return
        backend = core.get_keyring()  # keyring's own search
        if memo is not None:
            _write_memo(memo, _describe(backend), environment)


def _memo_path() -> Path | None:
    """`BACKEND_MEMO` in the folder of the open database (None: no database file open)."""
    from app.store.models import database

    name = getattr(database.obj, "database", None)
    if not isinstance(name, str) or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name).parent / BACKEND_MEMO


def _environment() -> dict[str, object]:
    """What keyring's search depends on besides its answer: the installed packages (a
    package folder's modification time changes when a package is added or removed), the
    interpreter (a new bundle is a new file) and the kind of desktop session."""
    import sys

    stamps: dict[str, int] = {}
    for entry in (sys.executable, *sys.path):
        if entry == sys.executable or entry.endswith(("site-packages", "dist-packages")):
            with contextlib.suppress(OSError):
                stamps[entry] = os.stat(entry).st_mtime_ns
    session: dict[str, object] = {name: bool(os.environ.get(name)) for name in _SESSION_PRESENT}
    session |= {name: os.environ.get(name, "") for name in _SESSION_VALUES}
    return {"platform": sys.platform, "stamps": stamps, "session": session}


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _describe(backend: KeyringBackend) -> dict[str, object] | None:
    """What to remember of the backend keyring chose (None: nothing worth it - no keyring
    at all, the null keyring, an empty chain)."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        members = list(backend.backends)
        if not members or max(_priority(type(m)) for m in members) < 1:
            return None
        return {
            "backend": _class_path(chainer.ChainerBackend),
            "chain": [_class_path(type(member)) for member in members],
        }
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    if _priority(type(backend)) < 1:
        # A fallback (keyrings.alt's plaintext file: 0.5) is not remembered: keyring's own
        # search would prefer a real keyring that turns up later (a desktop keyring set up
        # in the same session, no package changed), so every start searches again.
        return None
    return {"backend": _class_path(type(backend))}


def _priority(cls: type[KeyringBackend]) -> float:
    try:
        return float(cls.priority)
    except Exception:  # keyring's rule: a backend that is not viable raises
        return 0.0


def _viable_class(path: str) -> type[KeyringBackend] | None:
    """The backend class `path` names if it is still there and viable (priority > 0)."""
    import importlib

    from keyring.backend import KeyringBackend

    module, _sep, name = path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, KeyringBackend)):
            return None
        return cls if cls.priority > 0 else None  # raises when not viable here
    except Exception:  # an uninstalled package, a backend unusable here now
        return None


def _read_memo(memo: Path, environment: dict[str, object]) -> KeyringBackend | None:
    """The remembered backend, made, if everything it depended on is unchanged."""
    import json

    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("version") != _MEMO_VERSION
        or data.get("environment") != environment
        or not isinstance(data.get("backend"), str)
    ):
        return None
    chain = data.get("chain")
    if chain is None:
        cls = _viable_class(data["backend"])
        return cls() if cls is not None else None
    if not isinstance(chain, list) or not chain or not all(isinstance(p, str) for p in chain):
        return None
    classes = [_viable_class(path) for path in chain]
    if any(cls is None for cls in classes):
        return None
    return _chain([cls() for cls in classes if cls is not None])


def _chain(members: list[KeyringBackend]) -> KeyringBackend:
    """keyring's ChainerBackend over `members`, in keyring's order (highest priority
    first), without the search its `backends` would run on every use."""
    from keyring.backend import KeyringBackend, by_priority
    from keyring.backends.chainer import ChainerBackend

    ordered = sorted(members, key=by_priority, reverse=True)

    class RememberedChain(ChainerBackend):
        backends = ordered  # (keyring's is a class property that searches)

    RememberedChain.__qualname__ = ChainerBackend.__qualname__
    # Made here, it must never be a candidate of a later search of keyring's.
    getattr(KeyringBackend, "_classes", set()).discard(RememberedChain)
    return RememberedChain()  # type: ignore[no-untyped-call]


def _write_memo(
    memo: Path, described: dict[str, object] | None, environment: dict[str, object]
) -> None:
    """Remember `described` (None: forget), owner-only, atomically; failing is harmless
    (the next start searches again)."""
    import json
    import tempfile

    with contextlib.suppress(OSError):
        if described is None:
            memo.unlink(missing_ok=True)
            return
        text = json.dumps({"version": _MEMO_VERSION, **described, "environment": environment})
        if memo.is_file() and memo.read_text(encoding="utf-8") == text:
            return
        fd, tmp = tempfile.mkstemp(prefix=".keyring-backend-", dir=memo.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, memo)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
