"""Drawn once, shown many times: tables and charts kept by their content, shared by sessions."""

from __future__ import annotations

import copy
import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from kam.core import clock
from kam.core.cache import VersionedCache
from kam.core.i18n import texts_key

# What is drawn is keyed by its content, not by the data version: the same rows look the same
# after a write, so every drawn thing is kept at this one version.
CONTENT = 0


def digest(*parts: Any) -> bytes:
    """A digest of ``parts``: a frame or series by its pickle (values, index, names and types);
    anything else by its ``repr``."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, pd.DataFrame | pd.Series):
            # A pickle holds everything a frame shows, and takes a third of the time of
            # hash_pandas_object on text columns (18-28 ms a warm rerun of Receivables at 5M).
            # The same rows pickled another way (other memory blocks) only draw once more.
            h.update(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            h.update(repr(part).encode())
        h.update(b"\0")
    return h.digest()


# A chart's spec is small (its data is a few dozen rows), but building it validates every part
# against Vega-Lite's schema: 20-160 ms a chart on every rerun before it was kept.
_SPECS = VersionedCache(max_entries=128, max_bytes=32 * 1024 * 1024)


def chart(build: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Draw the Altair chart ``build(*args, **kwargs)``, built once per content and language."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    key = (
        build.__module__, build.__qualname__,
        digest(*args, *(x for item in sorted(kwargs.items()) for x in item)),
        texts_key(), clock.today(),
    )  # fmt: skip
    # Streamlit's own conversion (the data as Arrow, its theme), as st.altair_chart does.
    spec = _SPECS.get_or_compute(
        "charts", CONTENT, key, lambda: _convert_altair_to_vega_lite_spec(build(*args, **kwargs))
    )
    # Drawing takes the data out of the spec it is given: give it a copy.
    st.vega_lite_chart(copy.deepcopy(spec), width="stretch")
