"""`sourcer-extractor score DIR`: field-level precision and recall against expected profiles.

Every saved page `<name>.html` with an expected profile `<name>.json` beside it is parsed as the
worker would (`drift.parse_saved`) and both profiles are cut into fields: name parts, each email,
headline, location, each role's title, company and dates, each school's name, degree, field and
dates, each skill and each language with its level. A field is right when the same field holds
the same value (case and spacing aside); counts are multisets, so a role read twice is one
right and one wrong. Scores are micro-averaged per layout signature and over the whole folder;
a page that does not parse scores its expected fields as missed, never as skipped.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sourcer.extractor.drift import parse_saved
from sourcer.extractor.parsing.text import norm
from sourcer.proto.records import Profile, YearMonth

Field = tuple[str, str]


def _value(text: str | None) -> str | None:
    value = norm(text).casefold()
    return value or None


def _month(value: YearMonth | None) -> str:
    if value is None:
        return "?"
    return f"{value.year}-{value.month:02d}" if value.month else str(value.year)


def _dates(start: YearMonth | None, end: YearMonth | None, current: bool = False) -> str | None:
    if start is None and end is None:
        return None
    return f"{_month(start)}..{'present' if current else _month(end)}"


def profile_fields(profile: Profile) -> Counter[Field]:
    """The fields a profile states, as (field, normalised value) pairs; empty ones are left out."""
    pairs: list[tuple[str, str | None]] = [
        ("first_name", _value(profile.first_name)),
        ("last_name", _value(profile.last_name)),
        ("headline", _value(profile.headline)),
        ("location", _value(profile.location)),
        *(("email", _value(email)) for email in profile.emails),
    ]
    for role in profile.experience:
        pairs += [
            ("experience.title", _value(role.title)),
            ("experience.company", _value(role.company)),
            ("experience.dates", _dates(role.start, role.end, role.is_current)),
        ]
    for school in profile.education:
        pairs += [
            ("education.school", _value(school.school)),
            ("education.degree", _value(school.degree)),
            ("education.field", _value(school.field)),
            ("education.dates", _dates(school.start, school.end)),
        ]
    pairs += [("skill", _value(skill)) for skill in profile.skills]
    for language in profile.languages:
        level = _value(language.proficiency) or "-"
        pairs.append(("language", f"{_value(language.name)}: {level}"))
    return Counter((name, value) for name, value in pairs if value is not None)


@dataclass
class Score:
    right: int = 0
    predicted: int = 0
    expected: int = 0
    pages: int = 0

    def add(self, got: Counter[Field], want: Counter[Field]) -> None:
        self.right += sum((got & want).values())
        self.predicted += sum(got.values())
        self.expected += sum(want.values())
        self.pages += 1

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(path: Path) -> tuple[str, Counter[Field], Counter[Field]]:
    """(layout signature, fields read, fields expected) of one saved page."""
    want = profile_fields(
        Profile.model_validate_json(path.with_suffix(".json").read_text(encoding="utf-8"))
    )
    layout, _outcome, result = parse_saved(path)
    got = profile_fields(result.profile) if result is not None else Counter()
    return layout, got, want


def score_directory(root: Path) -> tuple[dict[str, Score], Score, list[tuple[Path, Score]]]:
    """Per layout, overall, and per page scores of every page that has an expected profile."""
    layouts: dict[str, Score] = defaultdict(Score)
    total = Score()
    pages: list[tuple[Path, Score]] = []
    for path in sorted(root.rglob("*.html")):
        if not path.with_suffix(".json").is_file():
            continue
        layout, got, want = score_page(path)
        page = Score()
        for score in (layouts[layout], total, page):
            score.add(got, want)
        pages.append((path, page))
    return dict(layouts), total, pages


def _row(label: str, s: Score) -> str:
    return (
        f"{label:<52} {s.pages:>5} {s.expected:>6} {s.right:>6} "
        f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
    )


def run_score(
    directory: str, *, out: TextIO | None = None, as_json: bool = False, per_page: bool = False
) -> int:
    out = out or sys.stdout
    root = Path(directory)
    if not root.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    layouts, total, pages = score_directory(root)
    if not pages:
        print(f"{directory}: no page with an expected profile (<name>.json)", file=sys.stderr)
        return 2
    if as_json:
        report = {
            name: {"pages": s.pages, "expected": s.expected, "right": s.right,
                   "precision": s.precision, "recall": s.recall, "f1": s.f1}
            for name, s in [*sorted(layouts.items()), ("total", total)]
        }  # fmt: skip
        print(json.dumps(report, indent=2), file=out)
        return 0
    print(
        f"{'layout':<52} {'pages':>5} {'fields':>6} {'right':>6} {'P':>6} {'R':>6} {'F1':>6}",
        file=out,
    )
    for name, score in sorted(layouts.items()):
        print(_row(name, score), file=out)
    print(_row("total (micro)", total), file=out)
    if per_page:
        print(file=out)
        for path, score in pages:
            print(_row(str(path.relative_to(root)), score), file=out)
    return 0
