"""A small company whose typed and imported texts are hostile Markdown, for rendering tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kam.core.models import Claim, Visit
from tests import factories as f

# What each text must look like on screen: exactly this, never an image, a colour or a link.
NAME = "![x](http://127.0.0.1:9/x.png) **b** :red[r] $x^2$ :smile:"
# The same, as Markdown that shows it: every ASCII punctuation escaped, and a word joiner
# (U+2060, invisible) inside "://" so the address is not turned into a link. By hand.
NAME_MARKDOWN = (
    "\\!\\[x\\]\\(http\\:\u2060\\/\\/127\\.0\\.0\\.1\\:9\\/x\\.png\\) \\*\\*b\\*\\* "
    "\\:red\\[r\\] \\$x\\^2\\$ \\:smile\\:"
)
MANAGER = "Ivan **I** :blue[k] $m$"
OUTCOME = "Agreed :green[+5%] **now** ![o](http://127.0.0.1:9/o.png)"
NOTES = "_call_ back <img src=http://127.0.0.1:9/n.png> $y$"
STEP = "Send [offer](http://127.0.0.1:9/s) :rocket: # 1."
CLAIM = "Box **crushed** ![c](http://127.0.0.1:9/c.png) $$z$$"
TEXTS = (NAME, MANAGER, OUTCOME, NOTES, STEP, CLAIM)
# Fragments that would render as markup if a text reached Markdown unescaped.
RAW = ("![", "**b**", ":red[", "$x^2$", ":smile:", ":green[", "**now**", "<img", "[offer](",
       ":rocket:", "**crushed**", "$$z$$", ":blue[", "**I**")  # fmt: skip


def seed(s: Session, today: dt.date) -> None:
    """Head H, admin A; KAM K1 (hostile name) with client C1 (hostile name), a done visit with hostile
    outcome, notes and a next step past its date, a planned call today and an old open claim."""
    f.manager(s, "H", role="head", name="Head")
    f.manager(s, "A", role="admin", name="Admin")  # a company with no admin gets set-up steps
    kam = f.manager(s, "K1", name=MANAGER)
    client = f.client(s, "C1", kam, name=NAME)
    f.line(s, client, today - dt.timedelta(days=20), 1000)
    # Core inserts name only these columns: columns the models gain later need no value here.
    s.execute(insert(Visit), [
        dict(client_id=client.id, manager_id=kam.id, kind="visit", status="done",
             done_at=today - dt.timedelta(days=5), outcome=OUTCOME, notes=NOTES,
             next_step=STEP, next_step_date=today - dt.timedelta(days=2)),
        dict(client_id=client.id, manager_id=kam.id, kind="call", status="planned",
             planned_for=today, outcome=None, notes=None, next_step=None, next_step_date=None,
             done_at=None),
    ])  # fmt: skip
    s.execute(insert(Claim).values(
        client_id=client.id, manager_id=kam.id, kind="damage", status="open",
        opened_on=today - dt.timedelta(days=40), description=CLAIM,
    ))  # fmt: skip
    s.flush()
    f.refresh(s)


def shown(markdown: str) -> str:
    """The text Markdown shows for ``markdown`` made by kam.ui.plain.inert: escapes read."""
    out, chars = [], iter(markdown.replace("\u2060", ""))
    for c in chars:
        out.append(next(chars, "\\") if c == "\\" else c)
    return "".join(out)
