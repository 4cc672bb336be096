# ruff: noqa: RUF001, RUF002 - platforms print en dashes and typographic apostrophes
"""Date ranges as profiles print them, in English and German.

"Jul 2021 - Present · 3 yrs 1 mo", "Jan. 2020 – Heute", "seit 2019", "Mär. 2018 – Dez. 2019",
"03/2018 – 12/2019", "2015 - 2018". A lone date is a start; "Present" and friends mean ongoing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sourcer.extractor.parsing.text import norm
from sourcer.proto.records import YearMonth

_MONTHS = {
    "jan": 1, "january": 1, "januar": 1, "jän": 1, "jänner": 1, "janv": 1,
    "feb": 2, "february": 2, "februar": 2, "feber": 2,
    "mar": 3, "march": 3, "mär": 3, "märz": 3, "mrz": 3, "maerz": 3,
    "apr": 4, "april": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juni": 6,
    "jul": 7, "july": 7, "juli": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12, "dez": 12, "dezember": 12,
}  # fmt: skip
_PRESENT = {
    "present", "today", "now", "current", "currently", "ongoing", "heute", "bis heute",
    "aktuell", "jetzt", "derzeit", "gegenwart", "bis dato", "dato", "laufend",
}  # fmt: skip
_SINCE = re.compile(r"^(?:seit|since|ab|from)\s+(.+)$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"\s*[–—]\s*|\s+-\s*|\s*-\s+|(?<=\d)-(?=[^\W\d_]|\d)|\s+(?:bis|to|until)\s+|^-\s*"
)
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_NAMED = re.compile(r"^([^\W\d_]+)\.?\s*(\d{4})$")
_DURATION = re.compile(
    r"^(?:less than a year|weniger als ein jahr|"
    r"(?:\d+\s*(?:yrs?|years?|jahre?|j\.?))(?:\s*(?:,|und|and)?\s*\d+\s*"
    r"(?:mos?|months?|monate?|mon\.?|m\.))?|\d+\s*(?:mos?|months?|monate?|mon\.?|m\.))$",
    re.IGNORECASE,
)

DateRange = tuple[YearMonth | None, YearMonth | None, bool]
_PRESENT_MARK = "present"


def _point(text: str) -> YearMonth | str | None:
    """A date, the present marker, or None when `text` is not a date."""
    value = norm(text).lower().rstrip(",")
    if value in _PRESENT:
        return _PRESENT_MARK
    if m := _YEAR.match(value):
        return _year_month(int(m.group(1)), None)
    if m := _NUMERIC.match(value):
        return _year_month(int(m.group(2)), int(m.group(1)))
    if m := _ISO.match(value):
        return _year_month(int(m.group(1)), int(m.group(2)))
    if m := _NAMED.match(value):
        month = _MONTHS.get(m.group(1).rstrip("."))
        return _year_month(int(m.group(2)), month) if month else None
    return None


def _year_month(year: int, month: int | None) -> YearMonth | None:
    if not 1900 <= year <= 2200 or (month is not None and not 1 <= month <= 12):
        return None
    return YearMonth(year=year, month=month)


_UNIT = r"(?:yrs?|years?|jahre?|j\.|mos?|months?|monate?|mon\.|m\.)"
_TRAILING_DURATION = re.compile(
    rf"\s+(?:less than a year|weniger als ein jahr|\d+\s*{_UNIT}(?:\s|,|$).*)$", re.IGNORECASE
)


def _strip_extras(text: str) -> str:
    """Drop the duration, whether after "·", before a comma (Xing: "2 years, 05/2019 - 08/2021")
    or just appended (public pages: "Jan 2020 - Present 3 years"), and anything in parentheses."""
    text = norm(text).split("·", 1)[0]
    head, comma, tail = text.partition(", ")
    if comma and is_duration(head):
        text = tail
    text = norm(re.sub(r"\([^)]*\)", " ", text))
    return norm(_TRAILING_DURATION.sub("", text))


@lru_cache(maxsize=4096)  # captions repeat between the profile and its details pages
def _parse(text: str) -> DateRange | None:
    value = _strip_extras(text)
    if not value:
        return None
    if m := _SINCE.match(value):
        start = _point(m.group(1))
        return (start, None, True) if isinstance(start, YearMonth) else None
    parts = _SEPARATOR.split(value, maxsplit=1)
    if len(parts) == 1:
        single = _point(value)
        return (single, None, False) if isinstance(single, YearMonth) else None
    left, right = parts[0].strip(), parts[1].strip()
    start = _point(left) if left else None
    end = _point(right) if right else None
    if (left and not isinstance(start, YearMonth)) or (right and end is None):
        return None
    if end == _PRESENT_MARK:
        return (start if isinstance(start, YearMonth) else None), None, True
    if start is None and end is None:
        return None
    return (
        start if isinstance(start, YearMonth) else None,
        end if isinstance(end, YearMonth) else None,
        False,
    )


def parse_date_range(text: str) -> DateRange:
    """(start, end, is_current); (None, None, False) when `text` holds no date range."""
    return _parse(text) or (None, None, False)


def is_date_range(text: str) -> bool:
    """Whether a caption line is a date range (and not, say, a location)."""
    return _parse(text) is not None


def is_duration(text: str) -> bool:
    """ "3 yrs 1 mo", "1 J. 11 Mon.", "3 Jahre 1 Monat", "less than a year"."""
    return bool(_DURATION.match(norm(text)))
