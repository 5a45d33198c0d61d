"""A template for every import file, built from the importer's own column definitions: the
columns and what each takes, and one example row the importer accepts, as CSV and XLSX."""

from __future__ import annotations

import pandas as pd

from kam.core.i18n import N_, Msg
from kam.importer.entities import ENTITIES, Column
from kam.reports.export import to_csv, to_xlsx

# One example row per file, a small company that loads in dependency order: the clients name
# the manager above them, the sales the client and the product, and so on.
EXAMPLES: dict[str, dict[str, str]] = {
    "managers": {"code": "K01", "name": "Ирина Смирнова", "email": "irina@example.com",
                 "role": "kam", "active": "yes"},
    "clients": {"code": "C0001", "name": "ООО «Ромашка»", "manager_code": "K01",
                "segment": "HoReCa", "region": "Москва", "status": "active",
                "credit_limit": "500000", "payment_terms_days": "30", "price_column": "Опт 2",
                "contract_no": "Д-17/2026", "contract_start": "2026-01-01",
                "contract_end": "2026-12-31"},
    "contacts": {"client_code": "C0001", "name": "Анна Петрова", "position": "Закупщик",
                 "phone": "8 495 123-45-67", "email": "anna@romashka.example.com"},
    "products": {"sku": "SKU-0001", "name": "Масло сливочное 82,5 % 180 г",
                 "category": "Молочная продукция", "unit": "шт"},
    "sales": {"doc_no": "РН-000123", "line_no": "1", "doc_date": "2026-11-16",
              "client_code": "C0001", "sku": "SKU-0001", "qty": "120", "amount": "25800.00",
              "cost": "21000.00", "manager_code": "K01", "kind": "sale", "reason": ""},
    "invoices": {"invoice_no": "СФ-000123", "client_code": "C0001", "invoice_date": "2026-11-16",
                 "due_date": "2026-12-16", "amount": "25800.00", "doc_no": "РН-000123"},
    "payments": {"payment_no": "ПП-000456", "client_code": "C0001", "payment_date": "2026-11-30",
                 "amount": "25800.00", "invoice_no": "СФ-000123"},
    "plans": {"period": "2026-12", "manager_code": "K01", "metric": "revenue",
              "target": "3000000", "client_code": ""},
}  # fmt: skip
# A column added to the importer without its example would make a template that lies.
if {e: list(EXAMPLES.get(e, {})) for e in ENTITIES} != {
    e: [c.name for c in entity.columns] for e, entity in ENTITIES.items()
}:
    raise RuntimeError("kam.importer.templates: EXAMPLES must name every column of ENTITIES")

KINDS = {
    "text": N_("text"),
    "email": N_("e-mail address"),
    "int": N_("whole number"),
    "money": N_("amount, up to 2 decimals (1234.56 or 1 234,56)"),
    "qty": N_("quantity, up to 3 decimals"),
    "date": N_("date, YYYY-MM-DD or DD.MM.YYYY"),
    "period": N_("month, YYYY-MM"),
    "bool": N_("yes or no"),
    "choice": N_("one of: {choices}"),
}
# Columns that name a row of another file by its code.
REFERENCES = {
    "manager_id": "managers",
    "client_id": "clients",
    "product_id": "products",
    "invoice_id": "invoices",
}
TEMPLATE_COLUMNS = ["column", "required", "takes", "default", "example"]


def takes(column: Column) -> Msg:
    """What a column takes, in words (translatable)."""
    if column.target in REFERENCES:
        return Msg(N_("a code from the {entity} file"), entity=Msg(REFERENCES[column.target]))
    if column.kind == "text" and column.max_length:
        return Msg(N_("text, up to {n} characters"), n=column.max_length)
    if column.kind == "choice":
        return Msg(KINDS["choice"], choices=", ".join(column.choices))
    return Msg(KINDS[column.kind])


def _default(column: Column) -> str:
    if column.default is None:
        return ""
    if isinstance(column.default, bool):
        return "yes" if column.default else "no"
    return str(column.default)


def columns_table(entity: str) -> pd.DataFrame:
    """The columns of ``entity``'s file: column, required, takes (a Msg), default, example."""
    example = EXAMPLES[entity]
    rows = [
        (c.name, c.required, takes(c), _default(c), example[c.name])
        for c in ENTITIES[entity].columns
    ]
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def example_frame(entity: str) -> pd.DataFrame:
    """The header and the example row of ``entity``'s file, every cell as text."""
    return pd.DataFrame([EXAMPLES[entity]], columns=[c.name for c in ENTITIES[entity].columns])


def template_csv(entity: str) -> bytes:
    """The CSV template: UTF-8 with a BOM (so Excel opens the Cyrillic right), comma-separated."""
    return to_csv(example_frame(entity))


def template_xlsx(entity: str) -> bytes:
    """The XLSX template: one sheet named after the file, the header and the example row."""
    return to_xlsx(example_frame(entity), sheet=entity)
