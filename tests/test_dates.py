"""One test per date form the site writes."""

import pytest

from sulsel_crawler.dates import MONTHS, parse_date

pytestmark = pytest.mark.unit


def test_current_template_visible_date():
    assert parse_date("Jumat, 11 Maret 2022 15:25") == "2022-03-11T15:25:00+08:00"


def test_legacy_date_with_jum_at_dash_and_wita():
    assert parse_date("Jum'at, 11 Maret 2016 - 15:25 WITA") == "2016-03-11T15:25:00+08:00"


def test_curly_apostrophe_in_day_name():
    assert parse_date("Jum’at, 11 Maret 2016 - 15:25 WITA") == "2016-03-11T15:25:00+08:00"


@pytest.mark.parametrize("day_name", ["Senin", "Selasa", "Rabu", "Kamis", "Sabtu", "Minggu", "Ahad"])
def test_every_day_name(day_name):
    assert parse_date(f"{day_name}, 7 Februari 2022 09:30") == "2022-02-07T09:30:00+08:00"


def test_day_name_is_optional():
    assert parse_date("12 Mei 2025 13:20") == "2025-05-12T13:20:00+08:00"


def test_day_name_in_lower_case_without_comma():
    assert parse_date("minggu 11 mei 2025 11:55") == "2025-05-11T11:55:00+08:00"


def test_unknown_day_name_is_not_a_date():
    assert parse_date("Friday, 11 Maret 2022 15:25") is None


@pytest.mark.parametrize(
    "month, number",
    [
        ("Januari", 1), ("Februari", 2), ("Maret", 3), ("April", 4), ("Mei", 5), ("Juni", 6),
        ("Juli", 7), ("Agustus", 8), ("September", 9), ("Oktober", 10), ("November", 11), ("Desember", 12),
    ],
)
def test_every_full_month_name(month, number):
    assert parse_date(f"1 {month} 2020 08:00") == f"2020-{number:02d}-01T08:00:00+08:00"


@pytest.mark.parametrize(
    "short, number", [("Agu", 8), ("Agt", 8), ("Okt", 10), ("Des", 12), ("Jan", 1), ("Nop", 11)]
)
def test_short_month_names(short, number):
    assert short.lower() in MONTHS
    assert parse_date(f"3 {short} 2017 21:10") == f"2017-{number:02d}-03T21:10:00+08:00"


def test_short_month_name_with_full_stop():
    assert parse_date("3 Des. 2017 21:10") == "2017-12-03T21:10:00+08:00"


def test_time_with_a_full_stop():
    assert parse_date("Sabtu, 19 Agustus 2023 06.29") == "2023-08-19T06:29:00+08:00"


def test_time_with_seconds():
    assert parse_date("Sabtu, 19 Agustus 2023 06:29:41") == "2023-08-19T06:29:41+08:00"


def test_single_digit_hour_and_midnight():
    assert parse_date("10 Mei 2025 0:09") == "2025-05-10T00:09:00+08:00"


def test_last_minute_of_the_day():
    assert parse_date("Rabu, 31 Desember 2025 23:59") == "2025-12-31T23:59:00+08:00"


def test_pukul_before_the_time():
    assert parse_date("Senin, 7 Februari 2022 pukul 09:30 WITA") == "2022-02-07T09:30:00+08:00"


def test_wib_is_converted_to_makassar_time():
    assert parse_date("Senin, 7 Februari 2022 09:30 WIB") == "2022-02-07T10:30:00+08:00"


def test_non_breaking_spaces_and_extra_whitespace():
    assert parse_date("  Jumat,\xa011  Maret 2022\n15:25 ") == "2022-03-11T15:25:00+08:00"


def test_iso_with_wita_offset_is_kept():
    assert parse_date("2023-03-31T14:41:38+08:00") == "2023-03-31T14:41:38+08:00"


def test_iso_in_utc_is_converted_to_wita():
    assert parse_date("2022-03-11T07:25:00Z") == "2022-03-11T15:25:00+08:00"


def test_iso_in_another_offset_is_converted_to_wita():
    assert parse_date("2022-03-11T14:25:00+07:00") == "2022-03-11T15:25:00+08:00"


def test_iso_without_seconds_gets_seconds():
    assert parse_date("2022-03-11T15:25+08:00") == "2022-03-11T15:25:00+08:00"


def test_iso_with_fraction_drops_it():
    assert parse_date("2022-03-11T15:25:07.250+08:00") == "2022-03-11T15:25:07+08:00"


def test_naive_iso_is_taken_as_wita():
    assert parse_date("2022-03-11 15:25:00") == "2022-03-11T15:25:00+08:00"


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "kemarin sore",
        "11 Maret 2022",  # no time
        "31 Februari 2022 10:00",  # no such day
        "11 Brumaire 2022 10:00",  # no such month
        "11 Maret 2022 25:00",  # no such hour
        "Jumat (11/3/2023)",  # the credit line's date
        "2022-13-01T00:00:00+08:00",
    ],
)
def test_unparseable_text_is_none(text):
    assert parse_date(text) is None


def test_non_string_is_none():
    assert parse_date(20220311) is None
