"""The competitor notes feed as a table, the same on the Competitors page and Client 360."""

from __future__ import annotations

import pandas as pd

from kam.core.i18n import t
from kam.core.labels import note_kind_label
from kam.ui.tables import Col, show

_COLUMNS = {
    "noted_on": Col("Date", "date"), "competitor": Col("Competitor"), "kind": Col("Kind"),
    "text": Col("Note"), "their_price": Col("Their price", "money2"),
    "our_price": Col("Our price", "money2"), "price_gap_pct": Col("Gap", "pct", warn="negative"),
    "client_code": Col("Client", "client"), "client_name": Col("Name"),
    "category": Col("Category"), "product": Col("Product"), "author": Col("Author"),
}  # fmt: skip


def feed_table(feed: pd.DataFrame, *, key: str, with_client: bool = True, **kwargs: object) -> None:
    """Show notes of ``kam.activities.competitor_feed.notes_feed``; ``with_client=False`` on a client's own page."""
    columns = {
        name: col
        for name, col in _COLUMNS.items()
        if with_client or name not in ("client_code", "client_name")
    }
    # Typed text is marked as such, so nobody takes it for a product of our catalogue.
    typed = t("(typed)")
    product = [
        "" if not isinstance(p, str) else f"{p} {typed}" if was_typed else p
        for p, was_typed in zip(feed["product"], feed["product_typed"], strict=True)
    ]
    shown = feed.assign(
        kind=feed["kind"].map(note_kind_label), client_name=feed["client_name"].fillna(""),
        product=product,
    )  # fmt: skip
    show(shown, columns, key=key, **kwargs)
