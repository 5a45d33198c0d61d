"""The weekly review: its figures, its slides as words, and the PDF pack.

kam.review.registry lists the slides in meeting order; the rest of the package holds what they
show: scope (the week, the KAMs), plan_figures and change_figures (the numbers), plan_slides and
change_slides (the numbers as words), layout (the blocks and the rules that place them) and
review_pack (the PDF).
"""

from kam.review.change_figures import (  # noqa: F401 - the package's public face
    BUCKET_CHANGE_COLUMNS,
    CLAIM_CHANGE_COLUMNS,
    CROSSED,
    INVOICE_CHANGE_COLUMNS,
    MARKET_COLUMNS,
    MOVER_COLUMNS,
    SILENT_CHANGE_COLUMNS,
    Changes,
    Movers,
    changes,
    market,
    movers,
)
from kam.review.layout import SlideView  # noqa: F401
from kam.review.plan_figures import (  # noqa: F401
    GAP_COLUMNS,
    NEXT_WEEK_COLUMNS,
    OVER_LIMIT_COLUMNS,
    UNPLANNED_COLUMNS,
    ManagerReview,
    NextWeek,
    TeamPlan,
    manager_reviews,
    next_week,
    plan_gaps,
    team_plan,
)
from kam.review.registry import (  # noqa: F401
    SLIDES,
    Review,
    Slide,
    SlideKind,
    all_slides,
    assemble,
    review,
    slides,
    view_of,
)
from kam.review.scope import (  # noqa: F401
    CLIENT_COLUMNS,
    ReviewWeek,
    recent_weeks,
    review_managers,
    review_week,
)
