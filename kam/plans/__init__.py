"""Plans: the plan scorecard (plan, fact, forecast, gap, last year) and setting the plans."""

from kam.plans.client_plans import (  # noqa: F401 - the package's public face
    CLIENT_PLAN_COLUMNS,
    CLIENTS_BEHIND_COLUMNS,
    client_plans,
    clients_behind,
)
from kam.plans.forecast import Forecast, forecast_text, plan_side  # noqa: F401
from kam.plans.fulfilment import (  # noqa: F401
    PACING_COLUMNS,
    PERIOD_KINDS,
    as_of_for,
    fulfilment_rows,
    pacing,
    parse_kind,
    recent_periods,
)
from kam.plans.scorecard import (  # noqa: F401
    READS_ACTIVITIES,
    SCORECARD_COLUMNS,
    Calendar,
    calendar,
    plan_targets,
    scorecard,
)
