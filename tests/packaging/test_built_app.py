"""The PyInstaller build (build_installer.spec), run as a user would: the binaries, not the source.

Runs only when CONTACTBOX_BUILT_APP names the built folder (`make build` makes dist/contactbox;
.ci/run sets it). The binaries get a clean environment: no venv, no PYTHONPATH, a temp HOME,
and the plain-text keyring of keyrings.alt (a CI machine has no Secret Service).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from app import __version__
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from ui.selftest import EXPECTED_ICONS

BUILT_ENV = "CONTACTBOX_BUILT_APP"
BUILT = os.environ.get(BUILT_ENV, "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not BUILT, reason=f"{BUILT_ENV} is not set (make build, then {BUILT_ENV}=dist/contactbox)"
)


@pytest.fixture(scope="module")
def built() -> Path:
    folder = Path(BUILT).resolve()
    for name in ("contactbox", "contactbox-sync"):
        assert os.access(folder / name, os.X_OK), f"{folder / name} is missing: make build"
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """What a user's shell would pass: nothing of this test run's Python."""
    home = tmp_path / "user"
    home.mkdir()
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
    }


def call(
    binary: Path, *args: str, env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def test_both_commands_tell_their_version(built: Path, env: dict[str, str], tmp_path: Path) -> None:
    gui = call(built / "contactbox", "--version", env=env, cwd=tmp_path)
    assert (gui.returncode, gui.stdout) == (0, f"Contactbox Sync {__version__}\n"), gui.stderr
    cli = call(built / "contactbox-sync", "--version", env=env, cwd=tmp_path)
    assert (cli.returncode, cli.stdout) == (0, f"contactbox-sync {__version__}\n"), cli.stderr


def test_self_test_passes(built: Path, env: dict[str, str], tmp_path: Path) -> None:
    home = tmp_path / "data"
    done = call(built / "contactbox", "--self-test", "--home", str(home), env=env, cwd=tmp_path)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "FEHLT" not in done.stdout
    for line in ("OK Qt-Plattform: offscreen", "OK Übersetzung:", "OK Qt-Übersetzung:",
                 "OK Datenbank:", "OK Benutzerhandbuch: benutzerhandbuch.html",
                 "OK Schlüsselbund: keyrings.alt.file.PlaintextKeyring", "OK Hauptfenster:"):
        assert line in done.stdout, report
    for name in EXPECTED_ICONS:
        assert f"OK Symbol {name}:" in done.stdout, report
    assert (home / "contactbox.sqlite3").is_file()


def test_the_user_guide_is_shipped(built: Path, tmp_path: Path) -> None:
    """Hilfe ▸ Benutzerhandbuch in the built app: docs/USER_GUIDE.md as HTML in
    resources/help/ with every screenshot it shows (the self-test above opens it too)."""
    from ui.user_guide import missing_references, render_guides

    [page] = built.rglob("resources/help/benutzerhandbuch.html")
    assert missing_references(page) == []
    expected = render_guides(tmp_path / "help")["de"]  # what the current docs/ give
    assert page.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    shots = sorted(p.name for p in (expected.parent / "screenshots").iterdir())
    assert len(shots) >= 20
    assert sorted(p.name for p in (page.parent / "screenshots").iterdir()) == shots


def test_self_test_reports_a_missing_keyring(
    built: Path, env: dict[str, str], tmp_path: Path
) -> None:
    env = env | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = call(built / "contactbox", "--self-test", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "FEHLT Schlüsselbund" in done.stdout


@pytest.mark.servers
def test_import_from_radicale_with_the_built_cli(
    built: Path, env: dict[str, str], tmp_path: Path, radicale_server: DavServer
) -> None:
    name = f"Paket {uuid.uuid4().hex[:6]}"
    book = radicale_server.make_book(display_name=name)
    people = {f"p{i}@example.de": f"Person{i} Müller-{i}" for i in range(5)}
    radicale_server.put_cards(
        book,
        {f"p{i}.vcf": simple_card(str(uuid.uuid4()), fn, email)
         for i, (email, fn) in enumerate(people.items())},
        display_name=name,
    )  # fmt: skip
    home = tmp_path / "data"
    cli = built / "contactbox-sync"

    def sync(*args: str) -> subprocess.CompletedProcess[str]:
        done = call(cli, "--home", str(home), *args, cwd=tmp_path,
                    env=env | {"CONTACTBOX_PASSWORD": radicale_server.password})
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done

    sync("account", "add", "Büro", "--url", radicale_server.root_url,
         "--user", radicale_server.user, "--preset", "radicale")  # fmt: skip
    # The password went to the keyring file, not into the database.
    keyring_file = Path(env["XDG_DATA_HOME"]) / "python_keyring" / "keyring_pass.cfg"
    assert keyring_file.is_file()
    assert radicale_server.password.encode() not in (home / "contactbox.sqlite3").read_bytes()

    books = json.loads(sync("books", "Büro", "--json").stdout)
    assert name in json.dumps(books, ensure_ascii=False)

    result = json.loads(sync("run", "Büro", "--book", name, "--mode", "import", "--json").stdout)
    assert result["status"] == "ok", result
    [report] = result["books"]
    assert (report["added_local"], report["errors"]) == (5, []), report

    listed = json.loads(sync("contacts", "list", "--book", name, "--json").stdout)
    assert sorted(c["fn"] for c in listed) == sorted(people.values())
    assert sorted(c["email"] for c in listed) == sorted(people)


def test_install_sh_installs_and_uninstalls(
    built: Path, env: dict[str, str], tmp_path: Path
) -> None:
    prefix = tmp_path / "prefix"
    installer = built / "install.sh"
    assert installer.is_file(), "the build copies packaging/linux/install.sh into the folder"
    done = subprocess.run(["sh", str(installer), "--prefix", str(prefix)], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

    opt = prefix / "opt" / "contactbox"
    for cmd in ("contactbox", "contactbox-sync"):
        link = prefix / "bin" / cmd
        assert link.is_symlink() and link.resolve() == (opt / cmd).resolve()
    desktop = (prefix / "share" / "applications" / "contactbox.desktop").read_text()
    assert "Name=Contactbox Sync\n" in desktop
    assert f"Exec={opt}/contactbox\n" in desktop
    assert "Icon=contactbox\n" in desktop
    assert "Categories=Office;ContactManagement;\n" in desktop
    icons = prefix / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "contactbox.svg").read_bytes() == (
        ROOT / "resources" / "icons" / "app.svg"
    ).read_bytes()
    assert (icons / "256x256" / "apps" / "contactbox.png").read_bytes().startswith(b"\x89PNG")

    # The installed copy works through the symlinks, from anywhere.
    path_env = env | {"PATH": f"{prefix / 'bin'}:{env['PATH']}"}
    commands = (("contactbox", "Contactbox Sync"), ("contactbox-sync", "contactbox-sync"))
    for cmd, expected in commands:
        ran = subprocess.run([cmd, "--version"], env=path_env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
        assert ran.stdout == f"{expected} {__version__}\n", ran.stderr
    ran = subprocess.run(["contactbox", "--self-test"], env=path_env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr

    # The repository's copy of the script installs from the built folder too (--from).
    again = subprocess.run(["sh", str(ROOT / "packaging" / "linux" / "install.sh"),
                            "--prefix", str(prefix), "--from", str(built)],
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr

    gone = subprocess.run(["sh", str(opt / "install.sh"), "--prefix", str(prefix), "--uninstall"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert not opt.exists()
    assert not (prefix / "bin" / "contactbox").exists()
    assert not (prefix / "bin" / "contactbox").is_symlink()
    assert not (prefix / "share" / "applications" / "contactbox.desktop").exists()
    assert not list(icons.rglob("contactbox.*"))
