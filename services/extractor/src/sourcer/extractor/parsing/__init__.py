"""Parsers: pure functions from rendered LinkedIn and Xing pages to `Profile`.

No I/O and no browser: the same code parses live pages and saved snapshots. Classify a page
first (`classify_linkedin`/`classify_xing`), then parse it when it is a profile.
"""

from sourcer.extractor.parsing.classify import (
    FAILURES,
    Failure,
    PageKind,
    classify,
    classify_linkedin,
    classify_xing,
    failure_for,
    failure_for_code,
)
from sourcer.extractor.parsing.dates import is_date_range, parse_date_range
from sourcer.extractor.parsing.errors import LayoutChanged, ParseError
from sourcer.extractor.parsing.layout import layout_signature
from sourcer.extractor.parsing.linkedin import parse_linkedin, read_linkedin
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.result import ParseResult
from sourcer.extractor.parsing.snapshot import (
    Snapshot,
    build_snapshot,
    page_url,
    read_snapshot,
    split_snapshot,
)
from sourcer.extractor.parsing.urls import canonical_profile_url, profile_slug
from sourcer.extractor.parsing.xing import parse_xing, read_xing

__all__ = [
    "FAILURES",
    "Failure",
    "LayoutChanged",
    "PageKind",
    "ParseError",
    "ParseResult",
    "Snapshot",
    "build_snapshot",
    "canonical_profile_url",
    "classify",
    "classify_linkedin",
    "classify_xing",
    "failure_for",
    "failure_for_code",
    "is_date_range",
    "layout_signature",
    "page_url",
    "parse_date_range",
    "parse_linkedin",
    "parse_xing",
    "profile_slug",
    "read_linkedin",
    "read_snapshot",
    "read_xing",
    "split_name",
    "split_snapshot",
]
