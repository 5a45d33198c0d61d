"""The weekly review's figures on a small company a person worked out by hand, on SQLite and
PostgreSQL; and the PDF pack: one page per slide, pages that turn into pictures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam import review
from kam.core import clock, db
from kam.core import formatting as fmt
from kam.core.access import SYSTEM, Viewer
from kam.core.models import Claim, Client, Manager
from kam.core.team import is_team
from kam.review import review_pack
from tests import factories as f

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# The reviewed week: Monday 16 – Sunday 22 November 2026, seen on Friday 20 November; "a week
# ago" is Friday 13 November, so "since last week" is 14–20 November.
WEEK = review.ReviewWeek(monday=dt.date(2026, 11, 16), review_date=dt.date(2026, 11, 20))


@pytest.fixture
def company(engine):
    """Clients A–G with the week's events:

    A (K1): invoice I1 due 15 Sep, 1000 unpaid: 59 days past due on 13 Nov, 66 on 20 Nov.
    B (K1, limit 800): I2 500 due 17 Nov (new overdue), I3 400 issued 18 Nov: 900 > 800.
    C (K2): I4 due 1 Aug, 300 less 100 paid (over 90 both weeks); I5 250 due 18 Aug: 87 days
       past due on 13 Nov, 94 on 20 Nov (moved over 90).
    D (K2): bought 6, 16 and 26 Oct (and 10 Nov 2025): median gap 10, so silent after 20 days;
       18 days on 13 Nov, 25 on 20 Nov (fell silent). Last November 800, this one nothing.
    E (K1): bought 1000 on 2, 9 and 16 Nov (and 500 on 5 Nov 2025): +2500 against last year.
    F (K2): 700 on 3 Nov both years: no change. G (K2): 900 on 25 Nov 2025 (after the cut),
       100 on 19 Nov 2026: +100 against 0.
    Claims: A opened 17 Nov (open), C opened 2 Nov and resolved 19 Nov (justified), B opened
    13 Nov (the day before the window, open), C opened 1 Oct and resolved 12 Nov.
    K1's November revenue plan 10000: facts 2000 on 13 Nov and 3000 on 20 Nov.
    """
    with db.writing(engine) as s:
        f.manager(s, "H1", role="head", name="Head")
        k1, k2 = f.manager(s, "K1", name="Irina"), f.manager(s, "K2", name="Дмитрий")
        c = {
            "A": f.client(s, "A", k1, name="Альфа"),
            "B": f.client(s, "B", k1, credit_limit=Decimal(800)),
            "C": f.client(s, "C", k2),
            "D": f.client(s, "D", k2),
            "E": f.client(s, "E", k1),
            "F": f.client(s, "F", k2),
            "G": f.client(s, "G", k2),
        }
        f.invoice(s, c["A"], "I1", "2026-08-20", "2026-09-15", 1000)
        f.invoice(s, c["B"], "I2", "2026-11-01", "2026-11-17", 500)
        f.invoice(s, c["B"], "I3", "2026-11-18", "2026-12-18", 400)
        i4 = f.invoice(s, c["C"], "I4", "2026-07-01", "2026-08-01", 300)
        f.payment(s, c["C"], "P1", "2026-10-01", 100, i4)
        f.invoice(s, c["C"], "I5", "2026-07-18", "2026-08-18", 250)
        for day in ("2025-11-10",):
            f.line(s, c["D"], day, 800)
        for day in ("2026-10-06", "2026-10-16", "2026-10-26"):
            f.line(s, c["D"], day, 100)
        f.line(s, c["E"], "2025-11-05", 500)
        for day in ("2026-11-02", "2026-11-09", "2026-11-16"):
            f.line(s, c["E"], day, 1000)
        f.line(s, c["F"], "2025-11-03", 700)
        f.line(s, c["F"], "2026-11-03", 700)
        f.line(s, c["G"], "2025-11-25", 900)
        f.line(s, c["G"], "2026-11-19", 100)
        f.refresh(s)
        for client, mgr, opened, status, closed, justified in (
            ("A", k1, "2026-11-17", "open", None, None),
            ("C", k2, "2026-11-02", "resolved", "2026-11-19", True),
            ("B", k1, "2026-11-13", "open", None, None),
            ("C", k2, "2026-10-01", "resolved", "2026-11-12", False),
        ):
            s.add(
                Claim(
                    client_id=c[client].id, manager_id=mgr.id, kind="shortage",
                    opened_on=dt.date.fromisoformat(opened), status=status, amount=Decimal(120),
                    closed_on=closed and dt.date.fromisoformat(closed), justified=justified,
                )
            )  # fmt: skip
        f.plan(s, k1, "2026-11", "revenue", 10000)
        s.flush()
        return {"k1": k1.id, "k2": k2.id}


def _changes(engine, manager_id=None) -> review.Changes:
    with Session(engine) as s:
        return review.changes(s, viewer=SYSTEM, week=WEEK, manager_id=manager_id)


def test_review_week_is_seen_on_its_last_working_day_or_today():
    assert review.review_week(dt.date(2026, 11, 18), dt.date(2026, 12, 1)) == WEEK
    # While the week runs, today.
    assert review.review_week(dt.date(2026, 11, 18), dt.date(2026, 11, 18)).review_date == (
        dt.date(2026, 11, 18)
    )
    # A later week than today's is today's.
    assert review.review_week(dt.date(2027, 1, 1), dt.date(2026, 11, 18)).monday == WEEK.monday
    # 4 November is a public holiday in Russia, but Friday 6 November is the last working day.
    assert review.review_week(dt.date(2026, 11, 4), dt.date(2026, 12, 1)).review_date == (
        dt.date(2026, 11, 6)
    )
    assert WEEK.week_before == dt.date(2026, 11, 13)
    assert WEEK.window_start == dt.date(2026, 11, 14)


def test_what_changed_since_last_week(engine, company):
    c = _changes(engine)
    assert list(zip(c.new_overdue["invoice_no"], c.new_overdue["unpaid"], strict=True)) == [
        ("I2", Decimal("500.00"))
    ]
    assert c.new_overdue.at[0, "days_past_due"] == 3
    assert list(c.into_61_90["invoice_no"]) == ["I1"]
    assert c.into_61_90.at[0, "unpaid"] == Decimal("1000.00")
    assert c.into_61_90.at[0, "client_name"] == "Альфа"
    assert list(c.into_90_plus["invoice_no"]) == ["I5"]
    assert c.into_90_plus.at[0, "unpaid"] == Decimal("250.00")
    buckets = {r.bucket: (r.then, r.now) for r in c.buckets.itertuples()}
    assert buckets == {
        "overdue": (Decimal("1450.00"), Decimal("1950.00")),
        "d61_90": (Decimal("250.00"), Decimal("1000.00")),
        "d90_plus": (Decimal("200.00"), Decimal("450.00")),
    }
    assert list(c.went_over_limit["client_code"]) == ["B"]
    assert c.went_over_limit.at[0, "outstanding"] == Decimal("900.00")
    assert c.went_over_limit.at[0, "credit_limit"] == Decimal("800.00")
    assert list(c.fell_silent["client_code"]) == ["D"]  # G was silent a week ago, not now
    assert c.fell_silent.at[0, "days_since"] == 25
    assert c.fell_silent.at[0, "last_purchase"] == dt.date(2026, 10, 26)
    assert list(c.claims_opened["client_code"]) == ["A"]
    assert list(c.claims_closed["client_code"]) == ["C"]
    assert list(c.claims_closed["opened_on"]) == [dt.date(2026, 11, 2)]
    gaps = {
        ("team" if team else r.manager_code, r.metric): (r.gap_then, r.gap_now)
        for r, team in zip(c.gaps.itertuples(), is_team(c.gaps), strict=True)
    }
    assert gaps[("K1", "revenue")] == (Decimal("8000.00"), Decimal("7000.00"))
    # The team's plan is K1's; its fact counts K2's F (700 on 3 Nov) and G (100 on 19 Nov) too.
    assert gaps[("team", "revenue")] == (Decimal("7300.00"), Decimal("6200.00"))
    assert gaps[("K2", "revenue")] == (None, None)  # no plan


def test_what_changed_for_one_manager(engine, company):
    c = _changes(engine, company["k1"])
    assert list(c.new_overdue["invoice_no"]) == ["I2"]
    assert list(c.into_61_90["invoice_no"]) == ["I1"]
    assert c.into_90_plus.empty
    assert list(c.went_over_limit["client_code"]) == ["B"]
    assert c.fell_silent.empty
    assert list(c.claims_opened["client_code"]) == ["A"]
    assert c.claims_closed.empty
    assert set(c.gaps["manager_code"]) == {"K1"}


def test_a_kam_sees_only_his_own_changes(engine, company):
    kam = Viewer(name="Дмитрий", role="kam", manager_id=company["k2"])
    with Session(engine) as s:
        c = review.changes(s, viewer=kam, week=WEEK)
    assert c.new_overdue.empty and c.went_over_limit.empty
    assert list(c.into_90_plus["invoice_no"]) == ["I5"]
    assert list(c.fell_silent["client_code"]) == ["D"]


def test_movers_over_four_full_weeks_against_the_same_weeks_a_year_before(engine, company):
    # Reviewed on Friday 20 November, its last working day: the week counts as full, so the
    # window is Mon 26 Oct – Fri 20 Nov; 52 weeks earlier, Mon 27 Oct – Fri 21 Nov 2025.
    with Session(engine) as s:
        mv = review.movers(s, viewer=SYSTEM, week=WEEK)
    assert (mv.start, mv.end) == (dt.date(2026, 10, 26), dt.date(2026, 11, 20))
    assert (mv.last_year_start, mv.last_year_end) == (dt.date(2025, 10, 27), dt.date(2025, 11, 21))
    up = [(r.client_code, r.revenue, r.last_year, r.change) for r in mv.up.itertuples()]
    # E: 3 × 1000 against 500 on 5 Nov 2025; G: 100 against 0 (25 Nov 2025 is after the window).
    assert up == [
        ("E", Decimal("3000.00"), Decimal("500.00"), Decimal("2500.00")),
        ("G", Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
    ]
    assert mv.up.at[0, "change_pct"] == pytest.approx(500.0)
    assert pd.isna(mv.up.at[1, "change_pct"])  # nothing to grow from
    # D: 100 on 26 Oct (6 and 16 Oct are before the window) against 800 on 10 Nov 2025.
    down = [(r.client_code, r.revenue, r.change, float(r.change_pct)) for r in mv.down.itertuples()]
    assert down == [("D", Decimal("100.00"), Decimal("-700.00"), -87.5)]
    # F: 700 on 3 Nov both years, no change, not listed.
    with Session(engine) as s:
        one = review.movers(s, viewer=SYSTEM, week=WEEK, limit=1)
    assert list(one.up["client_code"]) == ["E"]


def test_movers_window_is_whole_weeks_never_one_day():
    # Seen on Tuesday 1 December, the week of 30 Nov is not over: the four weeks before it.
    week = review.review_week(dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    assert week.movers_window == (dt.date(2026, 11, 2), dt.date(2026, 11, 29))
    assert week.movers_window_year_before == (dt.date(2025, 11, 3), dt.date(2025, 11, 30))
    # Seen on Friday 4 December, its last working day: that week is the fourth.
    week = review.review_week(dt.date(2026, 12, 1), dt.date(2026, 12, 10))
    assert week.movers_window == (dt.date(2026, 11, 9), dt.date(2026, 12, 4))
    assert week.movers_window_year_before[0].weekday() == 0  # a Monday, as 9 Nov


def test_the_month_just_closed_shows_in_the_first_five_working_days():
    nov = dt.date(2026, 11, 1)
    # Tue 1 Dec (1st working day) and Fri 4 Dec (4th): November is shown, final.
    assert review.review_week(dt.date(2026, 12, 1), dt.date(2026, 12, 1)).closed_month.start == nov
    assert review.review_week(dt.date(2026, 12, 1), dt.date(2026, 12, 9)).closed_month.start == nov
    # Fri 11 Dec is the 9th working day (no holiday): no more.
    assert review.review_week(dt.date(2026, 12, 7), dt.date(2026, 12, 20)).closed_month is None
    # 1 Aug 2026 is a Saturday; Fri 7 Aug is the 5th working day: July still shows.
    july = review.review_week(dt.date(2026, 8, 3), dt.date(2026, 9, 1)).closed_month
    assert july is not None and july.start == dt.date(2026, 7, 1)
    # 1–8 January are holidays: Fri 15 Jan 2027 is the 5th working day, December shows.
    dec = review.review_week(dt.date(2027, 1, 12), dt.date(2027, 2, 1)).closed_month
    assert dec is not None and dec.start == dt.date(2026, 12, 1)
    # Mid-month: none.
    assert WEEK.closed_month is None


@pytest.fixture
def december(engine, company):
    """The company a week later, on Tuesday 1 December: K1's December plan 5000, E buys 1000."""
    with db.writing(engine) as s:
        k1 = s.get(Manager, company["k1"])
        e = s.execute(select(Client).where(Client.code == "E")).scalar_one()
        f.plan(s, k1, "2026-12", "revenue", 5000)
        f.line(s, e, "2026-12-01", 1000)
        f.refresh(s)
    return review.review_week(dt.date(2026, 12, 1), dt.date(2026, 12, 1))


def test_a_new_months_gap_a_week_ago_is_its_own_plan_and_says_new_month(engine, company, december):
    assert december.week_before == dt.date(2026, 11, 24) and december.new_month
    with Session(engine) as s:
        c = review.changes(s, viewer=SYSTEM, week=december, manager_id=company["k1"])
        figures = review.review(s, viewer=SYSTEM, week=december)
    (revenue,) = c.gaps[c.gaps["metric"] == "revenue"].itertuples()
    # December's plan 5000 at both dates: nothing sold in December by 24 Nov, 1000 by 1 Dec.
    assert (revenue.plan, revenue.gap_then, revenue.gap_now) == (
        Decimal("5000.00"), Decimal("5000.00"), Decimal("4000.00"),
    )  # fmt: skip
    views = {v.key: v for v in review.all_slides(figures)}
    gap_tile = views["changes"].rows[2].blocks[0][0].tiles[0]
    assert gap_tile.value == fmt.money_short(Decimal(4000))  # the team: only E bought in December
    assert gap_tile.lines == ("new month: nothing to compare with",)
    k1_tile = views["manager-K1"].rows[0].blocks[0][0].tiles[0]
    assert f"Gap {fmt.money_short(Decimal(4000))} · new month" in k1_tile.lines


def test_early_in_a_month_the_closed_month_shows_final_beside_the_new(engine, december):
    with Session(engine) as s:
        figures = review.review(s, viewer=SYSTEM, week=december)
    closed = figures.team.closed.set_index(["manager_code", "metric"])
    # K1's November, final: plan 10000, fact 3000 (E, 2, 9 and 16 Nov), forecast = fact.
    k1 = closed.loc[("K1", "revenue")]
    assert (k1.plan, k1.fact, k1.forecast) == (
        Decimal("10000.00"), Decimal("3000.00"), Decimal("3000.00"),
    )  # fmt: skip
    assert k1.fulfilment_pct == pytest.approx(30.0)
    views = {v.key: v for v in review.all_slides(figures)}
    team_tile = views["team"].rows[0].blocks[0][0].tiles[0]
    # The team's November: 3000 + F 700 + G 100 = 3800 against the plan of 10000.
    nov = fmt.month(dt.date(2026, 11, 1))
    assert team_tile.lines[-1] == f"{nov} final {fmt.money_short(Decimal(3800))} · 38% of plan"
    assert team_tile.value == fmt.money_short(Decimal(1000))  # December so far
    k1_tile = views["manager-K1"].rows[0].blocks[0][0].tiles[0]
    assert k1_tile.lines[-1] == f"{nov} final {fmt.money_short(Decimal(3000))} · 30% of plan"
    # Mid-month, no closed month.
    with Session(engine) as s:
        mid = review.review(s, viewer=SYSTEM, week=WEEK)
    assert mid.team.closed is None and all(m.closed is None for m in mid.managers)


def test_a_kams_first_slide_is_his_own_plan(engine, company):
    irina = Viewer(name="Irina", role="kam", manager_id=company["k1"])
    with Session(engine) as s:
        figures = review.review(s, viewer=irina, week=WEEK)
    card = figures.team.scorecard
    assert set(card["manager_code"]) == {"K1"} and not is_team(card).any()
    first = review.all_slides(figures)[0]
    assert first.title == f"Irina: plan · {fmt.month(dt.date(2026, 11, 1))}"
    revenue = first.rows[0].blocks[0][0].tiles[0]
    # K1's November by the 20th: E's 3000 against 10000 (the team's would be 3800).
    assert revenue.value == fmt.money_short(Decimal(3000))
    assert revenue.lines[0] == f"30% of plan {fmt.money_short(Decimal(10000))}"
    text = repr(first)
    assert fmt.money_short(Decimal(3800)) not in text and "Дмитрий" not in text
    # The pacing is hers: 3000 on the 20th.
    pace = figures.team.pacing.set_index("day")
    assert pace.at[dt.date(2026, 11, 20), "fact"] == Decimal("3000.00")
    # "What changed" shows her own gaps too: 8000 a week ago, 7000 now; no team row.
    assert set(figures.changes.gaps["manager_code"]) == {"K1"}
    views = {v.key: v for v in review.all_slides(figures)}
    gap_tile = views["changes"].rows[2].blocks[0][0].tiles[0]
    assert gap_tile.value == fmt.money_short(Decimal(7000))
    assert gap_tile.lines == (f"a week ago {fmt.money_short(Decimal(8000))}",)


def test_manager_slide_figures(engine, company):
    with Session(engine) as s:
        (k1,) = review.manager_reviews(s, viewer=SYSTEM, week=WEEK, manager_id=company["k1"])
    assert (k1.code, k1.name) == ("K1", "Irina")
    assert k1.overdue == Decimal("1500.00")  # I1 1000 and I2 500
    assert k1.outstanding == Decimal("1900.00")
    assert k1.over_limit_clients == 1 and list(k1.over_limit["client_code"]) == ["B"]
    assert (k1.open_claims, k1.open_claims_amount) == (2, Decimal("240.00"))
    revenue = k1.gaps[k1.gaps["metric"] == "revenue"].iloc[0]
    assert (revenue.gap_then, revenue.gap_now) == (Decimal("8000.00"), Decimal("7000.00"))


def test_pack_has_one_page_per_slide(engine, company, tmp_path):
    with Session(engine) as s:
        figures = review.review(s, viewer=SYSTEM, week=WEEK)
    slides = review.all_slides(figures)
    assert len(slides) == 1 + 2 + 4  # team, K1, K2, changes, movers, market, next week
    path = tmp_path / "pack.pdf"
    path.write_bytes(review_pack.build(figures))
    assert _pages(path) == len(slides)


def _pages(path: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    return path.read_bytes().count(b"/Type /Page\n")  # pragma: no cover - fallback


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is missing")
def test_pack_of_the_demo_company_turns_into_pictures(demo_database):
    today = clock.today()
    with Session(db.engine(demo_database)) as s:
        figures = review.review(s, viewer=SYSTEM, week=review.review_week(today, today))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "review_pack.pdf"
    path.write_bytes(review_pack.build(figures))
    count = len(review.all_slides(figures))
    assert _pages(path) == count
    for old in ARTIFACTS.glob("review_pack-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(path), str(ARTIFACTS / "review_pack")], check=True
    )
    assert len(list(ARTIFACTS.glob("review_pack-*.png"))) == count
