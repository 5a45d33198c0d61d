"""A deterministic demo wholesaler: managers, ~400 clients, ~600 SKUs, three years of history.

Generated with numpy from one seed, so the same seed and the same ``today`` give the same
company; the number of sales lines scales with ``lines`` (documents get longer, as real
wholesale orders do) while the number of shipments, invoices and payments stays about the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.core import audit, db, periods
from kam.core.models import Client, SalesLine
from kam.demo.activities import ActivitiesMixin
from kam.demo.catalogue import CatalogueMixin
from kam.demo.history import HistoryMixin
from kam.demo.inserter import BulkWriter
from kam.demo.people import PeopleMixin
from kam.demo.vocabulary import LANGUAGES, Vocabulary, vocabulary
from kam.plans import replay
from kam.receivables import store
from kam.sales import rollups

DEFAULT_LINES = 250_000


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
    language: str = "en",
) -> DemoSummary:
    """Fill an empty database with the demo company, in the caller's transaction; its names
    and texts in ``language`` (``en`` or ``ru``), its figures the same in both."""
    if lines < 1_000:
        raise ValueError("the demo needs at least 1,000 sales lines")
    if language not in LANGUAGES:
        raise ValueError(f"the demo speaks {' or '.join(LANGUAGES)}, not {language!r}")
    gen = _Generator(np.random.default_rng(seed), today, lines, vocabulary(language))
    tables = gen.build()
    writer = BulkWriter(session)
    for name, frame in tables.items():
        writer.insert(name, frame)
    db.analyze(session, tables)
    rollups.refresh(session)
    # The forecasts' ranges come from the back-test of the history just built.
    replay.refresh(session, today=today)
    store.refresh(session)  # the receivables allocation the pages read
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
        after={"today": today, "seed": seed, "language": language, **summary.__dict__},
    )
    return summary


class _Generator(PeopleMixin, CatalogueMixin, HistoryMixin, ActivitiesMixin):
    """Builds every table of the demo as DataFrames whose columns match the database.

    The steps are the mixins' methods; each keeps on ``self`` what later steps use, so
    ``build`` calls them in one fixed order (which also fixes the draws from ``rng``).
    """

    def __init__(
        self, rng: np.random.Generator, today: dt.date, lines: int, words: Vocabulary
    ) -> None:
        self.rng = rng
        self.today = today
        self.lines = lines
        self.words = words
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
