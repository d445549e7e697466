"""Dates as Norwegian writes them: "6. desember 2026", "06.12.2026", "6. desember 2026 15:40"."""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
