"""The named reports shared by the pages and the command line, and how tables are written to files."""

from kam.reports.named import (  # noqa: F401 - the package's public face
    COLUMNS,
    FORMATS,
    HEADERS,
    REPORTS,
    Scope,
    abc_report,
    build,
    client_id,
    clients_report,
    labelled,
    manager_id,
    plan_report,
    receivables_report,
    sales_report,
    write,
)
