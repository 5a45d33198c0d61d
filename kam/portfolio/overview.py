"""The client portfolio: ABC/XYZ classes, silent clients and the clients table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam import receivables, sales
from kam.activities.claims import is_open
from kam.core import config, periods
from kam.core.access import Viewer
from kam.core.cache import ledger_only
from kam.core.i18n import Msg
from kam.core.models import Claim, Client, Manager, SalesDay, SalesMonth
from kam.core.money import CENT, HALF_CENT, ZERO, to_cent
from kam.core.periods import add_months, last_12_months, same_day_year_before

ABC_COLUMNS = [
    "client_id",
    "client_code",
    "revenue",
    "share",
    "cumulative_share",
    "abc_class",
    "cv",
    "xyz_class",
]
SILENT_COLUMNS = [
    "client_id",
    "client_code",
    "last_purchase",
    "days_since",
    "working_days_since",
    "purchase_days",
    "median_interval",
    "silent",
]
CLIENT_COLUMNS = [
    "client_id",
    "client_code",
    "name",
    "manager_code",
    "abc_class",
    "revenue_12m",
    "revenue_prev_12m",
    "last_purchase",
    "silent",
    "outstanding",
    "overdue",
    "open_claims",
    # Beyond the CLI report's columns: what the Clients page shows and filters by.
    "xyz_class",
    "revenue_change_pct",
    "credit_use_pct",
    "segment",
    "region",
    "status",
]


def xyz_months(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The first days of the first and last of the 12 whole calendar months XYZ looks at:
    those ending with ``as_of``'s month if ``as_of`` is its last day, else the month before."""
    month_over = add_months(as_of, 1) - dt.timedelta(days=1) == as_of
    last = add_months(as_of, 0 if month_over else -1)
    return add_months(last, -11), last


def _ranking(session: Session, as_of: dt.date) -> list[tuple[int, Decimal, Decimal, Decimal]]:
    """(client_id, revenue, running revenue, total) over every client with positive revenue."""
    start, end = last_12_months(as_of)
    rev = (
        select(SalesDay.client_id, func.sum(SalesDay.net).label("revenue"))
        .where(SalesDay.day.between(start, end))
        .group_by(SalesDay.client_id)
        .having(func.sum(SalesDay.net) > HALF_CENT)
        .subquery()
    )
    query = (
        select(
            rev.c.client_id,
            rev.c.revenue,
            func.sum(rev.c.revenue).over(
                order_by=(rev.c.revenue.desc(), Client.code), rows=(None, 0)
            ),
            func.sum(rev.c.revenue).over(),
        )
        .join(Client, Client.id == rev.c.client_id)
        .order_by(rev.c.revenue.desc(), Client.code)
    )
    return [
        (cid, to_cent(r), to_cent(cum), to_cent(total))
        for cid, r, cum, total in session.execute(query)
    ]


def coefficient_of_variation(monthly: Sequence[Decimal]) -> Decimal | None:
    """Population standard deviation / mean of 12 monthly revenues (missing months are 0),
    exact: nothing is rounded before the result; None when the mean is not positive."""
    values = [*monthly, *[ZERO] * (12 - len(monthly))]
    mean = sum(values, ZERO) / 12
    if mean <= CENT / 2:
        return None  # no steady positive purchases to measure: Z
    variance = sum(((v - mean) ** 2 for v in values), ZERO) / 12
    return variance.sqrt() / mean


def _variation(session: Session, as_of: dt.date) -> dict[int, Decimal | None]:
    """Coefficient of variation of each client's 12 monthly revenues (empty months are 0)."""
    first, last = xyz_months(as_of)
    query = (
        select(SalesMonth.client_id, func.sum(SalesMonth.amount))
        .where(SalesMonth.month.between(first, last))
        .group_by(SalesMonth.client_id, SalesMonth.month)
    )
    # Each month's sum is a sum of cents, so to_cent only undoes a float's error (SQLite); the
    # mean and variance are then worked out exactly, in Decimal, from those monthly sums.
    by_client: dict[int, list[Decimal]] = {}
    for cid, net in session.execute(query):
        by_client.setdefault(cid, []).append(to_cent(net))
    return {cid: coefficient_of_variation(months) for cid, months in by_client.items()}


@ledger_only
def abc_xyz(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """ABC and XYZ class of every visible client at ``as_of`` (columns ABC_COLUMNS).

    Ranks the whole company, so a class is the same whoever looks; share and cumulative_share
    are percentages of the positive revenue; cv is None when the monthly mean is not positive.
    """
    settings = config.settings()
    a, b = Decimal(str(settings.abc_a)), Decimal(str(settings.abc_b))
    x, y = Decimal(str(settings.xyz_x)), Decimal(str(settings.xyz_y))
    ranked = _ranking(session, as_of)
    cv = _variation(session, as_of)
    start, end = last_12_months(as_of)
    revenue = sales.revenue_by_client(session, viewer=viewer, start=start, end=end)
    query = select(Client.id, Client.code).where(viewer.client_condition())
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    if client_id is not None:
        query = query.where(Client.id == client_id)
    visible = dict(session.execute(query).all())

    rows, seen = [], set()
    total = ranked[0][3] if ranked else Decimal(0)
    for cid, r, cum, _ in ranked:
        seen.add(cid)
        if cid not in visible:
            continue
        before = (cum - r) / total
        abc = "A" if before < a else "B" if before < b else "C"
        rows.append((cid, visible[cid], r, float(r / total * 100), float(cum / total * 100), abc))
    end_share = 100.0 if total else 0.0
    rest = sorted(
        ((cid, code, revenue.get(cid, ZERO)) for cid, code in visible.items() if cid not in seen),
        key=lambda t: (-t[2], t[1]),
    )
    rows += [(cid, code, r, 0.0, end_share, "C") for cid, code, r in rest]

    def xyz(value: Decimal | None) -> str:
        return "Z" if value is None else "X" if value <= x else "Y" if value <= y else "Z"

    return pd.DataFrame(
        [
            (*row, None if cv.get(row[0]) is None else float(cv[row[0]]), xyz(cv.get(row[0])))
            for row in rows
        ],
        columns=ABC_COLUMNS,
    )


@ledger_only
def silent_clients(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """Every visible client with a purchase by ``as_of``, and whether it has gone silent
    (columns SILENT_COLUMNS; median_interval, in working days, is None below 3 purchase days).

    days_since is in calendar days (as shown), working_days_since in working days (as judged);
    a client with status ``lost`` is never silent: it is known lost, not quietly slipping away.
    """
    days_q = (
        select(SalesDay.client_id, SalesDay.day)
        .where(SalesDay.gross > HALF_CENT, SalesDay.day <= as_of)
        .group_by(SalesDay.client_id, SalesDay.day)  # a day credited to two managers is one day
    )
    if client_id is not None:
        days_q = days_q.where(SalesDay.client_id == client_id)
    if manager_id is not None:  # only the clients listed below: one manager's days, not all
        days_q = days_q.where(
            SalesDay.client_id.in_(select(Client.id).where(Client.manager_id == manager_id))
        )
    days = sales.only_visible(days_q, viewer=viewer, client_id=SalesDay.client_id).cte("days")
    pairs_q = select(
        days.c.client_id,
        func.lag(days.c.day).over(partition_by=days.c.client_id, order_by=days.c.day),
        days.c.day,
    )
    # The database lists each purchase day with the one before it; the gaps are counted in
    # working days here, since the official calendar (holidays, transfers) lives in Python.
    pairs = pd.DataFrame(session.execute(pairs_q).all(), columns=["client_id", "before", "day"])
    pairs = pairs.dropna(subset=["before"])
    pairs["gap"] = periods.working_days_after(
        [sales.as_date(d) for d in pairs["before"]], [sales.as_date(d) for d in pairs["day"]]
    )
    # pandas' median of an even count is the mean of the middle two, as METRICS.md says.
    medians = pairs.groupby("client_id")["gap"].median().to_dict() if len(pairs) else {}
    stats = (
        select(days.c.client_id, func.count().label("n"), func.max(days.c.day).label("last"))
        .group_by(days.c.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.code, Client.status, stats.c.last, stats.c.n)
        .join(stats, stats.c.client_id == Client.id)
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    found = session.execute(query).all()
    lasts = [sales.as_date(last) for _, _, _, last, _ in found]
    working_since = periods.working_days_after(lasts, [as_of] * len(lasts))
    fallback = config.settings().silent_fallback_days
    rows = []
    for (cid, code, status, _, n), last, worked in zip(found, lasts, working_since, strict=True):
        since = (as_of - last).days
        med = float(medians[cid]) if n >= 3 and cid in medians else None
        # The client's own rhythm in working days, so a holiday break is no silence; without a
        # rhythm yet, the fallback is in calendar days, as the setting reads.
        silent = worked > 2 * med if med is not None else since > fallback
        silent = silent and status != "lost"
        rows.append((cid, code, last, since, int(worked), int(n), med, bool(silent)))
    return pd.DataFrame(rows, columns=SILENT_COLUMNS)


def silent_rule() -> Msg:
    """How a client counts as silent, in words: the help both the Clients page and My desk show."""
    return Msg(
        "Silent: no purchase for more than twice the client's usual interval between purchases,"
        " both counted in working days; over {days} days without a purchase while it has fewer"
        " than 3 purchase days. Clients marked lost are never counted as silent.",
        days=config.settings().silent_fallback_days,
    )


def open_claims_by_client(session: Session, *, viewer: Viewer) -> dict[int, int]:
    """Open claims (kam.activities.claims.is_open), per client."""
    query = sales.only_visible(
        select(Claim.client_id, func.count()).where(is_open(Claim)).group_by(Claim.client_id),
        viewer=viewer,
        client_id=Claim.client_id,
    )
    return {cid: int(n) for cid, n in session.execute(query)}


def clients_overview(
    session: Session,
    *,
    viewer: Viewer,
    as_of: dt.date,
    manager_id: int | None = None,
    client_id: int | None = None,
) -> pd.DataFrame:
    """One row per visible client at ``as_of`` (columns CLIENT_COLUMNS): class, revenue of the
    last and the previous 12 months, last purchase, silence, debt and open claims."""
    scope = {"viewer": viewer, "as_of": as_of, "manager_id": manager_id, "client_id": client_id}
    abc = abc_xyz(session, **scope).set_index("client_id")
    silent = silent_clients(session, **scope).set_index("client_id")
    debt = receivables.client_receivables(session, **scope).set_index("client_id")
    # The 12 months before the last 12: those up to the same day a year before D.
    prev_start, prev_end = last_12_months(same_day_year_before(as_of))
    prev = sales.revenue_by_client(session, viewer=viewer, start=prev_start, end=prev_end)
    claims = open_claims_by_client(session, viewer=viewer)
    query = (
        select(
            Client.id, Client.code, Client.name, Manager.code,
            Client.segment, Client.region, Client.status,
        )
        .join(Manager, Manager.id == Client.manager_id)
        .where(viewer.client_condition())
        .order_by(Client.code)
    )  # fmt: skip
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    if client_id is not None:
        query = query.where(Client.id == client_id)
    rows = []
    for cid, code, name, mcode, segment, region, status in session.execute(query):
        has_debt = cid in debt.index
        revenue, before = abc.at[cid, "revenue"], prev.get(cid, ZERO)
        use = debt.at[cid, "credit_use_pct"] if has_debt else None
        rows.append(
            (
                cid,
                code,
                name,
                mcode,
                abc.at[cid, "abc_class"],
                revenue,
                before,
                silent.at[cid, "last_purchase"] if cid in silent.index else None,
                bool(silent.at[cid, "silent"]) if cid in silent.index else False,
                debt.at[cid, "outstanding"] if has_debt else ZERO,
                debt.at[cid, "overdue"] if has_debt else ZERO,
                claims.get(cid, 0),
                abc.at[cid, "xyz_class"],
                # Change against the 12 months before; none when there was nothing to grow from.
                float((revenue - before) / before * 100) if before > 0 else None,
                None if use is None or pd.isna(use) else float(use),
                segment,
                region,
                status,
            )
        )
    return pd.DataFrame(rows, columns=CLIENT_COLUMNS)


def filter_overview(
    overview: pd.DataFrame,
    *,
    text: str = "",
    managers: list[str] | None = None,
    segments: list[str] | None = None,
    regions: list[str] | None = None,
    abc_classes: list[str] | None = None,
    statuses: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``clients_overview`` matching every filter; ``text`` matches code or name,
    case-insensitively; an empty filter keeps everything."""
    keep = pd.Series(True, index=overview.index)
    if text:
        needle = text.casefold()
        keep &= overview["client_code"].str.casefold().str.contains(needle, regex=False) | overview[
            "name"
        ].str.casefold().str.contains(needle, regex=False)
    for column, wanted in (
        ("manager_code", managers),
        ("segment", segments),
        ("region", regions),
        ("abc_class", abc_classes),
        ("status", statuses),
    ):
        if wanted:
            keep &= overview[column].isin(wanted)
    return overview[keep].reset_index(drop=True)
