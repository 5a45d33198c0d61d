"""A deterministic demo wholesaler for trying the dashboard and for benchmarks."""

from kam.demo.company import (  # noqa: F401 - the package's public face
    CATEGORIES,
    CLIENT_KINDS,
    CLIENT_WORDS,
    COMPETITORS,
    DEFAULT_LINES,
    FIRST,
    LAST,
    N_CLIENTS,
    PRICE_COLUMNS,
    REFUSAL_REASONS,
    REGIONS,
    RETURN_REASONS,
    SEASON,
    SEGMENT_WEIGHTS,
    SEGMENTS,
    SKUS_PER_CATEGORY,
    TERMS,
    DemoSummary,
    is_empty,
    load,
)
