"""Hilfe ▸ Benutzerhandbuch: the user guide as a local HTML page with its screenshots.

The source is docs/USER_GUIDE.md (German; an English docs/USER_GUIDE.en.md is used for the
English UI when there is one, else the German guide opens at its English summary) with the
images in docs/screenshots. `render_guides(folder)` turns them into HTML with markdown-it-py
(CommonMark + tables, as GitHub shows the file): headings get GitHub's anchors, so the
table of contents works; the screenshots are copied next to the page; a link to a file the
help does not contain (../README.md) keeps its text, not the link.

* The built app (build_installer.spec) ships the rendered pages in resources/help/:
  `python -m ui.user_guide DIR` renders them at build time.
* From the source tree the guide is rendered when it is opened, into build/help/, so it
  always shows the current docs/.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QCoreApplication, QUrl

from ui.icons import resources_dir

if TYPE_CHECKING:
    from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SOURCE_BUILD = ROOT / "build" / "help"


@dataclass(frozen=True)
class Guide:
    language: str
    source: str  # in docs/
    page: str  # the HTML file's name


GUIDES = (
    Guide("de", "USER_GUIDE.md", "benutzerhandbuch.html"),
    Guide("en", "USER_GUIDE.en.md", "user-guide.html"),
)
GERMAN = GUIDES[0]
ENGLISH_SUMMARY = "english-summary"  # the German guide's last section

_STYLE = """
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       line-height: 1.5; color: #1f2328; max-width: 58em; margin: 2em auto; padding: 0 1.5em; }
h1, h2, h3 { line-height: 1.25; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
img { max-width: 100%; border: 1px solid #d0d7de; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #d0d7de; padding: .35em .7em; vertical-align: top; }
code { background: #f0f2f4; padding: .1em .3em; border-radius: 4px; }
pre { background: #f0f2f4; padding: 1em; overflow: auto; } pre code { padding: 0; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserGuide", text)


class UserGuideMissing(Exception):
    """The guide is neither shipped nor can it be rendered here."""


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, each space a
    hyphen ("8. Gelöschte … – der Papierkorb" → "8-gelöschte-…--der-papierkorb")."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _plain(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def render_guide(source: Path, folder: Path, pages: dict[str, str]) -> Path:
    """Render the Markdown file `source` to `folder`/`pages[source.name]`; its images are
    copied below `folder` (same relative paths). `pages` maps guide sources to their pages
    (links between the guides). Returns the page."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    text = source.read_text(encoding="utf-8")
    tokens = md.parse(text)
    seen: dict[str, int] = {}
    title = ""
    images: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = _plain(tokens[i + 1])
            title = title or heading
            slug = github_slug(heading)
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            token.attrSet("id", slug if count == 0 else f"{slug}-{count}")
        if token.type != "inline" or not token.children:
            continue
        kept: list[Token] = []
        dropped: list[bool] = []  # per open link: was it dropped?
        for child in token.children:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                if _is_local(src):
                    images.add(unquote(urlsplit(src).path))
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                target = unquote(urlsplit(href).path)
                drop = False
                if _is_local(href):
                    if target in pages:  # the other guide
                        fragment = urlsplit(href).fragment
                        child.attrSet("href", pages[target] + (f"#{fragment}" if fragment else ""))
                    else:
                        drop = True  # not part of the help: keep the words, not the link
                dropped.append(drop)
                if drop:
                    continue
            elif child.type == "link_close" and dropped and dropped.pop():
                continue
            kept.append(child)
        token.children = kept
    body = md.renderer.render(tokens, md.options, {})
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(images):
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise UserGuideMissing(
                _tr("{0}: Bild {1} liegt nicht bei docs/").format(source.name, name)
            )
        original = (source.parent / name).resolve()
        if not original.is_file():
            raise UserGuideMissing(
                _tr("{0}: Bild {1} fehlt ({2})").format(source.name, name, original)
            )
        copy = folder / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if not copy.is_file() or copy.read_bytes() != original.read_bytes():
            shutil.copyfile(original, copy)
    language = "en" if source.name == "USER_GUIDE.en.md" else "de"
    page = folder / pages[source.name]
    html = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title or 'Contactbox Sync')}</title>\n<style>{_STYLE}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )
    if not page.is_file() or page.read_text(encoding="utf-8") != html:
        page.write_text(html, encoding="utf-8")
    return page


def render_guides(folder: Path, docs: Path | None = None) -> dict[str, Path]:
    """Render every guide in `docs` (default: the project's docs/) into `folder`:
    {language: page}. The German one must exist."""
    docs = DOCS if docs is None else docs
    present = [g for g in GUIDES if (docs / g.source).is_file()]
    if GERMAN not in present:
        raise UserGuideMissing(_tr("{0} fehlt").format(docs / GERMAN.source))
    pages = {g.source: g.page for g in present}
    return {g.language: render_guide(docs / g.source, folder, pages) for g in present}


def shipped_folder() -> Path:
    """Where the built app keeps the rendered guide."""
    return resources_dir() / "help"


def guide_page(language: str) -> tuple[Path, str]:
    """(page, fragment) of the guide for the UI language `language`.

    The built app opens what it ships; the source tree renders docs/ now. An English UI
    gets the English guide if there is one, else the German guide at its English summary.
    """
    if getattr(sys, "frozen", False):
        folder = shipped_folder()
        pages = {g.language: folder / g.page for g in GUIDES if (folder / g.page).is_file()}
        if "de" not in pages:
            raise UserGuideMissing(_tr("{0} fehlt").format(folder / GERMAN.page))
    else:
        try:
            pages = render_guides(SOURCE_BUILD)
        except ImportError as exc:
            raise UserGuideMissing(
                _tr("markdown-it-py ist nicht installiert ({0})").format(exc)
            ) from exc
    if language in pages:
        return pages[language], ""
    return pages["de"], ENGLISH_SUMMARY if language == "en" else ""


def guide_url(language: str) -> QUrl:
    """The file URL of the guide for `language` (see guide_page)."""
    page, fragment = guide_page(language)
    url = QUrl.fromLocalFile(str(page))
    if fragment:
        url.setFragment(fragment)
    return url


def missing_references(page: Path) -> list[str]:
    """References of `page` to files or anchors that are not there (empty: all resolve)."""
    html = page.read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    missing = []
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            continue
        target = page.parent / unquote(parts.path) if parts.path else page
        anchor_missing = target == page and unquote(parts.fragment) not in ids
        if not target.is_file() or (parts.fragment and anchor_missing):
            missing.append(ref)
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ui.user_guide DIR`: render the guides into DIR (build_installer.spec)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m ui.user_guide DIR", file=sys.stderr)
        return 2
    pages = render_guides(Path(args[0]))
    for page in pages.values():
        missing = missing_references(page)
        if missing:
            print(f"{page}: fehlt {', '.join(missing)}", file=sys.stderr)
            return 1
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
