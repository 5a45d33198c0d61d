"""docs/METRICS.md and the code agree: every function the contract names exists, and every public
figure function of the figure packages is named there (as datasette tests its documentation)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "METRICS.md"
REF = re.compile(r"`(kam(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`")
# The packages whose public functions compute figures people read.
FIGURE_PACKAGES = ("kam.sales", "kam.plans", "kam.receivables", "kam.portfolio")
# Public functions of those packages that compute no figure of their own (plumbing), and why.
NOT_FIGURES = {
    "kam.sales.only_visible": "the viewer's filter, applied by every figure",
    "kam.sales.manager_scope": "the viewer's filter on manager rows",
    "kam.sales.as_date": "reads a database date the same way on SQLite and PostgreSQL",
    "kam.sales.month_start_of": "the first day of a date's month, in SQL",
    "kam.sales.is_over": "whether a period is over at a day",
    "kam.plans.as_of_for": "the day a period is seen on by the Plan fulfilment page",
    "kam.plans.recent_periods": "the periods offered in the Plan fulfilment picker",
    "kam.plans.parse_kind": "the period of a kind (month, quarter, year) containing a day",
    "kam.portfolio.filter_overview": "the Clients page's filters over clients_overview rows",
}


def _refs() -> set[str]:
    return set(REF.findall(DOC.read_text(encoding="utf-8")))


def _resolve(path: str) -> object:
    """The object a dotted path names: the longest importable module, then its attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(path)


def _figure_functions() -> set[str]:
    found = set()
    for package in FIGURE_PACKAGES:
        module = importlib.import_module(package)
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(obj)
                and obj.__module__.startswith(package + ".")
            ):
                found.add(f"{package}.{name}")
    return found


@pytest.mark.parametrize("path", sorted(_refs()))
def test_every_name_the_contract_gives_exists(path):
    try:
        _resolve(path)
    except (ModuleNotFoundError, AttributeError) as exc:
        pytest.fail(f"docs/METRICS.md names {path}, which does not exist ({exc})")


def test_every_public_figure_function_is_in_the_contract():
    missing = sorted(_figure_functions() - _refs() - set(NOT_FIGURES))
    assert not missing, f"figure functions not defined in docs/METRICS.md: {missing}"


def test_the_plumbing_list_names_only_real_functions():
    # A renamed helper must not leave a stale excuse behind.
    assert set(NOT_FIGURES) <= _figure_functions()
