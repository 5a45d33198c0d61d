"""Finding a client by code or name, as typed: any case, Cyrillic included."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.core.cache import ledger_only
from kam.core.models import Client, Manager

SEARCH_COLUMNS = ["client_code", "name", "manager_code", "status"]
# A client is looked for among the viewer's own portfolio (a few hundred for a head of a big
# team); this bounds the rows read should the table ever be far larger.
MAX_SCANNED = 200_000
_WORD = re.compile(r"[\W_]+")


def _rank(text: str, code: str, name: str) -> int | None:
    """0 the code itself, 1 a code starting so, 2 a name or word starting so, 3 anywhere."""
    code_f, name_f = code.casefold(), name.casefold()
    if code_f == text:
        return 0
    if code_f.startswith(text):
        return 1
    # A word of the name starting so: «Ромашка» in ООО «Ромашка», quotes aside.
    if name_f.startswith(text) or any(w.startswith(text) for w in _WORD.split(name_f)):
        return 2
    if text in code_f or text in name_f:
        return 3
    return None


@ledger_only
def find_clients(session: Session, *, viewer: Viewer, text: str, limit: int = 20) -> pd.DataFrame:
    """The viewer's clients whose code or name contains ``text`` (any case), best first:
    columns SEARCH_COLUMNS."""
    # SQLite's LIKE and lower() fold only ASCII (and PostgreSQL's lower() depends on the
    # database's locale), so "ромашка" is matched to "Ромашка" here, with str.casefold.
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return pd.DataFrame(columns=SEARCH_COLUMNS)
    query = (
        select(Client.code, Client.name, Manager.code, Client.status)
        .join(Manager, Manager.id == Client.manager_id)
        .where(viewer.client_condition())
        .order_by(Client.code)
        .limit(MAX_SCANNED)
    )
    found = []
    for code, name, manager_code, status in session.execute(query):
        rank = _rank(wanted, code, name)
        if rank is not None:
            # Codes found by their code in code order, the rest by name.
            order = code if rank <= 1 else name.casefold()
            found.append((rank, order, code, name, manager_code, status))
    found.sort()
    return pd.DataFrame([row[2:] for row in found[:limit]], columns=SEARCH_COLUMNS)
