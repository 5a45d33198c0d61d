"""The weekly review's plan figures: the team plan, the plan gaps a week apart, each KAM's own
slide and the contacts planned for next week.

Each figure comes from the kam function that owns it (scorecard, pacing, receivables, claim
log, week grid, coverage); this module only picks, compares and lines them up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam import plans, portfolio, receivables
from kam.activities import claim_figures, weekly_plan
from kam.core import config
from kam.core.access import Viewer
from kam.core.models import Client
from kam.core.money import ZERO
from kam.portfolio import managers
from kam.review.scope import (
    CLIENT_COLUMNS,
    ReviewWeek,
    review_managers,
    visible_clients,
    with_names,
)

GAP_COLUMNS = ["manager_id", "manager_code", "metric", "plan", "gap_then", "gap_now"]
OVER_LIMIT_COLUMNS = [*CLIENT_COLUMNS, "outstanding", "credit_limit", "credit_use_pct"]
NEXT_WEEK_COLUMNS = [
    "manager_id",
    "manager_code",
    "manager_name",
    "planned",
    "a_clients",
    "a_planned",
    "a_unplanned",
    "a_covered_pct",
]
UNPLANNED_COLUMNS = [*CLIENT_COLUMNS, "last_contact", "days_since"]


# --- Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamPlan:
    """The first slide: the month's scorecard on the review date and the pacing; the team's for
    those who see all, a KAM's own for a KAM (``own`` names him or her)."""

    scorecard: pd.DataFrame  # kam.plans.scorecard.SCORECARD_COLUMNS, managers and the team rows
    pacing: pd.DataFrame  # kam.plans.fulfilment.PACING_COLUMNS
    names: dict[str, str]  # manager code → name, for the people in the scorecard
    # The month just closed (ReviewWeek.closed_month), final: the same rows; None when not shown.
    closed: pd.DataFrame | None = None
    own: str | None = None  # the KAM's name when the slide is his or her own plan


def closed_scorecard(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> pd.DataFrame | None:
    """The final scorecard of the month just closed (the whole month: forecast = fact), or None
    while the review shows no closed month (kam.review.scope.ReviewWeek.closed_month)."""
    month = week.closed_month
    if month is None:
        return None
    return plans.scorecard(session, viewer=viewer, period=month, manager_id=manager_id)


def team_plan(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> TeamPlan:
    """The month's three plans per manager and for the team, and the cumulative pacing. A KAM
    gets his or her own plan only: own rows, no team totals, own pacing."""
    own = None if viewer.sees_all else viewer.manager_id
    at = {"viewer": viewer, "manager_id": manager_id if own is None else own}
    card = plans.scorecard(session, period=week.month, as_of=week.review_date, **at)
    pace = plans.pacing(session, period=week.month, as_of=week.review_date, **at)
    people = managers.managers(session, viewer=viewer, roles=("kam", "head", "admin"))
    names = dict(zip(people["code"], people["name"], strict=True))
    own_name = None
    if own is not None:
        mine = people[people["manager_id"] == own]
        own_name = str(mine["name"].iloc[0]) if not mine.empty else viewer.name
    return TeamPlan(
        scorecard=card,
        pacing=pace,
        names=names,
        closed=closed_scorecard(session, week=week, **at),
        own=own_name,
    )


def plan_gaps(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> pd.DataFrame:
    """Gap (plan − fact) of the review month's plans now and seven days before (GAP_COLUMNS).

    Both come from kam.plans.scorecard.scorecard for the same month, the review month: its plan
    minus its fact as of each day. Before the month began its fact is 0, so the gap then is the
    whole plan (ReviewWeek.new_month: the slides say "new month", not a change). A KAM gets his
    or her own rows only, as on the first slide, not the team totals.
    """
    if not viewer.sees_all:
        manager_id = viewer.manager_id
    now = plans.scorecard(
        session, viewer=viewer, period=week.month, as_of=week.review_date, manager_id=manager_id
    )
    then = plans.scorecard(
        session, viewer=viewer, period=week.month, as_of=week.week_before, manager_id=manager_id
    )
    before = {(r.manager_code, r.metric): r.gap for r in then.itertuples()}
    rows = [
        (r.manager_id, r.manager_code, r.metric, r.plan, before.get((r.manager_code, r.metric)), r.gap)
        for r in now.itertuples()
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    out["manager_id"] = out["manager_id"].astype("Int64")
    return out


# --- One manager ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ManagerReview:
    """One KAM's slide: plans, gap movement, debt, claims and last week's contacts."""

    manager_id: int
    code: str
    name: str
    scorecard: pd.DataFrame  # the manager's three rows (SCORECARD_COLUMNS)
    closed: pd.DataFrame | None  # the month just closed, final (same rows), or None
    gaps: pd.DataFrame  # GAP_COLUMNS, the manager's three rows
    pacing: pd.DataFrame  # PACING_COLUMNS
    outstanding: Decimal
    overdue: Decimal
    over_limit_clients: int
    over_limit: pd.DataFrame  # OVER_LIMIT_COLUMNS, the clients over their limit now
    open_claims: int
    open_claims_amount: Decimal
    contacts_done: int  # done in the reviewed week (planned or not)
    contacts_planned: int  # planned for a day of the week, whatever became of them
    planned_done: int  # of those planned, done


def manager_reviews(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> list[ManagerReview]:
    """The figures of each KAM's slide on the review date (the chosen one or all, by code).

    The receivables are read once for all of them: they are the slow part.
    """
    team = review_managers(session, viewer=viewer, manager_id=manager_id)
    if team.empty:
        return []
    at = {"viewer": viewer, "as_of": week.review_date, "manager_id": manager_id}
    per_client = receivables.client_receivables(session, **at)
    debt = receivables.manager_totals(per_client).set_index("manager_id")
    over = with_names(
        per_client[per_client["over_limit"]].sort_values("outstanding", ascending=False),
        visible_clients(session, viewer),
        OVER_LIMIT_COLUMNS,
    )
    card = plans.scorecard(
        session, viewer=viewer, period=week.month, as_of=week.review_date, manager_id=manager_id
    )
    gaps = plan_gaps(session, viewer=viewer, week=week, manager_id=manager_id)
    closed = closed_scorecard(session, viewer=viewer, week=week, manager_id=manager_id)
    out = []
    for mid, code, name in zip(team["manager_id"], team["code"], team["name"], strict=True):
        mid = int(mid)
        summary = claim_figures.claim_summary(
            session, viewer=viewer, as_of=week.review_date, manager_id=mid
        )
        grid = weekly_plan.week_grid(
            session, viewer=viewer, week_start=week.monday, manager_id=mid, today=week.review_date
        )
        planned = grid[grid["planned_for"].notna()]
        has_debt = mid in debt.index
        out.append(
            ManagerReview(
                manager_id=mid,
                code=str(code),
                name=str(name),
                scorecard=card[card["manager_id"] == mid].reset_index(drop=True),
                closed=None if closed is None
                else closed[closed["manager_id"] == mid].reset_index(drop=True),
                gaps=gaps[gaps["manager_id"] == mid].reset_index(drop=True),
                pacing=plans.pacing(
                    session, viewer=viewer, period=week.month, as_of=week.review_date,
                    manager_id=mid,
                ),
                outstanding=debt.at[mid, "outstanding"] if has_debt else ZERO,
                overdue=debt.at[mid, "overdue"] if has_debt else ZERO,
                over_limit_clients=int(debt.at[mid, "over_limit_clients"]) if has_debt else 0,
                over_limit=over[over["manager_code"] == code].reset_index(drop=True),
                open_claims=summary.open,
                open_claims_amount=summary.open_amount,
                contacts_done=int((grid["status"] == "done").sum()),
                contacts_planned=len(planned),
                planned_done=int((planned["status"] == "done").sum()),
            )
        )  # fmt: skip
    return out


# --- Next week ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NextWeek:
    """Contacts planned for the week after the reviewed one, against the A-client target."""

    monday: dt.date
    target_days: int  # an A client should be contacted at least this often
    per_manager: pd.DataFrame  # NEXT_WEEK_COLUMNS
    unplanned: pd.DataFrame  # UNPLANNED_COLUMNS: A clients past the target, nothing planned


def next_week(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> NextWeek:
    """Per KAM: contacts planned next week, A clients (not lost), how many have a contact
    planned, how many not, and the coverage share of A on the review date
    (kam.activities.weekly_plan.coverage); then the A clients past the target with nothing planned."""
    abc = portfolio.abc_xyz(session, viewer=viewer, as_of=week.review_date)
    classes = dict(zip(abc["client_id"], abc["abc_class"], strict=True))
    grid = weekly_plan.week_grid(
        session, viewer=viewer, week_start=week.next_monday, manager_id=manager_id,
        today=week.review_date,
    )  # fmt: skip
    planned = grid[grid["status"] == "planned"]
    planned_clients = set(planned["client_id"])
    a_clients = pd.DataFrame(
        session.execute(
            select(Client.id, Client.manager_id).where(
                viewer.client_condition(), Client.status != "lost"
            )
        ).all(),
        columns=["client_id", "manager_id"],
    )
    a_clients = a_clients[a_clients["client_id"].map(classes) == "A"]
    rows, missing = [], []
    team = review_managers(session, viewer=viewer, manager_id=manager_id)
    for mid, code, name in zip(team["manager_id"], team["code"], team["name"], strict=True):
        mine = set(a_clients.loc[a_clients["manager_id"] == mid, "client_id"])
        cover = weekly_plan.coverage(
            session, viewer=viewer, as_of=week.review_date, manager_id=mid, classes=classes
        )
        share = cover.summary.set_index("abc_class").at["A", "share_pct"]
        rows.append(
            (
                mid, code, name,
                int((planned["manager_id"] == mid).sum()),
                len(mine),
                len(mine & planned_clients),
                len(mine - planned_clients),
                None if share is None or pd.isna(share) else float(share),
            )
        )  # fmt: skip
        late = cover.not_contacted[cover.not_contacted["abc_class"] == "A"]
        missing.append(late[~late["client_id"].isin(planned_clients)])
    names = visible_clients(session, viewer)
    unplanned = (
        pd.concat(missing, ignore_index=True) if missing else pd.DataFrame(columns=["client_id"])
    )
    return NextWeek(
        monday=week.next_monday,
        target_days=config.settings().coverage_days_a,
        per_manager=pd.DataFrame(rows, columns=NEXT_WEEK_COLUMNS),
        unplanned=with_names(unplanned, names, UNPLANNED_COLUMNS),
    )
