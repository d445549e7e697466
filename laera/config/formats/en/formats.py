"""Dates in English as written in Europe, day before month and a 24-hour clock: "6 December 2026",
"6 Dec 2026", "6 December 2026 15:40" (never the US "12/06/2026" or "3:40 p.m.")."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
