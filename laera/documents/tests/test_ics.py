"""The plan as an iCalendar file, parsed back with the icalendar package."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import icalendar

from laera.documents.examples import rich_example, royken_example
from laera.documents.ics import fold, plan_ics
from laera.documents.plan_data import ActivityTime, PlanDocument

STAMP = datetime.datetime(2015, 1, 5, 8, 30, tzinfo=datetime.UTC)


def _events(text: str) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


def _by_summary(events: list[Any], start: str) -> list[Any]:
    return [event for event in events if str(event["SUMMARY"]).startswith(start)]


def test_parses_with_one_event_per_dated_occurrence() -> None:
    text = plan_ics(royken_example(), dtstamp=STAMP)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Læra//Plan//NB"
    events = _events(text)
    # 22. og 23. april (2), 22. eller 23. april (2), 12. mars, innen 1. mai, 9. april; the recurrences
    # of the original have no dates, and continuous and trigger times have none either.
    assert len(events) == 7
    starts = sorted(event.decoded("DTSTART") for event in events)
    assert starts[0] == datetime.date(2015, 3, 12)
    assert all(type(start) is datetime.date for start in starts)
    assert datetime.date(2015, 5, 1) in starts


def test_alternative_dates_say_so() -> None:
    events = _events(plan_ics(royken_example(), dtstamp=STAMP))
    research = _by_summary(events, "NAV-veiledere skal kjenne til grunnleggende forskning")
    assert [event.decoded("DTSTART") for event in research] == [
        datetime.date(2015, 4, 22),
        datetime.date(2015, 4, 23),
    ]
    for event in research:
        assert str(event["DESCRIPTION"]).startswith("(alternativ dato)\n")
        assert str(event["STATUS"]) == "TENTATIVE"
    both = _by_summary(events, "Ansatte i NAV-kontoret skal kjenne hovedtrekkene i SE")
    assert len(both) == 2
    assert all("alternativ" not in str(event["DESCRIPTION"]) for event in both)


def test_summary_description_and_deadline() -> None:
    events = _events(plan_ics(royken_example(), dtstamp=STAMP))
    (deadline,) = _by_summary(events, "NAV-veiledere skal ha kunnskap om tiltak")
    assert deadline.decoded("DTSTART") == datetime.date(2015, 5, 1)
    assert deadline.decoded("DTEND") == datetime.date(2015, 5, 2)
    assert str(deadline["SUMMARY"]).endswith(" – E-læringsmodul")
    assert "…" in str(deadline["SUMMARY"])
    (lecture,) = _by_summary(events, "Alle ansatte i NAV-kontoret skal kjenne til de seks")
    description = str(lecture["DESCRIPTION"])
    assert "Arena: Personalmøte\n" in description
    assert "Deltakere: Alle ansatte\n" in description
    assert "Ansvarlig: Berit Eivi Nilsen\n" in description
    assert str(lecture["LOCATION"]) == "Personalmøte"


def test_recurrence_is_one_event_with_a_rule_ending_with_the_period() -> None:
    events = _events(plan_ics(rich_example(), dtstamp=STAMP))
    assert len(events) == 7
    (monthly,) = [event for event in _by_summary(events, "Sikkerhet | «rutiner»") if "RRULE" in event]
    assert monthly.decoded("DTSTART") == datetime.date(2015, 1, 15)
    rule = monthly["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"]
    assert rule["UNTIL"] == [datetime.date(2015, 6, 30)]
    (child,) = _by_summary(events, "Veiledere kan anvende MI")
    assert child["RRULE"]["INTERVAL"] == [3]


def test_a_rule_with_its_own_end_is_kept() -> None:
    doc = royken_example()
    time = ActivityTime(
        kind="recurrence",
        text="Hvert kvartal",
        dates=(datetime.date(2015, 1, 8),),
        rrule="FREQ=MONTHLY;COUNT=2",
    )
    doc = _with_time(doc, time)
    text = plan_ics(doc, dtstamp=STAMP)
    assert "RRULE:FREQ=MONTHLY;COUNT=2\r\n" in text


def _with_time(doc: PlanDocument, time: ActivityTime) -> PlanDocument:
    theme = doc.themes[1]
    outcome = theme.outcomes[2]
    activity = dataclasses.replace(outcome.activities[0], time=time)
    outcome = dataclasses.replace(outcome, activities=(activity,))
    theme = dataclasses.replace(theme, outcomes=(*theme.outcomes[:2], outcome, *theme.outcomes[3:]))
    return dataclasses.replace(doc, themes=(doc.themes[0], theme, doc.themes[2]))


def test_special_characters_are_escaped_and_come_back() -> None:
    text = plan_ics(rich_example(), dtstamp=STAMP)
    assert "\\;" in text and "\\," in text and "\\\\" in text
    events = _by_summary(_events(text), "Sikkerhet")
    description = str(events[0]["DESCRIPTION"])
    assert 'Læringsutbytte: Sikkerhet | «rutiner»; "sitat", komma\\skråstrek\nog ny linje – æøå ÆØÅ' in (
        description
    )


def test_lines_end_with_crlf_and_fold_at_75_octets() -> None:
    text = plan_ics(rich_example(), dtstamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)


def test_fold_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "æøå" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if index else part for index, part in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_uids_are_stable_and_distinct() -> None:
    first = _events(plan_ics(rich_example(), dtstamp=STAMP))
    again = _events(plan_ics(rich_example(), dtstamp=STAMP + datetime.timedelta(days=3)))
    uids = [str(event["UID"]) for event in first]
    assert len(set(uids)) == len(uids)
    assert uids == [str(event["UID"]) for event in again]
    assert first[0].decoded("DTSTAMP") == STAMP


def test_prodid_and_other_languages() -> None:
    doc = dataclasses.replace(rich_example(), language="sv")
    text = plan_ics(doc, prodid="-//Example//Plan//SV", dtstamp=STAMP)
    assert "PRODID:-//Example//Plan//SV\r\n" in text
    assert "(alternativt datum)" in str(_events(text)[0]["DESCRIPTION"])
