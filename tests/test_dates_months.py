"""Every month name, day name, zone and ISO form ``dates.parse_date`` knows.

Expected month numbers are written out here, never read from ``dates.MONTHS``:
a wrong number in that table must fail a test.
"""

import pytest

from sulsel_crawler.dates import DAY_NAMES, MONTHS, parse_date

pytestmark = pytest.mark.unit

MONTH_NUMBERS = [
    ("januari", 1), ("jan", 1),
    ("februari", 2), ("pebruari", 2), ("feb", 2), ("peb", 2),
    ("maret", 3), ("mar", 3),
    ("april", 4), ("apr", 4),
    ("mei", 5),
    ("juni", 6), ("jun", 6),
    ("juli", 7), ("jul", 7),
    ("agustus", 8), ("agu", 8), ("agt", 8), ("ags", 8), ("agus", 8),
    ("september", 9), ("sep", 9), ("sept", 9),
    ("oktober", 10), ("okt", 10),
    ("november", 11), ("nov", 11), ("nop", 11),
    ("desember", 12), ("des", 12),
]  # fmt: skip


def test_the_table_covers_every_month_name_the_parser_knows():
    assert sorted(MONTHS) == sorted(name for name, _ in MONTH_NUMBERS)


@pytest.mark.parametrize("name, number", MONTH_NUMBERS, ids=[name for name, _ in MONTH_NUMBERS])
def test_month_name(name, number):
    assert parse_date(f"9 {name} 2021 10:05") == f"2021-{number:02d}-09T10:05:00+08:00"


@pytest.mark.parametrize("name, number", MONTH_NUMBERS, ids=[name for name, _ in MONTH_NUMBERS])
def test_month_name_capitalised_with_full_stop(name, number):
    assert parse_date(f"9 {name.capitalize()}. 2021 10:05") == f"2021-{number:02d}-09T10:05:00+08:00"


# Day names with the date they fall on, in the week of 7 February 2022.
DAYS = [
    ("Senin", "7"), ("Selasa", "8"), ("Rabu", "9"), ("Kamis", "10"), ("Jumat", "11"),
    ("Jum'at", "11"), ("Jum’at", "11"), ("Sabtu", "12"), ("Minggu", "13"), ("Ahad", "13"),
]  # fmt: skip


def test_the_day_table_covers_every_day_name_the_parser_knows():
    assert sorted(DAY_NAMES) == sorted({name.lower().replace("’", "'") for name, _ in DAYS})


@pytest.mark.parametrize("day_name, day", DAYS, ids=[name for name, _ in DAYS])
def test_day_name(day_name, day):
    expected = f"2022-02-{int(day):02d}T09:30:00+08:00"
    assert parse_date(f"{day_name}, {day} Februari 2022 09:30") == expected
    assert parse_date(f"{day_name.upper()} {day} Februari 2022 09:30") == expected


VISIBLE_DATES = {
    "WITA is Makassar time": ("Senin, 7 Februari 2022 09:30 WITA", "2022-02-07T09:30:00+08:00"),
    "WIB is one hour behind": ("Senin, 7 Februari 2022 09:30 WIB", "2022-02-07T10:30:00+08:00"),
    "WIT is one hour ahead": ("Senin, 7 Februari 2022 09:30 WIT", "2022-02-07T08:30:00+08:00"),
    "zone in lower case": ("7 Februari 2022 09:30 wib", "2022-02-07T10:30:00+08:00"),
    "zone without space": ("7 Februari 2022 09:30WIT", "2022-02-07T08:30:00+08:00"),
    "WIB crosses into the next day": ("31 Desember 2021 23:30 WIB", "2022-01-01T00:30:00+08:00"),
    "WIT crosses into the previous year": ("1 Januari 2022 00:30 WIT", "2021-12-31T23:30:00+08:00"),
    "seconds with colons": ("Sabtu, 19 Agustus 2023 06:29:41", "2023-08-19T06:29:41+08:00"),
    "seconds with full stops": ("19 Agustus 2023 06.29.41", "2023-08-19T06:29:41+08:00"),
    "seconds and zone": ("Ahad, 3 Des 2017 21:10:05 WIB", "2017-12-03T22:10:05+08:00"),
    "dash before the time": ("Jum'at, 11 Maret 2016 - 15:25 WITA", "2016-03-11T15:25:00+08:00"),
    "en dash before the time": ("11 Maret 2016 – 15:25", "2016-03-11T15:25:00+08:00"),
    "em dash before the time": ("11 Maret 2016 — 15:25", "2016-03-11T15:25:00+08:00"),
    "comma before the time": ("11 Maret 2016, 15:25", "2016-03-11T15:25:00+08:00"),
    "bar before the time": ("11 Maret 2016 | 15:25", "2016-03-11T15:25:00+08:00"),
    "pukul before the time": ("11 Maret 2016 pukul 15:25", "2016-03-11T15:25:00+08:00"),
    "jam before the time": ("11 Maret 2016, jam 15.25", "2016-03-11T15:25:00+08:00"),
    "two-digit day": ("Kamis, 24 Juni 2021 8:05", "2021-06-24T08:05:00+08:00"),
    "leap day": ("29 Februari 2024 12:00", "2024-02-29T12:00:00+08:00"),
    "non-breaking spaces": ("Jumat,\xa011\xa0Maret 2022 15:25", "2022-03-11T15:25:00+08:00"),
}


@pytest.mark.parametrize("text, expected", [pytest.param(*case, id=name) for name, case in VISIBLE_DATES.items()])
def test_visible_date(text, expected):
    assert parse_date(text) == expected


ISO_DATES = {
    "+08:00 kept": ("2023-03-31T14:41:38+08:00", "2023-03-31T14:41:38+08:00"),
    "Z converted": ("2022-03-11T07:25:00Z", "2022-03-11T15:25:00+08:00"),
    "+07:00 converted": ("2022-03-11T14:25:00+07:00", "2022-03-11T15:25:00+08:00"),
    "negative offset across midnight": ("2022-03-10T20:00:00-05:00", "2022-03-11T09:00:00+08:00"),
    "naive taken as WITA": ("2022-03-11T15:25:00", "2022-03-11T15:25:00+08:00"),
    "naive with a space": ("2022-03-11 15:25", "2022-03-11T15:25:00+08:00"),
    "without seconds": ("2022-03-11T15:25+08:00", "2022-03-11T15:25:00+08:00"),
    "fraction dropped": ("2022-03-11T15:25:07.250+08:00", "2022-03-11T15:25:07+08:00"),
    "surrounding whitespace": ("  2022-03-11T15:25:00+08:00\n", "2022-03-11T15:25:00+08:00"),
}


@pytest.mark.parametrize("text, expected", [pytest.param(*case, id=name) for name, case in ISO_DATES.items()])
def test_iso_date(text, expected):
    assert parse_date(text) == expected


NOT_DATES = {
    "31 Februari": "31 Februari 2022 10:00",
    "29 Februari of a common year": "29 Februari 2023 10:00",
    "day 0": "0 Maret 2022 10:00",
    "31 April": "31 April 2022 10:00",
    "unknown month": "11 Brumaire 2022 10:00",
    "English month": "11 March 2022 10:00",
    "unknown day name": "Friday, 11 Maret 2022 15:25",
    "misspelt day name": "Jumaat, 11 Maret 2022 15:25",
    "hour 24": "11 Maret 2022 24:00",
    "minute 60": "11 Maret 2022 10:60",
    "second 60": "11 Maret 2022 10:00:60",
    "no time": "11 Maret 2022",
    "trailing words": "11 Maret 2022 10:00 pagi",
    "unknown zone": "11 Maret 2022 10:00 UTC",
    "credit line date": "Jumat (11/3/2023)",
    "ISO month 13": "2022-13-01T00:00:00+08:00",
    "ISO day 30 of February": "2022-02-30T10:00:00+08:00",
    "words": "kemarin sore",
    "empty": "",
    "whitespace": "   ",
}


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in NOT_DATES.items()])
def test_not_a_date_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("value", [None, 20220311, b"2022-03-11T15:25:00+08:00", ["2022-03-11"]])
def test_non_text_is_none(value):
    assert parse_date(value) is None
