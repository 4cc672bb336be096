"""`sourcer-extractor drift DIR`: how each layout signature fares over a folder of saved pages.

Parses every snapshot (`*.html`, recursively) as the worker would and prints, per layout
signature, how many pages parsed fully, partially (sections named missing) or not at all, and
which sections went missing how often: a layout change shows as a new signature or a rising
"partial"/"failed" count within hours, from the snapshots the worker already keeps.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sourcer.extractor.parsing import (
    PageKind,
    ParseError,
    ParseResult,
    classify,
    layout_signature,
    page_url,
    read_linkedin,
    read_snapshot,
    read_xing,
)


@dataclass
class LayoutTally:
    full: int = 0
    partial: int = 0
    failed: int = 0
    missing: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)


def _platform(path: Path, html: str, declared: str | None) -> str:
    if declared in ("linkedin", "xing"):
        return declared
    lowered = html[:20000].lower()
    return "xing" if "xing" in lowered and "linkedin" not in lowered else "linkedin"


def parse_saved(path: Path) -> tuple[str, str, ParseResult | None]:
    """(layout signature, outcome, result) of one saved page: full, partial or a failure."""
    html = path.read_text(encoding="utf-8", errors="replace")
    snap = read_snapshot(html)
    platform = _platform(path, snap.main, snap.platform)
    layout = layout_signature(platform, snap.main)
    url = snap.url or page_url(platform, snap.main) or ""
    kind = classify(platform, snap.main, url, snap.status)
    if kind is not PageKind.PROFILE:
        return layout, f"failed: page kind {kind.value}", None
    try:
        if platform == "xing":
            result = read_xing(snap.main, url=url)
        else:
            result = read_linkedin(
                snap.main, details=snap.details, contact_html=snap.contact, url=url
            )
    except ParseError as exc:
        return layout, f"failed: {str(exc)[:60]}", None
    return result.layout, result.status, result


def run_drift(directory: str, *, out: TextIO | None = None, as_json: bool = False) -> int:
    out = out or sys.stdout
    root = Path(directory)
    if not root.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    tallies: dict[str, LayoutTally] = defaultdict(LayoutTally)
    for path in sorted(root.rglob("*.html")):
        layout, outcome, result = parse_saved(path)
        tally = tallies[layout]
        if outcome == "full":
            tally.full += 1
        elif outcome == "partial" and result is not None:
            tally.partial += 1
            tally.missing.update(result.missing)
        else:
            tally.failed += 1
            tally.reasons[outcome.removeprefix("failed: ")] += 1
    if as_json:
        report = {
            layout: {"full": t.full, "partial": t.partial, "failed": t.failed,
                     "missing": dict(t.missing), "reasons": dict(t.reasons)}
            for layout, t in sorted(tallies.items())
        }  # fmt: skip
        print(json.dumps(report, indent=2), file=out)
        return 0
    print(f"{'layout':<28} {'pages':>5} {'full':>5} {'partial':>7} {'failed':>6}  notes", file=out)
    for layout, t in sorted(tallies.items()):
        notes = ", ".join(
            [f"missing {s}: {n}" for s, n in t.missing.most_common()]
            + [f"{r}: {n}" for r, n in t.reasons.most_common()]
        )
        pages = t.full + t.partial + t.failed
        print(
            f"{layout:<28} {pages:>5} {t.full:>5} {t.partial:>7} {t.failed:>6}  {notes}", file=out
        )
    return 0
