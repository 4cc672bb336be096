# ruff: noqa: RUF001 - platforms print en dashes and typographic apostrophes
import pytest

from sourcer.extractor.parsing import is_date_range, parse_date_range
from sourcer.extractor.parsing.dates import is_duration
from sourcer.proto.records import YearMonth

pytestmark = pytest.mark.unit


def ym(year: int, month: int | None = None) -> YearMonth:
    return YearMonth(year=year, month=month)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jul 2021 - Present · 3 yrs 1 mo", (ym(2021, 7), None, True)),
        ("Jan 2020 - today", (ym(2020, 1), None, True)),
        ("Apr 2019 to Present", (ym(2019, 4), None, True)),
        ("Mar 2017 - Jun 2021 · 4 yrs 4 mos", (ym(2017, 3), ym(2021, 6), False)),
        ("September 2016 – May 2018", (ym(2016, 9), ym(2018, 5), False)),
        ("Sep 2020 - Sep 2020 · 1 mo", (ym(2020, 9), ym(2020, 9), False)),
        ("2015 - 2018", (ym(2015), ym(2018), False)),
        ("2015-2018", (ym(2015), ym(2018), False)),
        ("2010 – 2014", (ym(2010), ym(2014), False)),
        ("2010—2014", (ym(2010), ym(2014), False)),
        ("2018 - Present · 7 yrs", (ym(2018), None, True)),
        ("Jan. 2020 – Heute", (ym(2020, 1), None, True)),
        ("Juli 2021 – Heute · 3 Jahre 1 Monat", (ym(2021, 7), None, True)),
        ("Jan 2020 – bis heute", (ym(2020, 1), None, True)),
        ("Jan. 2020 bis heute", (ym(2020, 1), None, True)),
        ("Mai 2019 – aktuell", (ym(2019, 5), None, True)),
        ("seit 2019", (ym(2019), None, True)),
        ("seit 01/2020", (ym(2020, 1), None, True)),
        ("Since 01/2020", (ym(2020, 1), None, True)),
        ("Mär. 2018 – Dez. 2019", (ym(2018, 3), ym(2019, 12), False)),
        ("März 2018 - Dez 2019", (ym(2018, 3), ym(2019, 12), False)),
        ("Okt 2017 – Aug 2019 · 1 J. 11 Mon.", (ym(2017, 10), ym(2019, 8), False)),
        ("Sept. 2020", (ym(2020, 9), None, False)),
        ("03/2018 – 12/2019", (ym(2018, 3), ym(2019, 12), False)),
        ("Jänner 2011 – Juni 2012", (ym(2011, 1), ym(2012, 6), False)),
        ("2010 -", (ym(2010), None, False)),
        ("- 2014", (None, ym(2014), False)),
        ("Jan 2015 - Dec 2016 (2 years)", (ym(2015, 1), ym(2016, 12), False)),
    ],
)
def test_parse_date_range(
    text: str, expected: tuple[YearMonth | None, YearMonth | None, bool]
) -> None:
    assert parse_date_range(text) == expected
    assert is_date_range(text)


@pytest.mark.parametrize(
    "text",
    [
        "Berlin, Germany",
        "Remote",
        "Present",
        "Issued 2018",
        "Heute Show GmbH",
        "ACME · Full-time",
        "Hamburg-Finkenwerder",
        "",
        "13/2020",
        "Foo 2020",
    ],
)
def test_not_a_date_range(text: str) -> None:
    assert parse_date_range(text) == (None, None, False)
    assert not is_date_range(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 yrs 1 mo", True),
        ("1 yr", True),
        ("11 mos", True),
        ("less than a year", True),
        ("3 Jahre 1 Monat", True),
        ("1 J. 11 Mon.", True),
        ("Full-time", False),
        ("Vollzeit", False),
    ],
)
def test_is_duration(text: str, expected: bool) -> None:
    assert is_duration(text) is expected
