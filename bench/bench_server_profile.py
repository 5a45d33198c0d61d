"""Where a real server's CPU goes: py-spy samples the Streamlit process while light sessions use it.

    .venv/bin/python bench/bench_server_profile.py --database URL [--seconds 30] [--out FILE]

Starts the app on the database (tests.server.StreamlitServer, loopback) and, with py-spy recording
the whole process (every thread; idle samples left out), drives it with bench/load_client.py:

1. cold: each page opened once by a new session, the server's caches empty;
2. warm: each page opened twice more by new sessions (a session's first page on a server that
   has drawn it before);
3. changes: 5 sessions on Clients changing the ABC filter for ``--seconds`` (the load step's work).

For each phase: the CPU-seconds sampled per page load, where they go by thread and by library
(the innermost frame), and the functions with the most inclusive time. Writes Markdown to --out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, PAGES, app_server  # noqa: E402
from load_client import Session  # noqa: E402

PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 100  # samples a second per thread
TIMEOUT = 300.0
CHANGES = [["A"], [], ["B"], ["A", "B"], ["C"], []]


# py-spy names a frame "function (file:line)", the file relative to its sys.path entry: a page's
# file (pages/ is on the path while it runs) is named alone.
PAGE_FILES = {Path(spec.file).name for spec in PAGES.values()} | {"app.py"}


def _file(frame: str) -> str:
    return frame.rsplit("(", 1)[-1].rsplit(":", 1)[0]


def _ours(frame: str) -> bool:
    file = _file(frame)
    return file.startswith("kam/") or file in PAGE_FILES


def _area(frame: str) -> str:
    """The library a frame belongs to, from its file: the app, Streamlit by part, or another."""
    file = _file(frame)
    if _ours(frame):
        return "the app (kam/, pages/)"
    if file.startswith("streamlit/"):
        return "streamlit: " + "/".join(file.split("/")[1:3]).removesuffix(".py")
    if "/" in file:
        return file.split("/", 1)[0]
    return "Python's own (" + file.removesuffix(".py") + ")"


def _function(frame: str) -> str:
    """The frame without its line: a function counted once whichever line is running."""
    name, _, rest = frame.rpartition(" (")
    return f"{name} ({_file(frame)})"


def _thread(stack: list[str]) -> str:
    joined = ";".join(stack)
    if "script_runner" in joined or "ScriptRunner" in joined:
        return "script threads (running pages)"
    if "asyncio" in joined or "tornado" in joined or "ioloop" in joined:
        return "event loop (websocket, messages)"
    return "other threads"


def summarise(raw: Path, loads: int, top: int = 12) -> list[str]:
    """Markdown tables of a py-spy raw file: by thread, by library, by function."""
    threads: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not stack_text:
            continue
        count, stack = int(count_text), stack_text.split(";")
        total += count
        threads[_thread(stack)] += count
        areas[_area(stack[-1])] += count
        for function in {_function(f) for f in stack}:
            if (
                _ours(function)
                or "streamlit/elements" in function
                or "_on_script_finished" in function
            ):
                inclusive[function] += count
    if not total:
        return ["_No samples._", ""]
    seconds = total / RATE
    lines = [
        f"{seconds:.1f} CPU-s sampled, {loads} page loads: **{seconds / max(loads, 1):.3f} CPU-s a "
        "load**.",
        "",
        "| thread | share |",
        "|---|---:|",
        *[f"| {k} | {v / total:.0%} |" for k, v in threads.most_common()],
        "",
        "| library (innermost frame) | share |",
        "|---|---:|",
        *[f"| {k} | {v / total:.0%} |" for k, v in areas.most_common(top)],
        "",
        "| function (inclusive: the app's, Streamlit's elements and its after-run work) "
        "| ms a load |",
        "|---|---:|",
        *[
            f"| `{k}` | {v / RATE * 1000 / max(loads, 1):,.0f} |"
            for k, v in inclusive.most_common(top)
        ],
        "",
    ]
    return lines


class Recording:
    """py-spy recording one process until stopped."""

    def __init__(self, pid: int, out: Path) -> None:
        self.out = out
        self.proc = subprocess.Popen(
            [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw",
             "--output", str(out), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(1.0)  # py-spy attaches

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)


async def _open_each(base: str, rounds: int) -> int:
    loads = 0
    for _ in range(rounds):
        for spec in PAGES.values():
            session = Session(base, spec.url, dict(spec.params))
            try:
                await session.open(TIMEOUT)
                loads += 1
            finally:
                await session.close()
    return loads


async def _changes(base: str, sessions: int, seconds: float) -> int:
    people = [Session(base, "clients", {}) for _ in range(sessions)]
    for s in people:
        await s.open(TIMEOUT)
    loads = 0
    stop = time.monotonic() + seconds

    async def one(s: Session, k: int) -> None:
        nonlocal loads
        while time.monotonic() < stop:
            await s.change("url_abc", CHANGES[k % len(CHANGES)], TIMEOUT)
            loads += 1
            k += 1
            await asyncio.sleep(random.uniform(2, 4))

    try:
        await asyncio.gather(*(one(s, i) for i, s in enumerate(people)))
    finally:
        for s in people:
            await s.close()
    return loads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--out", type=Path, default=OUT / "server-profile.md")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    random.seed(7)
    server = app_server(args.database, OUT / "server-profile.log")
    lines = [
        f"py-spy {RATE} Hz over the whole server process ({args.database.rsplit('/', 1)[-1]}), "
        "idle samples left out; page loads driven by bench/load_client.py.",
        "",
    ]
    try:
        base = server.url.replace("http://", "ws://")
        phases = [
            ("each page opened by a new session, caches empty (cold)", lambda: _open_each(base, 1)),
            ("each page opened by new sessions twice more (warm caches)", lambda: _open_each(base, 2)),
            (f"5 sessions changing Clients' ABC filter for {args.seconds:.0f} s",
             lambda: _changes(base, 5, args.seconds)),
        ]  # fmt: skip
        for number, (title, drive) in enumerate(phases, 1):
            raw = OUT / f"server-profile-{number}.txt"
            recording = Recording(server.proc.pid, raw)
            try:
                loads = asyncio.run(drive())
            finally:
                recording.stop()
            lines += [f"#### {number}. {title}", "", *summarise(raw, loads)]
            print("\n".join(lines[-30:]), flush=True)
    finally:
        server.stop()
    args.out.write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("KAM_TODAY", "2026-12-01")
    sys.exit(main())
