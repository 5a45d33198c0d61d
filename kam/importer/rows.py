"""Parsed rows turned into table rows: codes resolved to ids, defaults that depend on other
data (the client's manager, the client's payment terms, the sign of the amount), and rules that
span columns. Each builder returns the table values, or the problems as (column, message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core.i18n import N_, Msg
from kam.core.models import Client, Invoice, Manager, Product
from kam.core.validation import Checker

Problems = list[tuple[str, str]]
_IN_CHUNK = 5000
# A whole sentence per kind of row other than a sale (kam.core.models.SALE_KINDS): the kind's word
# takes a different form in other languages depending on where it stands.
_POSITIVE = {
    "return": N_("'{amount}' is positive for a return; expected a negative amount (or 0) for a return"),
    "refusal": N_(
        "'{amount}' is positive for a refusal; expected a negative amount (or 0) for a refusal"
    ),
}


def _not_before(
    problems: Problems, column: str, day: dt.date | None, start_column: str, start: dt.date | None
) -> None:
    """The forms' rule for a date before its start (kam.core.validation.Checker.not_before),
    reported as the importer reports: (column, message)."""
    checker = Checker()
    checker.not_before(column, day, label=column, start=start, start_label=start_column)
    problems.extend(checker.problems.items())


class ClientRef(NamedTuple):
    id: int
    manager_id: int
    payment_terms_days: int


class InvoiceRef(NamedTuple):
    id: int
    client_id: int


@dataclass
class References:
    """Codes looked up in the database a chunk at a time, remembered for the rest of the file.

    A file loaded earlier in the same call is already in the database (same transaction or
    committed), which is how a sales file may name clients from a clients file loaded with it.
    """

    session: Session
    managers: dict[str, int | None] = field(default_factory=dict)
    clients: dict[str, ClientRef | None] = field(default_factory=dict)
    products: dict[str, int | None] = field(default_factory=dict)
    invoices: dict[str, InvoiceRef | None] = field(default_factory=dict)
    # E-mails are unique in any case (as sign-in matches them): keyed in lower case.
    manager_emails: dict[str, str] = field(default_factory=dict)  # e-mail → manager code
    emails_in_file: dict[str, str] = field(default_factory=dict)  # e-mail → code, this file

    def preload(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fetch every code the rows name that is not known yet."""
        rows = list(rows)
        wanted: dict[str, set[str]] = {}
        for column, kind, cache in (
            ("manager_code", "m", self.managers),
            ("client_code", "c", self.clients),
            ("sku", "p", self.products),
            ("invoice_no", "i", self.invoices),
        ):
            codes = {row.get(column) for row in rows}
            codes.discard(None)
            wanted[kind] = codes.difference(cache)
        wanted["e"] = {row["email"].lower() for row in rows if "code" in row and row.get("email")}
        self._fetch(wanted["m"], self.managers, Manager.code, (Manager.id,), lambda r: r[1])
        self._fetch(
            wanted["c"],
            self.clients,
            Client.code,
            (Client.id, Client.manager_id, Client.payment_terms_days),
            lambda r: ClientRef(*r[1:]),
        )
        self._fetch(wanted["p"], self.products, Product.sku, (Product.id,), lambda r: r[1])
        self._fetch(
            wanted["i"],
            self.invoices,
            Invoice.invoice_no,
            (Invoice.id, Invoice.client_id),
            lambda r: InvoiceRef(*r[1:]),
        )
        missing = sorted(wanted["e"] - set(self.manager_emails))
        lowered = func.lower(Manager.email)
        for start in range(0, len(missing), _IN_CHUNK):
            query = select(lowered, Manager.code).where(
                lowered.in_(missing[start : start + _IN_CHUNK])
            )
            self.manager_emails.update({e: c for e, c in self.session.execute(query)})

    def _fetch(
        self,
        codes: set[str],
        cache: dict[str, Any],
        code_column: Any,
        columns: tuple[Any, ...],
        make: Callable[[Any], Any],
    ) -> None:
        ordered = sorted(codes)
        for start in range(0, len(ordered), _IN_CHUNK):
            part = ordered[start : start + _IN_CHUNK]
            cache.update(dict.fromkeys(part))
            query = select(code_column, *columns).where(code_column.in_(part))
            for row in self.session.execute(query):
                cache[row[0]] = make(row)


def _client(v: dict[str, Any], refs: References, problems: Problems) -> ClientRef | None:
    code = v["client_code"]
    client = refs.clients.get(code)
    if client is None:
        problems.append(
            (
                "client_code",
                Msg(
                    "unknown client '{code}'; expected the code of a client in the database or "
                    "in a clients file loaded with this one",
                    code=code,
                ),
            )
        )
    return client


def _manager(code: str, refs: References, problems: Problems) -> int | None:
    manager_id = refs.managers.get(code)
    if manager_id is None:
        problems.append(
            (
                "manager_code",
                Msg(
                    "unknown manager '{code}'; expected the code of a manager in the database or "
                    "in a managers file loaded with this one",
                    code=code,
                ),
            )
        )
    return manager_id


def build_managers(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    email = v.get("email")
    if email is not None:
        owner = refs.manager_emails.get(email.lower())
        in_file = refs.emails_in_file.setdefault(email.lower(), v["code"])
        if owner is not None and owner != v["code"]:
            problems.append(
                (
                    "email",
                    Msg(
                        "'{email}' is already the e-mail of manager {code}; expected an e-mail "
                        "no other manager has",
                        email=email,
                        code=owner,
                    ),
                )
            )
        elif in_file != v["code"]:
            problems.append(
                (
                    "email",
                    Msg(
                        "'{email}' is also given to manager {code} in this file; expected an "
                        "e-mail no other manager has",
                        email=email,
                        code=in_file,
                    ),
                )
            )
    return dict(v), problems


def build_clients(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    row = dict(v)
    row["manager_id"] = _manager(row.pop("manager_code"), refs, problems)
    _not_before(
        problems, "contract_end", v.get("contract_end"), "contract_start", v.get("contract_start")
    )
    return row, problems


def build_contacts(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    row = dict(v)
    client = _client(row, refs, problems)
    del row["client_code"]
    row["client_id"] = client.id if client else None
    return row, problems


def build_products(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    return dict(v), []


def build_sales(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    client = _client(v, refs, problems)
    sku = v.get("sku")
    product_id = None
    if sku is not None:
        product_id = refs.products.get(sku)
        if product_id is None:
            problems.append(
                (
                    "sku",
                    Msg(
                        "unknown product '{sku}'; expected the sku of a product in the database "
                        "or in a products file loaded with this one",
                        sku=sku,
                    ),
                )
            )
    manager_code = v.get("manager_code")
    if manager_code is not None:
        manager_id = _manager(manager_code, refs, problems)
    else:
        manager_id = client.manager_id if client else None
    amount = v["amount"]
    kind = v.get("kind") or ("sale" if amount >= 0 else "return")
    if kind != "sale" and amount > 0:
        problems.append(("amount", Msg(_POSITIVE[kind], amount=str(amount))))
    row = {
        "doc_no": v["doc_no"],
        "line_no": v["line_no"],
        "doc_date": v["doc_date"],
        "client_id": client.id if client else None,
        "product_id": product_id,
        "qty": v.get("qty"),
        "amount": amount,
        "cost": v.get("cost"),
        "manager_id": manager_id,
        "kind": kind,
        "reason": v.get("reason"),
    }
    return row, problems


def build_invoices(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    row = dict(v)
    client = _client(row, refs, problems)
    del row["client_code"]
    row["client_id"] = client.id if client else None
    due = row.get("due_date")
    if due is None and client is not None:
        row["due_date"] = row["invoice_date"] + dt.timedelta(days=client.payment_terms_days)
    else:
        _not_before(problems, "due_date", due, "invoice_date", row["invoice_date"])
    return row, problems


def build_payments(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    row = dict(v)
    client = _client(row, refs, problems)
    del row["client_code"]
    row["client_id"] = client.id if client else None
    number = row.pop("invoice_no", None)
    row["invoice_id"] = None
    if number is not None:
        invoice = refs.invoices.get(number)
        if invoice is None:
            problems.append(
                (
                    "invoice_no",
                    Msg(
                        "unknown invoice '{number}'; expected the number of an invoice in the "
                        "database or in an invoices file loaded with this one",
                        number=number,
                    ),
                )
            )
        elif client is not None and invoice.client_id != client.id:
            problems.append(
                (
                    "invoice_no",
                    Msg(
                        "invoice '{number}' is billed to another client; expected an invoice of "
                        "client {code}",
                        number=number,
                        code=v["client_code"],
                    ),
                )
            )
        else:
            row["invoice_id"] = invoice.id
    return row, problems


def build_plans(v: dict[str, Any], refs: References) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    row = dict(v)
    row["manager_id"] = _manager(row.pop("manager_code"), refs, problems)
    code = row.pop("client_code", None)
    row["client_id"] = None
    if code is not None:
        if v["metric"] != "revenue":
            problems.append(
                (
                    "client_code",
                    Msg(
                        "a plan per client is only for metric revenue; expected an empty "
                        "client_code for {metric}",
                        metric=v["metric"],
                    ),
                )
            )
        else:
            client = _client(v, refs, problems)
            row["client_id"] = client.id if client else None
    return row, problems


BUILDERS: dict[str, Callable[[dict[str, Any], References], tuple[dict[str, Any], Problems]]] = {
    "managers": build_managers,
    "clients": build_clients,
    "contacts": build_contacts,
    "products": build_products,
    "sales": build_sales,
    "invoices": build_invoices,
    "payments": build_payments,
    "plans": build_plans,
}
