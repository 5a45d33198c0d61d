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
from kam.core.i18n import N_, Msg, t
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

# Column headers for people (an XLSX, ``kam report --labels``), translated where written; the
# column ids stay the headers of CSV and JSON, which scripts read.
HEADERS = {
    "client_code": N_("Client code"),
    "manager_code": N_("Manager code"),
    "name": N_("Name"),
    "outstanding": N_("Outstanding"),
    "not_due": N_("Not due"),
    "d1_30": N_("1–30 days"),
    "d31_60": N_("31–60 days"),
    "d61_90": N_("61–90 days"),
    "d90_plus": N_("Over 90 days"),
    "overdue": N_("Overdue"),
    "credit_limit": N_("Credit limit"),
    "credit_use_pct": N_("Limit used, %"),
    "over_limit": N_("Over limit"),
    "revenue": N_("Revenue"),
    "share": N_("Share, %"),
    "cumulative_share": N_("Cumulative share, %"),
    "abc_class": N_("ABC"),
    "xyz_class": N_("XYZ"),
    "revenue_12m": N_("Revenue, 12 months"),
    "revenue_prev_12m": N_("Revenue, previous 12 months"),
    "last_purchase": N_("Last purchase"),
    "silent": N_("Silent"),
    "open_claims": N_("Open claims"),
    "month": N_("Month"),
    "gross": N_("Gross sales"),
    "returns": N_("Returns"),
    "net": N_("Net sales"),
    "metric": N_("Metric"),
    "plan": N_("Plan"),
    "fact": N_("Fact"),
    "fulfilment_pct": N_("Fulfilment, %"),
    "forecast": N_("Forecast"),
    "forecast_low": N_("Forecast, low"),
    "forecast_high": N_("Forecast, high"),
    "forecast_pct": N_("Forecast to plan, %"),
    "gap": N_("Gap"),
    "required_daily_rate": N_("Needed a day"),
    "still_needed": N_("Still needed"),
    "last_year_fact": N_("Last year"),
}


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its column ids replaced by headers in the current language."""
    return frame.rename(columns={c: t(HEADERS[c]) for c in frame.columns if c in HEADERS})


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
        raise ValueError(Msg("unknown manager {code}", code=repr(code)))
    return found


def client_id(session: Session, code: str) -> int:
    """The id of the client with ``code``; ValueError naming the code when there is none."""
    found = session.execute(select(Client.id).where(Client.code == code)).scalar()
    if found is None:
        raise ValueError(Msg("unknown client {code}", code=repr(code)))
    return found


def plan_report(session: Session, *, viewer: Viewer, scope: Scope) -> pd.DataFrame:
    """The plan scorecard of the period (default: the as-of month), cut at the as-of day."""
    if scope.client_id is not None:
        raise ValueError(Msg("the plan report is per manager: --client does not apply"))
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
        raise ValueError(
            Msg(
                "unknown report {name}: expected one of {names}",
                name=repr(name),
                names=", ".join(REPORTS),
            )
        )
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
        export.write_csv(frame, out)
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
        raise ValueError(
            Msg(
                "unknown format {fmt}: expected one of {formats}",
                fmt=repr(fmt),
                formats=", ".join(FORMATS),
            )
        )


def _json(value: object) -> object:
    # A missing value (pandas writes NaN or NA for it) is JSON's null: NaN is not JSON.
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return None
    # JSON has one number type; two-decimal money survives a float exactly as written.
    return float(value) if isinstance(value, Decimal) else value
