"""The weekly review: every figure of one week's meeting, for the slides and the PDF pack.

A review week runs Monday to Sunday; it is seen on its **review date**, the week's last working
day (today while the week is still running). "Since last week" compares the data as of the
review date with the data as of seven days before it: the window is the seven days
``review_date - 6 .. review_date``. Each figure comes from the kam function that owns it
(scorecard, receivables, silent clients, claim log, competitor notes, week grid, coverage);
this module only picks, compares and lines them up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam import plans, portfolio, receivables, sales
from kam.activities import claims, competitors, visits
from kam.core import config, periods
from kam.core.access import Viewer
from kam.core.models import Client, Manager
from kam.portfolio import managers

CLIENT_COLUMNS = ["client_id", "client_code", "client_name", "manager_code"]
INVOICE_CHANGE_COLUMNS = [
    "client_code",
    "client_name",
    "manager_code",
    "invoice_no",
    "due_date",
    "unpaid",
    "days_past_due",
]
BUCKET_CHANGE_COLUMNS = ["bucket", "then", "now"]
OVER_LIMIT_COLUMNS = [*CLIENT_COLUMNS, "outstanding", "credit_limit", "credit_use_pct"]
SILENT_CHANGE_COLUMNS = [*CLIENT_COLUMNS, "last_purchase", "days_since"]
CLAIM_CHANGE_COLUMNS = [
    "claim_id",
    "client_code",
    "client_name",
    "manager_code",
    "kind",
    "status",
    "amount",
    "opened_on",
    "closed_on",
    "justified",
]
GAP_COLUMNS = ["manager_id", "manager_code", "metric", "plan", "gap_then", "gap_now"]
MOVER_COLUMNS = [*CLIENT_COLUMNS, "revenue", "last_year", "change", "change_pct"]
MARKET_COLUMNS = [
    "competitor",
    "notes",
    "priced_notes",
    "avg_gap_pct",
    "min_gap_pct",
    "max_gap_pct",
    "latest",
]
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
# Days past due on the review date of an invoice that crossed a bucket's lower edge in the week.
CROSSED = {"new_overdue": (1, 7), "d61_90": (61, 67), "d90_plus": (91, 97)}


@dataclass(frozen=True)
class ReviewWeek:
    """The week under review and the day its figures are seen on."""

    monday: dt.date
    review_date: dt.date

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def week_before(self) -> dt.date:
        """The day "last week" is seen on: seven days before the review date."""
        return self.review_date - dt.timedelta(days=7)

    @property
    def window_start(self) -> dt.date:
        """First day of the seven days "since last week" (the review date is the last)."""
        return self.review_date - dt.timedelta(days=6)

    @property
    def month(self) -> periods.Period:
        """The month whose plans the review looks at: the review date's."""
        return periods.month_of(self.review_date)

    @property
    def next_monday(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def review_week(day: dt.date, today: dt.date) -> ReviewWeek:
    """The week containing ``day`` (a later week than today's becomes today's), seen on its last
    working day, or today when that is earlier (a week without working days: its Sunday)."""
    monday = visits.week_of(min(day, today))[0]
    days = visits.week_of(monday)
    working = [d for d in days if periods.is_working_day(d)]
    last = working[-1] if working else days[-1]
    return ReviewWeek(monday=monday, review_date=min(last, today))


def recent_weeks(today: dt.date, count: int = 12) -> list[dt.date]:
    """The Mondays of the ``count`` weeks up to today's, newest first."""
    this = visits.week_of(today)[0]
    return [this - dt.timedelta(days=7 * i) for i in range(count)]


# --- Who is reviewed ---------------------------------------------------------------------


def review_managers(
    session: Session, *, viewer: Viewer, manager_id: int | None = None
) -> pd.DataFrame:
    """The KAMs with a slide (manager_id, code, name, role), by code: the chosen one or all."""
    team = managers.managers(session, viewer=viewer).sort_values("code").reset_index(drop=True)
    if manager_id is not None:
        team = team[team["manager_id"] == manager_id].reset_index(drop=True)
    return team


def _clients(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Visible clients with code, name and manager code, indexed by client_id."""
    query = (
        select(Client.id, Client.code, Client.name, Manager.code)
        .join(Manager, Manager.id == Client.manager_id)
        .where(viewer.client_condition())
    )
    return pd.DataFrame(session.execute(query).all(), columns=CLIENT_COLUMNS).set_index(
        "client_id", drop=False
    )


def _with_names(rows: pd.DataFrame, names: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``rows`` (with client_id) joined to client code, name and manager code."""
    if rows.empty:
        return pd.DataFrame(columns=columns)
    extra = [c for c in CLIENT_COLUMNS if c != "client_id"]
    merged = rows.drop(columns=[c for c in extra if c in rows.columns]).merge(
        names[extra], left_on="client_id", right_index=True
    )
    return merged[columns].reset_index(drop=True)


# --- Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamPlan:
    """The team plan slide: the month's scorecard on the review date and the pacing."""

    scorecard: pd.DataFrame  # kam.plans.scorecard.SCORECARD_COLUMNS, managers and the team rows
    pacing: pd.DataFrame  # kam.plans.scorecard.PACING_COLUMNS
    names: dict[str, str]  # manager code → name, for the people in the scorecard


def team_plan(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> TeamPlan:
    """The month's three plans per manager and for the team, and the cumulative pacing."""
    card = plans.scorecard(
        session, viewer=viewer, period=week.month, as_of=week.review_date, manager_id=manager_id
    )
    pace = plans.pacing(
        session, viewer=viewer, period=week.month, as_of=week.review_date, manager_id=manager_id
    )
    people = managers.managers(session, viewer=viewer, roles=("kam", "head", "admin"))
    return TeamPlan(
        scorecard=card, pacing=pace, names=dict(zip(people["code"], people["name"], strict=True))
    )


def plan_gaps(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> pd.DataFrame:
    """Gap (plan − fact) of the review month's plans now and seven days before (GAP_COLUMNS).

    Both come from kam.plans.scorecard.scorecard for the same month; before the month began its fact is
    0, so the gap then is the whole plan.
    """
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
    over = _with_names(
        per_client[per_client["over_limit"]].sort_values("outstanding", ascending=False),
        _clients(session, viewer),
        OVER_LIMIT_COLUMNS,
    )
    card = plans.scorecard(
        session, viewer=viewer, period=week.month, as_of=week.review_date, manager_id=manager_id
    )
    gaps = plan_gaps(session, viewer=viewer, week=week, manager_id=manager_id)
    out = []
    for mid, code, name in zip(team["manager_id"], team["code"], team["name"], strict=True):
        mid = int(mid)
        summary = claims.claim_summary(
            session, viewer=viewer, as_of=week.review_date, manager_id=mid
        )
        grid = visits.week_grid(
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
                gaps=gaps[gaps["manager_id"] == mid].reset_index(drop=True),
                pacing=plans.pacing(
                    session, viewer=viewer, period=week.month, as_of=week.review_date,
                    manager_id=mid,
                ),
                outstanding=debt.at[mid, "outstanding"] if has_debt else sales.ZERO,
                overdue=debt.at[mid, "overdue"] if has_debt else sales.ZERO,
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


# --- What changed since last week ----------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What changed between seven days before the review date and the review date."""

    new_overdue: pd.DataFrame  # INVOICE_CHANGE_COLUMNS: not overdue then, overdue now
    into_61_90: pd.DataFrame  # INVOICE_CHANGE_COLUMNS: 31–60 days past due then, 61–90 now
    into_90_plus: pd.DataFrame  # INVOICE_CHANGE_COLUMNS: 61–90 then, over 90 now
    buckets: pd.DataFrame  # BUCKET_CHANGE_COLUMNS: overdue, d61_90, d90_plus then and now
    went_over_limit: pd.DataFrame  # OVER_LIMIT_COLUMNS: over the limit now, not then
    fell_silent: pd.DataFrame  # SILENT_CHANGE_COLUMNS: silent now, not then
    claims_opened: pd.DataFrame  # CLAIM_CHANGE_COLUMNS: opened in the seven days
    claims_closed: pd.DataFrame  # CLAIM_CHANGE_COLUMNS: resolved or rejected in the seven days
    gaps: pd.DataFrame  # GAP_COLUMNS: each manager and the team, three metrics

    @staticmethod
    def total(frame: pd.DataFrame, column: str) -> Decimal:
        """The sum of a money column of one of the lists (0 when empty)."""
        return sum(frame[column], sales.ZERO) if not frame.empty else sales.ZERO


def _crossed(invoices: pd.DataFrame, names: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Open invoices whose days past due on the review date lie in low..high, largest first."""
    picked = invoices[invoices["days_past_due"].between(low, high)]
    by_code = names.set_index("client_code")
    picked = picked[picked["client_code"].isin(by_code.index)]
    picked = picked.assign(
        client_name=[by_code.at[c, "client_name"] for c in picked["client_code"]],
        manager_code=[by_code.at[c, "manager_code"] for c in picked["client_code"]],
    )
    picked = picked.sort_values(["unpaid", "client_code"], ascending=[False, True])
    return picked[INVOICE_CHANGE_COLUMNS].reset_index(drop=True)


def _claims(listed: pd.DataFrame) -> pd.DataFrame:
    """kam.activities.claims.claim_list rows cut to CLAIM_CHANGE_COLUMNS."""
    return listed[CLAIM_CHANGE_COLUMNS].reset_index(drop=True)


def changes(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Changes:
    """The "what changed since last week" figures; with ``manager_id`` that KAM's clients (and
    the claims he or she handles) only."""
    now, then = week.review_date, week.week_before
    names = _clients(session, viewer)
    if manager_id is not None:
        own = session.execute(
            select(Manager.code).where(Manager.id == manager_id)
        ).scalar_one_or_none()
        names = names[names["manager_code"] == own]

    invoices = receivables.open_invoices(session, viewer=viewer, as_of=now)
    crossed = {k: _crossed(invoices, names, lo, hi) for k, (lo, hi) in CROSSED.items()}

    debt_now = receivables.client_receivables(
        session, viewer=viewer, as_of=now, manager_id=manager_id
    )
    debt_then = receivables.client_receivables(
        session, viewer=viewer, as_of=then, manager_id=manager_id
    )
    buckets = pd.DataFrame(
        [
            (b, Changes.total(debt_then, b), Changes.total(debt_now, b))
            for b in ("overdue", "d61_90", "d90_plus")
        ],
        columns=BUCKET_CHANGE_COLUMNS,
    )
    was_over = set(debt_then.loc[debt_then["over_limit"], "client_id"])
    went_over = debt_now[debt_now["over_limit"] & ~debt_now["client_id"].isin(was_over)]
    went_over = went_over.sort_values("outstanding", ascending=False)

    silent_now = portfolio.silent_clients(session, viewer=viewer, as_of=now, manager_id=manager_id)
    silent_then = portfolio.silent_clients(
        session, viewer=viewer, as_of=then, manager_id=manager_id
    )
    was_silent = set(silent_then.loc[silent_then["silent"], "client_id"])
    fell = silent_now[silent_now["silent"] & ~silent_now["client_id"].isin(was_silent)]
    fell = fell.sort_values(["days_since", "client_code"], ascending=[False, True])

    listed = {"viewer": viewer, "as_of": now, "manager_id": manager_id}
    opened = claims.claim_list(session, **listed, date_from=week.window_start, date_to=now)
    closed = claims.claim_list(
        session, **listed, statuses=claims.CLOSED, closed_from=week.window_start, closed_to=now
    )
    gaps = plan_gaps(session, viewer=viewer, week=week, manager_id=manager_id)
    return Changes(
        new_overdue=crossed["new_overdue"],
        into_61_90=crossed["d61_90"],
        into_90_plus=crossed["d90_plus"],
        buckets=buckets,
        went_over_limit=_with_names(went_over, names, OVER_LIMIT_COLUMNS),
        fell_silent=_with_names(fell, names, SILENT_CHANGE_COLUMNS),
        claims_opened=_claims(opened),
        claims_closed=_claims(closed),
        gaps=gaps,
    )


# --- Movers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movers:
    """Clients most above and most below last year's pace in the review month so far."""

    start: dt.date
    end: dt.date
    up: pd.DataFrame  # MOVER_COLUMNS, largest gain first
    down: pd.DataFrame  # MOVER_COLUMNS, largest loss first


def movers(
    session: Session,
    *,
    viewer: Viewer,
    week: ReviewWeek,
    manager_id: int | None = None,
    limit: int = 5,
) -> Movers:
    """Revenue of the review month up to the review date against the same days a year earlier
    (kam.sales.figures.span and last_year_span, as the plans' last year), per client; the ``limit``
    largest gains and losses. With ``manager_id`` only lines credited to that KAM count."""
    start, end = sales.span(week.month, week.review_date)
    ly_start, ly_end = sales.last_year_span(week.month, week.review_date)
    now = sales.revenue_by_client(
        session, viewer=viewer, start=start, end=end, manager_id=manager_id
    )
    before = sales.revenue_by_client(
        session, viewer=viewer, start=ly_start, end=ly_end, manager_id=manager_id
    )
    names = _clients(session, viewer)
    rows = []
    for cid in set(now) | set(before):
        value, last = now.get(cid, sales.ZERO), before.get(cid, sales.ZERO)
        change = value - last
        if change == 0 or cid not in names.index:
            continue
        pct = None if last <= 0 else float(change / last * 100)
        rows.append((cid, *names.loc[cid, CLIENT_COLUMNS[1:]], value, last, change, pct))
    table = pd.DataFrame(rows, columns=MOVER_COLUMNS)
    up = table[table["change"] > 0].sort_values(["change", "client_code"], ascending=[False, True])
    down = table[table["change"] < 0].sort_values(["change", "client_code"])
    return Movers(
        start=start,
        end=end,
        up=up.head(limit).reset_index(drop=True),
        down=down.head(limit).reset_index(drop=True),
    )


# --- Market -------------------------------------------------------------------------------


def market(session: Session, *, viewer: Viewer, week: ReviewWeek) -> pd.DataFrame:
    """Competitor notes of the seven days up to the review date, one row per competitor
    (MARKET_COLUMNS): how many notes, the price gaps of kam.activities.competitors.price_gaps and the
    latest note's text; most notes first."""
    span = {"date_from": week.window_start, "date_to": week.review_date}
    feed = competitors.notes_feed(session, viewer=viewer, **span)
    gaps = competitors.price_gaps(session, viewer=viewer, **span).set_index("competitor_id")
    rows = []
    for cid, notes in feed.groupby("competitor_id", sort=False):
        latest = notes.iloc[0]  # the feed is newest first
        text = latest["text"] or " ".join(
            str(v) for v in (latest["category"], latest["product"]) if v
        )
        has = cid in gaps.index
        rows.append(
            (
                latest["competitor"],
                len(notes),
                int(gaps.at[cid, "notes"]) if has else 0,
                gaps.at[cid, "avg_gap_pct"] if has else None,
                gaps.at[cid, "min_gap_pct"] if has else None,
                gaps.at[cid, "max_gap_pct"] if has else None,
                text or "",
            )
        )
    rows.sort(key=lambda r: (-r[1], competitors.name_key(r[0])))
    return pd.DataFrame(rows, columns=MARKET_COLUMNS)


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
    (kam.activities.visits.coverage); then the A clients past the target with nothing planned."""
    abc = portfolio.abc_xyz(session, viewer=viewer, as_of=week.review_date)
    classes = dict(zip(abc["client_id"], abc["abc_class"], strict=True))
    grid = visits.week_grid(
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
        cover = visits.coverage(
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
    names = _clients(session, viewer)
    unplanned = (
        pd.concat(missing, ignore_index=True) if missing else pd.DataFrame(columns=["client_id"])
    )
    return NextWeek(
        monday=week.next_monday,
        target_days=config.settings().coverage_days_a,
        per_manager=pd.DataFrame(rows, columns=NEXT_WEEK_COLUMNS),
        unplanned=_with_names(unplanned, names, UNPLANNED_COLUMNS),
    )


# --- The whole review ---------------------------------------------------------------------

SLIDE_KINDS = ("team", "manager", "changes", "movers", "market", "next_week")


@dataclass(frozen=True)
class Slide:
    """One slide of the review: its kind and, for a manager slide, whose."""

    kind: str
    manager_id: int | None = None


def slides(team: pd.DataFrame) -> list[Slide]:
    """The slides in meeting order: team plan, one per KAM in ``team``, what changed, movers,
    market, next week."""
    per_manager = [Slide("manager", int(mid)) for mid in team["manager_id"]]
    return [Slide("team"), *per_manager, Slide("changes"), Slide("movers"), Slide("market"),
            Slide("next_week")]  # fmt: skip


@dataclass(frozen=True)
class Review:
    """Everything the review shows, read in one session (the PDF pack)."""

    week: ReviewWeek
    manager_id: int | None
    team: TeamPlan
    managers: list[ManagerReview]
    changes: Changes
    movers: Movers
    market: pd.DataFrame
    next_week: NextWeek


def assemble(
    read: Callable[..., Any], *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Review:
    """All figures of the review for ``week``, each function of this module run through
    ``read(fn, **kwargs)``: a session, or the page's cache so the pack reuses its slides."""
    scope = {"viewer": viewer, "week": week}
    return Review(
        week=week,
        manager_id=manager_id,
        team=read(team_plan, **scope),
        managers=read(manager_reviews, **scope, manager_id=manager_id),
        changes=read(changes, **scope, manager_id=manager_id),
        movers=read(movers, **scope, manager_id=manager_id),
        market=read(market, **scope),
        next_week=read(next_week, **scope, manager_id=manager_id),
    )


def review(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Review:
    """All figures of the review for ``week``; with ``manager_id`` one KAM's."""
    return assemble(
        lambda fn, **kwargs: fn(session, **kwargs),
        viewer=viewer, week=week, manager_id=manager_id,
    )  # fmt: skip
