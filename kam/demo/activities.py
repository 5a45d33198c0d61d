"""The demo managers' plans and activities: monthly targets, visits and calls, claims, and
notes on competitors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.core import periods
from kam.demo import names_en
from kam.demo.catalogue import CATEGORIES
from kam.demo.state import GeneratorState

COMPETITORS = names_en.COMPETITORS  # the English ones; the generator uses self.words


class ActivitiesMixin(GeneratorState):
    """Plans, visits, claims, competitors and their notes."""

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
        outcomes, steps = self.words.outcomes, self.words.next_steps
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
        monday = periods.monday_of(self.today)
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
        causes, words = self.words.root_causes, self.words
        # Codes of the root causes migration 0007 seeds; "other" carries words of its own.
        codes = ("picking_error", "transport_damage", "supplier_defect", "expired_stock",
                 "documentation_error", "price_error", "other")  # fmt: skip
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
            code = str(rng.choice(codes, p=(0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05))) if closed else None
            product = None if pd.isna(doc["product_id"]) else int(doc["product_id"])
            rows.append((
                int(doc["client_id"]), int(self.client_manager[int(doc["client_id"]) - 1]), opened,
                kind, doc["doc_no"], doc["doc_no"] if kind in ("return", "refusal") else None,
                product, None if product is None else float(rng.integers(1, 20)), amount,
                words.claim_description.format(kind=words.claim_kinds[kind], doc=doc["doc_no"]),
                status, justified, code, str(rng.choice(causes)) if code == "other" else None,
                words.resolutions[0 if justified else 1] if closed else None,
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
                "product_id",
                "qty",
                "amount",
                "description",
                "status",
                "justified",
                "root_cause_code",
                "root_cause",
                "resolution",
                "closed_on",
            ],  # fmt: skip
        ).assign(version=1).astype({"product_id": "Int64"})

    def _competitor_notes(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, rows = self.rng, []
        names = self.words.competitors
        competitors = pd.DataFrame({"id": range(1, len(names) + 1), "name": names})
        texts = self.words.note_texts
        active = np.nonzero(self.end_idx > len(self.days) - 60)[0]
        for _ in range(160):
            comp = int(rng.integers(0, len(COMPETITORS)))
            kind = rng.choice(tuple(texts), p=(0.45, 0.2, 0.12, 0.1, 0.13))
            cat = self.words.categories[int(rng.integers(0, len(CATEGORIES)))]
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
            # Half the price notes name a product of the catalogue (its category comes with it).
            in_cat = np.nonzero(self.product_cat == self.words.categories.index(cat))[0]
            product = int(rng.choice(in_cat)) + 1 if kind == "price" and rng.random() < 0.5 else None
            rows.append((noted, author, client, comp + 1, cat, None, their, ours, kind,
                         texts[kind].format(cat=cat, lower=cat.lower(), gap=gap), product))  # fmt: skip
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
                "product_id",
            ],  # fmt: skip
        ).assign(version=1)
        notes["client_id"] = notes["client_id"].astype("Int64")
        notes["product_id"] = notes["product_id"].astype("Int64")
        return competitors, notes
