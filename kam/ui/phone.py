"""The app on a phone: tap targets of at least 44×44 px, tabs that wrap instead of scrolling
sideways, and the number keyboard for money and quantity fields."""

from __future__ import annotations

import streamlit as st

# Apple's and Google's guidance for a thumb: 44 px. Phone-sized screens only, so the desktop's
# dense tables and toolbars keep their size; the desk's log icon is a tap target everywhere.
PHONE_CSS = """
<style>
[class*="st-key-log_"] button { min-width: 44px; min-height: 44px; padding: 0; }
[class*="st-key-log_"] button span[data-testid="stIconMaterial"] { font-size: 1.6rem; }
/* A desk line's client ("Сеть магазинов у дома «Подсолнух» · C0112") wraps: its code stays. */
[class*="st-key-attention_"] [data-testid="stPageLink-NavLink"] * {
  white-space: normal; overflow: visible; text-overflow: clip; }
/* Save stays in sight at the bottom of a long dialog: no scrolling past the fields to reach it. */
[data-testid="stDialog"] [data-testid="stElementContainer"]:has([data-testid="stFormSubmitButton"]) {
  position: sticky; bottom: 0; z-index: 3; background: var(--background-color, #fff);
  padding: 0.4rem 0; }
@media (max-width: 640px) {
  [data-testid="stMain"] button, [data-testid="stDialog"] button,
  [data-testid="stSidebar"] button, [data-testid="stMain"] [data-testid="stPageLink-NavLink"],
  [data-testid="stMain"] a[data-testid="stBaseLinkButton-secondary"] {
    min-height: 44px; min-width: 44px; }
  /* Six tabs do not fit 390 px: they wrap to a second line rather than hide off-screen. */
  [data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; overflow: visible; row-gap: 0.25rem; }
  [data-testid="stTabs"] [role="tab"] { min-height: 44px; height: auto; }
  /* The dialog scrolls inside itself (its frame clips), so the sticky Save above can stay. */
  [data-testid="stDialog"] [role="dialog"] { max-height: calc(100dvh - 5rem); overflow-y: auto; }
  /* A table's toolbar floats above it: keep it off the tabs, where it swallowed their taps. */
  [data-testid="stTabs"] [role="tabpanel"] { padding-top: 2.75rem; }
  /* A line of the desk: client and log icon side by side, what is due under them. */
  [class*="st-key-attention_"] [data-testid="stHorizontalBlock"] {
    flex-wrap: wrap !important; gap: 0 0.5rem; }
  [class*="st-key-attention_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 0 !important; }
  [class*="st-key-attention_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(1) {
    flex: 1 1 0 !important; width: auto !important; order: 1; }
  [class*="st-key-attention_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(3) {
    flex: 0 0 44px !important; width: 44px !important; order: 2; }
  [class*="st-key-attention_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(2) {
    flex: 1 0 100% !important; width: 100% !important; order: 3; }
}
</style>
"""

# Fields typed as text so "1 234,50" reads as typed; their keys end in these names. The
# attribute asks a phone for its number keyboard (with a decimal separator) instead of letters.
NUMBER_KEYBOARD_JS = """
<script>
(() => {
  if (window.__kamNumberKeyboard) return;
  window.__kamNumberKeyboard = true;
  const NUMERIC = /(qty|amount|their_price|our_price)$/;
  const mark = () => {
    for (const input of document.querySelectorAll('input[type="text"]:not([inputmode])')) {
      const box = input.closest('[class*="st-key-"]');
      const key = box && [...box.classList].find((c) => c.startsWith('st-key-'));
      if (key && NUMERIC.test(key)) input.setAttribute('inputmode', 'decimal');
    }
  };
  new MutationObserver(mark).observe(document.body, {subtree: true, childList: true});
  mark();
})();
</script>
"""


def apply() -> None:
    """Once per run, on every page: the phone CSS and the number-keyboard marker."""
    st.html(PHONE_CSS)
    # In the sidebar: a script's element would leave a gap at the top of the page.
    st.sidebar.html(NUMBER_KEYBOARD_JS, unsafe_allow_javascript=True)
