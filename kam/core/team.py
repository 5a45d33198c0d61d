"""The team row: the whole team's (the company's) figures listed beside each manager's.

A team row has no manager: its ``manager_id`` and ``manager_code`` are None, which no manager's
can be (both columns are NOT NULL), so a manager whose code is "TOTAL" is just a manager.
"""

from __future__ import annotations

import pandas as pd

TEAM = None  # manager_id and manager_code of a team row


def is_team(frame: pd.DataFrame) -> pd.Series:
    """True for the team rows of a frame with a ``manager_id`` column."""
    return frame["manager_id"].isna()


def rows_of(frame: pd.DataFrame, manager_code: str | None) -> pd.DataFrame:
    """The rows of one manager, or the team rows when ``manager_code`` is None."""
    if manager_code is None:
        return frame[is_team(frame)]
    return frame[~is_team(frame) & (frame["manager_code"] == manager_code)]
