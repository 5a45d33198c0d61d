"""A deterministic demo wholesaler: managers, ~400 clients, ~600 SKUs, three years of history.

Generated with numpy from one seed, so the same seed and the same ``today`` give the same
company; the number of sales lines scales with ``lines`` (documents get longer, as real
wholesale orders do) while the number of shipments, invoices and payments stays about the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core import audit, clock, periods
from kam.core.models import Base, Client, SalesLine
from kam.sales import rollups

DEFAULT_LINES = 250_000
N_CLIENTS = 400
CATEGORIES = (
    "Dairy", "Cheese", "Meat", "Poultry", "Fish & seafood", "Frozen", "Bakery", "Confectionery",
    "Grocery", "Canned goods", "Beverages", "Coffee & tea", "Fruit & vegetables", "Oils & sauces",
    "Household",
)  # fmt: skip
SKUS_PER_CATEGORY = 40
SEGMENTS = ("Retail chain", "Independent retail", "HoReCa", "Wholesale", "Institutional")
SEGMENT_WEIGHTS = (0.22, 0.33, 0.25, 0.12, 0.08)
REGIONS = ("Moscow", "Moscow region", "St Petersburg", "Tver", "Kaluga", "Tula", "Yaroslavl")
TERMS = (14, 21, 30, 45, 60)
PRICE_COLUMNS = {"Base": 0.0, "Wholesale 3%": 0.03, "Wholesale 5%": 0.05, "Key 8%": 0.08}
RETURN_REASONS = ("Damaged packaging", "Short shelf life", "Quality complaint", "Overstock")
REFUSAL_REASONS = ("Wrong item shipped", "Price disagreement", "Late delivery", "Not ordered")
COMPETITORS = ("AgroTorg Supply", "Metro Cash&Carry", "FoodLine", "Severnaya Baza",
               "Prodsnab-M", "Vkusnaya Logistika")  # fmt: skip
# Monthly seasonality of a food wholesaler: a dip after New Year, a peak in December.
SEASON = np.array([0.82, 0.86, 0.97, 0.98, 1.02, 1.0, 0.96, 0.97, 1.03, 1.06, 1.08, 1.25])

FIRST = ("Alexei", "Irina", "Dmitry", "Olga", "Sergei", "Natalia", "Andrei", "Elena", "Pavel",
         "Marina", "Ivan", "Tatiana", "Mikhail", "Svetlana", "Nikolai", "Yulia")  # fmt: skip
LAST = ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Lebedev", "Kozlov",
        "Novikov", "Morozov", "Petrov", "Orlov", "Egorov", "Pavlov")  # fmt: skip
CLIENT_WORDS = ("Vega", "Sever", "Ural", "Volga", "Zarya", "Baikal", "Neva", "Altai", "Orion",
                "Kedr", "Rassvet", "Yug", "Lotos", "Almaz", "Radius", "Kristall", "Start",
                "Gorizont", "Mayak", "Sokol")  # fmt: skip
CLIENT_KINDS = {
    "Retail chain": ("supermarkets", "Market", "Retail"),
    "Independent retail": ("store", "Shop", "Mini-market"),
    "HoReCa": ("Restaurant", "Cafe", "Catering"),
    "Wholesale": ("Trade", "Distribution", "Opt"),
    "Institutional": ("School canteen", "Hospital kitchen", "Factory canteen"),
}


@dataclass(frozen=True)
class DemoSummary:
    """What the demo loaded."""

    managers: int
    clients: int
    products: int
    sales_lines: int
    invoices: int
    payments: int
    plans: int
    visits: int
    claims: int
    notes: int


def is_empty(session: Session) -> bool:
    """True when the database holds no clients and no sales lines."""
    return not (
        session.execute(select(func.count()).select_from(Client)).scalar_one()
        or session.execute(select(func.count()).select_from(SalesLine)).scalar_one()
    )


def load(
    session: Session,
    *,
    today: dt.date,
    lines: int = DEFAULT_LINES,
    seed: int = 7,
) -> DemoSummary:
    """Fill an empty database with the demo company, in the caller's transaction."""
    if lines < 1_000:
        raise ValueError("the demo needs at least 1,000 sales lines")
    gen = _Generator(np.random.default_rng(seed), today, lines)
    tables = gen.build()
    writer = _BulkWriter(session)
    for name, frame in tables.items():
        writer.insert(name, frame)
    rollups.refresh(session)
    summary = DemoSummary(
        managers=len(tables["managers"]),
        clients=len(tables["clients"]),
        products=len(tables["products"]),
        sales_lines=len(tables["sales_lines"]),
        invoices=len(tables["invoices"]),
        payments=len(tables["payments"]),
        plans=len(tables["plans"]),
        visits=len(tables["visits"]),
        claims=len(tables["claims"]),
        notes=len(tables["competitor_notes"]),
    )
    audit.record(
        session,
        actor=audit.SYSTEM,
        entity="demo",
        entity_id=None,
        action="load",
        after={"today": today, "seed": seed, **summary.__dict__},
    )
    return summary


class _Generator:
    """Builds every table of the demo as DataFrames whose columns match the database."""

    def __init__(self, rng: np.random.Generator, today: dt.date, lines: int) -> None:
        self.rng = rng
        self.today = today
        self.lines = lines
        self.start = periods.same_day_year_before(
            periods.same_day_year_before(periods.same_day_year_before(today))
        ) + dt.timedelta(days=1)
        days = pd.date_range(self.start, today, freq="D")
        self.days = np.array([d.date() for d in days if periods.is_working_day(d.date())])

    def build(self) -> dict[str, pd.DataFrame]:
        t: dict[str, pd.DataFrame] = {}
        t["managers"] = self._managers()
        t["clients"] = self._clients()
        t["contacts"] = self._contacts()
        t["products"] = self._products()
        sales = self._sales()
        t["sales_lines"] = sales
        t["invoices"], t["payments"] = self._receivables(sales)
        self._tune_credit_limits(t["invoices"], t["payments"])
        t["clients"] = self.clients
        t["plans"] = self._plans(sales)
        t["visits"] = self._visits()
        t["claims"] = self._claims(sales)
        t["competitors"], t["competitor_notes"] = self._competitor_notes()
        return t

    # --- people and master data ---

    def _managers(self) -> pd.DataFrame:
        rows = [(1, "H01", "Viktor Belov", "v.belov@demo-wholesale.example", "head")]
        names = [f"{f} {ln}" for f, ln in zip(FIRST[:8], LAST[:8], strict=True)]
        for i, name in enumerate(names, start=1):
            first, last = name.split()
            email = f"{first[0].lower()}.{last.lower()}@demo-wholesale.example"
            rows.append((i + 1, f"K{i:02d}", name, email, "kam"))
        rows.append((10, "A01", "Anna Support", "a.support@demo-wholesale.example", "admin"))
        frame = pd.DataFrame(rows, columns=["id", "code", "name", "email", "role"])
        frame["active"] = True
        frame["version"] = 1
        self.kam_ids = np.arange(2, 10)
        return frame

    def _clients(self) -> pd.DataFrame:
        rng, n = self.rng, N_CLIENTS
        rank = rng.permutation(n) + 1
        # Zipf-like weights: the top fifth of clients brings about three quarters of revenue.
        self.weight = 1.0 / rank
        self.weight /= self.weight.sum()
        segment = rng.choice(len(SEGMENTS), size=n, p=SEGMENT_WEIGHTS)
        manager = rng.choice(self.kam_ids, size=n)
        status = np.full(n, "active", dtype=object)
        n_days = len(self.days)
        start_idx = np.zeros(n, dtype=int)
        end_idx = np.full(n, n_days, dtype=int)
        kind = rng.random(n)
        # The biggest accounts have bought all along; newcomers and lost ones are smaller.
        kind[rank <= 60] = rng.uniform(0.31, 1.0, size=(rank <= 60).sum())
        late = kind < 0.18  # started buying during the history: new clients
        start_idx[late] = rng.integers(n_days // 6, n_days - 10, size=late.sum())
        recent = (kind >= 0.18) & (kind < 0.22)  # new in the last three months
        start_idx[recent] = rng.integers(n_days - 63, n_days - 3, size=recent.sum())
        lost = (kind >= 0.22) & (kind < 0.27)
        end_idx[lost] = rng.integers(n_days // 3, n_days - 90, size=lost.sum())
        status[lost] = "lost"
        potential = (kind >= 0.27) & (kind < 0.31)
        start_idx[potential] = n_days
        status[potential] = "potential"
        self.start_idx, self.end_idx = start_idx, end_idx
        self.client_manager = manager
        # A few clients moved to another manager a year ago: history stays with the old one.
        self.old_manager = manager.copy()
        moved = rng.choice(n, size=24, replace=False)
        self.old_manager[moved] = rng.choice(self.kam_ids, size=len(moved))
        self.moved_on = self.days[max(0, n_days - 250)]

        codes = [f"C{i + 1:04d}" for i in range(n)]
        names = []
        for i in range(n):
            seg = SEGMENTS[segment[i]]
            word = CLIENT_WORDS[i % len(CLIENT_WORDS)]
            label = CLIENT_KINDS[seg][i % 3]
            names.append(f"{word} {label} {i // len(CLIENT_WORDS) + 1}")
        terms = rng.choice(TERMS, size=n, p=(0.2, 0.2, 0.35, 0.15, 0.1))
        price_col = rng.choice(list(PRICE_COLUMNS), size=n, p=(0.35, 0.3, 0.2, 0.15))
        price_col[self.weight > np.quantile(self.weight, 0.9)] = "Key 8%"
        contract_start = [
            self.days[min(start_idx[i], n_days - 1)] - dt.timedelta(days=int(rng.integers(5, 60)))
            for i in range(n)
        ]
        contract_end = []
        for i in range(n):
            if i % 23 == 0:  # a few contracts run out within the next month
                contract_end.append(self.today + dt.timedelta(days=int(rng.integers(2, 29))))
            else:
                contract_end.append(self.today + dt.timedelta(days=int(rng.integers(40, 700))))
        self.terms = terms
        self.discount = np.array([PRICE_COLUMNS[p] for p in price_col])
        self.segment = segment
        self.clients = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "code": codes,
                "name": names,
                "manager_id": manager,
                "segment": [SEGMENTS[s] for s in segment],
                "region": rng.choice(REGIONS, size=n),
                "status": status,
                "credit_limit": np.nan,
                "payment_terms_days": terms,
                "price_column": price_col,
                "contract_no": [f"D-{2023 + i % 3}/{i + 101}" for i in range(n)],
                "contract_start": contract_start,
                "contract_end": contract_end,
                "version": 1,
            }
        )
        return self.clients

    def _contacts(self) -> pd.DataFrame:
        rng, rows = self.rng, []
        positions = ("Purchasing manager", "Owner", "Chief accountant", "Category manager", "Chef")
        for cid in range(1, N_CLIENTS + 1):
            for k in range(int(rng.integers(1, 4))):
                first, last = FIRST[(cid + k) % len(FIRST)], LAST[(cid * 3 + k) % len(LAST)]
                phone = f"+7 9{rng.integers(10, 99)} {rng.integers(100, 999)}-{rng.integers(10, 99)}-{rng.integers(10, 99)}"
                email = f"{first.lower()}.{last.lower()}@client{cid}.example"
                rows.append((cid, f"{first} {last}", positions[(cid + k) % 5], phone, email))
        return pd.DataFrame(rows, columns=["client_id", "name", "position", "phone", "email"])

    def _products(self) -> pd.DataFrame:
        rng = self.rng
        n = len(CATEGORIES) * SKUS_PER_CATEGORY
        cat = np.repeat(np.arange(len(CATEGORIES)), SKUS_PER_CATEGORY)
        self.price = np.round(rng.lognormal(mean=5.3, sigma=0.7, size=n), 2)
        self.product_cat = cat
        return pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "sku": [
                    f"SKU-{c + 1:02d}{i % SKUS_PER_CATEGORY + 1:03d}" for i, c in enumerate(cat)
                ],
                "name": [
                    f"{CATEGORIES[c]} item {i % SKUS_PER_CATEGORY + 1}" for i, c in enumerate(cat)
                ],
                "category": [CATEGORIES[c] for c in cat],
            }
        )

    # --- sales ---

    def _sales(self) -> pd.DataFrame:
        rng, n_days = self.rng, len(self.days)
        size = self.weight / self.weight.max()
        # Big clients order nearly every working day, small ones every few weeks.
        p_order = np.clip(0.035 + 0.9 * np.sqrt(size), 0.035, 0.92)
        doc_client, doc_day = [], []
        for c in range(N_CLIENTS):
            lo, hi = self.start_idx[c], self.end_idx[c]
            if hi <= lo:
                continue
            hits = np.nonzero(rng.random(hi - lo) < p_order[c])[0] + lo
            if len(hits) == 0:
                hits = np.array([lo])
            doc_client.append(np.full(len(hits), c))
            doc_day.append(hits)
        doc_client = np.concatenate(doc_client)
        doc_day = np.concatenate(doc_day)
        order = np.lexsort((doc_client, doc_day))
        doc_client, doc_day = doc_client[order], doc_day[order]
        n_docs = len(doc_client)

        months = np.array([d.month for d in self.days])
        years_in = np.arange(n_days) / 250.0
        # Annual revenue around 1.9 bn, growing ~4 % a year, with seasonality and noise.
        base = 1.9e9 / 12 / 21 * self.weight[doc_client] / p_order[doc_client]
        doc_amount = (
            base
            * SEASON[months[doc_day] - 1]
            * (1.04 ** (years_in[doc_day] - 3))
            * rng.lognormal(0, 0.3, n_docs)
        )
        sales_target = self.lines - round(self.lines * 0.02)
        if n_docs > sales_target:  # a tiny demo: fewer documents, one line each
            keep = np.sort(rng.choice(n_docs, size=sales_target, replace=False))
            doc_client, doc_day, doc_amount = doc_client[keep], doc_day[keep], doc_amount[keep]
            n_docs = sales_target
        # Every document has one line; bigger clients' documents get more of the rest.
        shape = 0.4 + size[doc_client]
        lines_per_doc = 1 + rng.multinomial(sales_target - n_docs, shape / shape.sum())
        line_doc = np.repeat(np.arange(n_docs), lines_per_doc)
        n_lines = len(line_doc)
        line_no = (
            np.arange(n_lines)
            - np.repeat(np.cumsum(lines_per_doc) - lines_per_doc, lines_per_doc)
            + 1
        )
        line_client = doc_client[line_doc]

        # Each client buys from a set of categories that depends on its segment.
        n_cat = len(CATEGORIES)
        seg_pref = rng.random((len(SEGMENTS), n_cat)) + 0.15
        client_cats = np.zeros((N_CLIENTS, n_cat), dtype=int)
        client_ncat = np.zeros(N_CLIENTS, dtype=int)
        for c in range(N_CLIENTS):
            k = int(rng.integers(5, 13))
            p = seg_pref[self.segment[c]] / seg_pref[self.segment[c]].sum()
            chosen = rng.choice(n_cat, size=k, replace=False, p=p)
            client_cats[c, :k] = chosen
            client_ncat[c] = k
        pick = (rng.random(n_lines) * client_ncat[line_client]).astype(int)
        cat = client_cats[line_client, pick]
        product = cat * SKUS_PER_CATEGORY + rng.integers(0, SKUS_PER_CATEGORY, n_lines)

        share = rng.exponential(1.0, n_lines)
        share /= np.bincount(line_doc, weights=share)[line_doc]
        target = doc_amount[line_doc] * share
        price = self.price[product] * (1 - self.discount[line_client])
        qty = np.maximum(1, np.round(target / price))
        amount = np.round(qty * price, 2)
        day = self.days[doc_day[line_doc]]
        manager = np.where(
            day < self.moved_on, self.old_manager[line_client], self.client_manager[line_client]
        )
        sales = pd.DataFrame(
            {
                "doc_no": np.char.add("S-", np.char.zfill((line_doc + 1).astype(str), 7)),
                "line_no": line_no,
                "doc_date": day,
                "client_id": line_client + 1,
                "product_id": product + 1,
                "qty": qty,
                "amount": amount,
                "cost": np.round(amount * rng.uniform(0.72, 0.86, n_lines), 2),
                "manager_id": manager,
                "kind": "sale",
                "reason": None,
            }
        )
        self.doc_client, self.doc_day = doc_client, doc_day
        returns = self._returns(sales)
        return pd.concat([sales, returns], ignore_index=True)

    def _returns(self, sales: pd.DataFrame) -> pd.DataFrame:
        """About 2 % of the lines: returns a few days after a shipment, refusals on its day."""
        rng = self.rng
        count = self.lines - len(sales)
        picked = sales.iloc[np.sort(rng.choice(len(sales), size=count, replace=False))]
        refusal = rng.random(count) < 0.35
        part = np.where(rng.random(count) < 0.5, 1.0, rng.uniform(0.2, 0.9, count))
        qty = np.maximum(1, np.round(picked["qty"].to_numpy() * part))
        unit = picked["amount"].to_numpy() / picked["qty"].to_numpy()
        amount = -np.round(qty * unit, 2)
        lag = np.where(refusal, 0, rng.integers(1, 12, count))
        day = np.array(
            [
                min(d + dt.timedelta(days=int(g)), self.today)
                for d, g in zip(picked["doc_date"], lag, strict=True)
            ]
        )
        reasons = np.where(
            refusal, rng.choice(REFUSAL_REASONS, count), rng.choice(RETURN_REASONS, count)
        )
        prefix = np.where(refusal, "F-", "R-")
        doc_no = np.char.add(prefix.astype(str), picked["doc_no"].str[2:].to_numpy().astype(str))
        frame = pd.DataFrame(
            {
                "doc_no": doc_no,
                "line_no": 0,
                "doc_date": day,
                "client_id": picked["client_id"].to_numpy(),
                "product_id": picked["product_id"].to_numpy(),
                "qty": -qty,
                "amount": amount,
                "cost": None,
                "manager_id": picked["manager_id"].to_numpy(),
                "kind": np.where(refusal, "refusal", "return"),
                "reason": reasons,
                "source_doc": picked["doc_no"].to_numpy(),
            }
        )
        frame["line_no"] = frame.groupby("doc_no").cumcount() + 1
        self.return_by_doc = frame.groupby("source_doc")["amount"].sum()
        return frame.drop(columns="source_doc")

    # --- receivables ---

    def _receivables(self, sales: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng = self.rng
        shipped = sales[sales["kind"] == "sale"].groupby("doc_no", sort=True)
        docs = shipped.agg(
            client_id=("client_id", "first"),
            doc_date=("doc_date", "first"),
            gross=("amount", "sum"),
        )
        net = docs["gross"] + self.return_by_doc.reindex(docs.index).fillna(0)
        docs = docs.assign(amount=np.round(net, 2))
        docs = docs[docs["amount"] > 0].reset_index()
        n = len(docs)
        cidx = docs["client_id"].to_numpy() - 1
        terms = self.terms[cidx]
        due = [d + dt.timedelta(days=int(t)) for d, t in zip(docs["doc_date"], terms, strict=True)]
        invoices = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "invoice_no": np.char.add("INV-", docs["doc_no"].str[2:].to_numpy().astype(str)),
                "client_id": docs["client_id"].to_numpy(),
                "invoice_date": docs["doc_date"].to_numpy(),
                "due_date": due,
                "amount": docs["amount"].to_numpy(),
                "doc_no": docs["doc_no"].to_numpy(),
            }
        )
        # Payment behaviour per client: most pay about on time, a tail pays late, a few stop.
        behaviour = rng.random(N_CLIENTS)
        slow = behaviour < 0.15
        stopped = behaviour < 0.03
        unnamed = behaviour > 0.85  # these clients pay without naming the invoice
        late_days = np.where(
            slow[cidx], rng.exponential(15, n) + 2, rng.normal(-2, 4, n).clip(-12, 6)
        ).round()
        pay_day = np.array(
            [d + dt.timedelta(days=int(x)) for d, x in zip(due, late_days, strict=True)]
        )
        stop_from = self.today - dt.timedelta(days=170)
        keep = pay_day <= self.today
        keep &= ~(stopped[cidx] & (invoices["invoice_date"].to_numpy() >= stop_from))
        split = rng.random(n) < 0.06  # some invoices are paid in two parts
        rows = []
        for i in np.nonzero(keep)[0]:
            amount = float(invoices["amount"].iat[i])
            invoice_id = None if unnamed[cidx[i]] else int(invoices["id"].iat[i])
            if split[i] and amount > 100:
                first = round(amount * float(rng.uniform(0.3, 0.7)), 2)
                early = max(invoices["invoice_date"].iat[i], pay_day[i] - dt.timedelta(days=10))
                rows.append((cidx[i] + 1, early, first, invoice_id))
                rows.append((cidx[i] + 1, pay_day[i], round(amount - first, 2), invoice_id))
            else:
                rows.append((cidx[i] + 1, pay_day[i], amount, invoice_id))
        payments = pd.DataFrame(rows, columns=["client_id", "payment_date", "amount", "invoice_id"])
        payments = payments.sort_values(["payment_date", "client_id"], kind="stable").reset_index(
            drop=True
        )
        payments.insert(0, "payment_no", [f"PAY-{i + 1:07d}" for i in range(len(payments))])
        payments["invoice_id"] = payments["invoice_id"].astype("Int64")
        return invoices, payments

    def _tune_credit_limits(self, invoices: pd.DataFrame, payments: pd.DataFrame) -> None:
        """Credit limits sized to each client's business, with a few clients over them."""
        rng = self.rng
        recent = invoices[invoices["invoice_date"] >= self.today - dt.timedelta(days=180)]
        monthly = recent.groupby("client_id")["amount"].sum() / 6
        owed = (
            invoices.groupby("client_id")["amount"]
            .sum()
            .sub(payments.groupby("client_id")["amount"].sum(), fill_value=0)
        )
        limits = np.full(N_CLIENTS, np.nan)
        for cid in range(1, N_CLIENTS + 1):
            m = float(monthly.get(cid, 0.0))
            if m <= 0 or rng.random() < 0.12:
                continue  # no limit agreed
            terms = self.terms[cid - 1]
            # Room for the terms plus a month of slack: most clients stay well inside it.
            limits[cid - 1] = max(
                50_000.0, round(m * (terms + 30) / 30 * rng.uniform(1.5, 2.1), -4)
            )
        debtors = owed[owed > 0].sort_values(ascending=False)
        for cid in debtors.index[3:40:6]:  # a handful of clients over their limit
            limits[cid - 1] = max(10_000.0, round(float(debtors[cid]) * 0.8, -3))
        self.clients["credit_limit"] = limits

    # --- plans and activities ---

    def _plans(self, sales: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        frame = sales[["doc_date", "client_id", "manager_id", "amount"]].copy()
        frame["month"] = [d.replace(day=1) for d in frame["doc_date"]]
        revenue = frame.groupby(["manager_id", "month"])["amount"].sum()
        per_client = frame.groupby(["manager_id", "month", "client_id"])["amount"].sum()
        active = (per_client > 0).groupby(["manager_id", "month"]).sum()
        months = sorted(set(frame["month"]))
        months.append(periods.add_months(self.today, 1))
        rows = []
        for mgr in self.kam_ids:
            for month in months:
                ly = periods.add_months(month, -12)
                basis = (mgr, ly) if (mgr, ly) in revenue.index else (mgr, month)
                if basis not in revenue.index:
                    continue
                uplift = rng.uniform(1.04, 1.18) if basis[1] == ly else rng.uniform(0.9, 1.12)
                rows.append(
                    (month, mgr, "revenue", round(float(revenue[basis]) * uplift, -4), None)
                )
                act = int(active.get(basis, 0))
                rows.append(
                    (
                        month,
                        mgr,
                        "active_clients",
                        max(1, round(act * rng.uniform(0.95, 1.1))),
                        None,
                    )
                )
                rows.append((month, mgr, "new_clients", int(rng.integers(0, 3)), None))
        # Per-client revenue plans for each manager's biggest clients, this month.
        this_month = self.today.replace(day=1)
        ly = periods.add_months(this_month, -12)
        for mgr in self.kam_ids:
            mine = per_client.xs(mgr, level="manager_id")
            if ly not in mine.index.get_level_values("month"):
                continue
            top = mine.xs(ly, level="month").sort_values(ascending=False).head(4)
            for cid, value in top.items():
                if int(self.client_manager[cid - 1]) == int(mgr):
                    rows.append(
                        (this_month, mgr, "revenue", round(float(value) * 1.1, -3), int(cid))
                    )
        plans = pd.DataFrame(
            rows, columns=["period", "manager_id", "metric", "target", "client_id"]
        )
        plans["client_id"] = plans["client_id"].astype("Int64")
        plans["version"] = 1
        return plans

    def _visits(self) -> pd.DataFrame:
        rng, rows = self.rng, []
        outcomes = ("Order agreed", "Discussed new price list", "Tasting arranged",
                    "Complaint about delivery times", "Asked for a better payment deferral",
                    "Interested in a new category", "No decision yet")  # fmt: skip
        steps = ("Send a commercial offer", "Call back about the order", "Bring samples",
                 "Agree the promo calendar", "Send the reconciliation act")  # fmt: skip
        active = np.nonzero(self.end_idx > len(self.days) - 60)[0]
        size = self.weight / self.weight.max()
        for c in active:
            n = rng.poisson(2 + 14 * np.sqrt(size[c]))
            for _ in range(n):
                day = self.today - dt.timedelta(days=int(rng.integers(1, 180)))
                kind = rng.choice(("visit", "call", "call", "meeting", "email"))
                has_step = rng.random() < 0.4
                step_day = day + dt.timedelta(days=int(rng.integers(2, 20))) if has_step else None
                rows.append((c + 1, self.client_manager[c], kind, day, day, "done",
                             rng.choice(outcomes), None, rng.choice(steps) if has_step else None,
                             step_day))  # fmt: skip
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for mgr in self.kam_ids:
            mine = active[self.client_manager[active] == mgr]
            mine = mine[np.argsort(-size[mine])]
            for week in (0, 7):
                for c in mine[: int(rng.integers(7, 13))]:
                    day = monday + dt.timedelta(days=week + int(rng.integers(0, 5)))
                    kind = rng.choice(("visit", "call", "meeting"))
                    status = "planned"
                    if day < self.today and rng.random() < 0.6:
                        rows.append((c + 1, mgr, kind, day, day, "done", rng.choice(outcomes),
                                     None, None, None))  # fmt: skip
                        continue
                    rows.append((c + 1, mgr, kind, day, None, status, None, None, None, None))
        return pd.DataFrame(
            rows,
            columns=[
                "client_id",
                "manager_id",
                "kind",
                "planned_for",
                "done_at",
                "status",
                "outcome",
                "notes",
                "next_step",
                "next_step_date",
            ],  # fmt: skip
        ).assign(version=1)

    def _claims(self, sales: pd.DataFrame) -> pd.DataFrame:
        rng, rows = self.rng, []
        kinds = ("shortage", "mis_grade", "damage", "quality", "expiry", "price",
                 "late_delivery", "return", "refusal")  # fmt: skip
        causes = ("Picking error at the warehouse", "Carrier damaged the goods",
                  "Supplier batch defect", "Price list not updated", "Route overloaded")  # fmt: skip
        recent = sales[
            (sales["kind"] == "sale") & (sales["doc_date"] >= self.today - dt.timedelta(days=365))
        ]
        docs = recent.drop_duplicates("doc_no").sample(
            n=90, random_state=int(rng.integers(1 << 30))
        )
        for _, doc in docs.iterrows():
            opened = doc["doc_date"] + dt.timedelta(days=int(rng.integers(0, 5)))
            opened = min(opened, self.today)
            age = (self.today - opened).days
            roll = rng.random()
            if age < 20 and roll < 0.5:
                status = "open" if roll < 0.25 else "in_progress"
            elif roll < 0.12:
                status = "open"
            elif roll < 0.25:
                status = "in_progress"
            elif roll < 0.8:
                status = "resolved"
            else:
                status = "rejected"
            kind = rng.choice(kinds)
            closed = status in ("resolved", "rejected")
            closed_on = (
                min(opened + dt.timedelta(days=int(rng.integers(1, 25))), self.today)
                if closed
                else None
            )
            justified = bool(status == "resolved" and rng.random() < 0.8) if closed else None
            amount = round(float(doc["amount"]) * float(rng.uniform(0.2, 1.0)), 2)
            rows.append((
                int(doc["client_id"]), int(self.client_manager[int(doc["client_id"]) - 1]), opened,
                kind, doc["doc_no"], doc["doc_no"] if kind in ("return", "refusal") else None,
                float(rng.integers(1, 20)), amount,
                f"{kind.replace('_', ' ').capitalize()} on delivery {doc['doc_no']}",
                status, justified, rng.choice(causes) if closed else None,
                ("Credit note issued" if justified else "Claim not confirmed by the check") if closed else None,
                closed_on,
            ))  # fmt: skip
        return pd.DataFrame(
            rows,
            columns=[
                "client_id",
                "manager_id",
                "opened_on",
                "kind",
                "document_ref",
                "sales_doc_no",
                "qty",
                "amount",
                "description",
                "status",
                "justified",
                "root_cause",
                "resolution",
                "closed_on",
            ],  # fmt: skip
        ).assign(version=1)

    def _competitor_notes(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, rows = self.rng, []
        competitors = pd.DataFrame({"id": range(1, len(COMPETITORS) + 1), "name": COMPETITORS})
        texts = {
            "price": "Offers {cat} {gap}% cheaper than our price list",
            "promo": "Runs a 'buy 10 get 1' promotion on {cat}",
            "new_product": "Brought a new private-label line in {cat}",
            "lost_order": "Took the weekly {cat} order from us",
            "other": "Their sales rep visits the client every week",
        }
        active = np.nonzero(self.end_idx > len(self.days) - 60)[0]
        for _ in range(160):
            comp = int(rng.integers(0, len(COMPETITORS)))
            kind = rng.choice(tuple(texts), p=(0.45, 0.2, 0.12, 0.1, 0.13))
            cat = CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
            client = int(rng.choice(active)) + 1 if rng.random() < 0.8 else None
            author = (
                int(self.client_manager[client - 1]) if client else int(rng.choice(self.kam_ids))
            )
            ours = their = None
            gap = int(rng.integers(3, 15))
            if kind == "price":
                ours = round(float(rng.uniform(80, 900)), 2)
                their = round(ours * (1 - gap / 100), 2)
            noted = self.today - dt.timedelta(days=int(rng.integers(0, 270)))
            rows.append((noted, author, client, comp + 1, cat, None, their, ours, kind,
                         texts[kind].format(cat=cat.lower(), gap=gap)))  # fmt: skip
        notes = pd.DataFrame(
            rows,
            columns=[
                "noted_on",
                "author_id",
                "client_id",
                "competitor_id",
                "category",
                "product",
                "their_price",
                "our_price",
                "kind",
                "text",
            ],  # fmt: skip
        ).assign(version=1)
        notes["client_id"] = notes["client_id"].astype("Int64")
        return competitors, notes


class _BulkWriter:
    """Inserts DataFrames fast: COPY on PostgreSQL, executemany on SQLite."""

    AUDITED = ("visits", "claims", "competitor_notes")

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.dialect = self.conn.dialect.name

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        # Table and column names below come from the model, never from input: check that.
        known = Base.metadata.tables[table].columns.keys()
        if table in self.AUDITED:
            frame = frame.assign(created_at=clock.now())
        columns = list(frame.columns)
        assert set(columns) <= set(known), f"{table}: unknown columns {set(columns) - set(known)}"
        rows = _python_rows(frame)
        raw = self.conn.connection.dbapi_connection
        if self.dialect == "postgresql":
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:  # keep the sequences ahead of the ids we set
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608, E501 - names checked above
                self.conn.exec_driver_sql(sql)
        else:
            marks = ", ".join("?" for _ in columns)
            cur = raw.cursor()
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)
            cur.close()


def _python_rows(frame: pd.DataFrame) -> Iterable[Sequence]:
    """Rows as plain Python values (None for missing), dates as ISO text for SQLite's sake."""
    cols = []
    for name in frame.columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()
        if values and isinstance(next((v for v in values if v is not None), None), dt.date):
            values = [v.isoformat() if v is not None else None for v in values]
        elif series.dtype.kind == "f":
            values = [None if v is None else round(float(v), 3) for v in values]
        elif series.dtype.kind in "iu" or str(series.dtype) == "Int64":
            values = [None if v is None else int(v) for v in values]
        elif series.dtype.kind == "b":
            values = [None if v is None else bool(v) for v in values]
        cols.append(values)
    return zip(*cols, strict=True)
