"""The three clients under test, each run as a fresh child process per measurement.

* :class:`Contactbox` - the installed ``contactbox-sync`` CLI, own ``--home``, file keyring.
* :class:`Vdirsyncer` - vdirsyncer from PyPI in ``bench/.venv-vdirsyncer`` (made on first
  use), CardDAV collection <-> filesystem storage.
* :class:`Floor` - ``bench/sync/floor.py``: only the requests the scenario needs.

Per run: wall time, the child's own peak RSS and user+sys CPU (``os.wait4`` rusage, taken by
the small launcher ``rusage.py``), and the requests/bytes the counting proxy saw.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.sync.proxy import TRACE, CountingProxy
from bench.sync.servers import Server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VDIR_VENV = ROOT / "bench" / ".venv-vdirsyncer"
PLAINTEXT_KEYRING = "keyrings.alt.file.PlaintextKeyring"
LABEL = "Bench"
#: The entry point :class:`Contactbox` runs when set (`use_installed_layout`); None: the
#: one next to this interpreter (this checkout's editable install).
INSTALLED_EXE: Path | None = None


class BenchError(RuntimeError):
    def __init__(self, message: str, run: Run | None = None) -> None:
        super().__init__(message)
        self.run = run  # the measured run that failed, if it got that far


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    requests: int
    bytes_up: int
    bytes_down: int
    rc: int
    methods: dict[str, int] = field(default_factory=dict)
    server_s: float = 0.0  # time the server (through the proxy) took to answer, summed
    error: str = ""  # why the tool failed (a peer's failure is recorded, not fatal)
    output: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("output")
        return d


def run_child(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    proxy: CountingProxy | None = None,
    cwd: Path | None = None,
    check: bool = True,
    stdin: bytes | None = None,
) -> Run:
    """Run ``argv`` as a fresh child and measure it: wall time, user+sys CPU and peak RSS
    of the child and its descendants, taken by ``rusage.py`` (a small launcher, so the peak
    RSS is the child's own and not the harness's: see its docstring)."""
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    out_path = tmp / f"cbx-bench-{os.getpid()}.out"
    usage_path = tmp / f"cbx-bench-{os.getpid()}.rusage.json"
    usage_path.unlink(missing_ok=True)
    before = proxy.snapshot() if proxy else None
    methods_before = proxy.methods() if proxy else {}
    launcher = [sys.executable, "-S", str(HERE / "rusage.py"), str(usage_path)]
    with open(out_path, "w+b") as out:
        proc = subprocess.Popen(
            [*launcher, *argv],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        if TRACE:
            print(f"    child: {time.time():.3f} started", file=sys.stderr, flush=True)
        proc.wait()
        if TRACE:
            print(f"    child: {time.time():.3f} ended", file=sys.stderr, flush=True)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    out_path.unlink(missing_ok=True)
    try:
        usage = json.loads(usage_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"{argv[0]}: no measurement (launcher exited {proc.returncode}):\n"
                         f"{output[-3000:]}") from exc  # fmt: skip
    usage_path.unlink(missing_ok=True)
    counts = proxy.snapshot().minus(before) if proxy and before else None
    methods = {}
    if proxy:
        after = proxy.methods()
        methods = {k: v - methods_before.get(k, 0) for k, v in after.items()}
        methods = {k: v for k, v in methods.items() if v}
    rc = int(usage["rc"])
    run = Run(
        wall=float(usage["wall"]),
        cpu=float(usage["cpu"]),
        rss_mb=usage["maxrss_kb"] / 1024.0,
        requests=counts.requests if counts else 0,
        bytes_up=counts.bytes_up if counts else 0,
        bytes_down=counts.bytes_down if counts else 0,
        rc=rc,
        methods=methods,
        output=output,
        server_s=counts.server_s if counts else 0.0,
    )
    if check and rc not in (0, 3):
        raise BenchError(f"{argv[0]} ... {argv[-4:]} exited {rc}:\n{output[-3000:]}", run)
    return run


def uid_of(text: str) -> str:
    m = re.search(r"^UID:(.*?)\r?$", text, re.M)
    return m.group(1).strip() if m else ""


def mark(text: str, tag: str) -> str:
    """The card with one extra property: what an edit on the other side looks like."""
    text = re.sub(r"^X-BENCH-EDIT:.*\r?\n", "", text, flags=re.M)
    return text.replace("END:VCARD", f"X-BENCH-EDIT:{tag}\r\nEND:VCARD", 1)


# ---------------------------------------------------------------------------------------------


class Tool:
    name = "?"

    def __init__(self, workspace: Path, server: Server, proxy: CountingProxy) -> None:
        self.ws = workspace
        self.server = server
        self.proxy = proxy

    def setup(self) -> None: ...

    def sync(self) -> Run:
        raise NotImplementedError

    def snapshot(self, dest: Path) -> None:
        shutil.copytree(self.ws, dest)

    def restore(self, src: Path) -> None:
        shutil.rmtree(self.ws)
        shutil.copytree(src, self.ws)


class Contactbox(Tool):
    name = "contactbox"

    def __init__(self, workspace: Path, server: Server, proxy: CountingProxy) -> None:
        super().__init__(workspace, server, proxy)
        self.home = workspace / "home"
        exe = INSTALLED_EXE or Path(sys.executable).parent / "contactbox-sync"
        self.exe = str(exe) if exe.exists() else (shutil.which("contactbox-sync") or "")
        if not self.exe:
            raise BenchError("contactbox-sync is not installed (pip install -e .)")
        self.local_book = ""
        self.profile_dir: Path | None = None  # set: book runs go through cProfile
        self.label = ""  # the scenario being measured (names the profile file)

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CONTACTBOX_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env["PYTHON_KEYRING_BACKEND"] = PLAINTEXT_KEYRING
        env["XDG_DATA_HOME"] = str(self.ws / "xdg")
        if INSTALLED_EXE is not None:  # (the layout reaches this checkout through this)
            env["PYTHONPATH"] = str(ROOT)
        env["CONTACTBOX_PASSWORD"] = self.server.password
        return env

    def cli(self, *args: str, proxy: bool = False, check: bool = True) -> Run:
        argv = [self.exe, "--home", str(self.home), *args]
        if proxy and self.profile_dir is not None:
            prof = self.profile_dir / f"{self.label or 'run'}.prof"
            argv = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "app.cli",
                    "--home", str(self.home), *args]  # fmt: skip
        return run_child(argv, env=self.env(), proxy=self.proxy if proxy else None, check=check)

    def setup(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.ws / "xdg").mkdir(exist_ok=True)
        preset = "radicale" if self.server.kind == "radicale" else "other"
        self.cli(
            "account", "add", LABEL, "--url", self.proxy.url + self.server.root_path,
            "--user", self.server.user, "--preset", preset,
            "--no-check",  # not timed; at 10,000 cards on a busy machine it can exceed 30 s
        )  # fmt: skip

    def _book_run(self, command: str, mode: str, option: str | None) -> Run:
        args = [command, LABEL, "--book", self.server.book_path, "--mode", mode]
        if option:
            args += ["--option", option]
        run = self.cli(*args, "--json", proxy=True)
        try:
            data = json.loads(run.output[run.output.index("{") :])
        except ValueError as exc:
            raise BenchError(f"contactbox-sync {command}: no JSON:\n{run.output[-2000:]}") from exc
        if data.get("status") not in ("ok",):
            raise BenchError(f"contactbox-sync {command} {mode}: {json.dumps(data)[:2000]}")
        if data.get("books"):
            self.local_book = data["books"][0].get("local_book") or self.local_book
        return run

    def sync(self) -> Run:
        return self._book_run("run", "sync", "server")

    def oneway(self) -> Run:
        return self._book_run("run", "oneway", None)

    def check(self) -> Run:
        return self._book_run("check", "sync", "server")

    def edit(self, uids: list[str], tag: str) -> None:
        """`contactbox-sync contacts edit UID --note ...` for each UID, in one process."""
        script = (
            "import sys, json\n"
            "from app.cli import main\n"
            "from app.store.db import close_database\n"
            "home, book, tag, uids = json.loads(sys.stdin.read())\n"
            "for uid in uids:\n"
            "    rc = main(['--home', home, 'contacts', 'edit', uid, '--book', book,"
            " '--note', 'bench edit ' + tag + ' ' + uid])\n"
            "    close_database()\n"
            "    assert rc == 0, (uid, rc)\n"
        )
        payload = json.dumps([str(self.home), self.local_book, tag, uids]).encode()
        run_child([sys.executable, "-c", script], env=self.env(), cwd=ROOT, stdin=payload)

    def add_local(self, vcf: Path) -> None:
        self.cli("contacts", "import", "--book", self.local_book, "--file", str(vcf))


def ensure_vdirsyncer(log=print) -> Path:
    exe = VDIR_VENV / "bin" / "vdirsyncer"
    if not exe.exists():
        log(f"  installing vdirsyncer from PyPI into {VDIR_VENV} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VDIR_VENV)], check=True)
        subprocess.run([str(VDIR_VENV / "bin" / "pip"), "install", "-q", "vdirsyncer"], check=True)
    return exe


def vdirsyncer_version() -> str:
    exe = VDIR_VENV / "bin" / "vdirsyncer"
    if not exe.exists():
        return ""
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip().rsplit(" ", 1)[-1]


class Vdirsyncer(Tool):
    name = "vdirsyncer"

    def __init__(self, workspace: Path, server: Server, proxy: CountingProxy) -> None:
        super().__init__(workspace, server, proxy)
        self.exe = str(ensure_vdirsyncer())
        self.config = workspace / "config"
        self.storage = workspace / "contacts"

    def setup(self) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        (self.ws / "status").mkdir(exist_ok=True)
        url = self.proxy.url + self.server.book_path
        self.config.write_text(
            "[general]\n"
            f'status_path = "{self.ws / "status"}/"\n\n'
            "[pair bench]\n"
            'a = "bench_local"\nb = "bench_remote"\ncollections = null\n'
            'conflict_resolution = "b wins"\n\n'
            "[storage bench_local]\n"
            f'type = "filesystem"\npath = "{self.storage}/"\nfileext = ".vcf"\n\n'
            "[storage bench_remote]\n"
            f'type = "carddav"\nurl = "{url}"\n'
            f'username = "{self.server.user}"\npassword = "{self.server.password}"\n',
            encoding="utf-8",
        )
        run_child([self.exe, "-c", str(self.config), "discover"], stdin=b"")

    def restore(self, src: Path) -> None:
        """In place: vdirsyncer's file ETag is mtime + inode, so a copied file looks changed.
        Rewrite only files whose content differs (same inode) and give back their mtime."""
        snap = src / "contacts"
        for path in self.storage.glob("*.vcf"):
            if not (snap / path.name).exists():
                path.unlink()
        for old in snap.glob("*.vcf"):
            path = self.storage / old.name
            data = old.read_bytes()
            if not path.exists() or path.read_bytes() != data:
                with open(path, "r+b" if path.exists() else "wb") as f:
                    f.write(data)
                    f.truncate()
            st = old.stat()
            if path.stat().st_mtime_ns != st.st_mtime_ns:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        shutil.rmtree(self.ws / "status")
        shutil.copytree(src / "status", self.ws / "status")

    def sync(self) -> Run:
        run = run_child([self.exe, "-c", str(self.config), "sync"], proxy=self.proxy, check=False)
        if run.rc or "error" in run.output.lower():
            raise BenchError(f"vdirsyncer sync: {run.output[-2000:]}", run)
        return run

    def files_by_uid(self) -> dict[str, Path]:
        out = {}
        for path in self.storage.glob("*.vcf"):
            uid = uid_of(path.read_text("utf-8"))
            if uid:
                out[uid] = path
        return out

    def edit(self, uids: list[str], tag: str) -> None:
        files = self.files_by_uid()
        for uid in uids:
            path = files[uid]
            text = path.read_text("utf-8")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(mark(text, tag))

    def add_local(self, cards: list[tuple[str, str]]) -> None:
        for uid, text in cards:
            with open(self.storage / f"{uid}.vcf", "w", encoding="utf-8", newline="") as f:
                f.write(text)


class Floor(Tool):
    name = "floor"
    kind = "addressbook"  # the multiget's kind ("calendar": bench/sync/calendar.py)

    def __init__(self, workspace: Path, server: Server, proxy: CountingProxy) -> None:
        super().__init__(workspace, server, proxy)
        self.token = ""
        self.etags_file = workspace / "etags.json"  # SabreDAV: the client's ETag list

    def setup(self) -> None:
        self.ws.mkdir(parents=True, exist_ok=True)

    def snapshot(self, dest: Path) -> None:
        super().snapshot(dest)
        (dest / "token").write_text(self.token)

    def restore(self, src: Path) -> None:
        super().restore(src)
        self.token = (src / "token").read_text()

    def ops(self, ops: list[dict], *, parallel: int = 1, keep_token: bool = True) -> Run:
        plan = {
            "base": self.proxy.url,
            "book": self.server.book_path,
            "user": self.server.user,
            "password": self.server.password,
            "batch": 500,
            "parallel": parallel,
            "kind": self.kind,
            "ops": ops,
        }
        plan_file = self.ws / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        run = run_child([sys.executable, "-S", str(HERE / "floor.py"), str(plan_file)],
                        proxy=self.proxy)  # fmt: skip
        result = json.loads(run.output.strip().splitlines()[-1])
        if keep_token and result.get("token"):
            self.token = result["token"]
        return run

    def listing(self) -> list[dict]:
        if self.server.kind == "radicale":
            return [{"op": "sync", "token": self.token}]
        return [{"op": "etags", "known": str(self.etags_file)}]

    def sync(self) -> Run:
        if self.server.kind == "sabredav" and self.etags_file.exists():
            # a ctag server: a client first asks whether anything changed at all
            return self.ops([{"op": "ctag"}, *self.listing()])
        return self.ops(self.listing())

    def nochange(self) -> Run:
        if self.server.kind == "sabredav":
            return self.ops([{"op": "ctag"}])
        return self.ops(self.listing())

    def check(self) -> Run:
        return self.ops(self.listing(), keep_token=False)

    def put(self, cards: list[tuple[str, str | None, str]], *, listing: bool,
            parallel: int = 1) -> Run:  # fmt: skip
        cards_file = self.ws / "cards.json"
        cards_file.write_text(json.dumps(cards), encoding="utf-8")
        ops = [*self.listing()] if listing else []
        ops.append({"op": "put", "cards": str(cards_file)})
        return self.ops(ops, parallel=parallel)


def installed_layout(work: Path) -> tuple[str, Path]:
    """An interpreter and a `contactbox-sync` laid out as a wheel install is: a fresh venv
    of the same base Python whose site-packages reaches this venv's packages through one
    .pth line — so the editable install's finder (a .pth of this venv's site-packages,
    imported by every start here, ~13 ms) is not loaded — and the entry point script pip
    writes; the tree measured comes from PYTHONPATH as before."""
    import sysconfig

    venv = work / "installed"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "_contactbox_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    exe = venv / "bin" / "contactbox-sync"
    exe.write_text(
        f"#!{python}\nimport sys\nfrom app.cli import main\nif __name__ == '__main__':\n"
        "    sys.exit(main())\n",
        encoding="utf-8",
    )
    exe.chmod(0o755)
    return str(python), exe


def use_installed_layout(work: Path) -> str:
    """From now on :class:`Contactbox` runs the entry point of an `installed_layout` made
    in `work` (with this checkout on PYTHONPATH): as a wheel install starts, without the
    editable install's finder. Returns the layout's interpreter."""
    global INSTALLED_EXE
    python, INSTALLED_EXE = installed_layout(work)
    return python


def precompile() -> None:
    """Byte-compile our sources as an installed package would be, so every tool starts
    from .pyc files (an editable install under PYTHONDONTWRITEBYTECODE would otherwise
    recompile app/ on every run, which no installed copy does)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], check=True, env=env
    )
