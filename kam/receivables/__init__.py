"""Receivables: payments allocated to invoices, ageing, over-limit, payment discipline, DSO and the monthly trend."""

from kam.receivables.ageing import (  # noqa: F401 - the package's public face
    BUCKETS,
    CLIENT_COLUMNS,
    MANAGER_COLUMNS,
    READS_ACTIVITIES,
    client_receivables,
    credit_use,
    manager_receivables,
    manager_totals,
    open_invoices,
    with_company_total,
)
from kam.receivables.allocation import paid_pieces  # noqa: F401
from kam.receivables.days import DSO_DAYS  # noqa: F401
from kam.receivables.discipline import (  # noqa: F401
    average_days_late,
    days_sales_outstanding,
    dso,
    payment_discipline,
)
from kam.receivables.trend import TREND_COLUMNS, collection_trend, trend_days  # noqa: F401
