"""The demo's people: the head of sales, eight KAMs and an admin, and ~400 clients of five
segments with their contacts, each client with a size, a lifetime, terms and a price column."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.demo.state import GeneratorState

N_CLIENTS = 400
SEGMENTS = ("Retail chain", "Independent retail", "HoReCa", "Wholesale", "Institutional")
SEGMENT_WEIGHTS = (0.22, 0.33, 0.25, 0.12, 0.08)
REGIONS = ("Moscow", "Moscow region", "St Petersburg", "Tver", "Kaluga", "Tula", "Yaroslavl")
TERMS = (14, 21, 30, 45, 60)
PRICE_COLUMNS = {"Base": 0.0, "Wholesale 3%": 0.03, "Wholesale 5%": 0.05, "Key 8%": 0.08}

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


class PeopleMixin(GeneratorState):
    """Managers, clients and contacts; sets ``kam_ids`` and, for the later steps, each
    client's size (``weight``), buying days, managers, terms, discount and segment."""

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
