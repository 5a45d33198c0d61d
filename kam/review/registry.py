"""The slides of the weekly review in meeting order: one table, SLIDES, that the figures, the
screen, the TV navigator and the PDF pack all go through.

A new slide is a figures function, a view builder and one line in SLIDES.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kam.core.access import Viewer
from kam.review import change_slides, plan_slides
from kam.review.change_figures import changes, market, movers
from kam.review.layout import SlideView
from kam.review.plan_figures import manager_reviews, next_week, team_plan
from kam.review.scope import ReviewWeek, review_managers

# ``read(fn, **kwargs)`` runs ``fn(session, **kwargs)``: in a session, or through the page's cache.
Read = Callable[..., Any]


@dataclass(frozen=True)
class SlideKind:
    """One kind of slide: the figures it shows and how they become its view."""

    key: str  # names the kind and its figures on a Review (``review.changes``)
    figures: Callable[..., Any]  # fn(session, *, viewer, week[, manager_id]) -> its figures
    build: Callable[[ReviewWeek, Any], SlideView]  # (week, figures) -> the slide
    scoped: bool = True  # a chosen manager narrows the figures (they take ``manager_id``)
    per_manager: bool = False  # a slide per KAM reviewed; the figures list one item per KAM

    def arguments(self, viewer: Viewer, week: ReviewWeek, manager_id: int | None) -> dict[str, Any]:
        """The keyword arguments of its figures function."""
        scope: dict[str, Any] = {"viewer": viewer, "week": week}
        return scope | {"manager_id": manager_id} if self.scoped else scope

    def view(self, week: ReviewWeek, figures: Any, manager_id: int | None = None) -> SlideView:
        """The slide of these figures; of a per-manager kind, ``manager_id``'s."""
        if self.per_manager:
            figures = next(item for item in figures if item.manager_id == manager_id)
        return self.build(week, figures)


SLIDES: tuple[SlideKind, ...] = (
    SlideKind("team", team_plan, plan_slides.team_slide, scoped=False),
    SlideKind("managers", manager_reviews, plan_slides.manager_slide, per_manager=True),
    SlideKind("changes", changes, change_slides.changes_slide),
    SlideKind("movers", movers, change_slides.movers_slide),
    SlideKind("market", market, change_slides.market_slide, scoped=False),
    SlideKind("next_week", next_week, plan_slides.next_week_slide),
)


@dataclass(frozen=True)
class Slide:
    """One slide of the review: its kind's key and, for a per-manager kind, whose."""

    kind: str
    manager_id: int | None = None


def kind_of(slide: Slide) -> SlideKind:
    """The registered kind of a slide."""
    return next(kind for kind in SLIDES if kind.key == slide.kind)


def slides(read: Read, *, viewer: Viewer, manager_id: int | None = None) -> list[Slide]:
    """The slides in meeting order: each kind in SLIDES once, a per-manager kind once per KAM
    reviewed (the chosen one or all, by code)."""
    team = read(review_managers, viewer=viewer, manager_id=manager_id)
    out = []
    for kind in SLIDES:
        if kind.per_manager:
            out += [Slide(kind.key, int(mid)) for mid in team["manager_id"]]
        else:
            out.append(Slide(kind.key))
    return out


def view_of(
    read: Read, slide: Slide, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> SlideView:
    """One slide's view, its figures read through ``read`` (the screen reads one at a time)."""
    kind = kind_of(slide)
    figures = read(kind.figures, **kind.arguments(viewer, week, manager_id))
    return kind.view(week, figures, slide.manager_id)


@dataclass(frozen=True)
class Review:
    """Everything the review shows, read at once (the PDF pack): its slides and each kind's
    figures by key, also as attributes (``r.team``, ``r.managers``, ``r.changes``…)."""

    week: ReviewWeek
    manager_id: int | None
    slides: tuple[Slide, ...]
    figures: Mapping[str, Any]

    def __getattr__(self, key: str) -> Any:
        # Reached only when no field matches; pickle and copy ask for dunders before the
        # fields exist, so those must fail plainly.
        figures = self.__dict__.get("figures", {})
        if key.startswith("__") or key not in figures:
            raise AttributeError(key)
        return figures[key]


def assemble(
    read: Read, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Review:
    """All figures of the review for ``week``, each kind's figures function run through
    ``read(fn, **kwargs)``: a session, or the page's cache so the pack reuses its slides."""
    return Review(
        week=week,
        manager_id=manager_id,
        slides=tuple(slides(read, viewer=viewer, manager_id=manager_id)),
        figures={
            kind.key: read(kind.figures, **kind.arguments(viewer, week, manager_id))
            for kind in SLIDES
        },
    )


def review(
    session: Session, *, viewer: Viewer, week: ReviewWeek, manager_id: int | None = None
) -> Review:
    """All figures of the review for ``week``; with ``manager_id`` one KAM's."""
    return assemble(
        lambda fn, **kwargs: fn(session, **kwargs),
        viewer=viewer, week=week, manager_id=manager_id,
    )  # fmt: skip


def all_slides(r: Review) -> list[SlideView]:
    """Every slide of a review in meeting order."""
    return [
        kind_of(slide).view(r.week, r.figures[slide.kind], slide.manager_id) for slide in r.slides
    ]
