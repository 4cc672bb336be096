# ruff: noqa: RUF001 - platforms print typographic characters
"""The LinkedIn top card: name, headline and location, in any layout generation.

The name is the top card's heading (`h1` up to 2024 and on public pages; `h2` in the 2025-26
card whose `componentkey` ends in `Topcard`). After it come short lines in a fixed order of
meaning: pronouns and connection degree (noise), the headline, then the location, which is the
last line before the "Contact info" link where a logged-in page has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing.blocks import read_block
from sourcer.extractor.parsing.fields import looks_like_place
from sourcer.extractor.parsing.text import norm, sighted_text

_CONTACT = {"contact info", "kontaktinfo", "kontaktinformationen", "contact information"}
_NOISE = re.compile(
    r"^(?:[·•‧]\s*)?(?:1st|2nd|3rd\+?|\d+th|1\.|2\.|3\.\+?|you|sie)(?:\s+degree connection)?$|"
    r"^(?:he|she|they|er|sie)/\w+$|^verified$|^verifiziert$|"
    r"^[\d.,+]+\s*(?:connections|followers|kontakte|follower)$|"
    r"^(?:connections|followers|kontakte|follower)$|^(?:open to work|offen für jobangebote)$",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s*[|–-]\s*LinkedIn\s*$", re.IGNORECASE)
_NOTIFICATIONS = re.compile(r"^\(\d+\+?\)\s*")


@dataclass(frozen=True)
class TopCard:
    name: str
    headline: str | None
    location: str | None


def _topcard_node(tree: LexborHTMLParser) -> LexborNode | None:
    """Today's top card: its `componentkey` (or id) ends in `Topcard`, or its test id says so."""
    for node in tree.css("[componentkey], [id$='Topcard'], [data-testid*='Topcard']"):
        attributes = node.attributes
        keys = (attributes.get("componentkey"), attributes.get("id"))
        if any(key and key.endswith("Topcard") for key in keys):
            return node
        if "Topcard" in (attributes.get("data-testid") or ""):
            return node
    return None


def _card_of(heading: LexborNode) -> LexborNode:
    node = heading.parent
    while node is not None and node.tag not in ("section", "main", "body"):
        node = node.parent
    return node or heading


def _name_heading(tree: LexborHTMLParser) -> tuple[LexborNode | None, LexborNode | None]:
    card = _topcard_node(tree)
    if card is not None:
        return card.css_first("h1, h2") or _titled_line(tree, card), card
    heading = tree.css_first("main h1") or tree.css_first("h1")
    return heading, (_card_of(heading) if heading is not None else None)


def _titled_line(tree: LexborHTMLParser, card: LexborNode) -> LexborNode | None:
    """A top card without a heading prints the name as a plain line: the one the page's
    title names too ("Jane Doe | LinkedIn")."""
    name = title_name(tree)
    if not name:
        return None
    for line in card.css("p, span, div"):
        if norm(line.text(deep=True)) == name:
            return line
    return None


def title_name(tree: LexborHTMLParser) -> str | None:
    """ "(3) Jane Doe | LinkedIn" -> "Jane Doe": the page title names the member too."""
    title = tree.css_first("title")
    text = _TITLE_SUFFIX.sub("", _NOTIFICATIONS.sub("", norm(title.text() if title else "")))
    return text or None


def has_named_top_card(tree: LexborHTMLParser) -> bool:
    """Whether today's top card is on the page and names someone (heading or titled line)."""
    card = _topcard_node(tree)
    return card is not None and (card.css_first("h1, h2") or _titled_line(tree, card)) is not None


def read_top_card(tree: LexborHTMLParser) -> TopCard | None:
    heading, card = _name_heading(tree)
    name = sighted_text(heading)
    if not name or card is None:
        return None
    lines = [
        line
        for line in read_block(card, flat=True).lines
        if line != name and not _NOISE.match(line)
    ]
    contact_at = next((i for i, line in enumerate(lines) if line.lower() in _CONTACT), None)
    if contact_at is not None:
        lines = lines[:contact_at]
    headline = lines[0] if lines else None
    location = None
    if len(lines) > 1 and (contact_at is not None or looks_like_place(lines[1])):
        location = lines[-1] if contact_at is not None else lines[1]
    return TopCard(name=name, headline=headline, location=location)
