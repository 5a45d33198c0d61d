"""``python -m kam serve-team``: the team deployment on loopback for a trial — several Streamlit
processes on one database behind nginx (deploy/nginx-kam.conf), as docs/DEPLOY.md describes."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kam.core import config

ROOT = Path(__file__).resolve().parents[2]
SITE_TEMPLATE = ROOT / "deploy" / "nginx-kam.conf"
# Tells a trial's browser which process served it; production leaves it out (docs/DEPLOY.md).
TRIAL_HEADER = "        add_header X-Kam-Process $upstream_addr always;"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve-team", help="several app processes behind nginx, on loopback")
    p.add_argument("--processes", type=int, default=3, help="Streamlit processes (default 3)")
    p.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1")
    p.add_argument("--database", metavar="URL", help="database URL (default: configured)")
    p.add_argument("--secrets", metavar="FILE", help="secrets.toml for every process")


def free_port() -> int:
    """A port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_binary() -> str:
    """nginx from PATH or Debian's /usr/sbin (not on a normal user's PATH)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError("nginx is not installed: sudo apt-get install nginx-light")
    return found


def site_conf(listen: str, ports: list[int], *, trial: bool) -> str:
    """The site configuration of deploy/nginx-kam.conf for these process ports."""
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    return (
        SITE_TEMPLATE.read_text()
        .replace("@LISTEN@", listen)
        .replace("@SERVERS@", servers)
        .replace("@EXTRA@", TRIAL_HEADER if trial else "")
    )


def main_conf(run_dir: Path) -> str:
    """A whole nginx configuration that keeps every file in ``run_dir``."""
    temp = "\n".join(
        f"    {kind}_temp_path {run_dir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {run_dir / 'nginx.pid'};\n"
        f"error_log {run_dir / 'nginx-error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    access_log off;\n{temp}\n    include {run_dir / 'kam.conf'};\n}}\n"
    )


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until ``url``/_stcore/health answers 200; raise with the log if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(
                f"{log.name} exited with {proc.returncode}:\n{log.read_text()[-2000:]}"
            )
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy")


class Team:
    """Streamlit processes on one database behind nginx on 127.0.0.1; ``stop()`` ends them all."""

    def __init__(
        self,
        *,
        database_url: str,
        processes: int,
        port: int,
        run_dir: Path,
        secrets_file: Path | None = None,
        trial: bool = True,
    ) -> None:
        self.run_dir = run_dir
        self.run_dir.chmod(0o755)  # nginx's workers (another user) create their temp files here
        self.url = f"http://127.0.0.1:{port}"
        self.ports = [free_port() for _ in range(processes)]
        self.process_urls = [f"http://127.0.0.1:{p}" for p in self.ports]
        # One cookie secret for every process: a browser moved to another keeps its cookies.
        self.env = {
            **os.environ,
            "KAM_DATABASE_URL": database_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get(
                "STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32)
            ),
        }
        if secrets_file is not None:
            self.env["KAM_SECRETS_FILE"] = str(secrets_file)
        self.secrets_file = secrets_file
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.nginx: subprocess.Popen | None = None
        (run_dir / "kam.conf").write_text(site_conf(f"127.0.0.1:{port}", self.ports, trial=trial))
        (run_dir / "nginx.conf").write_text(main_conf(run_dir))

    def start(self) -> Team:
        """Start every process and nginx, and wait until each answers its health check."""
        try:
            for i, port in enumerate(self.ports):
                log = self.run_dir / f"streamlit-{i + 1}.log"
                self.logs.append(log)
                extra = ["--secrets.files", str(self.secrets_file)] if self.secrets_file else []
                self.procs.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "streamlit",
                            "run",
                            str(ROOT / "app.py"),
                            "--server.port",
                            str(port),
                            "--server.address",
                            "127.0.0.1",
                            "--server.headless",
                            "true",
                            "--browser.gatherUsageStats",
                            "false",
                            "--server.fileWatcherType",
                            "none",
                            *extra,
                        ],
                        cwd=ROOT,
                        env=self.env,
                        stdout=log.open("w"),
                        stderr=subprocess.STDOUT,
                    )  # fmt: skip
                )
            for url, proc, log in zip(self.process_urls, self.procs, self.logs, strict=True):
                wait_healthy(url, proc, log)
            conf = self.run_dir / "nginx.conf"
            log = self.run_dir / "nginx.log"
            self.nginx = subprocess.Popen(
                [nginx_binary(), "-p", str(self.run_dir), "-c", str(conf), "-e",
                 str(self.run_dir / "nginx-error.log")],
                stdout=log.open("w"), stderr=subprocess.STDOUT,
            )  # fmt: skip
            wait_healthy(self.url, self.nginx, log, timeout=20)
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, index: int) -> None:
        """Stop one Streamlit process at once, as a crash would."""
        self.procs[index].kill()
        self.procs[index].wait()

    def stop(self) -> None:
        """Stop nginx and every process; safe to call twice."""
        for proc in [p for p in (self.nginx, *self.procs) if p is not None]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [p for p in (self.nginx, *self.procs) if p is not None]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run(args: argparse.Namespace) -> int:
    url = config.database_url(args.database)
    if url.startswith("sqlite"):
        print("note: a team shares one PostgreSQL database; SQLite serves this trial only")
    run_dir = Path(tempfile.mkdtemp(prefix="kam-team-"))
    secrets_file = Path(args.secrets) if args.secrets else None
    team = Team(database_url=url, processes=args.processes, port=args.port, run_dir=run_dir,
                secrets_file=secrets_file)  # fmt: skip
    # `kill` (SIGTERM) stops the team as Ctrl-C does, never leaving its processes behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    team.start()
    print(f"{args.processes} processes behind nginx: {team.url} (files in {run_dir})")
    for i, u in enumerate(team.process_urls, 1):
        print(f"  process {i}: {u}/_stcore/health")
    try:
        while team.nginx is not None and team.nginx.poll() is None:
            time.sleep(1)
        print("nginx stopped; stopping the team", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        team.stop()
