"""Three years of the demo's sales: shipments with seasonality and growth, returns and
refusals, and the invoices and payments behind them, with slow payers and credit limits."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.demo import names_en
from kam.demo.catalogue import CATEGORIES, SKUS_PER_CATEGORY
from kam.demo.people import N_CLIENTS, SEGMENTS
from kam.demo.state import GeneratorState

RETURN_REASONS, REFUSAL_REASONS = names_en.RETURN_REASONS, names_en.REFUSAL_REASONS
# Monthly seasonality of a food wholesaler: a dip after New Year, a peak in December.
SEASON = np.array([0.82, 0.86, 0.97, 0.98, 1.02, 1.0, 0.96, 0.97, 1.03, 1.06, 1.08, 1.25])


class HistoryMixin(GeneratorState):
    """Sales lines, invoices and payments; sets the clients' credit limits."""

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
            refusal,
            rng.choice(self.words.refusal_reasons, count),
            rng.choice(self.words.return_reasons, count),
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
