"""`contactbox --self-test` and `--version` (ui/selftest.py, ui/app.py) in the source tree.

The built app runs the same self-test in tests/packaging/test_built_app.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QApplication

import ui.icons
from app import __version__
from ui import app as ui_app
from ui import selftest

ROOT = Path(__file__).resolve().parents[2]


def run(home: Path) -> tuple[list[selftest.Check], list[str]]:
    lines: list[str] = []
    checks = selftest.run_self_test(home, out=lines.append)
    return checks, lines


@pytest.fixture
def resources_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/ that the app (and the self-test) uses instead of the real one."""
    copy = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", copy)
    monkeypatch.setattr(ui.icons, "resources_dir", lambda: copy)
    return copy


def failed(checks: list[selftest.Check]) -> dict[str, str]:
    return {c.name: c.detail for c in checks if not c.ok}


def test_passes_in_the_source_tree(qapp: QApplication, tmp_path: Path) -> None:
    checks, lines = run(tmp_path / "home")
    assert failed(checks) == {}
    names = {c.name for c in checks}
    assert {"Qt-Plattform", "Übersetzung", "Qt-Übersetzung", "Datenbank", "Schlüsselbund",
            "Benutzerhandbuch", "Hauptfenster"} <= names
    assert {f"Symbol {n}" for n in selftest.EXPECTED_ICONS} <= names
    assert (tmp_path / "home" / "contactbox.sqlite3").is_file()
    assert all(line.startswith("OK ") for line in lines[:-1])
    assert lines[-1] == f"Selbsttest: {len(checks)} von {len(checks)} Prüfungen bestanden"
    assert "MemoryKeyring" in next(c.detail for c in checks if c.name == "Schlüsselbund")


def test_missing_icon_is_a_failure(
    qapp: QApplication, tmp_path: Path, resources_copy: Path
) -> None:
    (resources_copy / "icons" / "trash.svg").unlink()
    checks, lines = run(tmp_path / "home")
    assert list(failed(checks)) == ["Symbol trash"]
    assert "trash.svg fehlt" in failed(checks)["Symbol trash"]
    assert any(line.startswith("FEHLT Symbol trash:") for line in lines)


def test_unrenderable_icon_is_a_failure(
    qapp: QApplication, tmp_path: Path, resources_copy: Path
) -> None:
    (resources_copy / "icons" / "plus.svg").write_text("kein SVG", encoding="utf-8")
    checks, _ = run(tmp_path / "home")
    assert list(failed(checks)) == ["Symbol plus"]
    assert "lässt sich nicht zeichnen" in failed(checks)["Symbol plus"]


def test_missing_translation_is_a_failure(
    qapp: QApplication, tmp_path: Path, resources_copy: Path
) -> None:
    (resources_copy / "translations" / "contactbox_en.qm").unlink()
    checks, lines = run(tmp_path / "home")
    assert list(failed(checks)) == ["Übersetzung"]
    assert "contactbox_en.qm fehlt" in failed(checks)["Übersetzung"]
    assert lines[-1].startswith(f"Selbsttest: {len(checks) - 1} von {len(checks)}")


def test_translation_that_does_not_translate_is_a_failure(
    qapp: QApplication, tmp_path: Path, resources_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest, "TRANSLATION_PROBE", ("MainWindow", "&Datei", "&Fichier"))
    checks, _ = run(tmp_path / "home")
    assert list(failed(checks)) == ["Übersetzung"]
    assert "'&File' statt '&Fichier'" in failed(checks)["Übersetzung"]


def test_user_guide_missing_from_the_built_app_is_a_failure(
    qapp: QApplication, tmp_path: Path, resources_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen, the app opens resources/help/ (build_installer.spec renders it there)."""
    import ui.user_guide

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(ui.user_guide, "resources_dir", lambda: resources_copy)
    checks, _ = run(tmp_path / "home")
    assert list(failed(checks)) == ["Benutzerhandbuch"]
    assert "benutzerhandbuch.html fehlt" in failed(checks)["Benutzerhandbuch"]

    page = ui.user_guide.render_guides(resources_copy / "help")["de"]
    checks, _ = run(tmp_path / "home")
    assert failed(checks) == {}
    (page.parent / "screenshots" / "contacts.png").unlink()
    checks, _ = run(tmp_path / "home")
    assert "screenshots/contacts.png" in failed(checks)["Benutzerhandbuch"]


def test_no_keyring_is_a_failure(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    checks, _ = run(tmp_path / "home")
    assert list(failed(checks)) == ["Schlüsselbund"]
    assert "PYTHON_KEYRING_BACKEND" in failed(checks)["Schlüsselbund"]


def test_unusable_database_is_a_failure(qapp: QApplication, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "contactbox.sqlite3").write_bytes(b"this is not a database" * 100)
    checks, _ = run(home)
    assert set(failed(checks)) == {"Datenbank", "Hauptfenster"}


def test_expected_icons_match_the_code_and_the_files() -> None:
    """EXPECTED_ICONS lists what the UI asks for, and every one of them is shipped."""
    used: set[str] = set()
    for path in (ROOT / "ui").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bicon\(\s*\"([a-z0-9-]+)\"", text))
        used |= set(re.findall(r"\"(sync-(?:import|oneway|twoway))\"", text))
    shipped = {p.stem for p in (ROOT / "resources" / "icons").glob("*.svg")}
    assert used <= set(selftest.EXPECTED_ICONS), "add new icons to selftest.EXPECTED_ICONS"
    assert set(selftest.EXPECTED_ICONS) == shipped, "resources/icons and EXPECTED_ICONS differ"


def test_version_prints_and_exits_without_a_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_window(*_args: object) -> None:
        raise AssertionError("--version must not create a QApplication")

    monkeypatch.setattr(ui_app, "QApplication", no_window)
    with pytest.raises(SystemExit) as exc:
        ui_app.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"Contactbox Sync {__version__}\n"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    env.update(
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
    )
    return env


def test_command_line_version_and_self_test(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ui.app", "--version"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=_env(tmp_path))
    assert done.returncode == 0 and done.stdout == f"Contactbox Sync {__version__}\n"
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-m", "ui.app", "--self-test", "--home", str(home)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=_env(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FEHLT" not in done.stdout
    assert "OK Qt-Plattform: offscreen" in done.stdout
    assert "OK Schlüsselbund: keyrings.alt.file.PlaintextKeyring" in done.stdout
    assert (home / "contactbox.sqlite3").is_file()


def test_command_line_self_test_fails_with_exit_code_1(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run([sys.executable, "-m", "ui.app", "--self-test"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    assert "FEHLT Schlüsselbund" in done.stdout


# ---------------------------------------------------------------- in the user's language

#: Paths and file names are names on disk, not texts ("benutzerhandbuch.html"); the
#: translation check quotes its probe, a German source and its English translation
#: ("'&Datei' → '&File'").
_PATHS = re.compile(r"\S*[/\\]\S*|\S+\.(?:html|qm|svg|sqlite3)\b|'[^']*'")


@pytest.mark.parametrize("window_language", ["en"], indirect=True)
def test_the_lines_speak_english_and_the_check_names_stay(
    qapp: QApplication, tmp_path: Path, window_language: str
) -> None:
    from tests.i18n_words import german_words

    checks, lines = run(tmp_path / "home")
    assert failed(checks) == {}
    # the names tests and scripts read are the same in every language
    assert {"Qt-Plattform", "Übersetzung", "Schlüsselbund", "Hauptfenster"} <= {
        c.name for c in checks
    }
    assert "OK Keyring: " + next(c.detail for c in checks if c.name == "Schlüsselbund") in lines
    assert any(line.startswith("OK Icon trash: trash.svg 32×32") for line in lines)
    assert any(line.startswith("OK Database: ") for line in lines)
    assert any(line.startswith("OK Main window: “Contactbox Sync” with ") for line in lines)
    assert any(re.match(r"OK User guide: \S+\.html with \d+ pictures$", line) for line in lines)
    assert lines[-1] == f"Self-test: {len(checks)} of {len(checks)} checks passed"
    german = {line: german_words(_PATHS.sub(" ", line)) for line in lines}
    assert {line: found for line, found in german.items() if found} == {}


@pytest.mark.parametrize("window_language", ["en"], indirect=True)
def test_a_failure_is_told_in_english(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window_language: str
) -> None:
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    checks, lines = run(tmp_path / "home")
    assert list(failed(checks)) == ["Schlüsselbund"]  # the stable name
    [line] = [line for line in lines if not line.startswith("OK ")][:-1] or [""]
    assert line.startswith("FAILED Keyring: no usable backend (keyring.backends.fail.Keyring)")
    assert "set up a keyring or set PYTHON_KEYRING_BACKEND" in line
    assert lines[-1] == f"Self-test: {len(checks) - 1} of {len(checks)} checks passed"


def test_the_german_lines_are_as_before(qapp: QApplication, tmp_path: Path) -> None:
    checks, lines = run(tmp_path / "home")
    assert "OK Schlüsselbund: " + next(c.detail for c in checks if c.name == "Schlüsselbund") in (
        lines
    )
    assert any(line.startswith("OK Symbol trash: trash.svg 32×32") for line in lines)
    assert any(line.startswith("OK Hauptfenster: „Contactbox Sync“ mit ") for line in lines)
    assert any(re.match(r"OK Benutzerhandbuch: \S+\.html mit \d+ Bildern$", line) for line in lines)


def test_command_line_self_test_in_the_language_of_the_start(tmp_path: Path) -> None:
    """`--language en` (or the stored Sprache setting) makes the lines English; the exit
    code is what scripts read, in every language."""
    from tests.i18n_words import german_words
    from ui import settings

    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-test", "--language", "en", "--home", str(home)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK Qt platform: offscreen" in done.stdout
    assert "OK Keyring: keyrings.alt.file.PlaintextKeyring" in done.stdout
    assert re.search(r"^Self-test: (\d+) of \1 checks passed$", done.stdout, re.M)
    assert german_words(_PATHS.sub(" ", done.stdout)) == [], done.stdout

    settings.set_language("en", home)  # chosen in the window: the self-test follows it
    env = _env(tmp_path) | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-test", "--home", str(home)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 1
    assert "FAILED Keyring: no usable backend" in done.stdout and "FEHLT" not in done.stdout
