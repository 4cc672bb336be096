"""Turning blocks of lines into roles, schools, skills and languages by the shape of each line.

Layouts disagree on markup but not on what a line says: "Jan 2020 - Present · 3 yrs" is a date
range with a duration, "ACME · Full-time" a company with its employment type, "Berlin · Hybrid"
a place with a workplace type, "3 yrs 2 mos" a duration. Where a layout labels its lines (the
2019-21 visually-hidden "Company Name", "Dates Employed"), labels win over position.
"""

from __future__ import annotations

import re

from sourcer.extractor.parsing.blocks import Block, is_employment_type
from sourcer.extractor.parsing.dates import is_date_range, is_duration, parse_date_range
from sourcer.proto.records import Education, Experience, Language

WORKPLACES = {
    "on-site",
    "hybrid",
    "remote",
    "vor ort",
    "am standort",
    "homeoffice",
    "remote-arbeit",
}
SKILL_PREFIXES = ("skills:", "kenntnisse:", "fähigkeiten:")
_TITLE = {"title", "titel", "position", "jobtitel"}
_COMPANY = {"company name", "company", "unternehmensname", "unternehmen", "firmenname"}
_DATES = {"dates employed", "beschäftigungszeitraum", "zeitraum", "dates"}
_DURATION = {"employment duration", "total duration", "beschäftigungsdauer", "gesamtdauer"}
_LOCATION = {"location", "ort", "standort"}
_SCHOOL_DATES = {"dates attended or expected graduation", "besuchszeitraum", "zeitraum"}
_DEGREE = {"degree name", "abschluss", "degree"}
_FIELD = {"field of study", "fachrichtung", "studienfach"}
_NOISE_PREFIXES = ("grade:", "note:", "activities and societies:", "aktivitäten und vereine:")


def place(line: str | None) -> str | None:
    """ "Berlin · Hybrid" -> "Berlin"; a workplace type alone is no place."""
    if not line or line.lower() in WORKPLACES:
        return None
    where, _, mode = line.rpartition(" · ")
    return where if where and mode.lower() in WORKPLACES else line


def looks_like_place(line: str) -> bool:
    """Short, and no sentence: a place line rather than a description."""
    if line.lower() in WORKPLACES:
        return True
    sentence = any(mark in line for mark in (". ", "! ", "? ", ": ")) or line.endswith((".", "!"))
    return len(line) <= 80 and len(line.split()) <= 9 and not sentence


# "Cascading Style Sheets (CSS), React.js and +2 skills": the skills a role used, not its text.
_MORE_SKILLS = re.compile(
    r"(?:\+\s?\d+\s+(?:skills?|kenntnisse|kenntnis|fähigkeiten?)|weitere kenntnisse)$"
)


def _is_skills_line(line: str) -> bool:
    lowered = line.lower()
    return lowered.startswith(SKILL_PREFIXES) or bool(_MORE_SKILLS.search(lowered))


def _unlabelled(block: Block, skip: set[int]) -> list[str]:
    return [line for i, line in enumerate(block.lines) if i not in block.labels and i not in skip]


def _split_company(line: str) -> tuple[str, str | None]:
    """ "ACME · Full-time" -> ("ACME", "Full-time"); a bare name has no type."""
    name, _, kind = line.rpartition(" · ")
    if name and (is_employment_type(kind) or " · " not in name):
        return name, kind
    return line, None


def role(
    block: Block,
    *,
    company: str | None = None,
    kind: str | None = None,
    where: str | None = None,
    guess_place: bool = True,
) -> Experience | None:
    """A role from its lines; `guess_place=False` when the layout marks its place otherwise.

    `company`, `kind` and `where` come from a company block the role is nested in: the role's
    own lines win over them.
    """
    title = block.labelled(_TITLE)
    rest = _unlabelled(block, set())
    if title is None:
        if not rest:
            return None
        title, rest = rest[0], rest[1:]
    caption = block.labelled(_DATES)
    before: list[str] = []
    after: list[str] = []
    for line in rest:
        if caption is None and is_date_range(line):
            caption = line
        elif caption is None:
            before.append(line)
        elif not is_duration(line) and not _is_skills_line(line):
            after.append(line)
    if caption is None:
        return None  # every role on LinkedIn has a start date: a line without one is no role
    labelled_company = block.labelled(_COMPANY)
    if labelled_company is not None:
        company, own_kind = _split_company(labelled_company)
        kind = own_kind or kind
    elif company is None and before:
        company, kind = _split_company(before.pop(0))
    elif before:  # a role in a company block: its own line before the dates is its type
        kind = before.pop(0)
    for line in before:
        if is_employment_type(line):
            kind = line
    location = block.labelled(_LOCATION)
    if location is None and guess_place and after and looks_like_place(after[0]):
        location = after.pop(0)
    description = next((s for s in block.subs if not _is_skills_line(s)), None)
    if description is None and after:
        description = after[0]
    start, end, current = parse_date_range(caption)
    return Experience(
        title=title,
        company=company,
        employment_type=kind,
        location=place(location) or where,
        start=start,
        end=end,
        is_current=current,
        description=description,
    )


def experience(block: Block) -> list[Experience]:
    """One role, or the roles of a company block (company line, then its roles)."""
    if not block.children:
        single = role(block)
        return [single] if single else []
    company = block.labelled(_COMPANY) or (block.lines[0] if block.lines else None)
    kind = where = None
    for line in block.lines[1:]:
        parts = [p.strip() for p in line.split("·")]
        rest = [p for p in parts if p and not is_duration(p)]
        if len(rest) < len(parts):
            kind = " · ".join(rest) or None
        elif where is None and looks_like_place(line) and not is_employment_type(line):
            # 2024 pages print where all the company's roles were in the caption slot.
            where = place(line)
    roles = (role(child, company=company, kind=kind, where=where) for child in block.children)
    return [r for r in roles if r is not None]


def education(block: Block) -> list[Education]:
    lines = _unlabelled(block, set())
    if not lines:
        return []
    school, rest = lines[0], lines[1:]
    caption = block.labelled(_SCHOOL_DATES)
    before: list[str] = []
    for line in rest:
        if caption is None and is_date_range(line):
            caption = line
            break
        if not line.lower().startswith(_NOISE_PREFIXES):
            before.append(line)
    degree, field_ = block.labelled(_DEGREE), block.labelled(_FIELD)
    if degree is None and field_ is None and before:
        if len(before) >= 2:
            degree, field_ = before[0], before[1]
        else:
            head, _, tail = before[0].partition(", ")
            degree, field_ = head, tail or None
    start, end, _ = parse_date_range(caption) if caption else (None, None, False)
    return [Education(school=school, degree=degree, field=field_, start=start, end=end)]


def skill(block: Block) -> list[str]:
    return block.lines[:1]


def language(block: Block) -> list[Language]:
    lines = block.lines
    if not lines:
        return []
    return [Language(name=lines[0], proficiency=lines[1] if len(lines) > 1 else None)]
