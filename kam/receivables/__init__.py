"""Receivables: payments allocated to invoices, ageing, over-limit, payment discipline, DSO and the monthly trend."""

from kam.receivables.ageing import (  # noqa: F401 - the package's public face
    BUCKETS,
    CLIENT_COLUMNS,
    MANAGER_COLUMNS,
    READS_ACTIVITIES,
    TREND_COLUMNS,
    ZERO,
    client_receivables,
    collection_trend,
    dso,
    manager_receivables,
    manager_totals,
    open_invoices,
    paid_pieces,
    payment_discipline,
    trend_days,
    with_company_total,
)
