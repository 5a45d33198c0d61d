"""The one clock: what "today" and "now" are for every figure, page, demo and command.

``KAM_TODAY=YYYY-MM-DD`` in the environment fixes today for a server, a command or a test run;
without it today is the machine's date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache

ENV = "KAM_TODAY"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=8)
def _fixed(text: str) -> dt.date:
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{ENV}={text!r}: expected a date as YYYY-MM-DD") from None


def fixed_today() -> dt.date | None:
    """The day ``KAM_TODAY`` sets, or None when the clock runs with the machine's."""
    text = os.environ.get(ENV, "").strip()
    return _fixed(text) if text else None


def today() -> dt.date:
    """Today: ``KAM_TODAY`` when set, else the machine's local date."""
    return fixed_today() or dt.date.today()


def now() -> dt.datetime:
    """Now, timezone-aware UTC; when ``KAM_TODAY`` is set, on that day at the current time."""
    real = dt.datetime.now(dt.UTC)
    fixed = fixed_today()
    return real if fixed is None else dt.datetime.combine(fixed, real.timetz())
