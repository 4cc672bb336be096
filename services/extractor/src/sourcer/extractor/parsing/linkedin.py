"""LinkedIn profile parser: the rendered profile, its details subpages and the contact overlay.

Works on every layout generation LinkedIn serves (see `layout.py`) because it reads meaning:
sections by anchor, card key or heading (`sections.py`), items by list structure and sighted
text (`blocks.py`), fields by the shape of each line (`fields.py`), the top card by the order of
its lines (`topcard.py`). The data the page embeds (`embedded.py`) is a second source: it checks
the DOM reading and recovers a section whose markup could not be read.

A section that is on the page but yields no item is never returned as an empty list in silence:
it is named in `Profile.missing_sections`, and the caller decides what that means for the job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing import fields
from sourcer.extractor.parsing.blocks import Block, read_blocks
from sourcer.extractor.parsing.embedded import Embedded, read_json_ld, read_voyager
from sourcer.extractor.parsing.errors import LayoutChanged
from sourcer.extractor.parsing.layout import linkedin_layout
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.result import ParseResult
from sourcer.extractor.parsing.sections import SECTIONS, details_scope, find_section
from sourcer.extractor.parsing.text import collect_emails, norm, sighted_text
from sourcer.extractor.parsing.topcard import read_top_card, title_name
from sourcer.extractor.parsing.urls import profile_slug, profile_source
from sourcer.proto.records import Platform, Profile

T = TypeVar("T")
_READERS: dict[str, Callable[[Block], list[object]]] = {
    "experience": fields.experience,  # type: ignore[dict-item]
    "education": fields.education,  # type: ignore[dict-item]
    "skills": fields.skill,  # type: ignore[dict-item]
    "languages": fields.language,  # type: ignore[dict-item]
}


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


def _items(scope: LexborNode | None, section: str) -> list[object]:
    if scope is None:
        return []
    heading = sighted_text(scope.css_first("h1, h2, h3")) or None
    reader = _READERS[section]
    return [item for block in read_blocks(scope, skip_first_line=heading) for item in reader(block)]


class _Sections:
    """Reads each section from the main page and its details page, noting what failed."""

    def __init__(self, tree: LexborHTMLParser, details: dict[str, str], data: Embedded | None):
        self.tree = tree
        self.details = details
        self.data = data
        self.missing: list[str] = []
        self.recovered: list[str] = []
        self.disagreements: list[str] = []

    def read(self, section: str) -> list[object]:
        scope = find_section(self.tree, section)
        found = _items(scope, section)
        details_html = self.details.get(section)
        if details_html:
            listed = _items(details_scope(details_html), section)
            if not listed:
                self.missing.append(section)  # "Show all" promised more than could be read
                return found
            found = merge_items(listed, found)
        if scope is not None and not found and not details_html:
            embedded = list(getattr(self.data, section)) if self.data else []
            if embedded:
                self.recovered.append(section)
                return embedded
            self.missing.append(section)
        self._cross_check(section, found, bool(details_html))
        return found

    def _cross_check(self, section: str, found: list[object], complete: bool) -> None:
        if self.data is None or not found:
            return
        embedded = getattr(self.data, section)
        if complete and len(embedded) > len(found):
            self.disagreements.append(
                f"{section}: the page data lists {len(embedded)}, the page shows {len(found)}"
            )


def _emails(contact_html: str | None) -> list[str]:
    if not contact_html:
        return []
    overlay = LexborHTMLParser(contact_html)
    scope = overlay.css_first("[role='dialog']") or overlay.css_first("main") or overlay.body
    return collect_emails(scope.css("a[href]")) if scope is not None else []


def _split(display: str, data: Embedded | None) -> tuple[str | None, str | None]:
    """First and last name; the page's own data knows where a name splits when it shows it.

    "Rodrigo Valdés Lindqvist" splits by shape after the first word, but the member may have
    entered "Valdés Lindqvist" as the last name: the embedded profile says so, when it names
    the person the page shows.
    """
    if data and data.first_name and data.last_name:
        same = norm(f"{data.first_name} {data.last_name}").casefold() == norm(display).casefold()
        if same:
            return norm(data.first_name), norm(data.last_name)
    return split_name(display)


def read_linkedin(
    main_html: str,
    *,
    details: dict[str, str] | None = None,
    contact_html: str | None = None,
    url: str,
) -> ParseResult:
    """The profile on a rendered LinkedIn page, with its layout and what could not be read."""
    source = profile_source(Platform.LINKEDIN, url)
    tree = LexborHTMLParser(main_html)
    data = read_voyager(tree, profile_slug(Platform.LINKEDIN, url))
    public = read_json_ld(tree) if data is None else None
    card = read_top_card(tree)
    display = card.name if card else None
    if not display and data and data.first_name:
        display = f"{data.first_name} {data.last_name or ''}"
    if not display:
        display = title_name(tree)
    if not display or display.lower() == "linkedin":
        raise LayoutChanged("no profile name (top card heading) on the page")
    first, last = _split(display, data)
    sections = _Sections(tree, details or {}, data)
    read = {name: sections.read(name) for name in SECTIONS}
    fallback = data or public
    profile = Profile(
        first_name=first,
        last_name=last,
        emails=_emails(contact_html),
        headline=(card.headline if card else None) or (fallback.headline if fallback else None),
        location=card.location if card else None,
        experience=read["experience"],
        education=read["education"],
        skills=list(dict.fromkeys(read["skills"])),
        languages=read["languages"],
        source=source,
        missing_sections=sections.missing,
    )
    return ParseResult(
        profile=profile,
        layout=f"linkedin/{linkedin_layout(tree)}",
        recovered=sections.recovered,
        disagreements=sections.disagreements,
    )


def parse_linkedin(
    main_html: str,
    *,
    details: dict[str, str] | None = None,
    contact_html: str | None = None,
    url: str,
) -> Profile:
    """The profile on a rendered LinkedIn page, completed by details pages and the overlay."""
    return read_linkedin(main_html, details=details, contact_html=contact_html, url=url).profile
