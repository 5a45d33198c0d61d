"""Weekly review: slides for the head of sales' meeting, a TV mode for the wall and the PDF pack.

``?week=YYYY-MM-DD&manager=K01&slide=N``; ``?tv=1`` shows only the slide and a small navigator;
``?advance=30`` moves to the next slide every 30 seconds; ``?refresh=180`` re-reads the data
every 180 seconds (the slide stays where it is).
"""

import streamlit as st

from kam import review
from kam.core import clock
from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.ui import frame, review_slides, state, tv, widgets

ctx = frame.context()
today = clock.today()
on_tv = tv.is_on()
advance = max(state.get("advance", 0, state.whole(0, 86_400)), 0)
refresh = max(state.get("refresh", 180, state.whole(2, 86_400)), 2)

if on_tv:
    tv.apply()
    # The filters still run (hidden with the sidebar), so week and manager come from the URL.
    slide_column, side = st.container(), st.sidebar
else:
    st.title(t("Weekly review"))
    slide_column, side = st.columns([4, 1], gap="medium")

weeks = review.recent_weeks(today)
chosen = state.get("week", weeks[0], state.day)
monday = review.review_week(chosen, today).monday
if monday not in weeks:
    weeks.append(monday)
state.put("week", monday, weeks[0])  # any day of a week in the link stands for its Monday
picked = state.select(
    t("Week"), weeks, param="week", default=weeks[0], format_func=review_slides.week_label,
    where=side,
)  # fmt: skip
week = review.review_week(picked or weeks[0], today)
manager_id = widgets.manager_filter(where=side)

if not on_tv:
    side.caption(t("Figures as of {day}.", day=fmt.date(week.review_date)))
    side.download_button(
        t("Review pack (PDF)"),
        data=review_slides.pack_maker(week, manager_id),
        file_name=review_slides.pack_name(week),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        width="stretch",
    )
    side.link_button(
        t("Open TV mode"),
        review_slides.tv_link(),
        icon=":material/tv:",
        width="stretch",
    )
    side.caption(
        t(
            "TV mode fills a screen with the slide; add advance=30 to the link to move on "
            "every 30 seconds."
        )
    )

with slide_column:
    review_slides.deck(week, manager_id, advance=advance, refresh=refresh)
