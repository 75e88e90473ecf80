"""The Qt binding itself must hold up in a program that runs for months in the tray.

PySide6 6.12.0 returns None from void methods without taking a reference: every call of
e.g. `processEvents()` or `scrollTo()` lowers None's reference count by one, and on
Python 3.11 the process aborts ("deallocating None") after a few thousand calls —
scrolling the contact list for a minute was enough. pyproject.toml excludes that release;
this test fails on any binding with the same defect.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot


def test_void_methods_do_not_steal_references_to_none(qtbot: QtBot, qapp: QApplication) -> None:
    model = QStandardItemModel(1000, 3)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    calls = 2000
    before = sys.getrefcount(None)
    for i in range(calls):
        view.scrollTo(model.index(i % 1000, 0))  # void
        view.verticalScrollBar().setValue(i % 50)  # void
    qapp.processEvents()  # void
    lost = before - sys.getrefcount(None)
    assert lost < calls // 10, f"None lost {lost} references in {2 * calls + 1} void calls"
