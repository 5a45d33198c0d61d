"""What the benchmarks share: the pages and their filters, percentiles, the machine's facts, the
figures' files under bench/out/ and a Streamlit server for a script other than app.py."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TODAY = "2026-12-01"  # every figure is taken as of this day (KAM_TODAY)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("KAM_TODAY", TODAY)


@dataclass(frozen=True)
class Filter:
    """One filter change a user makes on a page: in AppTest the widget's key and the values it
    cycles through; in the browser the widget's label (a select: ``option`` picks the k-th
    option; a text box: ``texts`` are typed and Enter pressed)."""

    key: str
    values: tuple = ()
    label: str = ""
    kind: str = "select"  # select | text
    fresh: object = 5  # a value not among ``values``: a change the caches have not seen


@dataclass(frozen=True)
class PageSpec:
    file: str
    url: str  # the URL path st.navigation gives it (app.py); the default page is at /
    params: dict
    filter: Filter | None = None


def set_filter(at, flt: Filter | None, value: object) -> None:  # noqa: ANN001 - an AppTest
    """Set the page's filter in AppTest to ``value`` (a text, or an option's index)."""
    if flt is None:
        return
    if flt.kind == "text":
        at.text_input(key=flt.key).input(str(value))
    else:
        box = at.selectbox(key=flt.key)
        box.select_index(min(int(value), len(box.options) - 1))


MANAGER = Filter(key="url_manager", values=(0, 1, 2, 3), label="Manager")  # option indexes
PAGES: dict[str, PageSpec] = {
    "desk": PageSpec("pages/desk.py", "", {}, MANAGER),  # the default page: served at /
    "clients": PageSpec(
        "pages/clients.py",
        "clients",
        {},
        Filter(
            key="url_q",
            values=("", "C001", "C002", "C01"),
            label="Search by code or name",
            kind="text",
            fresh="C03",
        ),
    ),  # fmt: skip
    "client": PageSpec("pages/client.py", "client", {"client": "C0001"}),
    "plan": PageSpec(
        "pages/plan.py", "plan", {}, Filter(key="period_month", values=(0, 1, 2, 3), label="Which")
    ),
    "receivables": PageSpec("pages/receivables.py", "receivables", {}, MANAGER),
    "claims": PageSpec("pages/claims.py", "claims", {}, MANAGER),
    "competitors": PageSpec(
        "pages/competitors.py",
        "competitors",
        {},
        Filter(key="url_category", values=(0, 1, 2, 3), label="Category"),
    ),
    "week": PageSpec("pages/week.py", "week", {}, MANAGER),
    "plans": PageSpec(
        "pages/plans_admin.py",
        "plans",
        {},
        Filter(key="url_month", values=(2, 3, 4, 5), label="Month"),
    ),
    "review": PageSpec("pages/review.py", "review", {}, MANAGER),
}


def percentile(values: list[float], q: float) -> float:
    """The q-th quantile (0..1), linear between the two nearest samples (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(values: list[float]) -> dict:
    """p50, p95, min, max and the number of samples, in the unit given."""
    return {
        "n": len(values),
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "min": min(values) if values else float("nan"),
        "max": max(values) if values else float("nan"),
    }


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, default=str))


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def loadavg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def machine_facts() -> dict[str, str]:
    """CPU, cores, memory, OS and the versions the figures depend on."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "?"
    import pandas
    import sqlalchemy
    import streamlit

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": _first_line(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]
        ),
        "Streamlit": streamlit.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
        "pandas": pandas.__version__,
        "Chromium": _first_line(["/usr/bin/chromium", "--version"]),
    }


def app_server(database_url: str, log_path: Path):  # noqa: ANN201
    """The app on 127.0.0.1 (tests.server.StreamlitServer) with this run's today; call stop()."""
    from tests.server import StreamlitServer

    return StreamlitServer(database_url, log_path, {"KAM_TODAY": os.environ["KAM_TODAY"]})


def script_server(script: Path, log_path: Path):  # noqa: ANN201
    """``streamlit run script`` on 127.0.0.1, as StreamlitServer runs app.py; call stop()."""
    from tests.server import StreamlitServer

    class ScriptServer(StreamlitServer):
        def _start(self, port, args_for_port):  # noqa: ANN001, ANN202
            self.port = port
            self.url = f"http://127.0.0.1:{port}"
            self._log = self.log_path.open("w")
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script),
                 "--server.port", str(port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            self._wait_healthy()

    return ScriptServer("sqlite://", log_path)


def short_url(url: str) -> str:
    """A database URL as the tables show it: the file name or the PostgreSQL database."""
    if url.startswith("sqlite"):
        return "SQLite " + Path(url.split(":///", 1)[-1]).name
    return "PostgreSQL " + url.rsplit("/", 1)[-1]
