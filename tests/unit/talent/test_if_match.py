"""If-Match headers into the version a conditional write expects."""

from __future__ import annotations

import pytest

from sourcer.talent.api import parse_if_match

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "version"),
    [
        (None, None),
        ('"3"', 3),
        ('W/"12"', 12),
        ("7", 7),
        ('"abc"', -1),
        ("", -1),
        ("²", -1),  # a digit to str.isdigit, not to int()
        ("٣", -1),  # an Arabic-Indic three: only ASCII digits name a version
        ("9223372036854775808", -1),  # past the store's 64-bit integers
        ('"' + "9" * 400 + '"', -1),
    ],
)
def test_if_match_names_a_version_or_one_that_matches_nothing(
    header: str | None, version: int | None
) -> None:
    assert parse_if_match(header) == version
