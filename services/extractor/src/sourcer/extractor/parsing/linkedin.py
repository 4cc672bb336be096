"""LinkedIn profile parser: the rendered profile, its details subpages and the contact overlay.

Anchors, all of which survive LinkedIn's class-name churn:
- sections: the empty anchor `div#experience` (`#education`, `#skills`, `#languages`) inside a
  `section`, falling back to the section heading text (English or German);
- items: `div[data-view-name="profile-component-entity"]`, lines from `span[aria-hidden=true]`;
- name: the `h1` in `main`; headline: `[data-generated-suggestion-target]` in the top card;
  location: the `span` before the one holding `a#top-card-text-details-contact-info`;
- emails: `mailto:` links in the contact overlay's dialog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing.dates import is_date_range, is_duration, parse_date_range
from sourcer.extractor.parsing.entities import Entity, top_entities
from sourcer.extractor.parsing.errors import LayoutChanged
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.text import collect_emails, node_text, sighted_text
from sourcer.extractor.parsing.urls import profile_source
from sourcer.proto.records import Education, Experience, Language, Platform, Profile

_HEADINGS = {
    "experience": {"experience", "berufserfahrung"},
    "education": {"education", "ausbildung"},
    "skills": {"skills", "kenntnisse"},
    "languages": {"languages", "sprachen"},
}
_WORKPLACES = {"on-site", "hybrid", "remote", "vor ort", "am standort", "homeoffice"}
_SKILL_PREFIXES = ("skills:", "kenntnisse:")
T = TypeVar("T")


def _section(tree: LexborHTMLParser, name: str) -> LexborNode | None:
    anchor = tree.css_first(f"div#{name}")
    node = anchor.parent if anchor is not None else None
    while node is not None and node.tag != "section":
        node = node.parent
    if node is not None:
        return node
    for section in tree.css("main section"):
        heading = section.css_first("h2")
        if heading is not None and sighted_text(heading).lower() in _HEADINGS[name]:
            return section
    return None


def _location(line: str | None) -> str | None:
    if not line:
        return None
    if line.lower() in _WORKPLACES:
        return None
    place, _, mode = line.rpartition(" · ")
    return place if place and mode.lower() in _WORKPLACES else line


def _split_dates(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """Lines before the date caption, the caption, and lines after it."""
    for index, line in enumerate(lines):
        if is_date_range(line):
            return lines[:index], line, lines[index + 1 :]
    return lines, None, []


def _description(entity: Entity) -> str | None:
    for text in entity.subs:
        if not text.lower().startswith(_SKILL_PREFIXES):
            return text
    return None


def _role(entity: Entity, *, company: str | None, kind: str | None) -> Experience | None:
    lines = entity.lines
    if not lines:
        return None
    before, caption, after = _split_dates(lines[1:])
    if company is None and before:
        # A stand-alone role: "ACME · Full-time" names the company, then the employment type.
        name, _, own_kind = before[0].rpartition(" · ")
        company, kind = (name, own_kind) if name else (before[0], None)
    elif before:
        kind = before[0]
    start, end, current = parse_date_range(caption) if caption else (None, None, False)
    return Experience(
        title=lines[0],
        company=company,
        employment_type=kind,
        location=_location(after[0] if after else None),
        start=start,
        end=end,
        is_current=current,
        description=_description(entity),
    )


def _experience(entity: Entity) -> list[Experience]:
    roles = entity.children
    if not roles:
        single = _role(entity, company=None, kind=None)
        return [single] if single else []
    lines = entity.lines
    company = lines[0] if lines else None
    kind = None
    for line in lines[1:]:
        parts = [p.strip() for p in line.split("·")]
        rest = [p for p in parts if p and not is_duration(p)]
        if len(rest) < len(parts):
            kind = " · ".join(rest) or None
    grouped = (_role(r, company=company, kind=kind) for r in roles)
    return [r for r in grouped if r is not None]


def _education(entity: Entity) -> list[Education]:
    lines = entity.lines
    if not lines:
        return []
    before, caption, _ = _split_dates(lines[1:])
    degree, field = None, None
    if before:
        degree, _, rest = before[0].partition(", ")
        field = rest or None
    start, end, _ = parse_date_range(caption) if caption else (None, None, False)
    return [Education(school=lines[0], degree=degree, field=field, start=start, end=end)]


def _skill(entity: Entity) -> list[str]:
    return entity.lines[:1]


def _language(entity: Entity) -> list[Language]:
    lines = entity.lines
    if not lines:
        return []
    return [Language(name=lines[0], proficiency=lines[1] if len(lines) > 1 else None)]


def _collect(scope: LexborNode | None, parse: Callable[[Entity], list[T]]) -> list[T]:
    if scope is None:
        return []
    return [value for entity in top_entities(scope) for value in parse(entity)]


def _section_items(
    tree: LexborHTMLParser,
    details: dict[str, str] | None,
    name: str,
    parse: Callable[[Entity], list[T]],
) -> list[T]:
    found = _collect(_section(tree, name), parse)
    if details and details.get(name):
        found = merge_items(_collect(_details_scope(details[name]), parse), found)
    return found


def merge_items(primary: list[T], extra: list[T]) -> list[T]:
    """`primary` in its order, then the items of `extra` it does not already hold.

    The details page holds the full list and wins; a main-page item counts as already there
    once per matching details item, so genuinely repeated entries survive.
    """
    remaining = Counter(primary)
    merged = list(primary)
    for value in extra:
        if remaining[value] > 0:
            remaining[value] -= 1
        else:
            merged.append(value)
    return merged


def _details_scope(html: str) -> LexborNode | None:
    tree = LexborHTMLParser(html)
    return tree.css_first("main") or tree.body


def _top_card(tree: LexborHTMLParser) -> tuple[str, str | None, str | None]:
    h1 = tree.css_first("main h1") or tree.css_first("h1")
    name = sighted_text(h1)
    if not name:
        raise LayoutChanged("no profile name (main h1) on the page")
    headline_node = tree.css_first("main [data-generated-suggestion-target]")
    headline = node_text(headline_node) or None
    location = None
    link = tree.css_first("#top-card-text-details-contact-info")
    holder = link.parent if link is not None else None
    row = holder.parent if holder is not None else None
    if row is not None and holder is not None:
        for child in row.iter():
            if child == holder:
                break
            if child.tag == "span":
                location = node_text(child) or None
                break
    return name, headline, location


def parse_linkedin(
    main_html: str,
    *,
    details: dict[str, str] | None = None,
    contact_html: str | None = None,
    url: str,
) -> Profile:
    """The profile on a rendered LinkedIn page, completed by details pages and the overlay."""
    tree = LexborHTMLParser(main_html)
    display, headline, location = _top_card(tree)
    first, last = split_name(display)
    experience = _section_items(tree, details, "experience", _experience)
    education = _section_items(tree, details, "education", _education)
    skills = _section_items(tree, details, "skills", _skill)
    languages = _section_items(tree, details, "languages", _language)
    cards = tree.css("main section[data-view-name='profile-card']")
    anchored = any(card.css_first("div[id]") is not None for card in cards)
    if cards and not anchored and not (experience or education or skills or languages):
        raise LayoutChanged("profile cards without section anchors: the layout changed")
    emails: list[str] = []
    if contact_html:
        overlay = LexborHTMLParser(contact_html)
        scope = overlay.css_first("[role='dialog']") or overlay.body
        emails = collect_emails(scope.css("a[href]")) if scope is not None else []
    return Profile(
        first_name=first,
        last_name=last,
        emails=emails,
        headline=headline,
        location=location,
        experience=experience,
        education=education,
        skills=skills,
        languages=languages,
        source=profile_source(Platform.LINKEDIN, url),
    )
