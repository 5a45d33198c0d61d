"""Sales: revenue, active and new clients, monthly history, category mix and returns, and the rollups that serve them."""

from kam.sales.figures import (  # noqa: F401 - the package's public face
    READS_ACTIVITIES,
    active_clients_by_manager,
    is_over,
    last_year_span,
    manager_scope,
    new_clients,
    new_clients_by_manager,
    only_visible,
    revenue_by_client,
    revenue_by_manager,
    span,
    team_active_clients,
)
from kam.sales.freshness import Freshness, data_freshness  # noqa: F401
from kam.sales.history import (  # noqa: F401
    as_date,
    category_mix,
    month_start_of,
    monthly_sales,
    sales_history,
)
from kam.sales.returns import (  # noqa: F401
    returns_by_client,
    returns_by_reason,
    returns_rates,
)
