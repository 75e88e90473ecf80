"""GUI test fixtures: the sync page over a fresh database, an account on a real Radicale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store.models import Account
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui.icons import resources_dir
from ui.sync_page import AddressBookSyncPage


@pytest.fixture(scope="session", autouse=True)
def german_plural_forms(qapp: QApplication) -> Iterator[QTranslator]:
    """contactbox_de.qm, as ui/app.py loads it for German: "%n Kontakt(e)" → "1 Kontakt";
    and German dates and numbers (QLocale's default, ui/locale_format.py), whatever the
    test machine's locale."""
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    translator = QTranslator()
    path = resources_dir() / "translations" / "contactbox_de.qm"
    assert translator.load(str(path)), f"{path} cannot be loaded"
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


@pytest.fixture(params=["en", "de"])
def window_language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """A test in each language: the window (its .qm files, QLocale's default) and the core
    speak request.param, as `contactbox --language` sets them (ui/app.install_translations);
    afterwards German again."""
    from ui.app import install_translations

    code = str(request.param)
    before = QLocale()
    loaded = install_translations(qapp, code)
    yield code
    for translator in loaded:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def global_qsettings(tmp_path: Path) -> Path:
    """The user's global Qt settings (QSettings()) point into the test's folder: a test never
    changes the real ones, and can check that nothing was written there (ui/settings.py
    keeps the window's settings in the data directory)."""
    folder = tmp_path / "global-qsettings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder / scope.name))
    return folder


@pytest.fixture
def radicale_account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    """A saved account for the Radicale test user (password in the memory keyring)."""
    return add_account(
        "Büro Radicale",
        server=radicale_server.root_url,
        username=radicale_server.user,
        password=radicale_server.password,
    )


@pytest.fixture
def page(qtbot: QtBot, store: Path) -> AddressBookSyncPage:
    widget = AddressBookSyncPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget
