"""Sales figures on hand-made fixtures (values computed by hand), and the rollups against raw lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from kam import sales
from kam.core import db
from kam.core.access import SYSTEM, Viewer
from kam.core.models import Client, FirstSale, Manager, SalesDay, SalesLine, SalesMonth
from kam.core.money import to_cent
from kam.core.periods import parse
from kam.sales import rollups
from tests import factories as f
from tests.factories import D

JAN = parse("2026-01")


def day(text_: str) -> dt.date:
    return dt.date.fromisoformat(text_)


def rows(frame) -> list[tuple]:
    """The frame's rows as tuples, pandas' NaN for a missing number read back as None."""
    return [
        tuple(None if isinstance(v, float) and v != v else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]


@pytest.fixture
def shop(engine):
    """Two managers; A, B, C bought, R only returned (see each test for the sums)."""
    with db.writing(engine) as s:
        m1, m2 = f.manager(s, "M1"), f.manager(s, "M2")
        a, b = f.client(s, "A", m1), f.client(s, "B", m1)
        c, r = f.client(s, "C", m1), f.client(s, "R", m1)
        f.line(s, a, "2026-01-31", 100)  # last day of January
        f.line(s, a, "2026-02-01", 50)  # first day of February
        f.line(s, a, "2026-02-10", -20)
        f.line(s, b, "2025-12-31", 30)  # last day of the year before: B is new in December
        f.line(s, b, "2026-01-01", 70, mgr=m2)  # credited to M2, not to B's owner
        f.line(s, c, "2026-01-15", -10)  # a return before C's first purchase
        f.line(s, c, "2026-01-20", 40, doc_no="D2", line_no=1)
        f.line(
            s, c, "2026-01-20", 5, mgr=m2, doc_no="D1", line_no=2
        )  # D1 < D2: C is M2's new client
        f.line(s, r, "2026-01-05", -15)
        f.refresh(s)
        ids = {x.code: x.id for x in (m1, m2, a, b, c, r)}
    return engine, ids


def test_revenue_active_and_new_clients_per_manager(shop):
    engine, ids = shop
    m1, m2 = ids["M1"], ids["M2"]
    with db.reading(engine) as s:
        start, end = sales.span(JAN)
        # M1: A 100 + C (−10 + 40) + R −15 = 115; M2: B 70 + C 5 = 75.
        assert sales.revenue_by_manager(s, viewer=SYSTEM, start=start, end=end) == {
            m1: D("115.00"),
            m2: D("75.00"),
        }
        # M1: A and C (R is negative); M2: B and C.
        assert sales.active_clients_by_manager(s, viewer=SYSTEM, start=start, end=end) == {
            m1: 2,
            m2: 2,
        }
        # For the team C is one client: A, B, C.
        assert sales.team_active_clients(s, viewer=SYSTEM, start=start, end=end) == 3
        # A's first line is on 31 January (M1); C's is D1 (M2); B was new in December; R never.
        assert sales.new_clients_by_manager(s, viewer=SYSTEM, start=start, end=end) == {
            m1: 1,
            m2: 1,
        }
        dec = parse("2025-12")
        assert sales.new_clients_by_manager(s, viewer=SYSTEM, start=dec.start, end=dec.end) == {
            m1: 1
        }
        new = sales.new_clients(s, viewer=SYSTEM, start=start, end=end)
        assert list(zip(new.client_code, new.manager_code, new.first_sale_date, strict=True)) == [
            ("C", "M2", day("2026-01-20")),
            ("A", "M1", day("2026-01-31")),
        ]
        assert sales.revenue_by_client(s, viewer=SYSTEM, start=start, end=end) == {
            ids["A"]: D("100.00"),
            ids["B"]: D("70.00"),
            ids["C"]: D("35.00"),
            ids["R"]: D("-15.00"),
        }
        q1 = parse("2026-Q1")
        assert sales.revenue_by_manager(s, viewer=SYSTEM, start=q1.start, end=q1.end)[m1] == D(
            "145.00"
        )


def test_as_of_cut(shop):
    engine, ids = shop
    with db.reading(engine) as s:
        start, end = sales.span(JAN, day("2026-01-20"))
        assert end == day("2026-01-20")
        # M1 by the 20th: R −15, C −10 + 40; A's 100 comes on the 31st.
        assert sales.revenue_by_manager(s, viewer=SYSTEM, start=start, end=end) == {
            ids["M1"]: D("15.00"),
            ids["M2"]: D("75.00"),
        }
    assert sales.span(JAN, day("2026-03-01")) == (day("2026-01-01"), day("2026-01-31"))
    assert sales.last_year_span(JAN, day("2026-01-20")) == (day("2025-01-01"), day("2025-01-20"))
    assert sales.last_year_span(JAN, day("2026-01-31")) == (day("2025-01-01"), day("2025-01-31"))


def test_kam_sees_only_own_clients_and_figures(shop):
    engine, ids = shop
    with db.writing(engine) as s:
        other = f.manager(s, "M3")
        x = f.client(s, "X", other)
        f.line(s, x, "2026-01-10", 999)
        f.refresh(s)
    viewer = Viewer(name="m3", role="kam", manager_id=other.id)
    with db.reading(engine) as s:
        start, end = sales.span(JAN)
        assert sales.revenue_by_client(s, viewer=viewer, start=start, end=end) == {
            x.id: D("999.00")
        }
        assert sales.revenue_by_manager(s, viewer=viewer, start=start, end=end) == {
            other.id: D("999.00")
        }


def test_monthly_sales_cut_inside_a_month(shop):
    engine, ids = shop
    with db.reading(engine) as s:
        # Cut on 5 February: A's return of the 10th is not in yet (read from sales_day).
        frame = sales.monthly_sales(
            s, viewer=SYSTEM, start=day("2026-01-01"), end=day("2026-02-05"), client_id=ids["A"]
        )
        assert [(r.month, r.gross, r.returns, r.net) for r in frame.itertuples()] == [
            (day("2026-01-01"), D("100.00"), D("0.00"), D("100.00")),
            (day("2026-02-01"), D("50.00"), D("0.00"), D("50.00")),
        ]
        whole = sales.monthly_sales(
            s, viewer=SYSTEM, start=day("2026-01-01"), end=day("2026-02-28")
        )
        rows = {(r.client_code, r.month): (r.gross, r.returns, r.net) for r in whole.itertuples()}
        assert rows == {
            ("A", day("2026-01-01")): (D("100.00"), D("0.00"), D("100.00")),
            ("A", day("2026-02-01")): (D("50.00"), D("-20.00"), D("30.00")),
            ("B", day("2026-01-01")): (D("70.00"), D("0.00"), D("70.00")),
            ("C", day("2026-01-01")): (D("45.00"), D("-10.00"), D("35.00")),
            ("R", day("2026-01-01")): (D("0.00"), D("-15.00"), D("-15.00")),
        }
        # Only lines credited to M2.
        m2 = sales.monthly_sales(
            s, viewer=SYSTEM, start=day("2026-01-01"), end=day("2026-01-31"), manager_id=ids["M2"]
        )
        assert list(zip(m2.client_code, m2.net, strict=True)) == [
            ("B", D("70.00")),
            ("C", D("5.00")),
        ]


def test_sales_history_of_one_client_for_each_viewer(shop):
    # The statement is built once per viewer and kept: each KAM must still get only his own.
    engine, ids = shop
    with db.writing(engine) as s:
        a = s.get(Client, ids["A"])
        f.line(s, a, "2025-01-10", 11)
        f.line(s, a, "2025-02-03", 20)
        f.line(s, a, "2025-02-20", 7)  # after the 5th: out of last year's cut February
        f.refresh(s)
    owner = Viewer(name="m1", role="kam", manager_id=ids["M1"])
    other = Viewer(name="m2", role="kam", manager_id=ids["M2"])

    def history(viewer: Viewer, as_of: str) -> list[tuple]:
        with db.reading(engine) as s:
            frame = sales.sales_history(
                s, viewer=viewer, client_id=ids["A"], as_of=day(as_of), months=2
            )
        return rows(frame)

    jan, feb = day("2026-01-01"), day("2026-02-01")
    # Cut on 5 February: this year's return of the 10th and last year's 7 on the 20th wait.
    assert history(owner, "2026-02-05") == [
        (jan, D("100.00"), D("0.00"), D("100.00"), D("11.00")),
        (feb, D("50.00"), D("0.00"), D("50.00"), D("20.00")),
    ]
    zero = D("0.00")
    assert history(other, "2026-02-05") == [
        (jan, zero, zero, zero, zero),
        (feb, zero, zero, zero, zero),
    ]
    # February over: both Februaries whole.
    assert history(owner, "2026-02-28") == [
        (jan, D("100.00"), D("0.00"), D("100.00"), D("11.00")),
        (feb, D("50.00"), D("-20.00"), D("30.00"), D("27.00")),
    ]
    with db.reading(engine) as s, pytest.raises(ValueError, match="1 to 12 months"):
        sales.sales_history(s, viewer=owner, client_id=ids["A"], as_of=day("2026-02-05"), months=13)


def test_sales_history_with_29_february(engine):
    with db.writing(engine) as s:
        cl = f.client(s, "L", f.manager(s, "M1"))
        f.line(s, cl, "2024-02-28", 5)
        f.line(s, cl, "2024-02-29", 10)
        f.line(s, cl, "2025-01-10", 4)
        f.line(s, cl, "2025-02-27", 7)
        f.line(s, cl, "2025-02-28", 3)
        f.refresh(s)
    with db.reading(engine) as s:
        # 28 Feb 2025 ends the month: last year is all of February 2024, 29th included.
        h = sales.sales_history(
            s, viewer=SYSTEM, client_id=cl.id, as_of=day("2025-02-28"), months=2
        )
        assert list(zip(h.month, h.net, h.net_last_year, strict=True)) == [
            (day("2025-01-01"), D("4.00"), D("0.00")),
            (day("2025-02-01"), D("10.00"), D("15.00")),
        ]
        # On the 27th the month is not over: both years are cut at the 27th.
        h = sales.sales_history(
            s, viewer=SYSTEM, client_id=cl.id, as_of=day("2025-02-27"), months=1
        )
        assert list(zip(h.month, h.net, h.net_last_year, strict=True)) == [
            (day("2025-02-01"), D("7.00"), D("0.00"))
        ]
        # 28 Feb 2024 is not the end of a leap February.
        h = sales.sales_history(
            s, viewer=SYSTEM, client_id=cl.id, as_of=day("2024-02-28"), months=1
        )
        assert list(h.net) == [D("5.00")]


@pytest.fixture
def returns_shop(engine):
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        x, only = f.client(s, "X", m), f.client(s, "Y", m)
        dairy, bakery = f.product(s, "P1", "Dairy"), f.product(s, "P2", "Bakery")
        bare = f.product(s, "P3", None)
        f.line(s, x, "2026-03-02", 200, prod=dairy)
        f.line(s, x, "2026-03-31", 100, prod=bakery)
        f.line(s, x, "2026-03-05", -20, prod=dairy, reason="damaged")
        f.line(s, x, "2026-03-06", -10, prod=dairy, reason="damaged")
        f.line(s, x, "2026-03-07", -30, prod=bakery, kind="refusal", reason="late")
        f.line(s, x, "2026-04-01", 1000, prod=bare)  # April: outside March
        f.line(
            s, only, "2026-03-09", -15, prod=dairy, reason="expired"
        )  # a client with only returns
        f.refresh(s)
    return engine, x.id, only.id


def test_category_mix(returns_shop):
    engine, x, _ = returns_shop
    with db.reading(engine) as s:
        mix = sales.category_mix(s, viewer=SYSTEM, client_id=x, period=parse("2026-03"))
        # Dairy 200 − 30 = 170, Bakery 100 − 30 = 70: net 240.
        assert list(zip(mix.category, mix.gross, mix.returns, mix.net, strict=True)) == [
            ("Dairy", D("200.00"), D("-30.00"), D("170.00")),
            ("Bakery", D("100.00"), D("-30.00"), D("70.00")),
        ]
        assert list(mix.share_pct) == pytest.approx([70.833333, 29.166667])
        q2 = sales.category_mix(s, viewer=SYSTEM, client_id=x, period=parse("2026-Q2"))
        assert list(zip(q2.category, q2.net, strict=True)) == [("", D("1000.00"))]


def test_returns_by_reason_and_rates(returns_shop):
    engine, x, only = returns_shop
    march = parse("2026-03")
    with db.reading(engine) as s:
        reasons = sales.returns_by_reason(s, viewer=SYSTEM, period=march, client_id=x)
        # Gross sales of X in March: 300.
        assert [
            (r.reason, r.kind, r.amount, r.lines, r.share_of_gross_pct)
            for r in reasons.itertuples()
        ] == [
            ("damaged", "return", D("-30.00"), 2, 10.0),
            ("late", "refusal", D("-30.00"), 1, 10.0),
        ]
        by_client = sales.returns_rates(s, viewer=SYSTEM, period=march, by="client")
        assert rows(by_client) == [
            ("X", D("300.00"), D("-30.00"), D("-30.00"), 20.0),
            ("Y", D("0.00"), D("-15.00"), D("0.00"), None),  # only returns: no rate
        ]
        by_cat = sales.returns_rates(s, viewer=SYSTEM, period=march, by="category", client_id=x)
        assert rows(by_cat) == [
            ("Bakery", D("100.00"), D("0.00"), D("-30.00"), 30.0),
            ("Dairy", D("200.00"), D("-30.00"), D("0.00"), 15.0),
        ]
        # A client with only returns: negative revenue, never active, never new.
        assert sales.revenue_by_client(s, viewer=SYSTEM, start=march.start, end=march.end)[
            only
        ] == D("-15.00")
        assert sales.team_active_clients(s, viewer=SYSTEM, start=march.start, end=march.end) == 1
        assert sales.new_clients(
            s, viewer=SYSTEM, start=march.start, end=march.end
        ).client_code.tolist() == ["X"]


# --- rollups against the raw lines ------------------------------------------------------------

RAW_REVENUE = text(
    "SELECT manager_id, SUM(amount) FROM sales_lines WHERE doc_date BETWEEN :a AND :b GROUP BY manager_id"
)
RAW_ACTIVE = text(
    "SELECT manager_id, COUNT(*) FROM (SELECT manager_id, client_id FROM sales_lines"
    " WHERE doc_date BETWEEN :a AND :b GROUP BY manager_id, client_id HAVING SUM(amount) > 0.005) t"
    " GROUP BY manager_id"
)
RAW_NEW = text(
    "SELECT l.manager_id, COUNT(*) FROM sales_lines l WHERE l.amount > 0"
    " AND l.doc_date BETWEEN :a AND :b AND NOT EXISTS (SELECT 1 FROM sales_lines e"
    " WHERE e.client_id = l.client_id AND e.amount > 0 AND (e.doc_date < l.doc_date"
    " OR (e.doc_date = l.doc_date AND (e.doc_no < l.doc_no"
    " OR (e.doc_no = l.doc_no AND e.line_no < l.line_no))))) GROUP BY l.manager_id"
)
RAW_MONTHLY = text(
    "SELECT client_id, doc_date, kind, amount FROM sales_lines WHERE doc_date BETWEEN :a AND :b"
)

lines_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # client
        st.integers(0, 1),  # credited manager
        st.integers(0, 75),  # days after 2027-12-20: crosses a year end and 29 Feb 2028
        st.integers(-5000, 10000),  # cents
        st.sampled_from(["return", "refusal"]),
    ),
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=lines_strategy, cut=st.integers(0, 75))
def test_rollup_figures_equal_raw_lines(engine, lines, cut):
    base = day("2027-12-20")
    with db.writing(engine) as s:
        for table in (SalesDay, SalesMonth, FirstSale, SalesLine, Client, Manager):
            s.execute(delete(table))
        mgrs = [f.manager(s, f"M{i}") for i in range(2)]
        clients = [f.client(s, f"C{i}", mgrs[0]) for i in range(3)]
        for n, (c, m, offset, cents, neg_kind) in enumerate(lines):
            amount = Decimal(cents) / 100
            f.line(
                s,
                clients[c],
                base + dt.timedelta(days=offset),
                amount,
                mgr=mgrs[m],
                kind="sale" if cents >= 0 else neg_kind,
                doc_no=f"D{n % 4}",  # shared document numbers exercise the doc_no, line_no order
                line_no=n,
            )
        rollups.refresh(s)
    start, end = day("2028-01-01"), base + dt.timedelta(days=cut)
    with db.reading(engine) as s:
        params = {"a": start, "b": end}
        raw_rev = {m: to_cent(v) for m, v in s.execute(RAW_REVENUE, params)}
        assert sales.revenue_by_manager(s, viewer=SYSTEM, start=start, end=end) == raw_rev
        raw_active = {m: n for m, n in s.execute(RAW_ACTIVE, params)}
        assert sales.active_clients_by_manager(s, viewer=SYSTEM, start=start, end=end) == raw_active
        raw_new = {m: n for m, n in s.execute(RAW_NEW, params)}
        assert sales.new_clients_by_manager(s, viewer=SYSTEM, start=start, end=end) == raw_new
        if end >= start:
            expected: dict[tuple[int, dt.date], list[Decimal]] = {}
            for cid, doc_date, kind, amount in s.execute(RAW_MONTHLY, params):
                key = (cid, sales.as_date(doc_date).replace(day=1))
                sums = expected.setdefault(key, [Decimal(0)] * 3)
                sums[0 if kind == "sale" else 1] += Decimal(str(amount))
                sums[2] += Decimal(str(amount))
            got = sales.monthly_sales(s, viewer=SYSTEM, start=start, end=end)
            assert {
                (r.client_id, r.month): [r.gross, r.returns, r.net] for r in got.itertuples()
            } == {k: [to_cent(v) for v in sums] for k, sums in expected.items()}
