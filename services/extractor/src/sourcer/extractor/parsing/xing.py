"""Xing profile parser: today's module page, its older logged-in markup, the public page's data.

Today's logged-in page is a column of modules with stable ids (`#XingIdModule` for the header,
`#ProfileTimelineModule`, `#ProfileSkillsModule`, `#ProfileLanguagesModule`), design-system
`data-xds` attributes (`Hero`, `Headline`, `BodyCopy`, `Meta`, `Tag`, `ProgressBar`,
`IconLocationPin`) and timeline entries whose `data-qa` names their kind (`...work_experience...`,
`...school...`); its class names are hashed (`sc-...`) and never read. The older markup
(`data-qa="timeline-section"`, `we-entry`, `education-entry`, `skills-section`) is read by the
same code, and every section also by its heading (EN/DE). The public page's embedded Apollo
state (`window.crate`) is the fallback source when the DOM has no profile (see `xing_crate`).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing import fields
from sourcer.extractor.parsing.blocks import Block, read_block
from sourcer.extractor.parsing.dates import is_date_range, parse_date_range
from sourcer.extractor.parsing.errors import LayoutChanged
from sourcer.extractor.parsing.layout import xing_layout
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.result import ParseResult
from sourcer.extractor.parsing.sections import heading_name
from sourcer.extractor.parsing.text import collect_emails, dedupe, node_text
from sourcer.extractor.parsing.urls import profile_source
from sourcer.extractor.parsing.xing_crate import read_crate
from sourcer.proto.records import Education, Experience, Language, Platform, Profile

_MODULES = {
    "experience": "#ProfileTimelineModule, [data-qa='timeline-section']",
    "skills": "#ProfileSkillsModule, [data-qa='skills-section']",
    "languages": "#ProfileLanguagesModule, [data-qa='language-skills-section']",
}
_WORK = ("work_experience", "we-entry", "work-experience")
_SCHOOL = ("school", "education-entry", "education")
_CONTACT_HEADINGS = {"kontaktdaten", "contact details", "contact info", "kontakt"}


def _name_node(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in ("#XingIdModule h1", "[data-xds='Hero']", "[data-qa='profile-name']"):
        node = tree.css_first(selector)
        if node is not None and node_text(node):
            return node
    return tree.css_first("main h1")


def _header(tree: LexborHTMLParser, name_node: LexborNode) -> tuple[str | None, str | None]:
    """Headline and location: the lines after the name in the header module."""
    header = tree.css_first("#XingIdModule")
    if header is None:
        header = name_node.parent
        while (
            header is not None
            and header.tag not in ("section", "main")
            and not (len(read_block(header).lines) >= 3)
        ):
            header = header.parent
    location = None
    pin = header.css_first("[data-xds='IconLocationPin']") if header is not None else None
    if pin is not None and pin.parent is not None:
        location = " ".join(read_block(pin.parent).lines) or None
    lines = read_block(header).lines if header is not None else []
    name = node_text(name_node)
    rest = [line for line in lines if line != name and line != location]
    headline = rest[0] if rest else None
    if location is None and len(rest) > 1 and fields.looks_like_place(rest[1]):
        location = rest[1]
    return headline, location


def _entries(tree: LexborHTMLParser, kinds: tuple[str, ...]) -> list[LexborNode]:
    found = [
        n for n in tree.css("[data-qa]") if any(k in (n.attributes["data-qa"] or "") for k in kinds)
    ]
    # Keep only entries, not the fields inside them ("timeline-headline" holds no kind).
    return [n for n in found if not any(p in found for p in _ancestors(n))]


def _ancestors(node: LexborNode) -> list[LexborNode]:
    out = []
    current = node.parent
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def _headline(entry: LexborNode) -> str | None:
    node = entry.css_first("[data-qa='timeline-headline']") or entry.css_first("h2, h3, h4")
    return node_text(node) or None


def _job(entry: LexborNode) -> Experience | None:
    block = read_block(entry)
    title = _headline(entry)
    if title and block.lines and block.lines[0] != title:
        block.lines.insert(0, title)
    pin = entry.css_first("[data-xds='IconLocationPin']")
    if pin is None or pin.parent is None:
        return fields.role(block, guess_place=entry.css_first("[data-xds]") is None)
    # Today's layout marks the place with an icon: no line is guessed to be one.
    where = " ".join(read_block(pin.parent).lines)
    block.lines = [line for line in block.lines if line != where]
    found = fields.role(block, guess_place=False)
    return found.model_copy(update={"location": where or None}) if found else None


def _school(entry: LexborNode) -> Education | None:
    lines = read_block(entry).lines
    heading = _headline(entry) or (lines[0] if lines else None)
    rest = [line for line in lines if line != heading]
    if not heading:
        return None
    dates = next((line for line in rest if is_date_range(line)), None)
    others = [line for line in rest if line != dates]
    degree, _, field_ = heading.partition(", ")
    if not others:
        # Without an institution line, the heading names the school.
        school, degree, field_ = heading, "", ""
    else:
        school = others[0]
    start, end, _ = parse_date_range(dates) if dates else (None, None, False)
    return Education(
        school=school, degree=degree or None, field=field_ or None, start=start, end=end
    )


def _skills(tree: LexborHTMLParser) -> list[str] | None:
    module = tree.css_first(_MODULES["skills"])
    if module is None:
        return None
    tags = module.css("[data-xds='Tag'], [data-qa='skills-tags'], li")
    return dedupe([node_text(t) for t in tags])


def _languages(tree: LexborHTMLParser) -> list[Language] | None:
    module = tree.css_first(_MODULES["languages"])
    if module is None:
        return None
    items = [bar.parent for bar in module.css("[data-xds='ProgressBar']") if bar.parent]
    holders = [_language_item(n) for n in items] or [read_block(li) for li in module.css("li")]
    found = []
    for block in holders:
        found.extend(fields.language(block))
    return found


def _language_item(bar_holder: LexborNode) -> Block:
    """From a proficiency bar up to the element that also names the language."""
    node: LexborNode | None = bar_holder
    while node is not None and len(read_block(node).lines) < 2:
        node = node.parent
    return read_block(node) if node is not None else Block()


def _emails(tree: LexborHTMLParser) -> list[str]:
    for module in tree.css("[id*='Contact'], section, div[data-qa*='contact']"):
        heading = module.css_first("h2, h3")
        if "Contact" in (module.attributes.get("id") or "") or (
            heading is not None and node_text(heading).lower() in _CONTACT_HEADINGS
        ):
            emails = collect_emails(module.css("a[href]"))
            if emails:
                return emails
    return []


def _section_present(tree: LexborHTMLParser, name: str) -> bool:
    if name in _MODULES and tree.css_first(_MODULES[name]) is not None:
        if name != "experience":
            return True
        return bool(_entries(tree, _WORK))
    return any(heading_name(node_text(h)) == name for h in tree.css("main h2, main h3, h2, h3"))


def read_xing(html: str, *, url: str) -> ParseResult:
    """The profile on a rendered Xing page (after the consent dialog was accepted)."""
    source = profile_source(Platform.XING, url)
    tree = LexborHTMLParser(html)
    layout = f"xing/{xing_layout(tree, html)}"
    name_node = _name_node(tree)
    if name_node is None or not node_text(name_node):
        crate = read_crate(html, source=source)
        if crate is None:
            raise LayoutChanged("no profile name (#XingIdModule h1) on the page")
        return ParseResult(
            profile=crate.model_copy(update={"emails": _emails(tree)}), layout=layout
        )
    first, last = split_name(node_text(name_node))
    headline, location = _header(tree, name_node)
    experience = [job for e in _entries(tree, _WORK) if (job := _job(e))]
    education = [ed for e in _entries(tree, _SCHOOL) if (ed := _school(e))]
    skills = _skills(tree) or []
    languages = _languages(tree) or []
    read = {"experience": experience, "education": education, "skills": skills}
    read["languages"] = languages
    missing = [s for s, items in read.items() if not items and _section_present(tree, s)]
    profile = Profile(
        first_name=first,
        last_name=last,
        emails=_emails(tree),
        headline=headline,
        location=location,
        experience=experience,
        education=education,
        skills=skills,
        languages=languages,
        source=source,
        missing_sections=missing,
    )
    return ParseResult(profile=profile, layout=layout)


def parse_xing(html: str, *, url: str) -> Profile:
    return read_xing(html, url=url).profile
