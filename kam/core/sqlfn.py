"""SQL functions that SQLite and PostgreSQL spell differently, compiled per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class month_start(GenericFunction):  # noqa: N801 - reads as a SQL function
    """The first day of the month of a date."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


class days_between(GenericFunction):  # noqa: N801 - reads as a SQL function
    """Whole days from the second date to the first: ``days_between(later, earlier)``."""

    type = Integer()
    inherit_cache = True


def _two(element: Any, compiler: Any, **kw: Any) -> tuple[str, str]:
    later, earlier = list(element.clauses)
    return compiler.process(later, **kw), compiler.process(earlier, **kw)


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = _two(element, compiler, **kw)
    # Dates are stored as ISO text; julianday of two midnights differs by a whole number.
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_pg(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = _two(element, compiler, **kw)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"
