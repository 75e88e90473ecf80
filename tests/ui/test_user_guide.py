"""Hilfe ▸ Benutzerhandbuch (ui/user_guide.py): docs/USER_GUIDE.md as a local HTML page with
its screenshots, opened with QDesktopServices (captured by a real "file" URL handler).

The built app ships the page in resources/help/ (tests/packaging/test_built_app.py).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

import ui.main_window
import ui.user_guide as guide
from ui import settings
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


class Opened(QObject):
    """Stands in for the browser: QDesktopServices hands it every file URL."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Iterator[Opened]:
    handler = Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def help_action(window: MainWindow, text: str = "&Benutzerhandbuch") -> object:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hilfe")
    assert isinstance(menu, QMenu)
    return next(a for a in menu.actions() if a.text() == text)


def image_sources(markdown: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)


def test_the_guide_renders_with_every_screenshot_and_anchor(tmp_path: Path) -> None:
    pages = guide.render_guides(tmp_path / "help")
    page = pages["de"]
    assert page == tmp_path / "help" / "benutzerhandbuch.html"
    html = page.read_text(encoding="utf-8")
    assert "<title>Contactbox Sync – Benutzerhandbuch</title>" in html
    assert guide.missing_references(page) == []  # pictures, the contents' anchors
    # every screenshot of the guide is shown, from a copy next to the page
    shots = image_sources((DOCS / "USER_GUIDE.md").read_text(encoding="utf-8"))
    assert len(shots) >= 20
    assert sorted(re.findall(r'<img src="([^"]+)"', html)) == sorted(shots)
    for src in set(shots):
        assert (page.parent / src).read_bytes() == (DOCS / src).read_bytes()
    # the table of contents links GitHub's anchors
    assert 'id="8-gelöschte-kontakte-bleiben-gelöscht--der-papierkorb"' in html
    assert 'href="#8-gel%C3%B6schte-kontakte-bleiben-gel%C3%B6scht--der-papierkorb"' in html
    assert "<table>" in html
    # a file the help does not contain is named, not linked
    assert "README.md" not in html and "command line in the README" in html


def test_a_missing_picture_or_anchor_is_found(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "screenshots").mkdir(parents=True)
    (docs / "screenshots" / "a.png").write_bytes(b"\x89PNG")
    (docs / "USER_GUIDE.md").write_text(
        "# Handbuch\n\n![A](screenshots/a.png)\n\n[weiter](#handbuch) [fehlt](#nirgends)\n",
        encoding="utf-8",
    )
    page = guide.render_guides(tmp_path / "out", docs)["de"]
    assert guide.missing_references(page) == ["#nirgends"]
    (tmp_path / "out" / "screenshots" / "a.png").unlink()
    assert guide.missing_references(page) == ["screenshots/a.png", "#nirgends"]
    (docs / "USER_GUIDE.md").write_text("![B](screenshots/b.png)\n", encoding="utf-8")
    with pytest.raises(guide.UserGuideMissing, match=r"b\.png"):
        guide.render_guides(tmp_path / "out", docs)


def test_hilfe_benutzerhandbuch_opens_the_local_page(
    qtbot: QtBot, store: Path, opened: Opened
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    action = help_action(window)
    assert window.user_guide_action is action
    window.user_guide_action.trigger()
    [url] = opened.urls
    assert url.isLocalFile() and url.fragment() == ""
    page = Path(url.toLocalFile())
    assert page == guide.SOURCE_BUILD / "benutzerhandbuch.html"  # rendered from docs/ now
    assert page.is_file() and guide.missing_references(page) == []
    assert "Benutzerhandbuch" in page.read_text(encoding="utf-8")


def test_the_english_ui_opens_the_german_guide_at_its_english_summary(
    qtbot: QtBot, store: Path, opened: Opened
) -> None:
    assert not (DOCS / "USER_GUIDE.en.md").exists(), "then this test should expect it"
    settings.set_language("en")
    window = MainWindow()
    qtbot.addWidget(window)
    window.user_guide_action.trigger()
    [url] = opened.urls
    assert Path(url.toLocalFile()).name == "benutzerhandbuch.html"
    assert url.fragment() == guide.ENGLISH_SUMMARY
    page = Path(url.toLocalFile()).read_text(encoding="utf-8")
    assert f'id="{guide.ENGLISH_SUMMARY}"' in page


def test_an_english_guide_is_preferred_when_there_is_one(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: Opened
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "screenshots", docs / "screenshots")
    shutil.copy(DOCS / "USER_GUIDE.md", docs)
    (docs / "USER_GUIDE.en.md").write_text(
        "# User guide\n\n![Main window](screenshots/main-window.png)\n\n"
        "German: [Benutzerhandbuch](USER_GUIDE.md#1-übersicht)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(guide, "DOCS", docs)
    monkeypatch.setattr(guide, "SOURCE_BUILD", tmp_path / "help")
    settings.set_language("en")
    window = MainWindow()
    qtbot.addWidget(window)
    window.user_guide_action.trigger()
    [url] = opened.urls
    page = Path(url.toLocalFile())
    assert page == tmp_path / "help" / "user-guide.html" and url.fragment() == ""
    html = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert 'href="benutzerhandbuch.html#1-%C3%BCbersicht"' in html  # the other guide's page
    assert guide.missing_references(page) == []


def test_the_built_app_opens_what_it_ships(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: Opened
) -> None:
    resources = tmp_path / "bundle" / "resources"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(guide, "resources_dir", lambda: resources)
    monkeypatch.setattr(guide, "DOCS", tmp_path / "no docs")  # nothing to render from
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: told.append(text))
    window = MainWindow()
    qtbot.addWidget(window)

    window.user_guide_action.trigger()  # not shipped: said so, nothing opened
    assert opened.urls == [] and told and "nicht verfügbar" in told[0]

    shipped = guide.render_guides(resources / "help", DOCS)["de"]  # what the spec does
    window.user_guide_action.trigger()
    [url] = opened.urls
    assert Path(url.toLocalFile()) == shipped


def test_no_browser_tells_where_the_guide_is(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: told.append(text))

    class NoBrowser:
        @staticmethod
        def openUrl(_url: QUrl) -> bool:
            return False

    monkeypatch.setattr(ui.main_window, "QDesktopServices", NoBrowser)
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_user_guide()
    assert told and str(guide.SOURCE_BUILD / "benutzerhandbuch.html") in told[0]


def test_the_build_command_renders_the_guide(tmp_path: Path) -> None:
    """`python -m ui.user_guide DIR`, as build_installer.spec runs it."""
    assert guide.main([str(tmp_path / "help")]) == 0
    assert (tmp_path / "help" / "benutzerhandbuch.html").is_file()
    assert guide.main([]) == 2
