"""Weekly plan (``?week=YYYY-MM-DD``): planned and done contacts Monday to Sunday, planning
several contacts at once, marking them done or cancelled, and the coverage of A/B/C clients."""

import streamlit as st

from kam.activities import weekly_plan
from kam.core import clock, periods
from kam.core import formatting as fmt
from kam.core.access import Capability
from kam.core.i18n import t
from kam.ui import contact_form, data, frame, week_planning, widgets
from kam.ui import week as week_ui

ctx = frame.context()
today = clock.today()
contact_form.saved_toast()

title, pick = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("Weekly plan"))
manager_id = widgets.manager_filter(where=pick)
monday = week_ui.week_from_url(today)
week_ui.week_nav(monday, today)

week = data.load(
    weekly_plan.week_grid, viewer=ctx.viewer, week_start=monday, manager_id=manager_id, today=today
)
week_ui.summary(week)

cover = data.load(weekly_plan.coverage, viewer=ctx.viewer, as_of=today, manager_id=manager_id)
due_a = cover.not_contacted.loc[cover.not_contacted["abc_class"] == "A", "client_id"]
target = week_planning.target_week(monday, today)
if ctx.viewer.may(Capability.WRITE):
    heading = (
        t("Plan contacts for next week")
        if target == periods.add_weeks(today, 1)
        else t("Plan contacts for the week of {day}", day=fmt.date(target))
    )
    with st.expander(heading, icon=":material/edit_calendar:", expanded=monday == target):
        week_planning.plan_form(target, suggested=[int(i) for i in due_a])

week_ui.grid(
    week,
    monday,
    today,
    show_manager=ctx.viewer.sees_all and manager_id is None,
    can_write=ctx.viewer.may(Capability.WRITE),
)
week_ui.open_dialog()

st.subheader(t("Coverage"))
st.caption(t("Clients with a done visit, call, meeting or e-mail within the limit of their class."))
week_ui.coverage(cover)
