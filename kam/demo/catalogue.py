"""The demo's catalogue: 40 SKUs in each of 15 categories of a food wholesaler, with list prices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kam.demo.state import GeneratorState

CATEGORIES = (
    "Dairy", "Cheese", "Meat", "Poultry", "Fish & seafood", "Frozen", "Bakery", "Confectionery",
    "Grocery", "Canned goods", "Beverages", "Coffee & tea", "Fruit & vegetables", "Oils & sauces",
    "Household",
)  # fmt: skip
SKUS_PER_CATEGORY = 40


class CatalogueMixin(GeneratorState):
    """Products; sets their list prices (``price``) and categories (``product_cat``)."""

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
