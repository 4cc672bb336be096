"""Xing profile parser: React markup with `data-qa` hooks; the hashed class names are ignored.

Sections are found by their `data-qa` module name, falling back to the heading text in
English or German; fields by their `data-qa` hooks.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing.dates import parse_date_range
from sourcer.extractor.parsing.errors import LayoutChanged
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.text import collect_emails, dedupe, node_text
from sourcer.extractor.parsing.urls import profile_source
from sourcer.proto.records import Education, Experience, Language, Platform, Profile

_MODULES = {
    "experience": ("profile-timeline-module", {"berufserfahrung", "work experience"}),
    "education": ("profile-education-module", {"ausbildung", "education"}),
    "skills": ("profile-skills-module", {"kenntnisse und fähigkeiten", "skills"}),
    "languages": ("profile-languages-module", {"sprachen", "languages"}),
    "contact": ("profile-contact-module", {"kontaktdaten", "contact details"}),
}


def _module(tree: LexborHTMLParser, name: str) -> LexborNode | None:
    qa, headings = _MODULES[name]
    node = tree.css_first(f"[data-qa='{qa}']")
    if node is not None:
        return node
    for section in tree.css("section"):
        if node_text(section.css_first("h2")).lower() in headings:
            return section
    return None


def _field(item: LexborNode, qa: str) -> str | None:
    return node_text(item.css_first(f"[data-qa='{qa}']")) or None


def _items(module: LexborNode | None, qa: str) -> list[LexborNode]:
    return module.css(f"[data-qa='{qa}']") if module is not None else []


def _experience(item: LexborNode) -> Experience | None:
    title = _field(item, "timeline-item-title")
    if not title:
        return None
    start, end, current = parse_date_range(_field(item, "timeline-item-date") or "")
    return Experience(
        title=title,
        company=_field(item, "timeline-item-organization"),
        employment_type=_field(item, "timeline-item-employment"),
        location=_field(item, "timeline-item-location"),
        start=start,
        end=end,
        is_current=current,
        description=_field(item, "timeline-item-description"),
    )


def _education(item: LexborNode) -> Education | None:
    school = _field(item, "timeline-item-organization")
    degree = _field(item, "timeline-item-title")
    if not school:
        # Without an organisation line, the title line names the school.
        school, degree = degree, None
    if not school:
        return None
    start, end, _ = parse_date_range(_field(item, "timeline-item-date") or "")
    return Education(
        school=school,
        degree=degree,
        field=_field(item, "timeline-item-subject"),
        start=start,
        end=end,
    )


def _skill(item: LexborNode) -> str:
    name = _field(item, "skills-item-name")
    if name:
        return name
    # Badges ("Top skill") sit next to the name; the first child holds the name itself.
    first = next((c for c in item.iter() if c.is_element_node), None)
    return node_text(first)


def parse_xing(html: str, *, url: str) -> Profile:
    """The profile on a rendered Xing page (after the consent dialog was accepted)."""
    tree = LexborHTMLParser(html)
    display = node_text(tree.css_first("[data-qa='profile-name']"))
    if not display:
        raise LayoutChanged("no profile name ([data-qa=profile-name]) on the page")
    first, last = split_name(display)
    experience = [
        e for i in _items(_module(tree, "experience"), "timeline-item") if (e := _experience(i))
    ]
    education = [
        ed for i in _items(_module(tree, "education"), "timeline-item") if (ed := _education(i))
    ]
    skills = dedupe([_skill(i) for i in _items(_module(tree, "skills"), "skills-item")])
    languages = [
        Language(name=name, proficiency=_field(i, "languages-item-level"))
        for i in _items(_module(tree, "languages"), "languages-item")
        if (name := _field(i, "languages-item-name"))
    ]
    contact = _module(tree, "contact")
    emails = collect_emails(contact.css("a[href]")) if contact is not None else []
    return Profile(
        first_name=first,
        last_name=last,
        emails=emails,
        headline=node_text(tree.css_first("[data-qa='profile-occupation']")) or None,
        location=node_text(tree.css_first("[data-qa='profile-location']")) or None,
        experience=experience,
        education=education,
        skills=skills,
        languages=languages,
        source=profile_source(Platform.XING, url),
    )
