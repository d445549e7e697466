from __future__ import annotations

from laera.mapping.models import Recurrence
from laera.plans.models import Activity, TimeKind
from laera.plans.presentation import time_label


def test_a_rule_imported_without_a_choice_is_put_into_words() -> None:
    activity = Activity(
        time_kind=TimeKind.RECURRENCE, recurrence="", rrule="FREQ=MONTHLY;BYDAY=1MO", dates=["2015-02-02"]
    )
    assert time_label(activity, "en") == "Every month on the first Monday"
    assert time_label(activity, "nb") != ""


def test_a_chosen_recurrence_keeps_its_label() -> None:
    activity = Activity(
        time_kind=TimeKind.RECURRENCE, recurrence=Recurrence.EVERY_3_WEEKS, rrule="FREQ=WEEKLY;INTERVAL=3"
    )
    assert time_label(activity, "en") == "Every 3rd week"
