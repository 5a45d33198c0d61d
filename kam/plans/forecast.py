"""Forecasts to period end with a likely range, one method per plan metric (docs/METRICS.md,
"Plans"): active clients from each client's own buying history, new clients from the recent
rate of first purchases, revenue from this period's pace blended with the recent pace. The
likely range is learned from the back-test's errors (kam.plans.bands) once it has run."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core import formatting as fmt
from kam.core.access import Viewer
from kam.core.models import Client, FirstSale, SalesDay, SalesMonth
from kam.core.money import HALF_CENT
from kam.core.periods import Period, add_months, month_of, working_days
from kam.plans import bands

HISTORY_MONTHS = 12  # the window a client's buying frequency is read from
RECENT_MONTHS = 3  # the window the recent pace of revenue and of first purchases is read from
PRIOR_MONTHS = 3  # weight, in months of history, of the portfolio's average frequency
Z80 = 1.2816  # the 10th and 90th percentiles of a normal distribution: an 80 % range
# Before a back-test has stored its bands, the models' own spreads give the range; they are too
# narrow (clients do not buy independently of each other, months are not alike), so widened.
ACTIVE_RANGE_SCALE = 1.4
REVENUE_RANGE_SCALE = 2.0


@dataclass(frozen=True)
class Forecast:
    """A forecast to period end, its likely (80 %) range and the most it can be (None: no
    limit)."""

    value: Decimal
    low: Decimal
    high: Decimal
    cap: Decimal | None = None


@dataclass(frozen=True)
class Window:
    """Whole months before a period: first day, last day and their working days."""

    start: dt.date
    end: dt.date
    days: int


def window(period: Period, months: int) -> Window:
    """The ``months`` whole months just before the period."""
    start = add_months(period.start, -months)
    end = period.start - dt.timedelta(days=1)
    return Window(start, end, working_days(start, end))


def months_in(period: Period) -> int:
    """Calendar months in the period (1, 3 or 12)."""
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


# ---- active clients -------------------------------------------------------------------------


def buying_chance(q: float, months_left: float) -> float:
    """The chance a client buying in a share ``q`` of months buys within ``months_left`` months,
    purchases taken as a steady (Poisson) flow: 1 − (1 − q) ** months_left."""
    if months_left <= 0:
        return 0.0
    if q >= 1:
        return 1.0
    return 1 - (1 - q) ** months_left


def shrunk_frequency(bought: int, months: int, average: float) -> float:
    """(k + m·p̄) / (n + m): the client's share of months with a purchase, pulled towards the
    portfolio's average ``average`` when its history is short."""
    return (bought + PRIOR_MONTHS * average) / (months + PRIOR_MONTHS)


def client_histories(
    session: Session, *, viewer: Viewer, period: Period
) -> dict[int, tuple[int, int, int]]:
    """Client id → (owning manager, months bought, months of history) over the 12 whole months
    before the period, for the clients the viewer may see; history starts at the first purchase
    (a client that never bought has the whole window)."""
    win = window(period, HISTORY_MONTHS)
    bought_months = (
        select(SalesMonth.client_id, SalesMonth.month)
        .where(SalesMonth.month.between(win.start, win.end))
        .group_by(SalesMonth.client_id, SalesMonth.month)
        .having(func.sum(SalesMonth.amount) > HALF_CENT)
        .subquery()
    )
    counts = (
        select(bought_months.c.client_id, func.count().label("k"))
        .group_by(bought_months.c.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.manager_id, counts.c.k, FirstSale.doc_date)
        .outerjoin(counts, counts.c.client_id == Client.id)
        .outerjoin(FirstSale, FirstSale.client_id == Client.id)
        .where(Client.status == "active")
    )
    if not viewer.sees_all:
        query = query.where(viewer.client_condition())
    out = {}
    for cid, mid, k, first in session.execute(query):
        if first is not None and first > win.end:
            continue  # first bought in this period: new, no history to read yet
        n = HISTORY_MONTHS
        if first is not None and first >= win.start:
            n = (win.end.year - first.year) * 12 + win.end.month - first.month + 1
        out[cid] = (mid, int(k or 0), n)
    return out


def active_clients(
    *,
    fact: Decimal,
    already_active: set[int],
    portfolio: dict[int, tuple[int, int]],
    could_sell_to: int,
    months_left: float,
) -> Forecast:
    """Clients active so far plus, for each client of ``portfolio`` (id → (months bought, months
    of history)) not yet active, its chance to buy before the period ends; the range is the
    mean ± 1.4 × 1.28 standard deviations of that sum, within [fact, could_sell_to]."""
    waiting = [v for cid, v in portfolio.items() if cid not in already_active]
    history = sum(n for _, n in portfolio.values())
    average = sum(k for k, _ in portfolio.values()) / history if history else 0.0
    chances = [buying_chance(shrunk_frequency(k, n, average), months_left) for k, n in waiting]
    expected = sum(chances)
    spread = ACTIVE_RANGE_SCALE * Z80 * math.sqrt(sum(p * (1 - p) for p in chances))
    cap = Decimal(max(could_sell_to, int(fact)))
    value = min(fact + _dec(expected), cap)
    low = max(fact, min(fact + _dec(expected - spread), cap))
    high = min(fact + _dec(expected + spread), cap)
    return Forecast(value, low, max(high, value), cap)


# ---- new clients ----------------------------------------------------------------------------


def poisson_quantile(mean: float, share: float) -> int:
    """The smallest n with P(N ≤ n) ≥ ``share`` for N ~ Poisson(``mean``)."""
    if mean <= 0:
        return 0
    n, term = 0, math.exp(-mean)
    total = term
    while total < share:
        n += 1
        term *= mean / n
        total += term
    return n


def new_clients(*, fact: Decimal, recent: int, recent_days: int, remaining: int) -> Forecast:
    """New so far plus the recent rate of first purchases (``recent`` over ``recent_days``
    working days) × remaining working days; range from a Poisson count of those still to come."""
    expected = recent / recent_days * remaining if recent_days else 0.0
    return Forecast(
        fact + _dec(expected),
        fact + poisson_quantile(expected, 0.1),
        fact + poisson_quantile(expected, 0.9),
    )


def recent_new_clients(session: Session, *, viewer: Viewer, win: Window) -> dict[int, int]:
    """First purchases per manager (on that line) in the window."""
    query = (
        select(FirstSale.manager_id, func.count())
        .where(FirstSale.doc_date.between(win.start, win.end))
        .group_by(FirstSale.manager_id)
    )
    if not viewer.sees_all:
        query = query.where(FirstSale.manager_id == viewer.manager_id)
    return {mid: int(n) for mid, n in session.execute(query)}


# ---- revenue --------------------------------------------------------------------------------


def monthly_revenue(
    session: Session, *, viewer: Viewer, win: Window
) -> dict[int | None, list[Decimal]]:
    """Net revenue per manager (and None: the team) per month of the window, oldest first."""
    query = (
        select(SalesMonth.manager_id, SalesMonth.month, func.sum(SalesMonth.amount))
        .where(SalesMonth.month.between(win.start, win.end))
        .group_by(SalesMonth.manager_id, SalesMonth.month)
    )
    if not viewer.sees_all:
        query = query.where(SalesMonth.manager_id == viewer.manager_id)
    months = []
    day = win.start
    while day <= win.end:
        months.append(day)
        day = add_months(day, 1)
    out: dict[int | None, list[Decimal]] = {}
    team = {m: Decimal(0) for m in months}
    per: dict[int, dict[dt.date, Decimal]] = {}
    for mid, m, amount in session.execute(query):
        per.setdefault(mid, {x: Decimal(0) for x in months})[m] = Decimal(amount)
        team[m] += Decimal(amount)
    for mid, by_month in per.items():
        out[mid] = [by_month[m] for m in months]
    out[None] = [team[m] for m in months]
    return out


def pace(amounts: list[Decimal], days: list[int]) -> Decimal | None:
    """Revenue per working day over the months given (None without working days or sales)."""
    total, worked = sum(amounts, Decimal(0)), sum(days)
    return total / worked if worked and total > 0 else None


def expected_pace(months: list[Decimal], days: list[int], period_months: int) -> Decimal | None:
    """The pace to expect in the period from the 15 whole months before it (oldest first): the
    same months a year before, scaled by how the last 3 months compare with the same 3 a year
    before them; the last 3 months' pace when that history is missing."""
    recent = pace(months[-RECENT_MONTHS:], days[-RECENT_MONTHS:])
    year = -HISTORY_MONTHS
    stop = year + period_months or None
    last_year = pace(months[year:stop], days[year:stop])
    base = pace(months[:-HISTORY_MONTHS], days[:-HISTORY_MONTHS])
    if recent is None or last_year is None or base is None:
        return recent
    return last_year * recent / base


def revenue(
    *,
    fact: Decimal,
    elapsed: int,
    total: int,
    expected: Decimal | None,
    spread: float,
) -> Forecast:
    """Fact + remaining working days × (w · this period's pace + (1 − w) · the expected pace),
    w = elapsed / total; the range is the remaining part ± 2 × 1.28 × ``spread`` (the relative
    spread of the recent monthly pace) × √(remaining share), never below the fact."""
    remaining = total - elapsed
    if total == 0:
        return Forecast(fact, fact, fact)
    w = Decimal(elapsed) / Decimal(total)
    own = fact / elapsed if elapsed else Decimal(0)
    # No sales history at all (a new manager, an empty history): this period's pace is all we have.
    past = own if expected is None else expected
    pace = w * own + (1 - w) * past
    rest = pace * remaining
    margin = rest * _dec(REVENUE_RANGE_SCALE * Z80 * spread * math.sqrt(remaining / total))
    return Forecast(fact + rest, fact + max(rest - margin, Decimal(0)), fact + rest + margin)


def pace_spread(months: list[Decimal], month_days: list[int]) -> float:
    """The coefficient of variation of the monthly revenue per working day (0 without history)."""
    paces = [float(a) / d for a, d in zip(months, month_days, strict=True) if d]
    if len(paces) < 2:
        return 0.0
    mean = sum(paces) / len(paces)
    if mean <= 0:
        return 0.0
    var = sum((p - mean) ** 2 for p in paces) / (len(paces) - 1)
    return math.sqrt(var) / mean


def active_client_ids(
    session: Session, *, viewer: Viewer, start: dt.date, end: dt.date
) -> tuple[dict[int, set[int]], set[int]]:
    """Clients with net sales above 0 in the span: per credited manager, and for the team."""
    if end < start:
        return {}, set()
    net = func.sum(SalesDay.net)
    query = (
        select(SalesDay.manager_id, SalesDay.client_id, net)
        .where(SalesDay.day.between(start, end))
        .group_by(SalesDay.manager_id, SalesDay.client_id)
    )
    if not viewer.sees_all:
        query = query.where(SalesDay.manager_id == viewer.manager_id)
    per: dict[int, set[int]] = {}
    team_net: dict[int, Decimal] = {}
    for mid, cid, amount in session.execute(query):
        if amount > HALF_CENT:
            per.setdefault(mid, set()).add(cid)
        team_net[cid] = team_net.get(cid, Decimal(0)) + amount
    return per, {cid for cid, amount in team_net.items() if amount > HALF_CENT}


class Forecaster:
    """Reads the history a period's forecasts need once, then forecasts per manager or team."""

    def __init__(
        self, session: Session, *, viewer: Viewer, period: Period, as_of: dt.date | None,
        elapsed: int, total: int,
    ) -> None:  # fmt: skip
        self.elapsed, self.total = elapsed, total
        self.remaining = total - elapsed
        self.over = self.remaining == 0
        if self.over:
            return
        start, end = period.start, period.end if as_of is None else min(period.end, as_of)
        self.months = months_in(period)
        self.months_left = self.remaining / (total / self.months) if total else 0.0
        self.bands = bands.load(session)
        self.histories = client_histories(session, viewer=viewer, period=period)
        self.active, self.team_active = active_client_ids(
            session, viewer=viewer, start=start, end=end
        )
        recent = window(period, RECENT_MONTHS)
        self.recent_days = recent.days
        self.new = recent_new_clients(session, viewer=viewer, win=recent)
        # A year of history and the 3 months before it: last year's pace and the growth since.
        history = window(period, HISTORY_MONTHS + RECENT_MONTHS)
        self.month_days = []
        day = history.start
        while day <= history.end:
            self.month_days.append(working_days(day, month_of(day).end))
            day = add_months(day, 1)
        self.revenue_months = monthly_revenue(session, viewer=viewer, win=history)

    def forecast(self, manager_id: int | None, metric: str, fact: Decimal) -> Forecast:
        """The forecast of ``metric`` for one manager (None: the team) given its fact so far,
        with the range the back-test's bands give it (the model's own until they exist)."""
        if self.over:
            return Forecast(fact, fact, fact)
        model = self.model(manager_id, metric, fact)
        level = "team" if manager_id is None else "manager"
        band = bands.at(self.bands, metric, level, self.elapsed, self.total, self.months)
        if band is None:
            return model
        low, high = bands.range_of(metric, model.value, fact, model.cap, band)
        return Forecast(model.value, low, high, model.cap)

    def model(self, manager_id: int | None, metric: str, fact: Decimal) -> Forecast:
        """The method's forecast with the model's own range (no back-test)."""
        if self.over:
            return Forecast(fact, fact, fact)
        if metric == "active_clients":
            active = self.team_active if manager_id is None else self.active.get(manager_id, set())
            portfolio = {
                cid: (k, n)
                for cid, (mid, k, n) in self.histories.items()
                if manager_id is None or mid == manager_id
            }
            return active_clients(
                fact=fact,
                already_active=active,
                portfolio=portfolio,
                could_sell_to=len(set(portfolio) | active),
                months_left=self.months_left,
            )
        if metric == "new_clients":
            recent = sum(self.new.values()) if manager_id is None else self.new.get(manager_id, 0)
            return new_clients(
                fact=fact, recent=recent, recent_days=self.recent_days, remaining=self.remaining
            )
        months = self.revenue_months.get(manager_id, [Decimal(0)] * len(self.month_days))
        return revenue(
            fact=fact,
            elapsed=self.elapsed,
            total=self.total,
            expected=expected_pace(months, self.month_days, self.months),
            spread=pace_spread(months[-HISTORY_MONTHS:], self.month_days[-HISTORY_MONTHS:]),
        )


def plan_side(plan: object, low: object, high: object) -> int:
    """1 when the whole likely range reaches the plan, −1 when all of it falls short, 0 when the
    plan lies inside the range or there is no plan (a reader should not be told either way)."""
    values = (plan, low, high)
    if any(fmt.missing(v) for v in values):
        return 0
    p, lo, hi = (float(v) for v in values)  # type: ignore[arg-type]
    if lo >= p:
        return 1
    if hi < p:
        return -1
    return 0


def forecast_text(metric: str, row: object) -> str:
    """A scorecard row's forecast as "≈ 315 (300–330)" (money in short form for revenue)."""

    def get(name: str) -> object:
        value = row.get(name) if isinstance(row, pd.Series) else getattr(row, name, None)
        return None if fmt.missing(value) else value

    return fmt.forecast_range(
        get("forecast"), get("forecast_low"), get("forecast_high"),  # type: ignore[arg-type]
        money=metric == "revenue",
    )  # fmt: skip
