"""keyring's backend, searched once and then remembered (app/keyring_memo.py, issue 21).

In-process with the real keyring package and real backends (keyrings.alt's plaintext file
in a temporary XDG folder, in-memory ones): the search is keyring's own
`keyring.backend.get_all_keyring` (entry points, then every class asked whether it is
viable), counted here. The tests' memory keyring (tests/conftest.py) is put aside for each
test, as if the process had just started."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, null
from keyring.compat import properties
from keyrings.alt.file import PlaintextKeyring

from app import keyring_memo, secrets
from app.store.models import Account
from tests.conftest import MemoryKeyring

PLAINTEXT = "keyrings.alt.file.PlaintextKeyring"


def _path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _unlisted(cls: type[KeyringBackend]) -> type[KeyringBackend]:
    """A backend class of these tests is never a candidate of keyring's search (in this
    test or a later one of the same process); a memo can still name it."""
    keyring.backend.KeyringBackend._classes.discard(cls)  # type: ignore[attr-defined]
    return cls


@_unlisted
class GoneKeyring(MemoryKeyring):
    """A backend that is not viable here any more (keyring's rule: priority raises)."""

    @properties.classproperty
    def priority(cls) -> float:  # type: ignore[override]
        raise RuntimeError("no such service on this computer now")


@_unlisted
class ZeroKeyring(MemoryKeyring):
    """Viable by keyring's rule, but with priority 0: not a keyring to use."""

    priority = 0  # type: ignore[assignment]


@_unlisted
class SecondKeyring(MemoryKeyring):
    """A viable backend of higher priority than the plaintext file."""

    priority = 2  # type: ignore[assignment]


@_unlisted
class DeskKeyring(PlaintextKeyring):
    """Stands for a desktop keyring (priority >= 1, as Secret Service or KWallet have): the
    one installed backend of these tests, its passwords in a file so that they outlast a
    simulated start. (keyrings.alt's plaintext file itself, priority 0.5, is a fallback,
    which is never remembered.)"""

    filename = "desk_pass.cfg"
    priority = 1.5  # type: ignore[assignment]


DESK = f"{DeskKeyring.__module__}.{DeskKeyring.__qualname__}"


@_unlisted
class SecondFileKeyring(PlaintextKeyring):
    """keyrings.alt's plaintext file under another name, ahead of it (priority 2)."""

    filename = "second_pass.cfg"
    priority = 2  # type: ignore[assignment]


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """keyring's search, counted (one entry per `get_all_keyring` call)."""
    real = keyring.backend.get_all_keyring

    class Calls(list[int]):
        def forget(self) -> None:
            """Forget the search's answer (keyring keeps it for the process)."""
            with contextlib.suppress(KeyError):
                real.reset()

    calls = Calls()
    with contextlib.suppress(KeyError):  # (keyring keeps a search's answer for the process)
        real.reset()

    def counted() -> list[KeyringBackend]:
        calls.append(1)
        return real()

    monkeypatch.setattr(keyring.backend, "get_all_keyring", counted)
    yield calls
    with contextlib.suppress(KeyError):  # (a later test searches among its own backends)
        real.reset()


@pytest.fixture
def fresh(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Path, searches: list[int]
) -> Iterator[Callable[[], None]]:
    """A start with no backend chosen yet, no keyring variable and no keyringrc.cfg, and
    a database open in tmp_path; calling it starts "again" (the backend forgotten)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def restart() -> None:
        keyring.core._keyring_backend = None

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    # keyring's search sees the installed backends, not the tests' own ones (an in-memory
    # backend made anew at each simulated start would have lost its passwords)
    classes = keyring.backend.KeyringBackend._classes  # type: ignore[attr-defined]
    installed = {c for c in classes if not c.__module__.startswith(("tests.", "conftest"))}
    installed = (installed - {PlaintextKeyring}) | {DeskKeyring}
    monkeypatch.setattr(keyring.backend.KeyringBackend, "_classes", installed)
    yield restart


def memo_path(store: Path) -> Path:
    return store.parent / keyring_memo.BACKEND_MEMO


def write_memo(store: Path, **described: object) -> None:
    memo_path(store).write_text(
        json.dumps({"version": 1, **described, "environment": keyring_memo._environment()}),
        encoding="utf-8",
    )


def account() -> int:
    return int(Account.create(label="A", server="dav.example", username="eva").id)


def chosen() -> list[type]:
    """What the backend in use is: its class, or the classes of keyring's chain."""
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        return [chainer.ChainerBackend, *(type(m) for m in backend.backends)]
    return [type(backend)]


# ---------------------------------------------------------------- (a) remembered, used


@pytest.mark.parametrize("chain", [False, True], ids=["one-backend", "keyrings-chain"])
def test_the_backend_keyrings_search_found_is_used_later_without_the_search(
    fresh: Callable[[], None], store: Path, searches: list[int], chain: bool
) -> None:
    """(With a second viable backend keyring's search chooses its chain of both.)"""
    if chain:
        keyring.backend.KeyringBackend._classes.add(SecondFileKeyring)  # type: ignore[attr-defined]
    account_id = account()
    secrets.set_password(account_id, "geheim")  # the first start: keyring searches
    assert searches  # (the search ran)
    first = chosen()
    memo = memo_path(store).read_text(encoding="utf-8")
    assert "geheim" not in memo and "account-" not in memo  # class paths only
    assert json.loads(memo)["backend"] == _path(first[0])
    assert first == (
        [chainer.ChainerBackend, SecondFileKeyring, DeskKeyring]
        if chain
        else [DeskKeyring]
    )

    fresh()  # a later start
    searches.clear()
    assert secrets.get_password(account_id) == "geheim"
    assert secrets.system_store_available()
    assert chosen() == first  # the same backend (or chain, same members and order)
    assert searches == []  # ... and keyring did not search


def test_a_remembered_backend_is_loaded_directly(
    fresh: Callable[[], None], store: Path, searches: list[int], tmp_path: Path
) -> None:
    write_memo(store, backend=DESK)
    account_id = account()
    secrets.set_password(account_id, "geheim")
    assert chosen() == [DeskKeyring]
    assert searches == []
    assert (tmp_path / "data" / "python_keyring" / "desk_pass.cfg").is_file()  # (its file)
    fresh()
    assert secrets.get_password(account_id) == "geheim"
    assert searches == []


def test_a_remembered_chain_keeps_keyrings_order_without_searching(
    fresh: Callable[[], None], store: Path, searches: list[int]
) -> None:
    """keyring's chain asks its members highest priority first (and writes to the first);
    its own `backends` would search again on every use."""
    chain = [DESK, _path(SecondKeyring)]
    write_memo(store, backend=_path(chainer.ChainerBackend), chain=chain)
    account_id = account()
    secrets.set_password(account_id, "geheim")
    assert chosen() == [chainer.ChainerBackend, SecondKeyring, DeskKeyring]
    [first, _plaintext] = keyring.get_keyring().backends  # type: ignore[attr-defined]
    assert first.get_password(secrets.SERVICE, secrets.entry_name(account_id)) == "geheim"
    assert secrets.get_password(account_id) == "geheim"
    assert searches == []
    assert SecondKeyring not in keyring.backend.KeyringBackend._classes  # type: ignore[attr-defined]


# ---------------------------------------------------------------- (b) no longer viable


@pytest.mark.parametrize(
    "described",
    [
        {"backend": _path(GoneKeyring)},
        {"backend": _path(ZeroKeyring)},
        {"backend": "keyrings.uninstalled.Keyring"},
        {"backend": _path(chainer.ChainerBackend), "chain": [DESK, _path(GoneKeyring)]},
    ],
    ids=["not-viable", "priority-0", "uninstalled", "chain-member-gone"],
)
def test_a_remembered_backend_no_longer_viable_falls_back_to_keyrings_search(
    fresh: Callable[[], None], store: Path, searches: list[int], described: dict[str, object]
) -> None:
    write_memo(store, **described)
    assert secrets.system_store_available()
    assert searches  # keyring searched
    found = chosen()
    assert GoneKeyring not in found and ZeroKeyring not in found
    renewed = json.loads(memo_path(store).read_text(encoding="utf-8"))
    assert renewed["backend"] == _path(found[0])  # the memo names what the search found
    assert _path(GoneKeyring) not in renewed.get("chain", [])


def test_another_kind_of_session_searches_again(
    fresh: Callable[[], None],
    store: Path,
    searches: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Secret Service and KWallet are viable only in a desktop session: a memo made
    without one does not count in one (and the other way round)."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    write_memo(store, backend=DESK)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    secrets.system_store_available()
    assert searches


def test_a_memo_of_another_version_or_damaged_is_not_used(
    fresh: Callable[[], None], store: Path, searches: list[int]
) -> None:
    memo_path(store).write_text("{not json", encoding="utf-8")
    assert secrets.system_store_available()
    assert searches
    assert json.loads(memo_path(store).read_text(encoding="utf-8"))["version"] == 1


# ---------------------------------------------------------------- (c) the user's choice wins


def test_the_environment_variable_wins_over_the_memo(
    fresh: Callable[[], None], store: Path, searches: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_memo(store, backend=_path(SecondKeyring))
    before = memo_path(store).read_text(encoding="utf-8")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", PLAINTEXT)
    account_id = account()
    secrets.set_password(account_id, "geheim")
    assert chosen() == [PlaintextKeyring]
    assert memo_path(store).read_text(encoding="utf-8") == before  # left as it was


def test_keyringrc_cfg_wins_over_the_memo(
    fresh: Callable[[], None], store: Path, tmp_path: Path
) -> None:
    write_memo(store, backend=_path(SecondKeyring))
    config = tmp_path / "config" / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n")
    assert not secrets.system_store_available()  # the null keyring: no store
    assert chosen() == [null.Keyring]


# ---------------------------------------------------------------- left alone


def test_a_backend_set_before_is_kept_and_nothing_is_remembered(
    store: Path, memory_keyring: MemoryKeyring, searches: list[int]
) -> None:
    """The tests' memory keyring (set with keyring.set_keyring) stays the backend."""
    account_id = account()
    secrets.set_password(account_id, "geheim")
    assert memory_keyring.store[(secrets.SERVICE, secrets.entry_name(account_id))] == "geheim"
    assert not memo_path(store).exists()
    assert searches == []


def test_without_a_database_keyring_searches_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, searches: list[int]
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert secrets.system_store_available()
    assert searches
    assert list(tmp_path.rglob(keyring_memo.BACKEND_MEMO)) == []


def test_a_fallback_backend_is_not_remembered(
    fresh: Callable[[], None],
    store: Path,
    searches: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only keyrings.alt's plaintext file is there (priority 0.5, a fallback): nothing is
    remembered, so each start searches again — a desktop keyring set up later (in the same
    session, no package changed) is then chosen as keyring itself would, and no password
    keeps going to the plaintext file."""
    monkeypatch.setattr(keyring.backend.KeyringBackend, "_classes", {PlaintextKeyring})
    account_id = account()
    secrets.set_password(account_id, "geheim")
    assert chosen() == [PlaintextKeyring]
    assert not memo_path(store).exists()
    fresh()  # a later start, now with a desktop keyring
    monkeypatch.setattr(
        keyring.backend.KeyringBackend, "_classes", {PlaintextKeyring, SecondKeyring}
    )
    searches.clear()
    searches.forget()  # type: ignore[attr-defined]
    secrets.set_password(account_id, "neu")
    assert searches  # keyring searched again ...
    assert chosen() == [SecondKeyring]  # ... and chose the desktop keyring
