"""``python -m kam report``: exact columns and values, formats, and exit code 2 on bad arguments."""

from __future__ import annotations

import json

import openpyxl
import pytest

from kam.__main__ import main
from kam.core import db
from tests import factories as f
from tests.factories import D


@pytest.fixture
def company(engine, db_url):
    with db.writing(engine) as s:
        m = f.manager(s, "M1")
        a = f.client(s, "A", m, credit_limit=D(100))
        f.line(s, a, "2026-05-04", 700)
        f.line(s, a, "2026-05-06", -50, reason="damaged")
        f.line(s, a, "2026-05-20", 1000)  # after the as-of day
        f.plan(s, m, "2026-05", "revenue", 1900)
        f.invoice(s, a, "I1", "2026-04-01", "2026-04-10", 300)
        f.payment(s, a, "P1", "2026-05-01", 120)
        f.refresh(s)
    return db_url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plan_csv(company, capsys):
    code, out, _ = run(
        capsys, "plan", "--period", "2026-05", "--as-of", "2026-05-13", "--manager", "M1",
        "--database", company,
    )  # fmt: skip
    assert code == 0
    # No sales before May: the revenue forecast is May's own pace, 650 / 7 × 19 = 1764.29, and
    # with no monthly history to spread it the range is that point; gap 1250 over 12 days: 104.17.
    # A, the only client, is active and new already: 1 each, nobody left to activate or win.
    assert out.splitlines() == [
        "manager_code,metric,plan,fact,fulfilment_pct,forecast,forecast_low,forecast_high,"
        "forecast_pct,gap,required_daily_rate,still_needed,last_year_fact",
        "M1,revenue,1900.00,650.00,34.21,1764.29,1764.29,1764.29,92.86,1250.00,104.17,,0.00",
        "M1,active_clients,,1.00,,1.00,1.00,1.00,,,,,0.00",
        "M1,new_clients,,1.00,,1.00,1.00,1.00,,,,,0.00",
    ]


def test_sales_json(company, capsys):
    code, out, _ = run(
        capsys, "sales", "--period", "2026", "--as-of", "2026-05-13", "--client", "A",
        "--format", "json", "--database", company,
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == [
        {"client_code": "A", "month": "2026-05", "gross": 700.0, "returns": -50.0, "net": 650.0}
    ]


def _strict(text: str) -> object:
    def refuse(word: str) -> object:
        raise ValueError(f"{word} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_plan_json_is_strict_json_with_null_for_the_team_manager(company, capsys):
    code, out, _ = run(
        capsys, "plan", "--period", "2026-05", "--as-of", "2026-05-13", "--format", "json",
        "--database", company,
    )  # fmt: skip
    assert code == 0
    rows = _strict(out)  # no NaN: empty figures and the team's manager are null
    team = [r for r in rows if r["manager_code"] is None]
    assert [r["metric"] for r in team] == ["revenue", "active_clients", "new_clients"]
    revenue = next(r for r in team if r["metric"] == "revenue")
    assert (revenue["plan"], revenue["fact"]) == (1900.0, 650.0)
    active = next(r for r in rows if r["manager_code"] == "M1" and r["metric"] == "active_clients")
    assert active["plan"] is None and active["fulfilment_pct"] is None


def test_receivables_xlsx(company, capsys, tmp_path):
    target = tmp_path / "r.xlsx"
    code, _, _ = run(
        capsys, "receivables", "--as-of", "2026-05-13", "--format", "xlsx", "--output",
        str(target), "--database", company,
    )  # fmt: skip
    assert code == 0
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    # 300 − 120 = 180 unpaid, 33 days past due; over the limit of 100 (180 %). An XLSX is read
    # by people: its headers are words, in the deployment's language (English by default).
    assert rows == [
        ("Client code", "Manager code", "Outstanding", "Not due", "1–30 days", "31–60 days",
         "61–90 days", "Over 90 days", "Overdue", "Credit limit", "Limit used, %", "Over limit"),
        ("A", "M1", 180, 0, 0, 180, 0, 0, 180, 100, 180, True),
    ]  # fmt: skip


def test_abc_and_clients_csv(company, capsys):
    code, out, _ = run(capsys, "abc", "--as-of", "2026-05-13", "--database", company)
    assert code == 0
    assert out.splitlines() == [
        "client_code,revenue,share,cumulative_share,abc_class,xyz_class",
        "A,650.00,100.0,100.0,A,Z",
    ]
    code, out, _ = run(capsys, "clients", "--as-of", "2026-05-13", "--database", company)
    assert code == 0
    assert out.splitlines() == [
        "client_code,name,manager_code,abc_class,revenue_12m,revenue_prev_12m,last_purchase,silent,outstanding,overdue,open_claims",
        "A,Client A,M1,A,650.00,0.00,2026-05-04,False,180.00,180.00,0",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["plan", "--period", "2026-13"],
            "kam report: unknown period '2026-13': the month must be 01 to 12",
        ),
        (
            ["plan", "--period", "Q3"],
            "kam report: unknown period 'Q3': expected YYYY-MM, YYYY-Qn or YYYY",
        ),
        (["plan", "--manager", "NOPE"], "kam report: unknown manager 'NOPE'"),
        (["sales", "--client", "ZZ"], "kam report: unknown client 'ZZ'"),
        (
            ["abc", "--as-of", "2026-02-30"],
            "kam report: bad date '2026-02-30': expected YYYY-MM-DD",
        ),
        (["abc", "--as-of", "20260201"], "kam report: bad date '20260201': expected YYYY-MM-DD"),
        (
            ["budget"],
            "kam report: unknown report 'budget': expected one of plan, sales, receivables, abc, clients",
        ),
        (
            ["abc", "--format", "xml"],
            "kam report: unknown format 'xml': expected one of csv, json, xlsx",
        ),
        (["abc", "--format", "xlsx"], "kam report: xlsx is binary: give --output FILE"),
        (
            ["receivables", "--period", "2026"],
            "kam report: the receivables report is at --as-of and takes no --period",
        ),
        (
            ["plan", "--client", "A"],
            "kam report: the plan report is per manager: --client does not apply",
        ),
    ],
)
def test_bad_arguments_exit_2(company, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--database", company)
    assert (code, out, err) == (2, "", message + "\n")


def test_every_report_column_has_a_header_for_people():
    from kam import reports

    assert {c for columns in reports.COLUMNS.values() for c in columns} <= set(reports.HEADERS)


def test_labels_and_messages_in_the_deployments_language(company, capsys, monkeypatch):
    from kam.core import config
    from kam.core.i18n import set_language

    monkeypatch.setattr(config, "settings", lambda: config.Settings(language="ru"))
    try:
        code, out, _ = run(
            capsys, "abc", "--as-of", "2026-05-13", "--labels", "--database", company
        )
        failed = run(capsys, "sales", "--client", "ZZ", "--database", company)
    finally:
        set_language("en")
    assert code == 0
    assert out.splitlines() == [
        'Код клиента,Выручка,"Доля, %","Накопленная доля, %",ABC,XYZ',
        "A,650.00,100.0,100.0,A,Z",
    ]
    assert failed == (2, "", "kam report: нет клиента с кодом 'ZZ'\n")
