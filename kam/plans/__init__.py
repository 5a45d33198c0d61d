"""Plans: the plan scorecard (plan, fact, forecast, gap, last year) and setting the plans."""

from kam.plans.scorecard import (  # noqa: F401 - the package's public face
    CLIENT_PLAN_COLUMNS,
    CLIENTS_BEHIND_COLUMNS,
    PACING_COLUMNS,
    PERIOD_KINDS,
    READS_ACTIVITIES,
    SCORECARD_COLUMNS,
    Calendar,
    as_of_for,
    calendar,
    client_plans,
    clients_behind,
    fulfilment_rows,
    pacing,
    parse_kind,
    plan_targets,
    recent_periods,
    scorecard,
)
