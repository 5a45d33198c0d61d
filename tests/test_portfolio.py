"""ABC/XYZ, silent clients and the clients table on hand-made fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from kam import portfolio
from kam.core import db
from kam.core.access import SYSTEM, Viewer
from kam.core.clock import today
from kam.core.models import Claim, Client, FirstSale, Manager, SalesDay, SalesLine, SalesMonth
from kam.core.periods import add_months
from kam.portfolio import desk
from kam.sales import rollups
from tests import factories as f
from tests.factories import D

AS_OF = dt.date(2026, 6, 30)


def day(text_: str) -> dt.date:
    return dt.date.fromisoformat(text_)


def by_code(frame) -> dict:
    return {row["client_code"]: row for row in frame.to_dict("records")}


@pytest.fixture
def book(engine):
    """Twelve months to 30 June 2026: A1 720, A2 240, B1 120, C1 60, T1 60, N1 −40, Z0 nothing."""
    with db.writing(engine) as s:
        m1, m2 = f.manager(s, "M1"), f.manager(s, "M2")
        cl = {code: f.client(s, code, m1 if code < "C" else m2) for code in
              ("A1", "A2", "B1", "C1", "T1", "N1", "Z0")}  # fmt: skip
        for i in range(12):  # the 15th of July 2025 … June 2026
            month = add_months(dt.date(2025, 7, 1), i).replace(day=15)
            f.line(s, cl["A1"], month, 60)
            f.line(s, cl["T1"], month, 5)
            f.line(s, cl["B1"], month, 13 if i < 6 else 7)
        f.line(s, cl["A2"], "2025-06-30", 300)  # a year before D: outside (exclusive)
        f.line(s, cl["A2"], "2025-07-01", 240)
        f.line(s, cl["C1"], "2026-03-10", 60)
        f.line(s, cl["N1"], "2026-02-02", -40)
        f.invoice(s, cl["A1"], "INV1", "2026-06-01", "2026-06-10", 100)
        for status in ("open", "in_progress", "resolved"):
            s.add(Claim(client_id=cl["A1"].id, manager_id=m1.id, opened_on=AS_OF,
                        kind="shortage", status=status))  # fmt: skip
        f.refresh(s)
    return engine, {code: c.id for code, c in cl.items()}, m2.id


def test_abc_xyz(book):
    engine, _, _ = book
    with db.reading(engine) as s:
        frame = portfolio.abc_xyz(s, viewer=SYSTEM, as_of=AS_OF)
    got = [
        (
            r["client_code"],
            r["revenue"],
            r["share"],
            r["cumulative_share"],
            r["abc_class"],
            r["xyz_class"],
        )
        for r in frame.to_dict("records")
    ]
    # Total 1200. A2 starts at 60 % (A); B1 at 80 % (not below 80: B); C1 at 90 % (B);
    # T1 ties C1 at 60 and follows it by code, starting at 95 %: C.
    # XYZ: A1, T1 flat (cv 0) X; B1 13 ×6 and 7 ×6: mean 10, sd 3, cv 0.3 Y;
    # A2 and C1 one month in twelve: cv √11 Z; N1 and Z0 no positive mean: Z.
    assert got == [
        ("A1", D("720.00"), 60.0, 60.0, "A", "X"),
        ("A2", D("240.00"), 20.0, 80.0, "A", "Z"),
        ("B1", D("120.00"), 10.0, 90.0, "B", "Y"),
        ("C1", D("60.00"), 5.0, 95.0, "B", "Z"),
        ("T1", D("60.00"), 5.0, 100.0, "C", "X"),
        ("Z0", D("0.00"), 0.0, 100.0, "C", "Z"),
        ("N1", D("-40.00"), 0.0, 100.0, "C", "Z"),
    ]
    cv = dict(zip(frame.client_code, frame.cv, strict=True))
    assert cv["B1"] == pytest.approx(0.3) and cv["A2"] == pytest.approx(11**0.5)


def test_abc_classes_are_company_wide_whoever_looks(book):
    engine, _, m2 = book
    with db.reading(engine) as s:
        frame = portfolio.abc_xyz(s, viewer=Viewer("m2", "kam", m2), as_of=AS_OF)
    # M2 owns C1, T1, N1, Z0; their classes and shares are those of the whole company.
    assert list(zip(frame.client_code, frame.share, frame.abc_class, strict=True)) == [
        ("C1", 5.0, "B"),
        ("T1", 5.0, "C"),
        ("Z0", 0.0, "C"),
        ("N1", 0.0, "C"),
    ]


def test_xyz_months():
    assert portfolio.xyz_months(day("2026-06-30")) == (day("2025-07-01"), day("2026-06-01"))
    assert portfolio.xyz_months(day("2026-06-29")) == (day("2025-06-01"), day("2026-05-01"))
    assert portfolio.xyz_months(day("2028-02-29")) == (day("2027-03-01"), day("2028-02-01"))


def test_clients_overview(book):
    engine, _, _ = book
    with db.reading(engine) as s:
        got = by_code(portfolio.clients_overview(s, viewer=SYSTEM, as_of=AS_OF))
    a1 = got["A1"]
    # A1: monthly gaps 28–31 days, median 31; 15 days since the 15th: not silent.
    assert (a1["abc_class"], a1["revenue_12m"], a1["revenue_prev_12m"], a1["last_purchase"]) == (
        "A", D("720.00"), D("0.00"), day("2026-06-15"),
    )  # fmt: skip
    assert (a1["silent"], a1["outstanding"], a1["overdue"], a1["open_claims"]) == (
        False, D("100.00"), D("100.00"), 2,
    )  # fmt: skip
    a2 = got["A2"]
    assert (a2["revenue_12m"], a2["revenue_prev_12m"], a2["silent"]) == (
        D("240.00"),
        D("300.00"),
        True,
    )
    assert (got["C1"]["silent"], got["Z0"]["silent"], got["Z0"]["last_purchase"]) == (
        True,
        False,
        None,
    )
    assert got["N1"]["last_purchase"] is None  # a return is not a purchase
    assert (got["Z0"]["manager_code"], got["Z0"]["outstanding"], got["Z0"]["open_claims"]) == (
        "M2", D("0.00"), 0,
    )  # fmt: skip


def test_silent_clients(engine):
    with db.writing(engine) as s:
        m1, m2 = f.manager(s, "M1"), f.manager(s, "M2")
        days = {
            "S1": ["2026-06-01", "2026-06-11", "2026-06-16", "2026-07-02"],  # the last is after D
            "S2": ["2026-05-01", "2026-05-03", "2026-05-07", "2026-05-08"],
            "S3": ["2026-04-01", "2026-04-20"],
            "S4": ["2026-05-01", "2026-05-02"],
            "S5": ["2026-06-01", "2026-06-03", "2026-06-07", "2026-06-15", "2026-06-16"],
        }
        for code, dates in days.items():
            cl = f.client(s, code, m1)
            for d in dates:
                f.line(s, cl, d, 10)
        s2 = s.query(Client).filter_by(code="S2").one()
        f.line(s, s2, "2026-05-08", 10, mgr=m2)  # the same day credited to another manager
        s1 = s.query(Client).filter_by(code="S1").one()
        f.line(s, s1, "2026-06-29", -5)  # a return is not a purchase
        f.refresh(s)
    with db.reading(engine) as s:
        got = portfolio.silent_clients(s, viewer=SYSTEM, as_of=AS_OF)
    rows = [
        (r["client_code"], r["last_purchase"], r["days_since"], r["working_days_since"],
         r["purchase_days"],
         None if r["median_interval"] != r["median_interval"] else r["median_interval"], r["silent"])
        for r in got.to_dict("records")
    ]  # fmt: skip
    # Intervals and the silence are in Russian working days (12 June, 1 and 11 May 2026 off);
    # days_since stays calendar days. 17 June to 30 June holds 10 working days.
    assert rows == [
        # gaps 1→11 June 8, 11→16 June 2 (12 June off): median 5, limit 10; 10 is not over it
        ("S1", day("2026-06-16"), 14, 10, 3, 5.0, False),
        # gaps 1→3 May 0, 3→7 May 4, 7→8 May 1: median 1; 14 in May + 21 in June
        ("S2", day("2026-05-08"), 53, 35, 4, 1.0, True),
        ("S3", day("2026-04-20"), 71, 48, 2, None, True),  # 2 purchase days: over 60 calendar days
        ("S4", day("2026-05-02"), 59, 40, 2, None, False),
        # gaps 2, 2 (7 June a Sunday), 5, 1: median (2 + 2) / 2, limit 4
        ("S5", day("2026-06-16"), 14, 10, 5, 2.0, True),
    ]


def test_one_managers_silent_clients_are_the_teams_rows_for_his_clients(engine):
    with db.writing(engine) as s:
        m1, m2 = f.manager(s, "M1"), f.manager(s, "M2")
        a, b = f.client(s, "A1", m1), f.client(s, "B1", m2)
        for d in ["2026-05-04", "2026-05-05", "2026-05-06"]:
            f.line(s, a, d, 10)
        for d in ["2026-05-04", "2026-05-06", "2026-05-13", "2026-05-14"]:
            f.line(s, b, d, 10, mgr=m1)  # credited to M1: still a purchase day of M2's client
        f.refresh(s)
        m2_id = m2.id
    with db.reading(engine) as s:
        team = portfolio.silent_clients(s, viewer=SYSTEM, as_of=AS_OF)
        own = portfolio.silent_clients(s, viewer=SYSTEM, as_of=AS_OF, manager_id=m2_id)
    assert own.to_dict("records") == team[team["client_code"] == "B1"].to_dict("records")
    # Working days after 4 May to 6 May 2, to 13 May 4 (9, 10 and 11 May off), to 14 May 1.
    assert own["client_code"].tolist() == ["B1"] and own["median_interval"].tolist() == [2.0]


def test_29_february(engine):
    with db.writing(engine) as s:
        cl = f.client(s, "F", f.manager(s, "M1"))
        f.line(s, cl, "2026-02-28", 40)  # two years before 28 Feb 2027: outside
        f.line(s, cl, "2026-03-01", 80)
        f.line(s, cl, "2027-02-28", 10)  # the day "a year before 29 Feb 2028": previous year
        f.line(s, cl, "2027-03-01", 20)
        f.refresh(s)
    with db.reading(engine) as s:
        row = portfolio.clients_overview(s, viewer=SYSTEM, as_of=day("2028-02-29")).iloc[0]
    assert (row["revenue_12m"], row["revenue_prev_12m"]) == (D("20.00"), D("90.00"))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(revenues=st.lists(st.integers(-10_000, 1_000_000), min_size=1, max_size=12))
def test_abc_shares_sum_to_100(engine, revenues):
    with db.writing(engine) as s:
        for table in (SalesDay, SalesMonth, FirstSale, SalesLine, Client, Manager):
            s.execute(delete(table))
        m = f.manager(s, "M1")
        for n, cents in enumerate(revenues):
            f.line(
                s,
                f.client(s, f"C{n:02d}", m),
                AS_OF - dt.timedelta(days=n * 20),
                Decimal(cents) / 100,
            )
        rollups.refresh(s)
    with db.reading(engine) as s:
        frame = portfolio.abc_xyz(s, viewer=SYSTEM, as_of=AS_OF)
    positive = [c for c in revenues if c > 0]
    assert sum(frame.share) == pytest.approx(100.0 if positive else 0.0)
    assert list(frame.cumulative_share)[-1] == pytest.approx(100.0 if positive else 0.0)
    # A is never empty when anyone bought; classes follow the ranking.
    classes = list(frame.abc_class)
    assert classes == sorted(classes)
    assert (classes[0] == "A") == bool(positive)


def test_xyz_is_exact_at_the_thresholds(engine):
    # cv = d / m for months alternating m + d and m − d. Rounding the sum of squares to the cent
    # would take E's 0.50 down to about 0.20 (X); floats may nudge Q's 0.25 over the line (Y).
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        pairs = {"E": ("0.06", "0.02"), "Q": ("500.05", "300.03"), "R": ("500.06", "300.03")}
        for code, (high, low) in pairs.items():
            cl = f.client(s, code, m)
            for i in range(12):
                f.line(s, cl, add_months(dt.date(2025, 7, 1), i).replace(day=15),
                       high if i % 2 else low)  # fmt: skip
        f.refresh(s)
    with db.reading(engine) as s:
        got = by_code(portfolio.abc_xyz(s, viewer=SYSTEM, as_of=AS_OF))
    assert got["E"]["cv"] == 0.5 and got["E"]["xyz_class"] == "Y"  # mean 0.04, sd 0.02
    assert got["Q"]["cv"] == 0.25 and got["Q"]["xyz_class"] == "X"  # mean 400.04, sd 100.01
    assert got["R"]["xyz_class"] == "Y"  # one cent more spread: just over 0.25


def test_coefficient_of_variation_by_hand():
    cv = portfolio.overview.coefficient_of_variation
    assert cv([D("1.25")] * 6 + [D("0.75")] * 6) == D("0.25")
    assert cv([D("12.00")]) == D(11).sqrt()  # one month in twelve
    assert cv([D("-5.00"), D("5.00")]) is None  # no positive mean
    assert cv([]) is None


@pytest.fixture
def new_year(engine):
    """A client buying every 5 working days (Wednesdays 2–30 December 2026), and a lost one."""
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        regular, lost = f.client(s, "R1", m), f.client(s, "L1", m, status="lost")
        for cl in (regular, lost):
            for d in ("2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30"):
                f.line(s, cl, d, 100)
        f.refresh(s)
    return engine


@pytest.mark.parametrize(
    ("as_of", "working", "silent"),
    [
        # 31 December and 1–8 January are off: 11 and 12 January are 2 working days, though
        # 13 calendar days have passed (twice the calendar median of 7 is 14).
        ("2027-01-12", 2, False),
        ("2027-01-15", 5, False),  # 16 calendar days: silent by the calendar, not by work
        ("2027-01-22", 10, False),  # 10 is not over twice the median of 5
        ("2027-01-25", 11, True),
    ],
)
def test_silence_counts_working_days(new_year, as_of, working, silent):
    with db.reading(new_year) as s:
        got = by_code(portfolio.silent_clients(s, viewer=SYSTEM, as_of=day(as_of)))
    r1 = got["R1"]
    assert (r1["median_interval"], r1["working_days_since"], r1["silent"]) == (5.0, working, silent)
    assert r1["days_since"] == (day(as_of) - day("2026-12-30")).days
    assert got["L1"]["silent"] is False  # known lost: never silent


def test_desk_lists_the_same_silent_clients_as_the_clients_table(new_year):
    with db.reading(new_year) as s:
        overview = portfolio.clients_overview(s, viewer=SYSTEM, as_of=day("2027-01-25"))
        items = desk.attention(s, viewer=SYSTEM, today=day("2027-01-25"))
    assert set(overview.loc[overview["silent"], "client_code"]) == {"R1"}
    assert set(items.loc[items["kind"] == "silent", "client_code"]) == {"R1"}


def test_desk_and_clients_table_agree_on_the_demo(demo_database):
    engine = db.engine(demo_database)
    with db.reading(engine) as s:
        overview = portfolio.clients_overview(s, viewer=SYSTEM, as_of=today())
        items = desk.attention(s, viewer=SYSTEM, today=today())
    silent = set(overview.loc[overview["silent"], "client_code"])
    assert silent  # the demo has silent clients, so the comparison means something
    assert set(items.loc[items["kind"] == "silent", "client_code"]) == silent
    lost = set(overview.loc[overview["status"] == "lost", "client_code"])
    assert not silent & lost
