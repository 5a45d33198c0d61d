"""A real Streamlit server on loopback for browser tests, stopped by whoever started it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from kam.commands.serve_team import free_port  # another process may still take it first

ROOT = Path(__file__).resolve().parent.parent


class PortTaken(RuntimeError):
    """Another process bound the chosen port between our choice and Streamlit's bind."""


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1 against a given database."""

    ATTEMPTS = 5

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        *,
        args_for_port: Callable[[int], list[str]] | None = None,
    ):
        # ``args_for_port``: more ``streamlit run`` options for the port chosen, e.g. a secrets
        # file whose OpenID redirect URI names that port.
        self.env = {**os.environ, "KAM_DATABASE_URL": database_url, **(extra_env or {})}
        self.log_path = log_path
        # A free port can be taken by another process before Streamlit binds it: then choose
        # again, rather than fail a test on a race it did not cause.
        for attempt in range(self.ATTEMPTS):
            try:
                self._start(free_port(), args_for_port)
                return
            except PortTaken:
                if attempt == self.ATTEMPTS - 1:
                    raise

    def _start(self, port: int, args_for_port: Callable[[int], list[str]] | None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--server.headless", "true",
                "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
                *(args_for_port(port) if args_for_port else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            try:  # not answering yet: wait for it to exit, a little at a time
                code = self.proc.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                continue
            self._log.close()
            log = self.log_path.read_text(errors="replace")
            if f"{self.port} is not available" in log or "already in use" in log:
                raise PortTaken(self.port)
            raise RuntimeError(f"streamlit exited with {code}:\n{log[-2000:]}")
        self.stop()
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        """Stop the server and wait for it; safe to call twice."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
