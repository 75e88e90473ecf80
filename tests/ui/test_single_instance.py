"""ui.single_instance: a second launch hands over to the first (two objects, one process)."""

from __future__ import annotations

import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

from ui.single_instance import SingleInstance, instance_key


@pytest.fixture
def key() -> Iterator[str]:
    k = f"contactbox-test-{uuid.uuid4().hex[:12]}"
    yield k


def test_second_instance_asks_the_first_to_show(qtbot: QtBot, key: str) -> None:
    first = SingleInstance(key)
    assert first.already_running() is False
    assert first.is_listening()
    second = SingleInstance(key)
    with qtbot.waitSignal(first.activated, timeout=5_000):
        assert second.already_running() is True
    assert not second.is_listening()
    third = SingleInstance(key)
    with qtbot.waitSignal(first.activated, timeout=5_000):
        assert third.already_running() is True
    first.close()
    # the first one is gone: the next launch becomes the first
    fourth = SingleInstance(key)
    assert fourth.already_running() is False
    fourth.close()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="socket files are a Unix thing")
def test_stale_socket_file_after_a_crash_is_removed(qtbot: QtBot, key: str) -> None:
    path = Path(QDir.tempPath()) / key
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(str(path))  # bound, never listening, never unlinked: a crash's leftover
    crashed.close()
    assert path.exists()
    instance = SingleInstance(key)
    assert instance.already_running() is False
    assert instance.is_listening()
    other = SingleInstance(key)
    with qtbot.waitSignal(instance.activated, timeout=5_000):
        assert other.already_running() is True
    instance.close()


def test_key_per_user_and_data_directory(tmp_path: Path) -> None:
    a = instance_key(tmp_path / "a")
    assert a == instance_key(tmp_path / "a")
    assert a != instance_key(tmp_path / "b")
    assert a.startswith("contactbox-sync-") and len(a) < 40
