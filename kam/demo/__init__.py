"""A deterministic demo wholesaler for trying the dashboard and for benchmarks."""

# The package's public face: what loads the demo, and the shape of the company it builds.
from kam.demo.activities import COMPETITORS  # noqa: F401
from kam.demo.catalogue import CATEGORIES, SKUS_PER_CATEGORY  # noqa: F401
from kam.demo.company import DEFAULT_LINES, DemoSummary, is_empty, load  # noqa: F401
from kam.demo.history import REFUSAL_REASONS, RETURN_REASONS, SEASON  # noqa: F401
from kam.demo.people import (  # noqa: F401
    CLIENT_NAMES,
    CLIENT_WORDS,
    FIRST,
    LAST,
    N_CLIENTS,
    PRICE_COLUMNS,
    REGIONS,
    SEGMENT_WEIGHTS,
    SEGMENTS,
    TERMS,
)
from kam.demo.vocabulary import LANGUAGES, Vocabulary, vocabulary  # noqa: F401
