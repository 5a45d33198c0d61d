"""Drawn once, shown many times: tables and charts kept by their content, shared by sessions."""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import pandas as pd
import streamlit as st

from kam.core import clock
from kam.core.i18n import texts_key

T = TypeVar("T")


class Memo(Generic[T]):
    """At most ``size`` things made from keys, the least recently used let go first; threads
    (sessions) share it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = make()  # outside the lock: two sessions may make the same thing once each
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def digest(*parts: Any) -> bytes:
    """A digest of ``parts``: a frame or series by its values, index, names and types; anything
    else by its ``repr``."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, pd.Series):
            part = part.to_frame()
        if isinstance(part, pd.DataFrame):
            h.update(repr((list(part.columns), part.dtypes.astype(str).tolist())).encode())
            h.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"\0")
    return h.digest()


# A chart's spec is small (its data is a few dozen rows), but building it validates every part
# against Vega-Lite's schema: 20-160 ms a chart on every rerun before it was kept.
_SPECS: Memo[dict[str, Any]] = Memo(128)


def chart(build: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Draw the Altair chart ``build(*args, **kwargs)``, built once per content and language."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    key = (
        build.__module__, build.__qualname__, digest(*args, *(x for item in sorted(kwargs.items()) for x in item)),
        texts_key(), clock.today(),
    )  # fmt: skip
    # Streamlit's own conversion (the data as Arrow, its theme), as st.altair_chart does.
    spec = _SPECS.get(key, lambda: _convert_altair_to_vega_lite_spec(build(*args, **kwargs)))
    # Drawing takes the data out of the spec it is given: give it a copy.
    st.vega_lite_chart(copy.deepcopy(spec), width="stretch")
