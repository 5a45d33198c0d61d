"""TV mode (``?tv=1``): the page becomes a full-screen slide for a meeting-room screen.

Streamlit's own chrome (sidebar, header, toolbar, menus, status) is hidden with CSS and the
slide takes the whole viewport; type is sized in container units with pixel floors, so the
same slide fills 1920×1080 and 3840×2160 alike and stays readable from the back of the room.
"""

from __future__ import annotations

import streamlit as st

from kam.ui import state

TV_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
[data-testid="stBottom"], header, footer, #MainMenu { display: none !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"] { padding: 0 !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0 !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0 !important; }
/* A fragment's rerun must not dim the slide on the wall. */
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
.rv-frame { width: 100vw; }
.rv-slide { aspect-ratio: auto; height: 100vh; border: 0; border-radius: 0;
  --rv-min: 20px; --rv-key-min: 48px; }
.st-key-rv-nav { position: fixed; right: 1.2vw; bottom: 1.2vh; z-index: 1000;
  width: auto !important; opacity: 0.45; background: #fff; border-radius: 0.6vw;
  padding: 0.2vw 0.4vw; }
.st-key-rv-nav:hover, .st-key-rv-nav:focus-within { opacity: 1; }
.st-key-rv-nav button { min-height: 0; padding: 0.1vw 0.8vw; }
.st-key-rv-nav button p, .st-key-rv-nav [data-testid="stMarkdownContainer"] p {
  font-size: max(20px, 1.1vw) !important; margin: 0; }
</style>
"""


# What a presentation clicker sends: Page Down / Page Up, the arrows, Space. They press the
# navigator's own buttons, so a key and a click move the slide the same way (and the URL).
KEYS_JS = """
<script>
(() => {
  if (window.__kamTvKeys) return;
  window.__kamTvKeys = true;
  const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Spacebar']);
  const BACK = new Set(['ArrowLeft', 'ArrowUp', 'PageUp']);
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || !document.querySelector('.rv-slide')) return;
    const target = event.target;
    if (target && target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
    const which = NEXT.has(event.key) ? 'next' : BACK.has(event.key) ? 'prev' : null;
    const button = which && document.querySelector(`.st-key-rv_${which} button`);
    if (!button) return;
    // Also keeps Space from pressing a focused button a second time, and the page from scrolling.
    event.preventDefault();
    event.stopPropagation();
    button.click();
    button.blur();
  }, true);
})();
</script>
"""


def is_on() -> bool:
    """True when the page was opened with ``?tv=1``."""
    return state.get("tv", "") in ("1", "true", "yes")


def apply() -> None:
    """Hide Streamlit's chrome, let the slide fill the screen and the clicker's keys move it."""
    st.html(TV_CSS)
    st.sidebar.html(KEYS_JS, unsafe_allow_javascript=True)
