"""How an activity's elements read in the plan: the texts of the five columns, in the plan's language.

Works on activities loaded by `selectors.plan_tree_queryset` and issues no queries.
"""

from __future__ import annotations

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.mapping import recurrence
from laera.mapping.models import Recurrence
from laera.organisations import participants

from .models import Activity, TimeKind


def arena_label(activity: Activity) -> str:
    return activity.arena.name if activity.arena is not None else activity.place


def method_label(activity: Activity) -> str:
    if activity.method_detail:
        return activity.method_detail
    return activity.method.display_name if activity.method is not None else ""


def responsible_label(activity: Activity) -> str:
    return (
        activity.responsible.full_name if activity.responsible is not None else activity.responsible_external
    )


def participants_label(activity: Activity) -> str:
    return activity.participants_text or participants.participants_label(activity)


def _day(date: datetime.date) -> str:
    return str(formats.date_format(date, "MONTH_DAY_FORMAT"))


def _join(items: list[str], alternatives: bool) -> str:
    if len(items) < 2:
        return "".join(items)
    word = _("or") if alternatives else _("and")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def time_label(activity: Activity, language: str) -> str:
    """The plan's own words when given, else a text made from the time fields in `language`."""
    if activity.time_text:
        return activity.time_text
    with translation.override(language):
        kind = activity.time_kind
        if kind == TimeKind.DATES:
            days = [datetime.date.fromisoformat(d) for d in activity.dates]
            return _join([_day(d) for d in days], activity.dates_are_alternatives)
        if kind == TimeKind.RECURRENCE:
            if activity.recurrence == Recurrence.TIMES_PER_YEAR and activity.times_per_year:
                return ngettext(
                    "%(count)s time a year", "%(count)s times a year", activity.times_per_year
                ) % {"count": activity.times_per_year}
            if activity.recurrence:
                return str(Recurrence(activity.recurrence).label)
            # A rule imported as is, with none of the form's choices: put the rule itself into words.
            first = datetime.date.fromisoformat(min(activity.dates)) if activity.dates else None
            return recurrence.describe(activity.rrule, first)
        if kind == TimeKind.DEADLINE:
            return _("By %(date)s") % {"date": _day(activity.deadline)} if activity.deadline else ""
        if kind == TimeKind.CONTINUOUS:
            return _("Continuously through the period")
        return activity.trigger
