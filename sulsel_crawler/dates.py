"""Dates as sulselsatu.com writes them, turned into ISO 8601 in Makassar time.

Every date leaves here as ``YYYY-MM-DDTHH:MM:SS+08:00`` (WITA), or as None
when the text is not a date we understand. Nothing here raises on bad input.

Two kinds of input:
- machine-readable ISO strings from metadata (``2022-03-11T15:25:00+08:00``,
  ``2022-03-11T07:25:00Z``, ``2022-03-11 15:25``): any offset is converted to
  +08:00, a missing offset is taken as WITA;
- visible Indonesian dates, with or without day name and zone:
  ``Jumat, 11 Maret 2022 15:25``, ``Jum'at, 11 Maret 2016 - 15:25 WITA``,
  ``11 Agu 2023 07.05``, ``Ahad, 3 Des 2017 21:10:05 WIB``.
"""

import re
from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8))
ZONES = {"WITA": WITA, "WIB": timezone(timedelta(hours=7)), "WIT": timezone(timedelta(hours=9))}

MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
}

DAY_NAMES = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad")

INDONESIAN_DATE = re.compile(
    r"(?:(?P<day_name>[a-z']+),?\s+)?"
    r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})"
    r"\s*(?:[-–—,|]\s*)?(?:pukul\s+|jam\s+)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:\s*(?P<zone>wita|wib|wit))?",
    re.IGNORECASE,
)


def format_wita(moment: datetime) -> str:
    """An aware datetime as the record's date format, in Makassar time."""
    return moment.astimezone(WITA).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def parse_iso(text: str) -> str | None:
    """An ISO 8601 timestamp from page metadata, normalised to +08:00."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except (ValueError, TypeError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WITA)
    return format_wita(moment)


def parse_indonesian(text: str) -> str | None:
    """A visible Indonesian date such as ``Jumat, 11 Maret 2022 15:25``."""
    if not isinstance(text, str):
        return None
    # Curly apostrophes (Jum’at) and non-breaking spaces are common in CMS text.
    cleaned = " ".join(text.replace("’", "'").replace("\xa0", " ").split())
    match = INDONESIAN_DATE.fullmatch(cleaned)
    if not match:
        return None
    day_name = match["day_name"]
    month = MONTHS.get(match["month"].lower())
    if month is None or (day_name and day_name.lower() not in DAY_NAMES):
        return None
    zone = ZONES[match["zone"].upper()] if match["zone"] else WITA
    try:
        moment = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return format_wita(moment)


def parse_date(text: str | None) -> str | None:
    """Any date the site writes (ISO metadata or visible Indonesian text)."""
    if not text or not isinstance(text, str):
        return None
    return parse_iso(text) or parse_indonesian(text)
