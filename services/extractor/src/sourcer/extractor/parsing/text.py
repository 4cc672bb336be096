"""Text helpers shared by the parsers: whitespace, screen-reader duplicates, emails."""

from __future__ import annotations

import re
from urllib.parse import unquote

from selectolax.lexbor import LexborNode

_SPACE = re.compile(r"[\s\u00a0\u2007\u202f\u200b\u200e\u200f\ufeff]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def norm(text: str | None) -> str:
    """Collapse every kind of whitespace (NBSP, zero-width...) into single spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", text).strip()


def node_text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return norm(node.text(deep=True, separator=" "))


def sighted_text(node: LexborNode | None) -> str:
    """Text of an element as a sighted reader sees it, without the screen-reader copy.

    LinkedIn prints each text twice (`span[aria-hidden=true]` and `span.visually-hidden`);
    prefer the aria-hidden copy, else drop visually-hidden parts.
    """
    if node is None:
        return ""
    shown = node.css_first('span[aria-hidden="true"]')
    if shown is not None:
        return node_text(shown)
    clone = node.clone()
    for hidden in clone.css(".visually-hidden"):
        hidden.decompose()
    return node_text(clone)


def mailto_address(href: str | None) -> str | None:
    if not href or not href.lower().startswith("mailto:"):
        return None
    address = unquote(href[len("mailto:") :]).split("?", 1)[0].strip().lower()
    return address if _EMAIL.match(address) else None


def collect_emails(nodes: list[LexborNode]) -> list[str]:
    """Addresses of `mailto:` links, lowercased, first occurrence kept."""
    found: dict[str, None] = {}
    for link in nodes:
        address = mailto_address(link.attributes.get("href"))
        if address:
            found.setdefault(address, None)
    return list(found)


def dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
