"""The weekly review's change figures: what changed since last week, the clients moving most
against last year, and the market as the competitor notes saw it.

Each figure comes from the kam function that owns it (receivables, silent clients, claim log,
sales, competitor notes); this module only picks, compares and lines them up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam import portfolio, receivables, sales
from kam.activities import claim_figures, claims, competitor_feed, competitors
from kam.core.access import Viewer
from kam.core.models import Manager
from kam.core.money import ZERO
from kam.review.plan_figures import OVER_LIMIT_COLUMNS, plan_gaps
from kam.review.scope import CLIENT_COLUMNS, ReviewWeek, visible_clients, with_names

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
# Days past due on the review date of an invoice that crossed a bucket's lower edge in the week.
CROSSED = {"new_overdue": (1, 7), "d61_90": (61, 67), "d90_plus": (91, 97)}


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
        return sum(frame[column], ZERO) if not frame.empty else ZERO


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
    """kam.activities.claim_figures.claim_list rows cut to CLAIM_CHANGE_COLUMNS."""
    return listed[CLAIM_CHANGE_COLUMNS].reset_index(drop=True)


def changes(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Changes:
    """The "what changed since last week" figures; with ``manager_id`` that KAM's clients (and
    the claims he or she handles) only."""
    now, then = week.review_date, week.week_before
    names = visible_clients(session, viewer)
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
    opened = claim_figures.claim_list(session, **listed, date_from=week.window_start, date_to=now)
    closed = claim_figures.claim_list(
        session, **listed, statuses=claims.CLOSED, closed_from=week.window_start, closed_to=now
    )
    gaps = plan_gaps(session, viewer=viewer, week=week, manager_id=manager_id)
    return Changes(
        new_overdue=crossed["new_overdue"],
        into_61_90=crossed["d61_90"],
        into_90_plus=crossed["d90_plus"],
        buckets=buckets,
        went_over_limit=with_names(went_over, names, OVER_LIMIT_COLUMNS),
        fell_silent=with_names(fell, names, SILENT_CHANGE_COLUMNS),
        claims_opened=_claims(opened),
        claims_closed=_claims(closed),
        gaps=gaps,
    )


# --- Movers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movers:
    """Clients most above and most below last year over the movers window
    (kam.review.scope.ReviewWeek.movers_window: four full weeks against the same weeks a year
    before)."""

    start: dt.date
    end: dt.date
    last_year_start: dt.date
    last_year_end: dt.date
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
    """Revenue of the last four full weeks up to the review date against the same weeks 52 weeks
    earlier (ReviewWeek.movers_window), per client; the ``limit`` largest gains and losses. With
    ``manager_id`` only lines credited to that KAM count."""
    start, end = week.movers_window
    ly_start, ly_end = week.movers_window_year_before
    now = sales.revenue_by_client(
        session, viewer=viewer, start=start, end=end, manager_id=manager_id
    )
    before = sales.revenue_by_client(
        session, viewer=viewer, start=ly_start, end=ly_end, manager_id=manager_id
    )
    names = visible_clients(session, viewer)
    rows = []
    for cid in set(now) | set(before):
        value, last = now.get(cid, ZERO), before.get(cid, ZERO)
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
        last_year_start=ly_start,
        last_year_end=ly_end,
        up=up.head(limit).reset_index(drop=True),
        down=down.head(limit).reset_index(drop=True),
    )


# --- Market -------------------------------------------------------------------------------


def market(session: Session, *, viewer: Viewer, week: ReviewWeek) -> pd.DataFrame:
    """Competitor notes of the seven days up to the review date, one row per competitor
    (MARKET_COLUMNS): how many notes, the price gaps of kam.activities.competitor_feed.price_gaps and the
    latest note's text; most notes first."""
    span = {"date_from": week.window_start, "date_to": week.review_date}
    feed = competitor_feed.notes_feed(session, viewer=viewer, **span)
    gaps = competitor_feed.price_gaps(session, viewer=viewer, **span).set_index("competitor_id")
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
