"""The demo's catalogue: 40 SKUs in each of 15 categories of a food wholesaler, with list prices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kam.demo import names_en
from kam.demo.state import GeneratorState
from kam.demo.vocabulary import Vocabulary

CATEGORIES = names_en.CATEGORIES  # the English ones; the generator uses self.words
SKUS_PER_CATEGORY = 40
# What a quantity of each category counts, in the order of CATEGORIES.
UNITS = ("pcs", "kg", "kg", "kg", "kg", "kg", "pcs", "box", "pcs", "pcs", "l", "pcs", "kg", "l",
         "pcs")  # fmt: skip


class CatalogueMixin(GeneratorState):
    """Products; sets their list prices (``price``) and categories (``product_cat``)."""

    def _products(self) -> pd.DataFrame:
        rng, words = self.rng, self.words
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
                    _product_name(words, int(c), i % SKUS_PER_CATEGORY) for i, c in enumerate(cat)
                ],
                "category": [words.categories[c] for c in cat],
                "unit": [UNITS[c % len(UNITS)] for c in cat],
            }
        )


def _product_name(words: Vocabulary, category: int, k: int) -> str:
    """The name of the ``k``-th product (from 0) of a category: an item under a brand."""
    items = words.product_items[category] if words.product_items else ("",)
    brands = words.brands or ("",)
    return words.product_name.format(
        category=words.categories[category],
        n=k + 1,
        item=items[k % len(items)],
        brand=brands[k // len(items) % len(brands)],
    )
