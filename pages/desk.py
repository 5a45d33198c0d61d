"""My desk: this month's three plans and what needs attention today, most urgent first."""

import streamlit as st

from kam import plans
from kam.core import clock, periods
from kam.core import formatting as fmt
from kam.core.i18n import t
from kam.portfolio import desk
from kam.ui import attention, contact_form, data, frame, tiles, widgets

ctx = frame.context()
today = clock.today()
month = periods.month_of(today)

title, pick = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("My desk"))
manager_id = widgets.manager_filter(where=pick)
st.caption(
    t("{month}, up to and including {today}", month=fmt.month(month.start), today=fmt.date(today))
)

contact_form.saved_toast()
contact_form.action_buttons(None)

# The whole card, one cache entry for every manager's desk: a manager's rows are the same in it.
card = data.load(plans.scorecard, viewer=ctx.viewer, period=month, as_of=today)
tiles.plan_tiles(tiles.headline(card, ctx.viewer, manager_id))

st.subheader(t("Needs attention"))
items = data.load(desk.attention, viewer=ctx.viewer, today=today, manager_id=manager_id)
attention.render(items, show_manager=ctx.viewer.sees_all and manager_id is None)
