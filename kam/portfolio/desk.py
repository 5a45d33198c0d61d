"""My desk: what needs the manager's attention today, most urgent first."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from kam import portfolio, receivables, sales
from kam.activities.claims import is_late
from kam.core import config, periods
from kam.core.access import Viewer
from kam.core.models import Claim, Client, Manager, Visit
from kam.core.money import ZERO
from kam.portfolio import clients

# The order of the attention list: money first, then relationships, then the week's work.
KINDS = (
    "overdue",
    "over_limit",
    "silent",
    "contract",
    "claim",
    "planned",
    "next_step",
)
COLUMNS = [
    "kind",
    "client_code",
    "client_name",
    "manager_code",
    "amount",
    "day",
    "days",
    "detail",
]


def attention(
    session: Session, *, viewer: Viewer, today: dt.date, manager_id: int | None = None
) -> pd.DataFrame:
    """Everything to act on, one row per item (columns COLUMNS), ordered by KINDS, then urgency.

    ``days`` means: days past due (overdue), days silent, days left (contract), days open
    (claim), days late (planned contact or next step; 0 = today, negative = later this week).
    """
    scope = {"viewer": viewer, "manager_id": manager_id}
    names = _names(session, viewer=viewer, manager_id=manager_id)
    # The slow part, read once for the two money sections.
    debt = receivables.client_receivables(
        session, viewer=viewer, as_of=today, manager_id=manager_id
    )
    parts = [
        _overdue(session, today, names, debt, viewer=viewer),
        _over_limit(names, debt),
        _silent(session, today, names, **scope),
        _contracts(session, today, **scope),
        _claims(session, today, **scope),
        _planned(session, today, **scope),
        _next_steps(session, today, **scope),
    ]
    found = [p for p in parts if not p.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=COLUMNS)


def _names(session: Session, *, viewer: Viewer, manager_id: int | None) -> pd.DataFrame:
    """Name and manager code of every client in scope, by client_id."""
    query = (
        select(Client.id, Client.name, Manager.code)
        .join(Manager, Manager.id == Client.manager_id)
        .where(viewer.client_condition())
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    return pd.DataFrame(
        session.execute(query).all(),
        columns=["client_id", "client_name", "manager_code"],
    ).set_index("client_id")


def _frame(kind: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([(kind, *r) for r in rows], columns=COLUMNS)


def _overdue(session, today, names, debt, *, viewer) -> pd.DataFrame:  # noqa: ANN001
    debt = debt[debt["overdue"] > 0]
    if debt.empty:
        return pd.DataFrame(columns=COLUMNS)
    invoices = receivables.open_invoices(session, viewer=viewer, as_of=today)
    oldest = invoices.groupby("client_code")["days_past_due"].max()
    rows = [
        (r.client_code, names.at[r.client_id, "client_name"], r.manager_code, r.overdue, None,
         int(oldest.get(r.client_code, 0)), None)
        for r in debt.itertuples()
    ]  # fmt: skip
    frame = _frame("overdue", rows)
    # Largest first; among equal amounts the oldest debt first.
    return frame.sort_values(["amount", "days"], ascending=[False, False], kind="stable")


def _over_limit(names, debt) -> pd.DataFrame:  # noqa: ANN001
    debt = debt.loc[debt["over_limit"].astype(bool)].sort_values("credit_use_pct", ascending=False)
    rows = [
        (r.client_code, names.at[r.client_id, "client_name"], r.manager_code,
         r.outstanding - r.credit_limit, None, None, r.credit_use_pct)
        for r in debt.itertuples()
    ]  # fmt: skip
    return _frame("over_limit", rows)


def _silent(session, today, names, *, viewer, manager_id) -> pd.DataFrame:  # noqa: ANN001
    # The Clients page's list, never a filtered copy: portfolio.silent_clients already leaves
    # out lost clients (METRICS.md, "Silent client"), so both pages count the same clients.
    quiet = portfolio.silent_clients(session, viewer=viewer, as_of=today, manager_id=manager_id)
    quiet = quiet.loc[quiet["silent"].astype(bool)]
    start, end = periods.last_12_months(today)
    revenue = sales.revenue_by_client(session, viewer=viewer, start=start, end=end)
    quiet = quiet.assign(revenue=[revenue.get(c, ZERO) for c in quiet["client_id"]])
    quiet = quiet.sort_values(["revenue", "days_since"], ascending=[False, False], kind="stable")
    rows = [
        (r.client_code, names.at[r.client_id, "client_name"], names.at[r.client_id, "manager_code"], r.revenue,
         r.last_purchase, int(r.days_since), r.median_interval)
        for r in quiet.itertuples()
    ]  # fmt: skip
    return _frame("silent", rows)


def _contracts(session, today, *, viewer, manager_id) -> pd.DataFrame:  # noqa: ANN001
    ending = clients.expiring_contracts(
        session,
        viewer=viewer,
        as_of=today,
        within_days=config.settings().contract_alert_days,
        manager_id=manager_id,
    )
    rows = [
        (
            r.client_code,
            r.name,
            r.manager_code,
            None,
            r.contract_end,
            int(r.days_left),
            r.contract_no,
        )
        for r in ending.itertuples()
    ]
    return _frame("contract", rows)


def _claims(session, today, *, viewer, manager_id) -> pd.DataFrame:  # noqa: ANN001
    query = (
        select(Client.code, Client.name, Manager.code, Claim.amount, Claim.opened_on, Claim.kind)
        .join(Client, Client.id == Claim.client_id)
        .join(Manager, Manager.id == Claim.manager_id)
        .where(is_late(Claim, today), viewer.client_condition())
        .order_by(Claim.opened_on, Client.code)
    )
    if manager_id is not None:
        query = query.where(Client.manager_id == manager_id)
    rows = [
        (
            code,
            name,
            mcode,
            amount,
            sales.as_date(opened),
            (today - sales.as_date(opened)).days,
            kind,
        )
        for code, name, mcode, amount, opened, kind in session.execute(query)
    ]
    return _frame("claim", rows)


def _planned(session, today, *, viewer, manager_id) -> pd.DataFrame:  # noqa: ANN001
    week_end = periods.sunday_of(today)
    query = (
        select(Client.code, Client.name, Manager.code, Visit.planned_for, Visit.kind)
        .join(Client, Client.id == Visit.client_id)
        .join(Manager, Manager.id == Visit.manager_id)
        .where(Visit.status == "planned", Visit.planned_for <= week_end, viewer.client_condition())
        .order_by(Visit.planned_for, Client.code)
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    rows = [
        (code, name, mcode, None, sales.as_date(day), (today - sales.as_date(day)).days, kind)
        for code, name, mcode, day, kind in session.execute(query)
    ]
    return _frame("planned", rows)


def _next_steps(session, today, *, viewer, manager_id) -> pd.DataFrame:  # noqa: ANN001
    later = aliased(Visit)
    # A next step is still open while no contact with the client was done after the one that set it.
    followed = exists().where(
        later.client_id == Visit.client_id,
        later.status == "done",
        later.done_at > Visit.done_at,
    )
    query = (
        select(Client.code, Client.name, Manager.code, Visit.next_step_date, Visit.next_step)
        .join(Client, Client.id == Visit.client_id)
        .join(Manager, Manager.id == Visit.manager_id)
        .where(
            Visit.status == "done",
            and_(Visit.next_step_date.is_not(None), Visit.next_step_date < today),
            ~followed,
            viewer.client_condition(),
        )
        .order_by(Visit.next_step_date, Client.code)
    )
    if manager_id is not None:
        query = query.where(Visit.manager_id == manager_id)
    rows = [
        (code, name, mcode, None, sales.as_date(day), (today - sales.as_date(day)).days, step)
        for code, name, mcode, day, step in session.execute(query)
    ]
    return _frame("next_step", rows)
