"""The client portfolio: ABC/XYZ classes, silent clients and the clients table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam import receivables, sales
from kam.activities.claims import is_open
from kam.core import config
from kam.core.access import Viewer
from kam.core.cache import ledger_only
from kam.core.models import Claim, Client, Manager, SalesDay, SalesMonth
from kam.core.money import CENT, HALF_CENT, ZERO, to_cent
from kam.core.periods import add_months, same_day_year_before
from kam.core.sqlfn import days_between

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
    rev = (
        select(SalesDay.client_id, func.sum(SalesDay.net).label("revenue"))
        .where(SalesDay.day > same_day_year_before(as_of), SalesDay.day <= as_of)
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


def _variation(session: Session, as_of: dt.date) -> dict[int, Decimal | None]:
    """Coefficient of variation of each client's 12 monthly revenues (empty months are 0)."""
    first, last = xyz_months(as_of)
    monthly = (
        select(SalesMonth.client_id, func.sum(SalesMonth.amount).label("net"))
        .where(SalesMonth.month.between(first, last))
        .group_by(SalesMonth.client_id, SalesMonth.month)
        .subquery()
    )
    query = select(
        monthly.c.client_id, func.sum(monthly.c.net), func.sum(monthly.c.net * monthly.c.net)
    ).group_by(monthly.c.client_id)
    out: dict[int, Decimal | None] = {}
    for cid, total, squares in session.execute(query):
        mean = Decimal(str(total)) / 12
        if mean <= CENT / 2:
            out[cid] = None  # no steady positive purchases to measure: Z
            continue
        variance = max(Decimal(str(squares)) / 12 - mean * mean, Decimal(0))
        out[cid] = variance.sqrt() / mean
    return out


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
    revenue = sales.revenue_by_client(
        session,
        viewer=viewer,
        start=same_day_year_before(as_of) + dt.timedelta(days=1),
        end=as_of,
    )
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
    (columns SILENT_COLUMNS; median_interval is None below 3 purchase days)."""
    days_q = (
        select(SalesDay.client_id, SalesDay.day)
        .where(SalesDay.gross > HALF_CENT, SalesDay.day <= as_of)
        .group_by(SalesDay.client_id, SalesDay.day)  # a day credited to two managers is one day
    )
    if client_id is not None:
        days_q = days_q.where(SalesDay.client_id == client_id)
    days = sales.only_visible(days_q, viewer=viewer, client_id=SalesDay.client_id).cte("days")
    gaps = select(
        days.c.client_id,
        days_between(
            days.c.day,
            func.lag(days.c.day).over(partition_by=days.c.client_id, order_by=days.c.day),
        ).label("gap"),
    ).subquery()
    ranked = (
        select(
            gaps.c.client_id,
            gaps.c.gap,
            func.row_number().over(partition_by=gaps.c.client_id, order_by=gaps.c.gap).label("rn"),
            func.count().over(partition_by=gaps.c.client_id).label("n"),
        )
        .where(gaps.c.gap.is_not(None))
        .subquery()
    )
    # The median is the middle gap, or the mean of the two middle ones: rows whose position
    # rn satisfies n <= 2·rn <= n + 2, which needs no integer division (spelt differently).
    median = (
        select(ranked.c.client_id, func.avg(ranked.c.gap).label("median"))
        .where((2 * ranked.c.rn).between(ranked.c.n, ranked.c.n + 2))
        .group_by(ranked.c.client_id)
        .subquery()
    )
    stats = (
        select(days.c.client_id, func.count().label("n"), func.max(days.c.day).label("last"))
        .group_by(days.c.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.code, stats.c.last, stats.c.n, median.c.median)
        .join(stats, stats.c.client_id == Client.id)
        .outerjoin(median, median.c.client_id == Client.id)
        .order_by(Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    fallback = config.settings().silent_fallback_days
    rows = []
    for cid, code, last, n, med in session.execute(query):
        last = sales.as_date(last)
        since = (as_of - last).days
        med = float(med) if n >= 3 and med is not None else None
        silent = since > 2 * med if med is not None else since > fallback
        rows.append((cid, code, last, since, int(n), med, silent))
    return pd.DataFrame(rows, columns=SILENT_COLUMNS)


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
    year_ago = same_day_year_before(as_of)
    prev = sales.revenue_by_client(
        session,
        viewer=viewer,
        start=same_day_year_before(year_ago) + dt.timedelta(days=1),
        end=year_ago,
    )
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
