"""Læra's date and time formats per language (Django's FORMAT_MODULE_PATH).

One style per language, written the way each language writes dates, always with a 24-hour clock and the
day before the month: nb, nn and da "6. desember 2026" / "06.12.2026", sv "6 december 2026" / "2026-12-06",
en "6 December 2026" / "6 Dec 2026". Month names come from the translation catalogues, lower-case in the
Nordic languages; the `M` and `N` format characters would capitalise or abbreviate them, so only `F` (and `M`
in English, where month names are capitalised anyway) is used. Templates and code name these formats
(`date:"DATE_FORMAT"`, `date_format(value, "MONTH_DAY_FORMAT")`) and never spell out a display format.
Everything not set here (input formats, the first day of the week, number separators) comes from Django.
"""
