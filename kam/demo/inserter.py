"""The demo's tables written fast: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy.orm import Session

from kam.core import clock
from kam.core.models import Base


class BulkWriter:
    """Inserts DataFrames fast: COPY on PostgreSQL, executemany on SQLite."""

    AUDITED = ("visits", "claims", "competitor_notes")

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.dialect = self.conn.dialect.name

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        # Table and column names below come from the model, never from input: check that.
        known = Base.metadata.tables[table].columns.keys()
        if table in self.AUDITED:
            frame = frame.assign(created_at=clock.now())
        columns = list(frame.columns)
        assert set(columns) <= set(known), f"{table}: unknown columns {set(columns) - set(known)}"
        rows = _python_rows(frame)
        raw = self.conn.connection.dbapi_connection
        if self.dialect == "postgresql":
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:  # keep the sequences ahead of the ids we set
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608, E501 - names checked above
                self.conn.exec_driver_sql(sql)
        else:
            marks = ", ".join("?" for _ in columns)
            cur = raw.cursor()
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)
            cur.close()


def _python_rows(frame: pd.DataFrame) -> Iterable[Sequence]:
    """Rows as plain Python values (None for missing), dates as ISO text for SQLite's sake."""
    cols = []
    for name in frame.columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()
        if values and isinstance(next((v for v in values if v is not None), None), dt.date):
            values = [v.isoformat() if v is not None else None for v in values]
        elif series.dtype.kind == "f":
            values = [None if v is None else round(float(v), 3) for v in values]
        elif series.dtype.kind in "iu" or str(series.dtype) == "Int64":
            values = [None if v is None else int(v) for v in values]
        elif series.dtype.kind == "b":
            values = [None if v is None else bool(v) for v in values]
        cols.append(values)
    return zip(*cols, strict=True)
