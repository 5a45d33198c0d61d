"""The demo's people: the head of sales, eight KAMs and an admin, and ~400 clients of five
segments with their contacts, each client with a size, a lifetime, terms and a price column."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.demo import names_en
from kam.demo.state import GeneratorState
from kam.demo.vocabulary import vocabulary

N_CLIENTS = 400
SEGMENT_WEIGHTS = (0.22, 0.33, 0.25, 0.12, 0.08)
TERMS = (14, 21, 30, 45, 60)
# The English words stay importable from here; the generator takes its own from ``self.words``.
SEGMENTS, REGIONS, PRICE_COLUMNS = names_en.SEGMENTS, names_en.REGIONS, names_en.PRICE_COLUMNS
FIRST, LAST = names_en.FIRST, names_en.LAST
CLIENT_WORDS, CLIENT_NAMES = names_en.CLIENT_WORDS, names_en.CLIENT_NAMES
# E-mail addresses are Latin in every language: they come from the English names.
LATIN = vocabulary("en")


class PeopleMixin(GeneratorState):
    """Managers, clients and contacts; sets ``kam_ids`` and, for the later steps, each
    client's size (``weight``), buying days, managers, terms, discount and segment."""

    def _managers(self) -> pd.DataFrame:
        words = self.words
        rows = [(1, "H01", words.head, _email(LATIN.head), "head")]
        for i in range(1, 9):
            name = words.person(i - 1, i - 1)
            rows.append((i + 1, f"K{i:02d}", name, _email(LATIN.person(i - 1, i - 1)), "kam"))
        rows.append((10, "A01", words.admin, _email(LATIN.admin), "admin"))
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
        names = self._client_names(segment)
        terms = rng.choice(TERMS, size=n, p=(0.2, 0.2, 0.35, 0.15, 0.1))
        # Drawn from the column names of the language: the same positions in every language.
        price_names = list(self.words.price_columns)
        price_col = rng.choice(price_names, size=n, p=(0.35, 0.3, 0.2, 0.15))
        price_col[self.weight > np.quantile(self.weight, 0.9)] = price_names[-1]
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
        self.discount = np.array([self.words.price_columns[p] for p in price_col])
        self.segment = segment
        self.clients = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "code": codes,
                "name": names,
                "manager_id": manager,
                "segment": [self.words.segments[s] for s in segment],
                "region": rng.choice(self.words.regions, size=n),
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

    def _client_names(self, segment: np.ndarray) -> list[str]:
        """Each client's name from its segment's patterns; a repeated name gets a number."""
        words, names, seen = self.words, [], set()
        traders = words.sole_traders or ("",)
        placed = np.zeros(len(words.segments), dtype=int)  # clients named so far per segment
        for i in range(N_CLIENTS):
            patterns = words.client_names[segment[i]]
            k = int(placed[segment[i]]) if words.names_by_segment else i
            placed[segment[i]] += 1
            name = patterns[k % len(patterns)].format(
                word=words.client_words[k % len(words.client_words)],
                n=i // len(words.client_words) + 1,
                no=i + 1,
                person=traders[k // len(patterns) % len(traders)],
            )
            base, copy = name, 1
            while name in seen:  # the names are the clients' labels in lists: keep them apart
                copy += 1
                name = f"{base} № {copy}"
            seen.add(name)
            names.append(name)
        return names

    def _contacts(self) -> pd.DataFrame:
        rng, rows = self.rng, []
        positions = self.words.positions
        for cid in range(1, N_CLIENTS + 1):
            for k in range(int(rng.integers(1, 4))):
                first, last = (cid + k) % len(self.words.first), (cid * 3 + k) % len(LAST)
                phone = f"+7 9{rng.integers(10, 99)} {rng.integers(100, 999)}-{rng.integers(10, 99)}-{rng.integers(10, 99)}"
                email = f"{LATIN.person(first, last).lower().replace(' ', '.')}@client{cid}.example"
                rows.append(
                    (cid, self.words.person(first, last), positions[(cid + k) % 5], phone, email)
                )
        return pd.DataFrame(rows, columns=["client_id", "name", "position", "phone", "email"])


def _email(name: str) -> str:
    """The demo company's address for a Latin ``name``: initial, dot, surname."""
    first, last = name.split()
    return f"{first[0].lower()}.{last.lower()}@demo-wholesale.example"
