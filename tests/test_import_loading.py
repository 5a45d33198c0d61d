"""Loading files into a real database (SQLite and PostgreSQL): defaults, validation messages,
nothing half-written, idempotent upserts, rejected rows, XLSX, order and folders."""

from __future__ import annotations

import csv
import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from kam import importer
from kam.core import audit, db, i18n
from kam.core.access import SYSTEM
from kam.core.models import (
    AuditLog,
    Base,
    Client,
    Contact,
    DataVersion,
    Invoice,
    Manager,
    Payment,
    Plan,
    Product,
    SalesDay,
    SalesLine,
    SalesMonth,
)
from tests.catalogs import russian_only
from tests.factories import D

ACTOR = audit.Actor(name="tester")
MANAGERS = "code,name,email,role\nM1,Anna,anna@example.com,kam\nM2,Boris,,head\n"
CLIENTS = "code,name,manager_code,payment_terms_days\nC1,Alpha,M1,30\nC2,Beta,M2,\n"
PRODUCTS = "sku,name,category\nP1,Milk,Dairy\nP2,Bread,Bakery\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def load(engine: Engine, *paths: Path, **kwargs) -> list[importer.FileSummary]:
    files = importer.plan_files(paths, kwargs.pop("entity", None))
    return importer.load_files(engine, files, viewer=SYSTEM, actor=ACTOR, **kwargs)


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: the database's whole state."""
    with db.reading(engine) as s:
        return {
            table.name: [tuple(r) for r in s.execute(select(table).order_by(*table.primary_key))]
            for table in Base.metadata.sorted_tables
        }


def base_data(engine: Engine, folder: Path) -> None:
    summaries = load(
        engine,
        write(folder, "managers.csv", MANAGERS),
        write(folder, "clients.csv", CLIENTS),
        write(folder, "products.csv", PRODUCTS),
    )
    assert [s.status for s in summaries] == ["loaded", "loaded", "loaded"]


def rows(engine: Engine, query):
    with db.reading(engine) as s:
        return s.execute(query).all()


def messages(summary: importer.FileSummary) -> list[str]:
    return [str(p) for p in summary.problems]


def test_managers_and_clients_with_their_defaults(engine, tmp_path):
    base_data(engine, tmp_path)
    assert rows(
        engine,
        select(Manager.code, Manager.email, Manager.role, Manager.active).order_by(Manager.code),
    ) == [("M1", "anna@example.com", "kam", True), ("M2", None, "head", True)]
    assert rows(
        engine,
        select(
            Client.code, Manager.code, Client.status, Client.payment_terms_days, Client.credit_limit
        )
        .join(Manager, Manager.id == Client.manager_id)
        .order_by(Client.code),
    ) == [("C1", "M1", "active", 30, None), ("C2", "M2", "active", 0, None)]


def test_sales_defaults_line_numbers_manager_and_kind(engine, tmp_path):
    base_data(engine, tmp_path)
    sales = write(
        tmp_path,
        "sales.csv",
        "doc_no;doc_date;client_code;sku;qty;amount;manager_code;kind;reason\n"
        "D1;05.03.2024;C1;P1;10;1 000,50;;;\n"  # line 1 of D1, C1's manager M1, a sale
        "D2;2024-03-06 09:15;C2;;;200;M1;;\n"  # line 1 of D2, credited to M1 explicitly
        "D1;05.03.2024;C1;P2;-1;-100;;;damaged\n"  # line 2 of D1, negative: a return
        "D3;07.03.2024;C2;P1;;-50;;refusal;late\n",
    )
    [summary] = load(engine, sales)
    assert (summary.status, summary.inserted, summary.rows) == ("loaded", 4, 4)
    got = rows(
        engine,
        select(
            SalesLine.doc_no,
            SalesLine.line_no,
            SalesLine.doc_date,
            Manager.code,
            SalesLine.kind,
            SalesLine.amount,
            SalesLine.qty,
            SalesLine.reason,
        )
        .join(Manager, Manager.id == SalesLine.manager_id)
        .order_by(SalesLine.doc_no, SalesLine.line_no),
    )
    assert got == [
        ("D1", 1, dt.date(2024, 3, 5), "M1", "sale", D("1000.50"), D("10"), None),
        ("D1", 2, dt.date(2024, 3, 5), "M1", "return", D("-100"), D("-1"), "damaged"),
        ("D2", 1, dt.date(2024, 3, 6), "M1", "sale", D("200"), None, None),
        ("D3", 1, dt.date(2024, 3, 7), "M2", "refusal", D("-50"), None, "late"),
    ]
    # The rollups are current: C1 on 5 March sold 1000.50 and took back 100.
    assert rows(
        engine,
        select(SalesDay.day, SalesDay.gross, SalesDay.returns, SalesDay.net).order_by(SalesDay.day),
    ) == [
        (dt.date(2024, 3, 5), D("1000.50"), D("-100"), D("900.50")),
        (dt.date(2024, 3, 6), D("200"), D("0"), D("200")),
        (dt.date(2024, 3, 7), D("0"), D("-50"), D("-50")),
    ]


def test_invoices_payments_and_plans_defaults(engine, tmp_path):
    base_data(engine, tmp_path)
    invoices = write(
        tmp_path,
        "invoices.csv",
        "invoice_no,client_code,invoice_date,due_date,amount\n"
        "I1,C1,2024-03-05,,1000\n"  # C1 pays in 30 days: due 4 April
        "I2,C2,2024-03-05,,500\n"  # C2 has no terms: due the same day
        "I3,C1,2024-03-05,2024-03-20,250\n",
    )
    payments = write(
        tmp_path,
        "payments.csv",
        "payment_no,client_code,payment_date,amount,invoice_no\nP-1,C1,10.03.2024,400,I1\nP-2,C2,11.03.2024,100,\n",
    )
    plans = write(
        tmp_path,
        "plans.csv",
        "period,manager_code,metric,target,client_code\n"
        "2024-03,M1,revenue,100000,\n"
        "2024-03,M1,revenue,40000,C1\n"
        "2024-03,M1,active_clients,12,\n"
        "2024-03,M1,new_clients,2,\n",
    )
    summaries = load(engine, plans, payments, invoices)
    assert [(s.entity, s.inserted) for s in summaries] == [
        ("invoices", 3),
        ("payments", 2),
        ("plans", 4),
    ]
    assert rows(
        engine, select(Invoice.invoice_no, Invoice.due_date).order_by(Invoice.invoice_no)
    ) == [
        ("I1", dt.date(2024, 4, 4)),
        ("I2", dt.date(2024, 3, 5)),
        ("I3", dt.date(2024, 3, 20)),
    ]
    assert rows(
        engine,
        select(Payment.payment_no, Payment.amount, Invoice.invoice_no)
        .outerjoin(Invoice, Invoice.id == Payment.invoice_id)
        .order_by(Payment.payment_no),
    ) == [("P-1", D(400), "I1"), ("P-2", D(100), None)]
    assert rows(
        engine,
        select(Plan.period, Plan.metric, Plan.target, Client.code)
        .outerjoin(Client, Client.id == Plan.client_id)
        .order_by(Plan.metric, Plan.target),
    ) == [
        (dt.date(2024, 3, 1), "active_clients", D(12), None),
        (dt.date(2024, 3, 1), "new_clients", D(2), None),
        (dt.date(2024, 3, 1), "revenue", D(40000), "C1"),
        (dt.date(2024, 3, 1), "revenue", D(100000), None),
    ]
    # Loading the same plans again matches both kinds of row, client-level and manager-level.
    [again] = load(engine, plans)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)


def test_every_kind_of_invalid_row_with_its_line(engine, tmp_path):
    base_data(engine, tmp_path)
    sales = write(
        tmp_path,
        "sales.csv",
        "doc_no,line_no,doc_date,client_code,sku,amount,kind\n"
        "D1,1,2024-03-05,C1,P1,100,\n"  # line 2: fine
        'D1,2,"31.02.2024",C9,P9,"1.234,5",\n'  # line 3: date, client, product, number
        '"D\n2",1,2024-03-05,C1,,50,return\n'  # lines 4-5: return with a positive amount
        "D1,1,2024-03-06,C2,,10,\n"  # line 6: the key D1/1 again
        "D3,x,,C1,,,gift\n",  # line 7
    )
    [summary] = load(engine, sales)
    assert summary.status == "rejected"
    assert (summary.rows, summary.rejected, summary.inserted) == (5, 4, 0)
    assert messages(summary) == [
        "sales.csv:3: doc_date: '31.02.2024' is not a real date; expected a date as YYYY-MM-DD or DD.MM.YYYY",
        "sales.csv:3: amount: '1.234,5' is not a number; expected a number like 1234.56 or 1 234,56",
        "sales.csv:4: amount: '50' is positive for a return; expected a negative amount (or 0) for a return",
        "sales.csv:6: doc_no, line_no: D1, 1 repeats line 2; expected each doc_no, line_no once in a file",
        "sales.csv:7: line_no: 'x' is not a whole number; expected digits like 30",
        "sales.csv:7: doc_date: is empty; expected a date as YYYY-MM-DD or DD.MM.YYYY",
        "sales.csv:7: amount: is empty; expected a number like 1234.56 or 1 234,56",
        "sales.csv:7: kind: 'gift' is not allowed; expected one of sale, return, refusal",
    ]
    # Line 3's references are checked once its cells parse: fix them and they show up.
    fixed = write(
        tmp_path,
        "sales.csv",
        "doc_no,doc_date,client_code,sku,amount\nD1,2024-03-05,C9,P9,1\nD2,2024-03-05,C1,,x\n",
    )
    [summary] = load(engine, fixed)
    assert messages(summary) == [
        "sales.csv:2: client_code: unknown client 'C9'; expected the code of a client in the "
        "database or in a clients file loaded with this one",
        "sales.csv:2: sku: unknown product 'P9'; expected the sku of a product in the database "
        "or in a products file loaded with this one",
        "sales.csv:3: amount: 'x' is not a number; expected a number like 1234.56 or 1 234,56",
    ]


def test_invalid_invoices_payments_plans_clients_managers(engine, tmp_path):
    base_data(engine, tmp_path)
    write(
        tmp_path,
        "invoices.csv",
        "invoice_no,client_code,invoice_date,amount\nI1,C1,2024-03-01,100\n",
    )
    load(engine, tmp_path / "invoices.csv")
    cases = {
        "invoices.csv": (
            "invoice_no,client_code,invoice_date,due_date,amount\n"
            "I2,C1,2024-03-05,2024-03-01,-10\n",
            [
                "invoices.csv:2: amount: '-10' is not above 0; expected an amount above 0",
            ],
        ),
        "payments.csv": (
            "payment_no,client_code,payment_date,amount,invoice_no\nP1,C2,2024-03-05,0,\nP2,C2,2024-03-05,5,I1\nP3,C1,2024-03-05,5,I9\n",
            [
                "payments.csv:2: amount: '0' is not above 0; expected an amount above 0",
                "payments.csv:3: invoice_no: invoice 'I1' is billed to another client; expected an invoice of client C2",
                "payments.csv:4: invoice_no: unknown invoice 'I9'; expected the number of an invoice "
                "in the database or in an invoices file loaded with this one",
            ],
        ),
        "plans.csv": (
            "period,manager_code,metric,target,client_code\n2024-3,M1,new_clients,2,C1\n2024-03,M9,revenue,-1,\n2024-03,M1,active_clients,5,C1\n",
            [
                "plans.csv:2: client_code: a plan per client is only for metric revenue; expected an empty client_code for new_clients",
                "plans.csv:3: target: '-1' is negative; expected 0 or more",
                "plans.csv:4: client_code: a plan per client is only for metric revenue; expected an empty client_code for active_clients",
            ],
        ),
        "clients.csv": (
            "code,name,manager_code,status,credit_limit,contract_start,contract_end\n"
            "C5,Epsilon,M9,closed,-1,2024-02-01,2024-01-31\n",
            [
                "clients.csv:2: status: 'closed' is not allowed; expected one of active, potential, lost",
                "clients.csv:2: credit_limit: '-1' is negative; expected 0 or more",
            ],
        ),
        "managers.csv": (
            "code,name,email,active\nM3,Vera,anna@example.com,yes\nM4,Gleb,gleb@example.com,\nM5,Dina,,maybe\nM6,,bad-address,\nM7,Olga,gleb@example.com,\n",
            [
                "managers.csv:2: email: 'anna@example.com' is already the e-mail of manager M1; expected an e-mail no other manager has",
                "managers.csv:4: active: 'maybe' is not yes or no; expected true/false, yes/no or 1/0",
                "managers.csv:5: name: is empty; expected a value",
                "managers.csv:5: email: 'bad-address' is not an e-mail address; expected one like name@example.com",
                "managers.csv:6: email: 'gleb@example.com' is also given to manager M4 in this file; expected an e-mail no other manager has",
            ],
        ),
    }
    for name, (text, expected) in cases.items():
        [summary] = load(engine, write(tmp_path, name, text))
        assert messages(summary) == expected, name
    # The rules that need two columns, once the single cells are right.
    [summary] = load(
        engine,
        write(
            tmp_path,
            "clients.csv",
            "code,name,manager_code,contract_start,contract_end\nC5,Epsilon,M9,2024-02-01,2024-01-31\n",
        ),
    )
    assert messages(summary) == [
        "clients.csv:2: manager_code: unknown manager 'M9'; expected the code of a manager in the "
        "database or in a managers file loaded with this one",
        "clients.csv:2: contract_end: contract_end 2024-01-31 is before contract_start 2024-02-01.",
    ]
    [summary] = load(
        engine,
        write(
            tmp_path,
            "invoices.csv",
            "invoice_no,client_code,invoice_date,due_date,amount\nI2,C1,2024-03-05,2024-03-01,10\n",
        ),
    )
    assert messages(summary) == [
        "invoices.csv:2: due_date: due_date 2024-03-01 is before invoice_date 2024-03-05."
    ]


def test_header_problems_reject_the_file(engine, tmp_path):
    [summary] = load(
        engine,
        write(
            tmp_path, "sales.csv", "Doc_No , DOC_DATE,doc_date,note\nD1,2024-01-01,2024-01-01,x\n"
        ),
    )
    assert summary.status == "rejected"
    assert messages(summary) == [
        "sales.csv:1: doc_date: appears twice in the header (columns 2 and 3); expected each column once",
        "sales.csv:1: client_code: required column is missing; expected a header with doc_no, doc_date, client_code, amount",
        "sales.csv:1: amount: required column is missing; expected a header with doc_no, doc_date, client_code, amount",
    ]


def test_a_rejected_file_leaves_the_database_exactly_as_it_was(engine, tmp_path):
    base_data(engine, tmp_path)
    load(
        engine,
        write(tmp_path, "sales.csv", "doc_no,doc_date,client_code,amount\nD0,2024-03-01,C1,10\n"),
    )
    before = dump(engine)
    # More than one chunk, valid rows first, the bad row last: chunks already written go too.
    lines = [f"D{i},2024-03-02,C2,{i}" for i in range(1, 6001)] + ["DX,2024-03-02,C9,1"]
    sales = write(
        tmp_path, "sales.csv", "doc_no,doc_date,client_code,amount\n" + "\n".join(lines) + "\n"
    )
    [summary] = load(engine, sales)
    assert (summary.status, summary.rows, summary.rejected, summary.inserted) == (
        "rejected",
        6001,
        1,
        0,
    )
    assert messages(summary)[0].startswith("sales.csv:6002: client_code: unknown client 'C9'")
    assert dump(engine) == before


def test_reloading_changes_nothing_and_a_changed_row_is_updated(engine, tmp_path):
    base_data(engine, tmp_path)
    sales = write(
        tmp_path,
        "sales.csv",
        "doc_no,doc_date,client_code,sku,amount\nD1,2024-03-05,C1,P1,100\nD1,2024-03-05,C1,P2,50.5\n",
    )
    load(engine, sales)
    before = dump(engine)
    [again] = load(engine, sales)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    after = dump(engine)
    # Only the audit trail and the data version moved: the load itself is recorded.
    assert {k: v for k, v in after.items() if k not in ("audit_log", "data_version")} == {
        k: v for k, v in before.items() if k not in ("audit_log", "data_version")
    }

    write(
        tmp_path,
        "sales.csv",
        "doc_no,doc_date,client_code,sku,amount\nD1,2024-03-05,C1,P1,100\nD1,2024-03-05,C2,P2,75\n",
    )
    [changed] = load(engine, sales)
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 1)
    assert rows(
        engine,
        select(SalesLine.line_no, SalesLine.client_id, SalesLine.amount).order_by(
            SalesLine.line_no
        ),
    ) == [
        (1, 1, D(100)),
        (2, 2, D(75)),
    ]
    # Both the old and the new client's rollups moved.
    assert rows(engine, select(SalesDay.client_id, SalesDay.net).order_by(SalesDay.client_id)) == [
        (1, D(100)),
        (2, D(75)),
    ]

    # Absent columns keep their stored values; the row's version goes up when it changes.
    [clients] = load(
        engine,
        write(tmp_path, "clients.csv", "code,name,manager_code\nC1,Alpha Ltd,M1\nC2,Beta,M2\n"),
    )
    assert (clients.updated, clients.unchanged) == (1, 1)
    assert rows(
        engine,
        select(Client.code, Client.name, Client.payment_terms_days, Client.version).order_by(
            Client.code
        ),
    ) == [
        ("C1", "Alpha Ltd", 30, 2),
        ("C2", "Beta", 0, 1),
    ]


def test_a_new_product_category_reaches_the_monthly_rollup(engine, tmp_path):
    base_data(engine, tmp_path)
    load(
        engine,
        write(
            tmp_path,
            "sales.csv",
            "doc_no,doc_date,client_code,sku,amount\nD1,2024-03-05,C1,P1,100\n",
        ),
    )
    [products] = load(
        engine,
        write(tmp_path, "products.csv", "sku,name,category\nP1,Milk,Drinks\nP2,Bread,Bakery\n"),
    )
    assert (products.updated, products.unchanged) == (1, 1)
    assert rows(engine, select(SalesMonth.category, SalesMonth.amount)) == [("Drinks", D(100))]


def test_contacts_by_client_and_name(engine, tmp_path):
    base_data(engine, tmp_path)
    contacts = write(
        tmp_path,
        "contacts.csv",
        "client_code,name,position,phone\nC1,Ivan Petrov,Buyer,+7 900\nC2,Ivan Petrov,,\n",
    )
    [first] = load(engine, contacts)
    assert first.inserted == 2
    write(
        tmp_path,
        "contacts.csv",
        "client_code,name,position,phone\nC1,Ivan Petrov,Head buyer,+7 900\nC2,Ivan Petrov,,\n",
    )
    [second] = load(engine, contacts)
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert rows(engine, select(Contact.position).order_by(Contact.client_id)) == [
        ("Head buyer",),
        (None,),
    ]


def test_skip_invalid_loads_the_rest_and_writes_the_rejected_rows(engine, tmp_path):
    base_data(engine, tmp_path)
    sales = write(
        tmp_path,
        "sales.csv",
        "doc_no;doc_date;client_code;amount;note\n"
        "D1;05.03.2024;C1;100;a\n"
        "D1;05.03.2024;C9;20;b\n"
        "D1;05.03.2024;C1;30;c\n"
        "D2;06.03.2024;C2;abc;d\n",
    )
    [summary] = load(engine, sales, skip_invalid=True)
    assert (summary.status, summary.inserted, summary.rejected) == ("partial", 2, 2)
    assert summary.ignored_columns == ["note"]
    # The good lines keep their positions in the document: line 2 of D1 was the rejected one.
    assert rows(
        engine,
        select(SalesLine.doc_no, SalesLine.line_no, SalesLine.amount).order_by(SalesLine.line_no),
    ) == [
        ("D1", 1, D(100)),
        ("D1", 3, D(30)),
    ]
    assert summary.rejected_path == tmp_path / "sales.rejected.csv"
    with summary.rejected_path.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh, delimiter=";")) == [
            ["doc_no", "doc_date", "client_code", "amount", "note", "line_no", "error"],
            [
                "D1",
                "05.03.2024",
                "C9",
                "20",
                "b",
                "2",
                "client_code: unknown client 'C9'; expected the code of a client "
                "in the database or in a clients file loaded with this one",
            ],
            [
                "D2",
                "06.03.2024",
                "C2",
                "abc",
                "d",
                "1",
                "amount: 'abc' is not a number; expected a number like 1234.56 or 1 234,56",
            ],
        ]
    # Fixed, the rejected-rows file loads as it is (its error column is ignored).
    text = (
        summary.rejected_path.read_text(encoding="utf-8-sig")
        .replace(";C9;", ";C1;")
        .replace(";abc;", ";7;")
    )
    summary.rejected_path.write_text(text, encoding="utf-8-sig")
    [fixed] = load(engine, summary.rejected_path)
    assert (fixed.entity, fixed.status, fixed.inserted) == ("sales", "loaded", 2)
    assert rows(
        engine,
        select(SalesLine.doc_no, SalesLine.line_no, SalesLine.amount).order_by(
            SalesLine.doc_no, SalesLine.line_no
        ),
    ) == [
        ("D1", 1, D(100)),
        ("D1", 2, D(20)),
        ("D1", 3, D(30)),
        ("D2", 1, D(7)),
    ]


def test_a_problem_reads_in_the_ui_language_and_in_english_for_the_command(
    sqlite_engine, tmp_path, monkeypatch
):
    base_data(sqlite_engine, tmp_path)
    unknown = (
        "unknown client '{code}'; expected the code of a client in the database or in a "
        "clients file loaded with this one"
    )
    fake = {unknown: "неизвестный клиент «{code}»; нужен код клиента из базы"}
    monkeypatch.setattr(i18n, "_translations", russian_only(fake))
    sales = write(tmp_path, "sales.csv", "doc_no,doc_date,client_code,amount\nD1,2024-03-05,C9,5\n")
    i18n.set_language("ru")
    try:
        [summary] = load(sqlite_engine, sales, skip_invalid=True, wording=i18n.t)
        [problem] = summary.problems
        kept = pickle.loads(pickle.dumps(problem))  # as the page's session state may keep it
        assert i18n.t(kept.message) == "неизвестный клиент «C9»; нужен код клиента из базы"
        table = importer.problems_table([kept], i18n.t)
        assert list(table["problem"]) == ["неизвестный клиент «C9»; нужен код клиента из базы"]
        with summary.rejected_path.open(encoding="utf-8-sig", newline="") as fh:
            assert list(csv.reader(fh))[1][-1] == (
                "client_code: неизвестный клиент «C9»; нужен код клиента из базы"
            )
    finally:
        i18n.set_language("en")
    # The command prints the English text whatever the language.
    assert str(kept) == (
        "sales.csv:2: client_code: unknown client 'C9'; expected the code of a client in the "
        "database or in a clients file loaded with this one"
    )


def test_dry_run_counts_without_writing(engine, tmp_path):
    before = dump(engine)
    files = [
        write(tmp_path, "managers.csv", MANAGERS),
        write(tmp_path, "clients.csv", CLIENTS),
        write(tmp_path, "sales.csv", "doc_no,doc_date,client_code,amount\nD1,2024-03-05,C1,100\n"),
    ]
    summaries = load(engine, *files, dry_run=True, skip_invalid=True)
    assert [(s.entity, s.inserted, s.dry_run, s.status) for s in summaries] == [
        ("managers", 2, True, "loaded"),
        ("clients", 2, True, "loaded"),
        ("sales", 1, True, "loaded"),
    ]
    assert dump(engine) == before
    assert not (tmp_path / "sales.rejected.csv").exists()


def test_files_load_in_dependency_order_and_audit_each_load(engine, tmp_path):
    files = [
        write(tmp_path, "sales.csv", "doc_no,doc_date,client_code,amount\nD1,2024-03-05,C1,100\n"),
        write(tmp_path, "clients.csv", CLIENTS),
        write(tmp_path, "managers.csv", MANAGERS),
    ]
    planned = importer.plan_files(files)
    assert [f.entity for f in planned] == ["managers", "clients", "sales"]
    with db.reading(engine) as s:
        version = s.scalar(select(DataVersion.version).where(DataVersion.id == 1))
    summaries = importer.load_files(engine, planned, viewer=SYSTEM, actor=ACTOR)
    assert [s.status for s in summaries] == ["loaded"] * 3
    with db.reading(engine) as s:
        assert s.scalar(select(DataVersion.version).where(DataVersion.id == 1)) == version + 3
        audits = s.execute(
            select(
                AuditLog.actor, AuditLog.entity, AuditLog.entity_id, AuditLog.action, AuditLog.after
            ).order_by(AuditLog.id)
        ).all()
    assert [a[:4] for a in audits] == [
        ("tester", "managers", "managers.csv", "import"),
        ("tester", "clients", "clients.csv", "import"),
        ("tester", "sales", "sales.csv", "import"),
    ]
    assert audits[2].after == {
        "file": "sales.csv",
        "entity": "sales",
        "rows": 1,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejected_file": None,
    }


def test_a_folder_loads_every_import_file_in_it(engine, tmp_path):
    write(tmp_path, "managers.csv", MANAGERS)
    write(tmp_path, "Clients_2024-03.csv", CLIENTS)
    write(tmp_path, "sales.rejected.csv", "doc_no,doc_date,client_code,amount,error\n")
    write(tmp_path, "notes.txt", "not an export")
    write(tmp_path, "export.csv", "a,b\n")
    planned = importer.plan_files([tmp_path])
    assert [(f.path.name, f.entity) for f in planned] == [
        ("managers.csv", "managers"),
        ("Clients_2024-03.csv", "clients"),
    ]
    assert [
        s.inserted for s in importer.load_files(engine, planned, viewer=SYSTEM, actor=ACTOR)
    ] == [2, 2]


def test_usage_errors(tmp_path):
    clients = write(tmp_path, "clients.csv", CLIENTS)
    export = write(tmp_path, "export.csv", CLIENTS)
    with pytest.raises(
        importer.UsageError, match=r"^unknown entity 'orders'; expected one of managers, clients"
    ):
        importer.plan_files([clients], entity="orders")
    with pytest.raises(importer.UsageError, match="no such file or folder"):
        importer.plan_files([tmp_path / "missing.csv"])
    with pytest.raises(importer.UsageError, match="the name says clients, but --entity says sales"):
        importer.plan_files([clients], entity="sales")
    with pytest.raises(importer.UsageError, match="cannot tell what this file holds"):
        importer.plan_files([export])
    assert importer.plan_files([export], entity="clients")[0].entity == "clients"
    (tmp_path / "empty").mkdir()
    with pytest.raises(importer.UsageError, match="no import files in this folder"):
        importer.plan_files([tmp_path / "empty"])


def test_windows_1251_semicolons_and_decimal_commas(engine, tmp_path):
    write(tmp_path, "managers.csv", "code;name\nM1;Анна Иванова\n", encoding="cp1251")
    write(
        tmp_path,
        "clients.csv",
        "code;name;manager_code;credit_limit\nC1;ООО «Ромашка»;M1;1 500 000,00\n",
        encoding="cp1251",
    )
    summaries = load(engine, tmp_path)
    assert [(s.status, s.encoding, s.separator) for s in summaries] == [
        ("loaded", "Windows-1251", ";"),
        ("loaded", "Windows-1251", ";"),
    ]
    assert rows(engine, select(Manager.name, Client.name, Client.credit_limit).join(Manager)) == [
        ("Анна Иванова", "ООО «Ромашка»", D("1500000.00"))
    ]


def test_xlsx_files_load_like_csv(engine, tmp_path):
    base_data(engine, tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Doc_No", "Doc_Date", "Client_Code", "SKU", "Qty", "Amount"])
    sheet.append(["D1", dt.datetime(2024, 3, 5, 10, 30), "C1", "P1", 2, 99.9])
    sheet.append(["D1", "06.03.2024", "C1", "P2", 1.5, "1 000,25"])
    sheet.append([None] * 6)
    sheet.append(["D2", dt.datetime(2024, 3, 7), "C2", None, None, "oops"])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    [summary] = load(engine, path)
    assert messages(summary) == [
        "sales.xlsx:5: amount: 'oops' is not a number; expected a number like 1234.56 or 1 234,56"
    ]
    sheet.cell(row=5, column=6, value=-12)
    book.save(path)
    [summary] = load(engine, path)
    assert (summary.status, summary.inserted, summary.encoding) == ("loaded", 3, "XLSX")
    assert rows(
        engine,
        select(
            SalesLine.doc_no,
            SalesLine.line_no,
            SalesLine.doc_date,
            SalesLine.qty,
            SalesLine.amount,
            SalesLine.kind,
        ).order_by(SalesLine.id),
    ) == [
        ("D1", 1, dt.date(2024, 3, 5), D(2), Decimal("99.90"), "sale"),
        ("D1", 2, dt.date(2024, 3, 6), D("1.5"), D("1000.25"), "sale"),
        ("D2", 1, dt.date(2024, 3, 7), None, D(-12), "return"),
    ]


def test_load_file_in_the_callers_transaction(engine, tmp_path):
    # The building block the page uses: a rejected file leaves the caller's transaction usable.
    managers = importer.ImportFile(
        write(tmp_path, "upload-1.csv", MANAGERS), "managers", "managers.csv"
    )
    bad = importer.ImportFile(
        write(tmp_path, "upload-2.csv", "code,name,manager_code\nC1,A,M9\n"),
        "clients",
        "clients.csv",
    )
    with db.writing(engine) as s:
        first = importer.load_file(s, managers, viewer=SYSTEM, actor=ACTOR)
        second = importer.load_file(s, bad, viewer=SYSTEM, actor=ACTOR)
        assert s.scalar(select(Manager.code).where(Manager.code == "M1")) == "M1"
    assert (first.status, second.status) == ("loaded", "rejected")
    assert messages(second)[0].startswith("clients.csv:2: manager_code: unknown manager 'M9'")
    assert rows(engine, select(Manager.code).order_by(Manager.code)) == [("M1",), ("M2",)]
    assert rows(engine, select(Product.id)) == []


def test_a_database_refusal_rejects_the_file_without_a_traceback(engine, tmp_path, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from kam.importer import chunks as loading  # where the loader calls upsert

    base_data(engine, tmp_path)
    before = dump(engine)
    real_upsert = loading.upsert

    def upsert_then_fail(session, entity, rows, update_columns, **kwargs):
        outcome = real_upsert(session, entity, rows, update_columns, **kwargs)
        if outcome.pending is not None:
            outcome.pending.result()  # written, then must be undone
        raise IntegrityError("INSERT …", {}, Exception("duplicate key value\nDETAIL: more"))

    monkeypatch.setattr(loading, "upsert", upsert_then_fail)
    [summary] = load(engine, write(tmp_path, "products.csv", "sku,name\nP3,Cheese\n"))
    assert (summary.status, summary.inserted) == ("rejected", 0)
    assert messages(summary) == [
        "products.csv:1: file: the database refused the file (duplicate key value); nothing was loaded"
    ]
    assert dump(engine) == before


def test_an_unwritable_rejected_rows_folder_rejects_the_file(sqlite_engine, tmp_path):
    base_data(sqlite_engine, tmp_path)
    blocker = write(tmp_path, "blocker", "a file where a folder should be")
    files = importer.plan_files([write(tmp_path, "products.csv", "sku,name\nP3,\n")])
    [summary] = importer.load_files(
        sqlite_engine,
        files,
        viewer=SYSTEM,
        actor=ACTOR,
        skip_invalid=True,
        rejected_dir=blocker / "sub",
    )
    assert summary.status == "rejected"
    assert messages(summary)[-1].startswith("products.csv:1: file: cannot read or write")


def test_a_failing_background_insert_rejects_the_file(engine, tmp_path, monkeypatch):
    from kam.importer import upsert

    base_data(engine, tmp_path)
    before = dump(engine)
    real_statement = upsert._insert_statement

    def broken_statement(session, table, rows):
        connection, sql, params = real_statement(session, table, rows)
        return connection, sql.replace(table.name, "no_such_table", 1), params

    monkeypatch.setattr(upsert, "_insert_statement", broken_statement)
    lines = "".join(f"P{i},Product {i}\n" for i in range(3, 6010))  # two chunks
    [summary] = load(engine, write(tmp_path, "products.csv", "sku,name\n" + lines))
    assert (summary.status, summary.inserted) == ("rejected", 0)
    assert messages(summary)[0].startswith("products.csv:1: file: the database refused the file (")
    assert "no_such_table" in messages(summary)[0]
    assert dump(engine) == before


def test_products_carry_their_unit_and_a_file_without_it_keeps_it(engine, tmp_path):
    load(
        engine,
        write(
            tmp_path,
            "products.csv",
            "sku,name,category,unit\nP1,Milk,Dairy,l\nP2,Cheese,Dairy,kg\n",
        ),
    )
    # A later file without the column changes the names and leaves the units as they were.
    load(engine, write(tmp_path, "products.csv", "sku,name\nP1,Milk 3.2%\nP2,Gouda\n"))
    with db.reading(engine) as s:
        rows = s.execute(
            select(Product.sku, Product.name, Product.unit).order_by(Product.sku)
        ).all()
    assert [tuple(r) for r in rows] == [("P1", "Milk 3.2%", "l"), ("P2", "Gouda", "kg")]
