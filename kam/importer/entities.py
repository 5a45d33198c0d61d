"""What each import file holds: its columns (required ones, kinds, defaults), its natural key,
the table it fills, and the dependency order files load in."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from kam.core.i18n import N_, Msg
from kam.core.models import (
    CLIENT_STATUSES,
    PLAN_METRICS,
    ROLES,
    SALE_KINDS,
    Base,
    Client,
    Contact,
    Invoice,
    Manager,
    Payment,
    Plan,
    Product,
    SalesLine,
)
from kam.importer import parsing
from kam.importer.parsing import CellError

# Numeric(14, 2) for money, Numeric(14, 3) for quantities (kam.core.models).
_DIGITS = 14
_PLACES = {"money": 2, "qty": 3}
# Message ids of an empty required cell, by kind, and of a value below a minimum.
_EMPTY = {
    "text": N_("is empty; expected a value"),
    "email": N_("is empty; expected an e-mail address"),
    "int": N_("is empty; expected a whole number"),
    "money": N_("is empty; expected a number like 1234.56 or 1 234,56"),
    "qty": N_("is empty; expected a number like 1234.56 or 1 234,56"),
    "date": N_("is empty; expected a date as YYYY-MM-DD or DD.MM.YYYY"),
    "period": N_("is empty; expected a month as YYYY-MM"),
    "bool": N_("is empty; expected true or false"),
    "choice": N_("is empty; expected one of {choices}"),
}
_MINIMUM = {
    ">0": (lambda v: v > 0, N_("'{value}' is not above 0; expected an amount above 0")),
    ">=0": (lambda v: v >= 0, N_("'{value}' is negative; expected 0 or more")),
    ">=1": (lambda v: v >= 1, N_("'{value}' is below 1; expected 1 or more")),
}


@dataclass(frozen=True)
class Column:
    """One column of an import file and how its cells are read."""

    name: str
    kind: str = "text"  # text, email, int, money, qty, date, period, bool, choice
    required: bool = False
    target: str | None = None  # the table column it fills, when it differs (codes → ids)
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: str | None = None  # a key of _MINIMUM
    maximum: int | None = None  # for whole numbers: a sane upper bound (days of terms, say)
    default: Any = None  # used for an empty cell, and for new rows when the column is absent

    @property
    def column(self) -> str:
        """The table column this file column fills."""
        return self.target or self.name

    def parse(self, raw: Any) -> Any:
        """The cell's value; raises CellError saying what is wrong and what was expected."""
        return self.parser(raw)

    @cached_property
    def parser(self) -> Callable[[Any], Any]:
        """``parse`` built once for this column (it runs for every cell of large files)."""
        kind, places = self.kind, _PLACES.get(self.kind)
        if kind == "text":
            base = functools.partial(parsing.parse_text, max_length=self.max_length)
        elif places is not None:
            limit = Decimal(10) ** (_DIGITS - places)
            shown_limit = f"{limit:,}".replace(",", " ")

            def base(raw: Any) -> Any:
                value = parsing.parse_decimal(raw, places)
                if value is not None and abs(value) >= limit:
                    raise CellError(
                        Msg(
                            "'{value}' is too large; expected less than {limit}",
                            value=parsing.cell_text(raw).strip(),
                            limit=shown_limit,
                        )
                    )
                return value

        elif kind == "date":
            base = parsing.parse_date
        elif kind == "int":
            most = 2_147_483_647 if self.maximum is None else self.maximum

            def base(raw: Any) -> Any:
                value = parsing.parse_int(raw)
                if value is not None and abs(value) > most:
                    raise CellError(
                        Msg(
                            "'{value}' is too large; expected at most {most}",
                            value=value,
                            most=most,
                        )
                    )
                return value

        elif kind == "choice":
            base = functools.partial(parsing.parse_choice, choices=self.choices)
        elif kind == "email":
            base = functools.partial(parsing.parse_email, max_length=self.max_length)
        elif kind == "bool":
            base = parsing.parse_bool
        else:
            base = parsing.parse_period
        required, default = self.required, self.default
        empty = (
            Msg(_EMPTY[kind], choices=", ".join(self.choices)) if kind == "choice" else _EMPTY[kind]
        )
        check, message = _MINIMUM[self.minimum] if self.minimum else (None, "")

        def parse(raw: Any) -> Any:
            value = base(raw)
            if value is None:
                if required:
                    raise CellError(empty)
                return default
            if check is not None and not check(value):
                raise CellError(Msg(message, value=parsing.cell_text(raw).strip()))
            return value

        # Fast paths for the cells that make up nearly all of a large file: plain text, plain
        # numbers and dates already seen. Anything else takes the full path above.
        if kind == "text":
            max_length = self.max_length or 1 << 30

            def parse_text(raw: Any) -> Any:
                if type(raw) is str:
                    text = raw.strip()
                    # isprintable is false for any control character (and a few spaces, which
                    # the full path lets through).
                    if text and len(text) <= max_length and text.isprintable():
                        return text
                return parse(raw)

            return parse_text
        if places is not None:
            plain = parsing.PLAIN_NUMBER.fullmatch
            limit = Decimal(10) ** (_DIGITS - places)

            # Three decimals after a comma may be a thousands group: the full rule decides.
            fast_places = min(places, 2)

            def parse_number(raw: Any) -> Any:
                if type(raw) is str and plain(raw):
                    comma = raw.find(",")
                    point = comma if comma >= 0 else raw.find(".")
                    if point < 0 or len(raw) - point <= fast_places + 1:
                        value = Decimal(raw.replace(",", ".") if comma >= 0 else raw)
                        if abs(value) < limit and (check is None or check(value)):
                            return value
                return parse(raw)

            return parse_number
        if kind == "date":
            dates = parsing.DATES

            def parse_date(raw: Any) -> Any:
                known = dates.get(raw) if type(raw) is str else None
                return known if known is not None else parse(raw)

            return parse_date
        return parse


@dataclass(frozen=True)
class Entity:
    """One kind of import file: its columns and how its rows map onto a table."""

    name: str
    model: type[Base]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # file columns that name a row once in a file
    db_key: tuple[str, ...]  # table columns of the natural key
    lookup: str  # table column used to fetch the existing rows of a chunk
    always_set: tuple[str, ...] = ()  # table columns derived for every row, present or not

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


def _len(model: type[Base], column: str) -> int | None:
    return getattr(model.__table__.c[column].type, "length", None)


def _text(model: type[Base], name: str, required: bool = False, **kw: Any) -> Column:
    return Column(name, "text", required, max_length=_len(model, name), **kw)


ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "managers",
            Manager,
            (
                _text(Manager, "code", True),
                _text(Manager, "name", True),
                Column("email", "email", max_length=_len(Manager, "email")),
                Column("role", "choice", choices=ROLES, default="kam"),
                Column("active", "bool", default=True),
            ),
            key=("code",),
            db_key=("code",),
            lookup="code",
        ),
        Entity(
            "clients",
            Client,
            (
                _text(Client, "code", True),
                _text(Client, "name", True),
                Column("manager_code", "text", True, target="manager_id"),
                _text(Client, "segment"),
                _text(Client, "region"),
                Column("status", "choice", choices=CLIENT_STATUSES, default="active"),
                Column("credit_limit", "money", minimum=">=0"),
                # Ten years: beyond that a due date is a typo, and would overflow a date.
                Column("payment_terms_days", "int", minimum=">=0", maximum=3650, default=0),
                _text(Client, "price_column"),
                _text(Client, "contract_no"),
                Column("contract_start", "date"),
                Column("contract_end", "date"),
            ),
            key=("code",),
            db_key=("code",),
            lookup="code",
        ),
        Entity(
            "contacts",
            Contact,
            (
                Column("client_code", "text", True, target="client_id"),
                _text(Contact, "name", True),
                _text(Contact, "position"),
                _text(Contact, "phone"),
                Column("email", "email", max_length=_len(Contact, "email")),
            ),
            key=("client_code", "name"),
            db_key=("client_id", "name"),
            lookup="client_id",
        ),
        Entity(
            "products",
            Product,
            (
                _text(Product, "sku", True),
                _text(Product, "name", True),
                _text(Product, "category"),
                _text(Product, "unit"),
            ),
            key=("sku",),
            db_key=("sku",),
            lookup="sku",
        ),
        Entity(
            "sales",
            SalesLine,
            (
                _text(SalesLine, "doc_no", True),
                Column("line_no", "int", minimum=">=1"),
                Column("doc_date", "date", True),
                Column("client_code", "text", True, target="client_id"),
                Column("sku", "text", target="product_id"),
                Column("qty", "qty"),
                Column("amount", "money", True),
                Column("cost", "money"),
                Column("manager_code", "text", target="manager_id"),
                Column("kind", "choice", choices=SALE_KINDS),
                _text(SalesLine, "reason"),
            ),
            key=("doc_no", "line_no"),
            db_key=("doc_no", "line_no"),
            lookup="doc_no",
            always_set=("kind",),
        ),
        Entity(
            "invoices",
            Invoice,
            (
                _text(Invoice, "invoice_no", True),
                Column("client_code", "text", True, target="client_id"),
                Column("invoice_date", "date", True),
                Column("due_date", "date"),
                Column("amount", "money", True, minimum=">0"),
                _text(Invoice, "doc_no"),
            ),
            key=("invoice_no",),
            db_key=("invoice_no",),
            lookup="invoice_no",
        ),
        Entity(
            "payments",
            Payment,
            (
                _text(Payment, "payment_no", True),
                Column("client_code", "text", True, target="client_id"),
                Column("payment_date", "date", True),
                Column("amount", "money", True, minimum=">0"),
                Column("invoice_no", "text", target="invoice_id"),
            ),
            key=("payment_no",),
            db_key=("payment_no",),
            lookup="payment_no",
        ),
        Entity(
            "plans",
            Plan,
            (
                Column("period", "period", True),
                Column("manager_code", "text", True, target="manager_id"),
                Column("metric", "choice", True, choices=PLAN_METRICS),
                Column("target", "money", True, minimum=">=0"),
                Column("client_code", "text", target="client_id"),
            ),
            key=("period", "manager_code", "metric", "client_code"),
            db_key=("period", "manager_id", "metric", "client_id"),
            lookup="manager_id",
        ),
    )
}

# The order files load in, so that a file can name rows loaded by an earlier one in the call.
DEPENDENCY_ORDER: tuple[str, ...] = tuple(ENTITIES)
FILE_SUFFIXES = (".csv", ".xlsx")


def entity_for_filename(filename: str) -> str | None:
    """The entity a file name names (``sales.csv``, ``Sales_2024-03.xlsx``), or None."""
    stem = filename.rsplit(".", 1)[0].lower() if "." in filename else filename.lower()
    for name in ENTITIES:
        if re.match(rf"{name}(?![a-z])", stem):
            return name
    return None
