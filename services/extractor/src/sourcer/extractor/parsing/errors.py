"""Errors raised by the parsers."""

from __future__ import annotations


class ParseError(Exception):
    """A page could not be turned into a profile."""


class LayoutChanged(ParseError):  # noqa: N818 - named after the error code it maps to
    """The page is a profile, but nothing parseable was where the parser expects it.

    Maps to the `layout_changed` error code; the worker keeps the HTML for replay.
    """
