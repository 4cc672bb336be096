"""`sourcer-extractor parse`: replay a saved page or snapshot through classification and parsing.

Prints the profile as JSON and returns 0; when the page is not a profile (or cannot be read)
it says why on stderr, naming the page kind and error code, and returns 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from sourcer.extractor.parsing import (
    LayoutChanged,
    PageKind,
    ParseError,
    classify,
    failure_for,
    page_url,
    read_linkedin,
    read_snapshot,
    read_xing,
)

PLATFORMS = ("linkedin", "xing")


def run_parse(
    platform: str, path: str, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if platform not in PLATFORMS:
        print(f"unknown platform {platform!r}: use linkedin or xing", file=err)
        return 2
    try:
        html = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {path}: {exc}", file=err)
        return 2
    snap = read_snapshot(html)
    url = snap.url or page_url(platform, snap.main)
    kind = classify(platform, snap.main, url or "", snap.status)
    if kind is not PageKind.PROFILE:
        failure = failure_for(kind)
        code = failure.code.value if failure else "unknown"
        retry = "retryable" if failure and failure.retryable else "final"
        message = failure.message if failure else ""
        print(
            f"{path}: not a profile page: page kind {kind.value}, error code {code} ({retry}). "
            f"{message}",
            file=err,
        )
        return 2
    if not url:
        print(
            f"{path}: the page does not say which profile it is (no URL in the snapshot)", file=err
        )
        return 2
    try:
        if platform == "linkedin":
            result = read_linkedin(
                snap.main, details=snap.details, contact_html=snap.contact, url=url
            )
        else:
            result = read_xing(snap.main, url=url)
    except LayoutChanged as exc:
        print(f"{path}: page kind profile, error code layout_changed (final): {exc}", file=err)
        return 2
    except ParseError as exc:
        print(f"{path}: cannot parse: {exc}", file=err)
        return 2
    print(result.profile.model_dump_json(indent=2), file=out)
    if result.missing:
        print(
            f"{path}: partial profile ({result.layout}): sections on the page but unreadable: "
            f"{', '.join(result.missing)}",
            file=err,
        )
    return 0
