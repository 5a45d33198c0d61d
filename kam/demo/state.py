"""What the demo generator's steps share: its calendar and random source, and what each step
leaves on the generator for the steps after it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kam.demo.vocabulary import Vocabulary


class GeneratorState:
    """The generator's attributes, declared once so every step (a mixin) knows their types."""

    # Set when the generator is made.
    rng: np.random.Generator
    today: dt.date
    lines: int
    words: Vocabulary  # names and texts in the demo's language
    start: dt.date
    days: np.ndarray  # the working days of the history
    # Set by PeopleMixin: the KAMs' ids, and per client (by position, id - 1) its share of
    # revenue, the span of days it buys in, its managers now and before moved_on, its terms,
    # its discount and its segment; clients gets its credit limits from HistoryMixin.
    kam_ids: np.ndarray
    weight: np.ndarray
    start_idx: np.ndarray
    end_idx: np.ndarray
    client_manager: np.ndarray
    old_manager: np.ndarray
    moved_on: dt.date
    terms: np.ndarray
    discount: np.ndarray
    segment: np.ndarray
    clients: pd.DataFrame
    # Set by CatalogueMixin: each product's list price and category (by position, id - 1).
    price: np.ndarray
    product_cat: np.ndarray
    # Set by HistoryMixin: each shipment's client and day, and the returns against it.
    doc_client: np.ndarray
    doc_day: np.ndarray
    return_by_doc: pd.Series
