"""The named reports (plan, sales, receivables, abc, clients) as tables, and how they are written.

Each report is built from the same kam functions the pages use; this module only picks and
orders columns and renders money with 2 decimals, percentages as numbers and dates as ISO.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam import plans, portfolio, receivables, sales
from kam.core.access import Viewer
from kam.core.models import Client, Manager
from kam.core.money import CENT
from kam.core.periods import Period, month_of, parse
from kam.reports import export

FORMATS = ("csv", "json", "xlsx")
COLUMNS = {
    # The scorecard's columns but the internal id (a reader knows managers by code).
    "plan": [c for c in plans.SCORECARD_COLUMNS if c != "manager_id"],
    "sales": ["client_code", "month", "gross", "returns", "net"],
    "receivables": [
        "client_code",
        "manager_code",
        "outstanding",
        "not_due",
        "d1_30",
        "d31_60",
        "d61_90",
        "d90_plus",
        "overdue",
        "credit_limit",
        "credit_use_pct",
        "over_limit",
    ],
    "abc": ["client_code", "revenue", "share", "cumulative_share", "abc_class", "xyz_class"],
    # The clients table's columns up to the open claims; the rest serve the page's filters.
    "clients": portfolio.CLIENT_COLUMNS[
        portfolio.CLIENT_COLUMNS.index("client_code") : portfolio.CLIENT_COLUMNS.index(
            "open_claims"
        )
        + 1
    ],
}


@dataclass(frozen=True)
class Scope:
    """What a report covers: a period (when it takes one), the as-of day, one manager or client."""

    as_of: dt.date
    period: Period | None = None
    manager_id: int | None = None
    client_id: int | None = None


def manager_id(session: Session, code: str) -> int:
    """The id of the manager with ``code``; ValueError naming the code when there is none."""
    found = session.execute(select(Manager.id).where(Manager.code == code)).scalar()
    if found is None:
        raise ValueError(f"unknown manager {code!r}")
    return found


def client_id(session: Session, code: str) -> int:
    """The id of the client with ``code``; ValueError naming the code when there is none."""
    found = session.execute(select(Client.id).where(Client.code == code)).scalar()
    if found is None:
        raise ValueError(f"unknown client {code!r}")
    return found


def plan_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """The plan scorecard of the period (default: the as-of month), cut at the as-of day."""
    if scope.client_id is not None:
        raise ValueError("the plan report is per manager: --client does not apply")
    period = scope.period or month_of(scope.as_of)
    return plans.scorecard(
        session, viewer=viewer, period=period, as_of=scope.as_of, manager_id=scope.manager_id
    )


def sales_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """Gross, returns and net per client and month of the period (default: the as-of year)."""
    period = scope.period or parse(str(scope.as_of.year))
    start, end = sales.span(period, scope.as_of)
    if end < start:
        return pd.DataFrame(columns=COLUMNS["sales"])
    frame = sales.monthly_sales(
        session,
        viewer=viewer,
        start=start,
        end=end,
        manager_id=scope.manager_id,
        client_id=scope.client_id,
    )
    frame["month"] = [m.strftime("%Y-%m") for m in frame["month"]]
    return frame


def receivables_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """Receivables ageing per client with debt or credit at the as-of day."""
    return receivables.client_receivables(
        session,
        viewer=viewer,
        as_of=scope.as_of,
        manager_id=scope.manager_id,
        client_id=scope.client_id,
    )


def abc_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """ABC and XYZ classes at the as-of day."""
    return portfolio.abc_xyz(
        session,
        viewer=viewer,
        as_of=scope.as_of,
        manager_id=scope.manager_id,
        client_id=scope.client_id,
    )


def clients_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """The clients table at the as-of day."""
    return portfolio.clients_overview(
        session,
        viewer=viewer,
        as_of=scope.as_of,
        manager_id=scope.manager_id,
        client_id=scope.client_id,
    )


REPORTS: dict[str, Callable[..., pd.DataFrame]] = {
    "plan": plan_report,
    "sales": sales_report,
    "receivables": receivables_report,
    "abc": abc_report,
    "clients": clients_report,
}


def build(name: str, session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """The report ``name`` with exactly its columns, values ready to write."""
    if name not in REPORTS:
        raise ValueError(f"unknown report {name!r}: expected one of {', '.join(REPORTS)}")
    frame = REPORTS[name](session, viewer=viewer, scope=scope)
    return pd.DataFrame(
        {col: [_plain(v) for v in frame[col]] for col in COLUMNS[name]}, columns=COLUMNS[name]
    )


def _plain(value: object) -> object:
    """Money to 2 decimals, percentages and ratios rounded to 2, dates as ISO text, NaN as None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars from pandas
        return _plain(value.item())
    return value


def write(frame: pd.DataFrame, fmt: str, out: IO[bytes]) -> None:
    """Write ``frame`` as CSV, JSON (a list of records) or XLSX to a binary stream."""
    if fmt == "csv":
        out.write(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    elif fmt == "json":
        records = [
            {col: _json(v) for col, v in zip(frame.columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        text = json.dumps(records, ensure_ascii=False, indent=1, allow_nan=False)
        out.write((text + "\n").encode("utf-8"))
    elif fmt == "xlsx":
        out.write(export.to_xlsx(frame, "report"))
    else:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def _json(value: object) -> object:
    # A missing value (pandas writes NaN or NA for it) is JSON's null: NaN is not JSON.
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return None
    # JSON has one number type; two-decimal money survives a float exactly as written.
    return float(value) if isinstance(value, Decimal) else value
