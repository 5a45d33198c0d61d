"""Three figures the usual way beside the project's: the plan scorecard, one client's 12-month
history and the receivables ageing, each read as most dashboards do (``pd.read_sql`` of the raw
rows — sales lines, invoices, payments — then pandas group-bys; the ageing a plain pandas FIFO
allocation by docs/METRICS.md's rule), checked equal to the project's functions, and timed.

    .venv/bin/python bench/bench_usual.py --database sqlite:////tmp/kam.db [--repeat 3]

The project's side is the function the page calls (kam.reports.plan_report → kam.plans.scorecard,
kam.sales.sales_history, kam.receivables.client_receivables), uncached, in its own read
transaction; it also works out the forecasts the usual way here leaves out. It is timed as the
median of at least 5 runs after one that compiles its statements (a server does that once); where
it is under 20× the usual way, one run is profiled (``profile`` in the JSON: what limits it).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402, F401  (puts the project on the path, sets KAM_TODAY)
import pandas as pd  # noqa: E402
from common import write_json  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from kam import receivables, reports, sales  # noqa: E402
from kam.core import clock, db  # noqa: E402
from kam.core.access import SYSTEM  # noqa: E402
from kam.core.models import Client  # noqa: E402
from kam.core.periods import add_months, month_of, same_day_year_before  # noqa: E402
from kam.plans import as_of_for  # noqa: E402

HALF_CENT = 0.005
CLIENT = "C0001"


# --- the usual way -------------------------------------------------------------------------


def usual_scorecard(conn, period, as_of: dt.date) -> pd.DataFrame:  # noqa: ANN001
    """Plan, fact and last year per manager and metric, and the team rows, from raw rows."""
    lines = pd.read_sql(
        "SELECT manager_id, client_id, doc_date, doc_no, line_no, amount FROM sales_lines", conn
    )
    lines["doc_date"] = pd.to_datetime(lines["doc_date"])
    lines["amount"] = lines["amount"].astype(float)
    plan_rows = pd.read_sql(
        text("SELECT manager_id, metric, target, period FROM plans WHERE client_id IS NULL"), conn
    )
    plan_rows["period"] = pd.to_datetime(plan_rows["period"])
    managers = pd.read_sql("SELECT id, code, role, active FROM managers", conn)

    start, end = sales.span(period, as_of)
    ly_start, ly_end = sales.last_year_span(period, as_of)
    positive = lines[lines["amount"] > 0].sort_values(["doc_date", "doc_no", "line_no"])
    first = positive.drop_duplicates("client_id")  # each client's first purchase

    def facts(a: dt.date, b: dt.date) -> dict[str, pd.Series | float]:
        cut = lines[(lines["doc_date"] >= pd.Timestamp(a)) & (lines["doc_date"] <= pd.Timestamp(b))]
        by_pair = cut.groupby(["manager_id", "client_id"])["amount"].sum()
        by_client = cut.groupby("client_id")["amount"].sum()
        new = first[(first["doc_date"] >= pd.Timestamp(a)) & (first["doc_date"] <= pd.Timestamp(b))]
        return {
            "revenue": cut.groupby("manager_id")["amount"].sum(),
            "active_clients": (by_pair > HALF_CENT).groupby(level="manager_id").sum(),
            "new_clients": new.groupby("manager_id").size(),
            "team_revenue": float(cut["amount"].sum()),
            "team_active_clients": float((by_client > HALF_CENT).sum()),
            "team_new_clients": float(len(new)),
        }

    now, last = facts(start, end), facts(ly_start, ly_end)
    in_period = plan_rows[(plan_rows["period"] >= pd.Timestamp(period.start))
                          & (plan_rows["period"] <= pd.Timestamp(period.end))]  # fmt: skip
    in_period = in_period.assign(target=in_period["target"].astype(float))
    summed = in_period.groupby(["manager_id", "metric"])["target"].agg(["sum", "max"])
    targets = {
        key: (row["max"] if key[1] == "active_clients" else row["sum"])
        for key, row in summed.iterrows()
    }
    wanted = {m for m, _ in targets} | {m for k in ("revenue", "active_clients", "new_clients")
                                        for m in now[k].index}  # fmt: skip
    shown = managers[((managers["role"] == "kam") & managers["active"].astype(bool))
                     | managers["id"].isin(wanted)].sort_values("code")  # fmt: skip
    rows = []
    for mid in shown["id"]:
        for metric in ("revenue", "active_clients", "new_clients"):
            rows.append((mid, metric, targets.get((mid, metric)),
                         float(now[metric].get(mid, 0.0)), float(last[metric].get(mid, 0.0))))  # fmt: skip
    for metric in ("revenue", "active_clients", "new_clients"):
        plans_of = [v for (_, m), v in targets.items() if m == metric]
        rows.append((None, metric, sum(plans_of) if plans_of else None,
                     now[f"team_{metric}"], last[f"team_{metric}"]))  # fmt: skip
    return pd.DataFrame(rows, columns=["manager_id", "metric", "plan", "fact", "last_year_fact"])


def usual_history(conn, client_id: int, as_of: dt.date) -> pd.DataFrame:  # noqa: ANN001
    """A client's last 12 months with last year's net, from the client's raw sales lines."""
    lines = pd.read_sql(
        text("SELECT doc_date, amount, kind FROM sales_lines WHERE client_id = :c"),
        conn,
        params={"c": client_id},
    )
    lines["doc_date"] = pd.to_datetime(lines["doc_date"])
    lines["amount"] = lines["amount"].astype(float)
    first = add_months(as_of, -11).replace(day=1)
    month_over = (add_months(as_of, 1) - dt.timedelta(days=1)) == as_of
    ly_end = (
        add_months(as_of, -11) - dt.timedelta(days=1) if month_over else same_day_year_before(as_of)
    )
    lines["month"] = lines["doc_date"].dt.to_period("M").dt.start_time.dt.date
    lines["gross"] = lines["amount"].where(lines["kind"] == "sale", 0.0)
    lines["returns"] = lines["amount"].where(lines["kind"] != "sale", 0.0)
    now = lines[
        (lines["doc_date"] >= pd.Timestamp(first)) & (lines["doc_date"] <= pd.Timestamp(as_of))
    ]
    before = lines[(lines["doc_date"] >= pd.Timestamp(add_months(first, -12)))
                   & (lines["doc_date"] <= pd.Timestamp(ly_end))]  # fmt: skip
    cur = now.groupby("month")[["gross", "returns", "amount"]].sum()
    prev = before.groupby("month")["amount"].sum()
    rows = []
    for i in range(12):
        month = add_months(first, i)
        got = cur.loc[month] if month in cur.index else None
        rows.append((month, 0.0 if got is None else got["gross"], 0.0 if got is None else got["returns"],
                     0.0 if got is None else got["amount"], float(prev.get(add_months(month, -12), 0.0))))  # fmt: skip
    return pd.DataFrame(rows, columns=["month", "gross", "returns", "net", "net_last_year"])


def usual_ageing(conn, as_of: dt.date) -> pd.DataFrame:  # noqa: ANN001
    """Per client outstanding, the five age buckets and the credit balance: a FIFO allocation
    of payments to invoices in pandas (docs/METRICS.md, Receivables)."""
    day = pd.Timestamp(as_of)
    inv = pd.read_sql(
        "SELECT id, client_id, invoice_no, invoice_date, due_date, amount FROM invoices", conn
    )
    pay = pd.read_sql(
        "SELECT id, client_id, payment_no, payment_date, amount, invoice_id FROM payments", conn
    )
    for frame, cols in ((inv, ("invoice_date", "due_date")), (pay, ("payment_date",))):
        for col in cols:
            frame[col] = pd.to_datetime(frame[col])
        frame["amount"] = frame["amount"].astype(float)
    inv = inv[inv["invoice_date"] <= day]
    pay = pay[pay["payment_date"] <= day].sort_values(["payment_date", "payment_no"])

    # 1. Named money: a payment naming the same client's invoice (dated by D) pays it first.
    named = pay.merge(inv[["id", "client_id", "amount"]], left_on="invoice_id", right_on="id",
                      how="left", suffixes=("", "_inv"))  # fmt: skip
    names_one = named["id_inv"].notna() & (named["client_id_inv"] == named["client_id"])
    named = named.assign(names=names_one)
    mine = named[named["names"]].copy()
    before = mine.groupby("invoice_id")["amount"].cumsum() - mine["amount"]
    used = (mine["amount_inv"] - before).clip(lower=0).clip(upper=mine["amount"])
    mine["excess"] = mine["amount"] - used
    named_part = used.groupby(mine["invoice_id"]).sum()
    # 2. The pool: payments naming nothing, and the excess of named ones.
    pool = pd.concat([
        named.loc[~named["names"]].groupby("client_id")["amount"].sum(),
        mine.groupby("client_id")["excess"].sum(),
    ]).groupby(level=0).sum()  # fmt: skip
    # 3. Oldest first: the pool pays what the named money left, by due date.
    inv = inv.assign(remaining=inv["amount"] - inv["id"].map(named_part).fillna(0.0))
    inv = inv.sort_values(["client_id", "due_date", "invoice_date", "invoice_no"])
    start = inv.groupby("client_id")["remaining"].cumsum() - inv["remaining"]
    money = inv["client_id"].map(pool).fillna(0.0)
    inv["unpaid"] = inv["remaining"] - (money - start).clip(lower=0).clip(upper=inv["remaining"])
    past = (day - inv["due_date"]).dt.days
    buckets = {"not_due": past <= 0, "d1_30": (past >= 1) & (past <= 30),
               "d31_60": (past >= 31) & (past <= 60), "d61_90": (past >= 61) & (past <= 90),
               "d90_plus": past > 90}  # fmt: skip
    for name, mask in buckets.items():
        inv[name] = inv["unpaid"].where(mask, 0.0)
    per_client = inv.groupby("client_id")[["unpaid", *buckets, "remaining"]].sum()
    per_client = per_client.reindex(per_client.index.union(pool.index), fill_value=0.0)
    # 4. A credit balance, never negative debt.
    per_client["credit_balance"] = (pool.reindex(per_client.index, fill_value=0.0)
                                    - per_client["remaining"]).clip(lower=0)  # fmt: skip
    per_client = per_client.rename(columns={"unpaid": "outstanding"})
    keep = (per_client["outstanding"] > HALF_CENT) | (per_client["credit_balance"] > HALF_CENT)
    return per_client[keep].drop(columns="remaining")


# --- the check and the timing --------------------------------------------------------------


def _differences(ours: pd.DataFrame, theirs: pd.DataFrame, keys: list[str], cols: list[str]) -> int:
    """Rows whose figures differ by more than a cent (or are missing on one side)."""
    both = ours.merge(theirs, on=keys, how="outer", suffixes=("_p", "_u"), indicator=True)
    bad = both["_merge"] != "both"
    for col in cols:
        p = pd.to_numeric(both[f"{col}_p"].astype(object), errors="coerce").astype(float)
        u = pd.to_numeric(both[f"{col}_u"].astype(object), errors="coerce").astype(float)
        bad |= ~(((p - u).abs() <= 0.011) | (p.isna() & u.isna()))
    return int(bad.sum())


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


PROJECT_RUNS = 5
GOAL_RATIO = 20


def _profile(fn: Callable[[], object], count: int = 8) -> list[tuple[str, float]]:
    """The project's functions and the database's time in one run of ``fn``, cumulative ms."""
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    rows = []
    for (path, line, name), (_, _, _, cumulative, _) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        if f"{common.ROOT}/kam/" in path:
            rows.append((f"{Path(path).relative_to(common.ROOT)}:{line} {name}", cumulative * 1000))
        elif path == "~" and any(
            f"'{call}'" in name for call in ("execute", "fetchall", "fetchmany")
        ):
            rows.append((f"database driver: {name.strip('<>')}", cumulative * 1000))
    return sorted(rows, key=lambda r: -r[1])[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, metavar="URL")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    eng = db.engine(args.database)
    today = clock.today()
    period = month_of(today)
    as_of = as_of_for(period, today)
    with db.reading(eng) as s:
        client_id = s.execute(select(Client.id).where(Client.code == CLIENT)).scalar_one()

    def project(fn: Callable) -> Callable[[], object]:  # noqa: ANN202
        def run() -> object:
            with db.reading(eng) as s:
                return fn(s)

        return run

    def usual(fn: Callable) -> Callable[[], object]:  # noqa: ANN202
        def run() -> object:
            with eng.connect() as conn:
                return fn(conn)

        return run

    figures = {
        "plan scorecard": (
            project(lambda s: reports.plan_report(
                s, viewer=SYSTEM, scope=reports.Scope(as_of=as_of, period=period))),
            usual(lambda c: usual_scorecard(c, period, as_of)),
            lambda ours, theirs: _differences(
                ours.assign(manager_id=ours["manager_id"].astype(object))[
                    ["manager_id", "metric", "plan", "fact", "last_year_fact"]].fillna({"manager_id": -1}),
                theirs.fillna({"manager_id": -1}).assign(manager_id=lambda f: f["manager_id"].astype(int)),
                ["manager_id", "metric"], ["plan", "fact", "last_year_fact"]),
        ),
        f"client {CLIENT} 12-month history": (
            project(lambda s: sales.sales_history(s, viewer=SYSTEM, client_id=client_id, as_of=as_of)),
            usual(lambda c: usual_history(c, client_id, as_of)),
            lambda ours, theirs: _differences(
                ours.assign(month=[str(m) for m in ours["month"]]),
                theirs.assign(month=[str(m) for m in theirs["month"]]),
                ["month"], ["gross", "returns", "net", "net_last_year"]),
        ),
        "receivables ageing": (
            project(lambda s: receivables.client_receivables(s, viewer=SYSTEM, as_of=as_of)),
            usual(lambda c: usual_ageing(c, as_of)),
            lambda ours, theirs: _differences(
                ours, theirs.reset_index().rename(columns={"index": "client_id"}), ["client_id"],
                ["outstanding", "not_due", "d1_30", "d31_60", "d61_90", "d90_plus", "credit_balance"]),
        ),
    }  # fmt: skip
    results: dict = {
        "database": args.database,
        "as_of": str(as_of),
        "repeat": args.repeat,
        "figures": {},
    }
    print(
        f"{'figure':<34} {'project s':>9} {'usual s':>8} {'ratio':>6} {'rows':>5} differ",
        flush=True,
    )
    for name, (ours_fn, usual_fn, compare) in figures.items():
        ours_fn()  # its statements compiled, as in a server that has run it once
        ours_s, ours = _time(ours_fn, max(args.repeat, PROJECT_RUNS))
        usual_s, theirs = _time(usual_fn, args.repeat)
        differ = compare(ours, theirs)
        results["figures"][name] = {
            "project_s": ours_s, "usual_s": usual_s, "ratio": usual_s / ours_s,
            "rows": len(ours), "rows_differing": differ,
        }  # fmt: skip
        if usual_s / ours_s < GOAL_RATIO:
            results["figures"][name]["profile"] = _profile(ours_fn)
        print(f"{name:<34} {ours_s:9.3f} {usual_s:8.3f} {usual_s / ours_s:6.1f} {len(ours):5} {differ}",
              flush=True)  # fmt: skip
        if args.out:
            write_json(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
