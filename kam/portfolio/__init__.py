"""The portfolio: ABC/XYZ classes and the clients table, the client card, the managers and their portfolios, and My desk."""

from kam.portfolio.overview import (  # noqa: F401 - the package's public face
    ABC_COLUMNS,
    CLIENT_COLUMNS,
    SILENT_COLUMNS,
    abc_xyz,
    clients_overview,
    filter_overview,
    open_claims_by_client,
    silent_clients,
    xyz_months,
)
