"""Charts in the browser speak the UI language: Vega gets the locale from kam.charts.formats."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def axis_labels(page) -> str:
    # The SVG's texts and the accessible descriptions Vega gives marks and axes.
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-testid='stVegaLiteChart'] svg text, "
        + "[data-testid='stVegaLiteChart'] [aria-label], [data-testid='stVegaLiteChart'] [aria-roledescription]"))
          .map(e => (e.textContent || '') + ' ' + (e.getAttribute('aria-label') || '')).join(' | ')"""
    )


def test_receivables_axes_in_russian(server, page):
    page.goto(f"{server.url}/receivables?lang=ru")
    wait_for_app(page)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    text = axis_labels(page)
    assert re.search(r"\b\d+\s(млн|тыс\.)", text), text  # the ageing's outstanding axis
    assert "дек. 2026" in text, text  # a tooltip's month, Russian style
