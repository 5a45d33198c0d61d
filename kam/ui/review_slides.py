"""The weekly review's slides on screen: HTML for each SlideView, the navigator, auto-advance,
data refresh without a reload, and the PDF pack button.

Which slides there are, in what order, comes from kam.review.registry; how their blocks are
placed and painted from kam.review.layout, which the PDF follows too.

The slide index lives in session state and in the URL (``?slide=N``, 1-based), so a timed
rerun, a data refresh or a reload keeps the slide on the wall.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import time
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from kam import review
from kam.charts import review as review_charts
from kam.core import clock, periods
from kam.core import formatting as fmt
from kam.core.cache import VersionedCache
from kam.core.i18n import language, set_language, t, texts_key
from kam.review import layout, review_pack
from kam.ui import data, frame, state

SLIDE_KEY = "review_slide"
SHOWN_KEY = "review_shown_at"  # when the current slide came up (monotonic seconds)
REFRESHED_KEY = "review_refreshed_at"

# The slide's palette as CSS variables: the colours the PDF paints with.
PALETTE_CSS = (
    ".rv-slide { "
    + " ".join(f"--rv-{name}: {colour};" for name, colour in layout.COLOURS.items())
    + " }"
)
SLIDE_CSS = (
    "<style>\n"
    + PALETTE_CSS
    + """
.rv-frame { container-type: inline-size; width: 100%; }
.rv-slide { --rv-min: 11px; --rv-key-min: 20px; width: 100%; aspect-ratio: 16 / 9;
  box-sizing: border-box; display: flex; flex-direction: column; gap: 1.1cqw;
  padding: 1.4cqw 2cqw 1.4cqw 2cqw; background: #fff; color: var(--rv-ink); overflow: hidden;
  border: 1px solid var(--rv-rule); border-radius: 8px; font-family: "DejaVu Sans", sans-serif;
  font-size: max(var(--rv-min), 1.25cqw); line-height: 1.25; }
.rv-head { display: flex; align-items: baseline; justify-content: space-between; gap: 2cqw; }
/* Titles and labels wrap rather than end in "…": nothing on the meeting screen is hidden. */
.rv-title { font-size: max(var(--rv-min), 2.4cqw); font-weight: 700; overflow-wrap: anywhere; }
.rv-sub { font-size: max(var(--rv-min), 1.25cqw); color: var(--rv-muted); white-space: nowrap; }
.rv-row { display: flex; gap: 1.4cqw; min-height: 0; }
.rv-row.grow { flex: 1 1 0; }
.rv-block { min-width: 0; display: flex; flex-direction: column; }
.rv-block-title { font-size: max(var(--rv-min), 1.4cqw); font-weight: 700;
  margin-bottom: 0.4cqw; }
.rv-tiles { display: flex; gap: 1.1cqw; }
.rv-tile { flex: 1 1 0; min-width: 0; border: 2px solid var(--rv-rule);
  border-left: 0.6cqw solid var(--rv-neutral); border-radius: 0.6cqw; padding: 0.6cqw 1cqw; }
.rv-tile.good { border-left-color: var(--rv-good); }
.rv-tile.bad { border-left-color: var(--rv-bad); }
.rv-label { font-size: max(var(--rv-min), 1.4cqw); font-weight: 600; overflow-wrap: anywhere; }
.rv-key { font-size: max(var(--rv-key-min), 3.6cqw); font-weight: 700; line-height: 1.1;
  white-space: nowrap; }
.rv-key.bad { color: var(--rv-bad); }
/* A line under a key figure wraps rather than hide its end ("… (99%)") behind an ellipsis. */
.rv-line { font-size: max(var(--rv-min), 1.3cqw); overflow-wrap: anywhere;
  color: var(--rv-muted); }
/* Columns take the room their content needs: a number is never cut, a long name wraps. */
.rv-table { width: 100%; border-collapse: collapse; table-layout: auto;
  font-size: max(var(--rv-min), 1.2cqw); }
.rv-table.large { font-size: max(var(--rv-min), 1.75cqw); }
.rv-table th { text-align: left; font-weight: 700; border-bottom: 3px solid var(--rv-ink);
  padding: 0.25cqw 0.5cqw; vertical-align: bottom; overflow: hidden; }
.rv-table td { padding: 0.3cqw 0.5cqw; border-bottom: 1px solid var(--rv-rule);
  overflow-wrap: anywhere; }
.rv-table .r { text-align: right; white-space: nowrap; }
.rv-table tr.good td.tone { color: var(--rv-good); font-weight: 700; }
.rv-table tr.bad td.tone { color: var(--rv-bad); font-weight: 700; }
.rv-more, .rv-empty { font-size: max(var(--rv-min), 1.15cqw); color: var(--rv-muted);
  margin-top: 0.4cqw; }
.rv-chart { flex: 1 1 0; min-height: 0; position: relative; }
.rv-chart img { position: absolute; inset: 0; width: 100%; height: 100%;
  object-fit: contain; object-position: left top; }
/* On a phone a 16:9 slide would shrink its type below reading size or cut its rows: there the
   slide becomes a page that grows with its content, its blocks one under the other. */
@container (max-width: 640px) {
  .rv-slide { aspect-ratio: auto; overflow: visible; gap: 12px; padding: 12px;
    font-size: 14px; --rv-min: 13px; --rv-key-min: 24px; }
  .rv-head { flex-direction: column; gap: 2px; }
  .rv-title { font-size: 20px; overflow-wrap: normal; }
  .rv-sub { white-space: normal; }
  .rv-row, .rv-row.grow { flex-direction: column; flex: none; gap: 12px; }
  .rv-block { flex: none !important; }
  .rv-tiles { flex-wrap: wrap; gap: 8px; }
  .rv-tile { flex: 1 1 40%; border-left-width: 5px; border-radius: 6px; padding: 6px 8px; }
  .rv-chart { flex: none; }
  .rv-chart img { position: static; height: auto; }
  .rv-table th, .rv-table td { padding: 3px 4px; }
  /* A wide table scrolls inside the slide; names wrap between words, not inside them. */
  .rv-table { display: block; overflow-x: auto; }
  .rv-table td { overflow-wrap: normal; }
}
</style>
"""
)


# A key figure wider than its tile ("RUB 490.1k" in a row of four) gets a smaller type, just
# small enough to fit: measured in the browser, where the fonts are. Runs after every render.
FIT_JS = """
<script>
(() => {
  if (window.__kamFitKeys) return;
  window.__kamFitKeys = true;
  const fit = () => {
    for (const key of document.querySelectorAll('.rv-key')) {
      key.style.fontSize = '';
      if (key.scrollWidth <= key.clientWidth) continue;
      const size = parseFloat(getComputedStyle(key).fontSize);
      key.style.fontSize = Math.floor(size * key.clientWidth / key.scrollWidth) + 'px';
    }
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fit(); });
  };
  new MutationObserver(later).observe(document.body, {subtree: true, childList: true, characterData: true});
  addEventListener('resize', later);
  document.fonts && document.fonts.ready.then(later);
  later();
})();
</script>
"""


# --- HTML ----------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text))


def _tiles(block: layout.Tiles) -> str:
    parts = []
    for tile in block.tiles:
        lines = "".join(f'<div class="rv-line">{_e(line)}</div>' for line in tile.lines)
        parts.append(
            f'<div class="rv-tile {tile.tone}"><div class="rv-label">{_e(tile.label)}</div>'
            f'<div class="rv-key {tile.value_tone}">{_e(tile.value)}</div>{lines}</div>'
        )
    return f'<div class="rv-tiles">{"".join(parts)}</div>'


def _table(block: layout.Table) -> str:
    title = f'<div class="rv-block-title">{_e(block.title)}</div>' if block.title else ""
    if not block.rows:
        return f'{title}<div class="rv-empty">{_e(block.empty)}</div>'
    cols = "".join(f'<col style="width:{share * 100:.1f}%">' for share in block.column_shares)
    head = "".join(
        f'<th class="{"r" if a == "r" else ""}">{_e(h)}</th>'
        for h, a in zip(block.header, block.align, strict=True)
    )
    tone_col = block.toned_column
    body = []
    for row, tone in block.body():
        cells = "".join(
            f'<td class="{"r" if a == "r" else ""}{" tone" if j == tone_col else ""}">{_e(v)}</td>'
            for j, (v, a) in enumerate(zip(row, block.align, strict=True))
        )
        body.append(f'<tr class="{tone}">{cells}</tr>')
    more = f'<div class="rv-more">{_e(block.more)}</div>' if block.more else ""
    return (
        f'{title}<table class="rv-table{" large" if block.large else ""}"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


def _chart(block: layout.Chart) -> str:
    picture = base64.b64encode(review_charts.svg(block.chart).encode()).decode()
    return (
        f'<div class="rv-block-title">{_e(block.title)}</div><div class="rv-chart">'
        f'<img alt="{_e(block.title)}" src="data:image/svg+xml;base64,{picture}"></div>'
    )


def slide_html(view: layout.SlideView, number: int, count: int) -> str:
    """One slide as HTML (the CSS comes once per page from SLIDE_CSS)."""
    rows = []
    for row in view.rows:
        blocks = []
        for (block, _), share in zip(row.blocks, row.shares, strict=True):
            inner = (
                _tiles(block) if isinstance(block, layout.Tiles)
                else _table(block) if isinstance(block, layout.Table)
                else _chart(block)
            )  # fmt: skip
            blocks.append(f'<div class="rv-block" style="flex:{share:.4f} 1 0">{inner}</div>')
        rows.append(f'<div class="rv-row{" grow" if row.grow else ""}">{"".join(blocks)}</div>')
    return (
        f'<div class="rv-frame"><div class="rv-slide" data-slide="{number}" data-count="{count}"'
        f' data-key="{_e(view.key)}"><div class="rv-head"><div class="rv-title">{_e(view.title)}</div>'
        f'<div class="rv-sub">{_e(view.subtitle)}</div></div>{"".join(rows)}</div></div>'
    )


# --- The deck: navigator, auto-advance, refresh ---------------------------------------------


def _go(step: int, count: int) -> None:
    st.session_state[SLIDE_KEY] = (st.session_state.get(SLIDE_KEY, 0) + step) % count
    st.session_state[SHOWN_KEY] = time.monotonic()


# A slide's HTML per data version: the TV reruns the deck every few seconds, and drawing a
# slide (its figures laid out, its chart rendered) took 100-450 ms at 5M lines each time.
_SLIDES = VersionedCache(max_entries=64)


def deck(week: review.ReviewWeek, manager_id: int | None, *, advance: int, refresh: int) -> None:
    """The current slide and its navigator, in a fragment that reruns on a timer: every
    ``advance`` seconds it moves on (0: never), every ``refresh`` seconds it re-reads the data
    version, so changes show without a reload and without leaving the slide."""
    st.html(SLIDE_CSS)
    # In the sidebar: a script's element would leave a gap above the slide.
    st.sidebar.html(FIT_JS, unsafe_allow_javascript=True)
    if SLIDE_KEY not in st.session_state:
        st.session_state[SLIDE_KEY] = max(state.get("slide", 1, state.whole(1, 1_000)) - 1, 0)
        st.session_state[SHOWN_KEY] = st.session_state[REFRESHED_KEY] = time.monotonic()
    tick = min(advance, refresh) if advance > 0 else refresh

    @st.fragment(run_every=tick)
    def show() -> None:
        now = time.monotonic()
        if now - st.session_state.get(REFRESHED_KEY, now) >= refresh - 0.5:
            frame.refresh()
            st.session_state[REFRESHED_KEY] = now
        ctx = frame.context()
        viewer = ctx.viewer
        slides = review.slides(data.load, viewer=viewer, manager_id=manager_id)
        count = len(slides)
        if advance > 0 and now - st.session_state.get(SHOWN_KEY, now) >= advance - 0.5:
            _go(1, count)
        index = st.session_state[SLIDE_KEY] % count
        st.session_state[SLIDE_KEY] = index
        state.put("slide", index + 1, 1)

        def draw() -> str:
            view = review.view_of(
                data.load, slides[index], viewer=viewer, week=week, manager_id=manager_id
            )
            return slide_html(view, index + 1, count)

        key = (slides[index], week, manager_id, viewer, ctx.activity_version, texts_key(),
               clock.today(), index, count)  # fmt: skip
        st.html(_SLIDES.get_or_compute(ctx.database_url, ctx.data_version, key, draw))
        with st.container(horizontal=True, key="rv-nav", vertical_alignment="center"):
            st.button("◀", key="rv_prev", on_click=_go, args=(-1, count))  # fmt: skip
            st.markdown(t("{n} / {count}", n=fmt.number(index + 1), count=fmt.number(count)))
            st.button("▶", key="rv_next", on_click=_go, args=(1, count))

    show()


# --- The review pack -----------------------------------------------------------------------


def pack_maker(week: review.ReviewWeek, manager_id: int | None) -> Callable[[], bytes]:
    """A callable building the PDF pack on click (Streamlit runs it on another thread, so it
    sets the language itself); its figures come through the slides' cache."""
    viewer, lang, read = frame.context().viewer, language(), data.loader()

    def make() -> bytes:
        set_language(lang)
        figures = review.assemble(read, viewer=viewer, week=week, manager_id=manager_id)
        return review_pack.build(figures)

    return make


def pack_name(week: review.ReviewWeek) -> str:
    """The file name of the pack: weekly-review-2026-11-16.pdf."""
    return f"weekly-review-{week.monday:%Y-%m-%d}.pdf"


def tv_link() -> str:
    """This view's link in TV mode (same week and manager, from the first slide)."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "slide"}
    return "review?" + urlencode(params | {"tv": "1"})


def week_label(monday: dt.date) -> str:
    """A week in the picker: its Monday and Sunday."""
    return fmt.date_range(monday, periods.sunday_of(monday))
