"""Concurrent users against one server, and through nginx against 3 PostgreSQL-backed processes.

    .venv/bin/python bench/bench_load.py --database URL [--pg-database URL]
        [--sessions 1,5,10,20,50] [--seconds 60] [--browsers 5]

For each N, N sessions open the Clients page (each as one of the managers, ``?as=CODE``) and
change its ABC filter every 2-4 s (think time after the page is back, as a person waits for it):
p50/p95 from the change to the finished run, the server's CPU-seconds per page load and its
memory per session. The sessions are light clients speaking Streamlit's websocket protocol
(bench/load_client.py): browsers would take most of this 2-core machine themselves. A few real
Chromium pages (bench/load_browser.py) then do the same at one N to check the two agree.
With ``--pg-database`` the same steps run through nginx against 3 processes started as
``python -m kam serve-team`` starts them. Writes bench/out/load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("KAM_TODAY", "2026-12-01")  # the demo's today, for the servers too

import psycopg  # noqa: E402
import streamlit  # noqa: E402
from load_client import RunFailed, Session  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from kam.commands.serve_team import Team, free_port  # noqa: E402
from kam.core import access, db  # noqa: E402
from tests.server import StreamlitServer  # noqa: E402

PAGE = "clients"
FILTER = "url_abc"  # the ABC multiselect's key (pages/clients.py, kam.ui.state)
CHOICES = [["A"], [], ["B"], ["A", "B"], ["C"], []]
TIMEOUT = 60.0  # one run; longer counts as a failure
TARGET_P95 = 1.5
TICK = os.sysconf("SC_CLK_TCK")
OUT = ROOT / "bench" / "out" / "load.md"


# -- the server's processes, from /proc (psutil is not installed) -----------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (those gone count nothing)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return total


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes, MB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (nginx's worker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Postgres:
    """The PostgreSQL backends serving one database: their pids (for CPU) and how many."""

    def __init__(self, url: str):
        parsed = make_url(url)
        self.database = parsed.database
        self.application = parsed.query.get("application_name")
        self.dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False
        )

    def backends(self) -> list[int]:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                " AND application_name = coalesce(%s, application_name)"
                " AND pid <> pg_backend_pid()",
                (self.database, self.application),
            ).fetchall()
        return [r[0] for r in rows]


# -- one step of load -------------------------------------------------------------------------


@dataclass
class Step:
    """What one N of sessions measured."""

    setup: str
    sessions: int
    seconds: float
    changes: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    failures: int = 0
    server_cpu: float = 0.0
    db_cpu: float | None = None
    proxy_cpu: float | None = None
    client_cpu: float = 0.0
    machine_busy_pct: float = 0.0
    rss_start: float = 0.0
    rss_peak: float = 0.0
    db_connections_peak: int | None = None
    spread: str = ""
    load_start: str = ""
    load_end: str = ""

    @property
    def loads(self) -> int:
        return len(self.changes) + len(self.opens)

    def pct(self, q: float) -> float | None:
        if not self.changes:
            return None
        ordered = sorted(self.changes)
        return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]

    @property
    def cpu_per_load(self) -> float | None:
        return self.server_cpu / self.loads if self.loads else None

    @property
    def mb_per_session(self) -> float:
        return (self.rss_peak - self.rss_start) / self.sessions


@dataclass
class Target:
    """Where the sessions connect and which processes serve them."""

    name: str
    ws_base: str
    server_pids: list[int]
    proxy_pids: list[int] = field(default_factory=list)
    postgres: Postgres | None = None
    routed: bool = False  # behind nginx: each session sends its own kam_route cookie
    addresses: list[str] = field(default_factory=list)  # the processes, as nginx names them


async def run_step(
    target: Target, n: int, viewers: list[str], seconds: float, think: tuple[float, float]
) -> Step:
    """N light sessions for ``seconds``: open the page, then change the filter every few s."""
    step = Step(setup=target.name, sessions=n, seconds=seconds, load_start=loadavg())
    sessions = [
        Session(
            target.ws_base,
            PAGE,
            {"as": viewers[i % len(viewers)]},
            cookie=f"kam_route={uuid.uuid4().hex}" if target.routed else None,
        )
        for i in range(n)
    ]
    pg_before: dict[int, float] = {}
    if target.postgres:
        pg_before = {p: cpu_seconds([p]) for p in target.postgres.backends()}
    cpu_before = cpu_seconds(target.server_pids)
    proxy_before = cpu_seconds(target.proxy_pids)
    busy_before = machine_busy()
    client_before = time.process_time()
    step.rss_start = step.rss_peak = rss_mb(target.server_pids)
    started = time.monotonic()
    deadline = started + seconds
    done = asyncio.Event()
    db_peak = 0

    async def sample() -> None:
        nonlocal db_peak
        while not done.is_set():
            step.rss_peak = max(step.rss_peak, rss_mb(target.server_pids))
            if target.postgres:
                pids = await asyncio.to_thread(target.postgres.backends)
                db_peak = max(db_peak, len(pids))
                for p in pids:
                    pg_before.setdefault(p, 0.0)  # a backend born during the step
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 0.5)

    async def person(index: int, session: Session) -> None:
        rng = random.Random(index)
        # Arrivals spread over the first think time, as people do not click in step.
        await asyncio.sleep(index * think[0] / n)
        try:
            step.opens.append(await session.open(TIMEOUT))
            k = rng.randrange(len(CHOICES))
            while True:
                await asyncio.sleep(rng.uniform(*think))
                if time.monotonic() >= deadline:
                    break
                k += 1
                try:
                    step.changes.append(
                        await session.change(FILTER, CHOICES[k % len(CHOICES)], TIMEOUT)
                    )
                except RunFailed:
                    step.failures += 1
        except (TimeoutError, OSError, Exception):  # a lost or stuck session: counted, ended
            step.failures += 1
        finally:
            await session.close()

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(person(i, s) for i, s in enumerate(sessions)))
    done.set()
    await sampler
    elapsed = time.monotonic() - started
    step.server_cpu = cpu_seconds(target.server_pids) - cpu_before
    step.proxy_cpu = cpu_seconds(target.proxy_pids) - proxy_before if target.proxy_pids else None
    if target.postgres:
        step.db_cpu = sum(cpu_seconds([p]) - before for p, before in pg_before.items())
        step.db_connections_peak = db_peak
    busy_after = machine_busy()
    step.machine_busy_pct = (
        100 * (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
    )
    step.client_cpu = time.process_time() - client_before
    step.seconds = elapsed
    step.load_end = loadavg()
    if target.routed:
        counts = Counter(s.served_by or "?" for s in sessions)
        step.spread = "/".join(str(counts.get(a, 0)) for a in target.addresses)
        if counts.keys() - set(target.addresses):
            step.spread += f" (+{sum(counts[k] for k in counts.keys() - set(target.addresses))} ?)"
    return step


async def warm_up(ws_bases: list[str], viewers: list[str]) -> list[float]:
    """Open each viewer's page once on every process, so the steps measure warm caches as a
    server has after its first minutes (the ABC filter only filters the cached overview);
    the cold opening times."""
    cold = []
    for base in ws_bases:
        for viewer in viewers:
            session = Session(base, PAGE, {"as": viewer})
            try:
                cold.append(await session.open(300))
            finally:
                await session.close()
    return cold


# -- the two setups ---------------------------------------------------------------------------


def viewers_of(url: str) -> list[str]:
    """The head of sales and every KAM: the people who use the Clients page."""
    with db.reading(db.engine(url)) as s:
        people = [p.code for p in access.identities(s) if p.role in ("head", "kam")]
    db.dispose_all()
    return people


def sweep(target: Target, args: argparse.Namespace, viewers: list[str]) -> list[Step]:
    steps = []
    for n in args.sessions:
        step = asyncio.run(run_step(target, n, viewers, args.seconds, args.think))
        steps.append(step)
        print(row(step), flush=True)
    return steps


def one_server(args: argparse.Namespace, work: Path, viewers: list[str]) -> dict:
    server = StreamlitServer(
        args.database, work / "streamlit-one.log", {"KAM_TODAY": os.environ["KAM_TODAY"]}
    )
    try:
        base = f"ws://127.0.0.1:{server.port}"
        target = Target("1 process", base, [server.proc.pid])
        if args.database.startswith("postgresql"):
            target.postgres = Postgres(args.database)
        rss_idle = rss_mb(target.server_pids)
        cold = asyncio.run(warm_up([base], viewers))
        print(f"one process: warmed up (cold openings {fmt_s(max(cold))} max)", flush=True)
        rss_warm = rss_mb(target.server_pids)
        steps = sweep(target, args, viewers)
        browsers = None
        if args.browsers:
            from load_browser import browse

            people = [viewers[i % len(viewers)] for i in range(args.browsers)]
            load = loadavg()
            cpu_before = cpu_seconds(target.server_pids)
            found = asyncio.run(browse(server.url, people, seconds=args.seconds, think=args.think))
            loads = len(found["changes"]) + len(found["opens"])  # type: ignore[arg-type]
            browsers = {
                **found,
                "load": load,
                "cpu_per_load": (cpu_seconds(target.server_pids) - cpu_before) / max(1, loads),
            }
            print(f"browsers x{args.browsers}: {browser_summary(browsers)}", flush=True)
        return {"steps": steps, "cold": cold, "rss_idle": rss_idle, "rss_warm": rss_warm,
                "browsers": browsers}  # fmt: skip
    finally:
        server.stop()


def team_of_three(args: argparse.Namespace, work: Path, viewers: list[str]) -> dict:
    run_dir = work / "team"
    run_dir.mkdir()
    # Named, so that PostgreSQL's CPU counts these processes' backends only, not another
    # client's of the same database.
    url = make_url(args.pg_database).update_query_dict({"application_name": "kam_bench_load"})
    database_url = url.render_as_string(hide_password=False)
    team = Team(
        database_url=database_url, processes=3, port=free_port(), run_dir=run_dir, trial=True
    )
    try:
        team.start()
        assert team.nginx is not None
        proxy = [team.nginx.pid, *children(team.nginx.pid)]
        ws = [u.replace("http://", "ws://") for u in team.process_urls]
        cold = asyncio.run(warm_up(ws, viewers))
        print(f"3 processes: warmed up (cold openings {fmt_s(max(cold))} max)", flush=True)
        target = Target(
            "3 processes + nginx",
            team.url.replace("http://", "ws://"),
            [p.pid for p in team.procs],
            proxy,
            Postgres(database_url),
            routed=True,
            addresses=[f"127.0.0.1:{p}" for p in team.ports],
        )
        return {"steps": sweep(target, args, viewers), "cold": cold}
    finally:
        team.stop()


# -- the report -------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.0f}"


HEADER = ("| setup | N | changes | p50 ms | p95 ms | max ms | open p50 ms | failures | loads/s "
          "| server CPU-s/load | server CPU % | DB CPU-s/load | nginx CPU-s | client CPU-s "
          "| machine busy % | MB/session | peak DB conns | spread | loadavg start → end |")  # fmt: skip


def row(s: Step) -> str:
    db_per_load = f"{s.db_cpu / s.loads:.3f}" if s.db_cpu is not None and s.loads else "–"
    cells = [
        s.setup, str(s.sessions), str(len(s.changes)), fmt_ms(s.pct(0.5)), fmt_ms(s.pct(0.95)),
        fmt_ms(max(s.changes) if s.changes else None),
        fmt_ms(statistics.median(s.opens) if s.opens else None), str(s.failures),
        f"{s.loads / s.seconds:.1f}",
        f"{s.cpu_per_load:.3f}" if s.cpu_per_load is not None else "–",
        f"{100 * s.server_cpu / s.seconds:.0f}", db_per_load,
        f"{s.proxy_cpu:.1f}" if s.proxy_cpu is not None else "–", f"{s.client_cpu:.1f}",
        f"{s.machine_busy_pct:.0f}", f"{s.mb_per_session:.1f}",
        str(s.db_connections_peak) if s.db_connections_peak is not None else "–",
        s.spread or "–", f"{s.load_start} → {s.load_end}",
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def browser_summary(b: dict) -> str:
    changes = sorted(b["changes"])
    p = (
        (lambda q: changes[min(len(changes) - 1, math.ceil(q * len(changes)) - 1)])
        if changes
        else None
    )
    return (
        f"{len(changes)} changes, p50 {fmt_ms(p(0.5) if p else None)} ms, "
        f"p95 {fmt_ms(p(0.95) if p else None)} ms, open p50 "
        f"{fmt_ms(statistics.median(b['opens']) if b['opens'] else None)} ms, "
        f"{b['failures']} failures, server CPU-s/load {b['cpu_per_load']:.3f}, loadavg {b['load']}"
    )


def held(steps: list[Step]) -> tuple[str, float | None]:
    """The largest N measured whose p95 stayed under the target (no failures), the next N's
    p95, and N at the target by linear interpolation of p95 between the two."""
    ok = [s for s in steps if (s.pct(0.95) or 99) < TARGET_P95 and not s.failures]
    if not ok:
        return "none of the N measured", None
    best = max(ok, key=lambda s: s.sessions)
    above = [s for s in steps if s.sessions > best.sessions]
    if not above:
        return f"{best.sessions} sessions (the largest N measured)", float(best.sessions)
    nxt = above[0]
    p_lo, p_hi = best.pct(0.95) or 0, nxt.pct(0.95) or 99
    estimate = best.sessions + (nxt.sessions - best.sessions) * (TARGET_P95 - p_lo) / max(
        p_hi - p_lo, 1e-9
    )
    return (
        f"{best.sessions} sessions measured (at {nxt.sessions}: p95 {fmt_ms(nxt.pct(0.95))} ms"
        f"{f', {nxt.failures} failures' if nxt.failures else ''}); ≈ {estimate:.0f} by "
        "interpolating p95",
        estimate,
    )


def derivation(one: list[Step], team: list[Step] | None, think: tuple[float, float]) -> str:
    """Process counts and pool sizes for 10, 50 and 200 users, from the measured figures."""
    basis = team or one
    processes_measured = 3 if team else 1
    measured = [s.cpu_per_load for s in basis if s.cpu_per_load and s.sessions >= 5]
    c = statistics.median(measured) if measured else (basis[0].cpu_per_load or 0.1)
    db_measured = [s.db_cpu / s.loads for s in basis if s.db_cpu is not None and s.loads]
    c_db = statistics.median(db_measured) if db_measured else None
    _, n_star = held(basis)
    at = [s for s in basis if n_star and s.sessions <= n_star]
    rate_star = (
        (at[-1].loads / at[-1].seconds) * (n_star / at[-1].sessions) if at and n_star else None
    )
    busiest = max(basis, key=lambda s: s.sessions)
    conns = busiest.db_connections_peak
    per_user = 1 / 15  # a person at work: one page or filter change per 15 s
    active = 0.5  # share of the users at work at the same moment at the peak
    bench_rate = 1 / (sum(think) / 2)
    # One process uses at most one core (the GIL); past ~60 % of it the queue, and so the
    # latency, grows fast (an M/M/1 queue waits 1.5 runs at 60 %, 4 at 80 %).
    per_process = 0.6 / c  # page loads/s one process serves with short waits
    setup = "3 processes behind nginx" if team else "1 process"
    lines = [
        f"Measured ({setup}):",
        "",
        f"- Streamlit CPU per page load, median of the steps with N ≥ 5: **c = {c:.3f} CPU-s**"
        + (f"; PostgreSQL: {c_db:.3f} CPU-s" if c_db is not None else "")
        + ". It hardly moves with N or the machine's load (CPU time is not waiting time), "
        "unlike the latencies, which on this shared machine measure the other work too.",
        f"- held at p95 < 1.5 s: N* ≈ {n_star:.0f} bench sessions = "
        f"**{rate_star:.1f} page loads/s**."
        if n_star and rate_star
        else "- held at p95 < 1.5 s: no N measured (see the loadavg: the machine was shared).",
        f"- PostgreSQL connections at N = {busiest.sessions}: {conns} at the peak, "
        f"{conns / processes_measured:.0f} per process: under overload every run in flight "
        "holds one (Streamlit runs each session's script in its own thread)."
        if conns is not None
        else "- PostgreSQL connections: not measured (no PostgreSQL in this setup).",
        "",
        "From c alone, on cores of its own: one process serves 0.6 / c = "
        f"**{per_process:.1f} page loads/s** with short queues, i.e. "
        f"{per_process / bench_rate:.0f} bench sessions (a change every {sum(think) / 2:g} s) "
        f"or {per_process / per_user:.0f} people at work (a load every {1 / per_user:.0f} s). "
        "A host serves at most (its cores − PostgreSQL's) × that: on this 2-core machine 3 "
        "processes share 2 cores, so the third adds resilience, not capacity.",
        "",
        "Assumptions for the recommendation: a person at work loads a page (or changes a "
        f"filter) every {1 / per_user:.0f} s and {active:.0%} of the users are at work at the "
        "same moment at the peak; the bench's sessions are busier (a change every "
        f"{think[0]:g}–{think[1]:g} s). Both scale the result linearly.",
        "",
        f"- Page loads at the peak: L = users × {active:g} / {1 / per_user:.0f} s.",
        "- **processes = ⌈L × c / 0.6⌉, at least 2** (one may restart), each with a core of "
        "its own, plus PostgreSQL's (L × its CPU per load, small).",
        "- Pool: a process cannot have more runs in flight than sessions on it, and each run in "
        "flight holds a connection while it queries. **pool_size = min(10, sessions per "
        "process), max_overflow = min(20, sessions per process)**: the overflow is opened only "
        "in a burst or an overload (as measured above) and closed after it.",
        "- PostgreSQL's max_connections ≥ processes × (pool_size + max_overflow) + 20 (imports, "
        "backups, psql).",
        "",
        "| users | page loads/s at peak | CPU wanted (cores) | processes | host cores "
        "| pool_size / max_overflow | PostgreSQL max_connections |",
        "|---|---|---|---|---|---|---|",
    ]
    for users in (10, 50, 200):
        load = users * active * per_user
        cores = load * c
        processes = max(2, math.ceil(cores / 0.6))
        sessions = math.ceil(users / processes)
        pool, overflow = min(10, sessions), min(20, sessions)
        db_cores = load * (c_db or 0)
        lines.append(
            f"| {users} | {load:.2f} | {cores:.2f} | {processes} | "
            f"{processes} + {max(1, math.ceil(db_cores))} | {pool} / {overflow} | "
            f"≥ {processes * (pool + overflow) + 20} |"
        )
    worst = 200 * bench_rate * c
    lines += [
        "",
        f"If all 200 were as busy as a bench session: {200 * bench_rate:.0f} loads/s, "
        f"{worst:.0f} cores, {math.ceil(worst / 0.6)} processes: the per-run CPU (c) is what "
        "to cut first if the team uses the dashboard that hard.",
    ]
    if rate_star:
        lines.append(
            f"Measured here: {rate_star:.1f} loads/s held ≈ "
            f"{rate_star / (active * per_user):.0f} users under the same assumptions."
        )
    return "\n".join(lines)


def write_report(args: argparse.Namespace, one: dict, team: dict | None, started: str) -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), "?",
    )  # fmt: skip
    mem_gb = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    steps = one["steps"] + (team["steps"] if team else [])
    parts = [
        "# Load: concurrent sessions on the Clients page",
        "",
        f"- machine: {platform.node()}, {os.cpu_count()} cores ({cpu}), {mem_gb:.1f} GB; "
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}",
        f"- date: {started} (loadavg at start {one['load_start']}, at end {loadavg()}; "
        "the machine is shared, see each step's loadavg)",
        f"- command: `{' '.join(['.venv/bin/python', 'bench/bench_load.py', *sys.argv[1:]])}`",
        f"- one process on `{args.database}`"
        + (f"; 3 processes behind nginx on `{args.pg_database}`" if team else ""),
        f"- load: N sessions open `/{PAGE}?as=CODE` (head and KAMs in turn), then change the ABC "
        f"filter every {args.think[0]:g}–{args.think[1]:g} s after the page is back, for "
        f"{args.seconds:g} s; the change is a rerun with the multiselect's new value, as a "
        "browser sends it. Latency: from sending the change to `script_finished`.",
        "",
        "## Figures",
        "",
        HEADER,
        "|" + "---|" * (HEADER.count("|") - 1),
        *[row(s) for s in steps],
        "",
        "- server CPU-s/load: CPU of the Streamlit process(es) over the step ÷ page loads "
        "(openings + changes); DB: the PostgreSQL backends of the database; client: this "
        "script (the light sessions), on the same 2 cores.",
        "- MB/session: peak RSS of the server process(es) during the step minus RSS at its "
        "start, ÷ N. Sessions of earlier steps are kept for 2 minutes after they disconnect "
        f"(Streamlit's session storage), so this counts new sessions only. RSS idle "
        f"{one['rss_idle']:.0f} MB, after warm-up {one['rss_warm']:.0f} MB (one process).",
        f"- cold openings (warm-up, first run of each viewer): max {fmt_s(max(one['cold']))} s "
        "(one process)" + (f", {fmt_s(max(team['cold']))} s (3 processes)" if team else "") + ".",
        "",
        "## Sessions held at p95 < 1.5 s",
        "",
        f"- one process: {held(one['steps'])[0]}",
    ]
    if team:
        parts.append(f"- 3 processes behind nginx: {held(team['steps'])[0]}")
        parts.append(
            "- nginx routes by the `kam_route` cookie (`hash $kam_route consistent`), a new "
            "browser gets a random one: each light session sends its own random cookie, so "
            "sessions spread as browsers' do (column *spread*: sessions per process)."
        )
    if one["browsers"]:
        parts += [
            "",
            f"## Real browsers ({args.browsers} Chromium pages, one process)",
            "",
            f"- {browser_summary(one['browsers'])}",
            "- The browser's latency runs from the click to the run's `script_finished` on the "
            "page's websocket and then the app's script state *notRunning* with nothing stale: "
            "it adds the click, the websocket and drawing the table in Chromium, which shares "
            "the 2 cores with the server.",
        ]
    parts += [
        "",
        "## Pool sizes and process counts",
        "",
        derivation(one["steps"], team["steps"] if team else None, args.think),
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(parts) + "\n"
    OUT.write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL", help="for the one process")
    parser.add_argument("--pg-database", metavar="URL", help="PostgreSQL for 3 processes + nginx")
    parser.add_argument("--sessions", default="1,5,10,20,50")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", default="2,4", help="seconds between changes: low,high")
    parser.add_argument("--browsers", type=int, default=5, help="Chromium pages (0: none)")
    args = parser.parse_args()
    args.sessions = [int(v) for v in args.sessions.split(",")]
    low, high = (float(v) for v in args.think.split(","))
    args.think = (low, high)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_start = loadavg()
    print(f"loadavg {load_start}; {HEADER}", flush=True)
    viewers = viewers_of(args.database)
    with tempfile.TemporaryDirectory(prefix="kam-load-") as folder:
        work = Path(folder)
        one = one_server(args, work, viewers)
        one["load_start"] = load_start
        team = team_of_three(args, work, viewers_of(args.pg_database)) if args.pg_database else None
    print(write_report(args, one, team, started))
    print(f"written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
