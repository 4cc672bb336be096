"""Walking LinkedIn's `profile-component-entity` markup without relying on class names.

An entity is a `div[data-view-name="profile-component-entity"]`. Its own lines are the
outermost `span[aria-hidden="true"]` elements outside any nested list; nested lists hold
sub-components (description, "Skills: ...", endorsements) or, for several roles at one
company, further entities. One pass over a section collects all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from sourcer.extractor.parsing.text import node_text

ENTITY_VIEW = "profile-component-entity"


@dataclass
class Entity:
    node: LexborNode
    lines: list[str] = field(default_factory=list)
    """The entity's own visible lines, in page order, each once."""
    subs: list[str] = field(default_factory=list)
    """Texts of its sub-components, one per list item."""
    children: list[Entity] = field(default_factory=list)
    """Entities nested directly inside it (roles at one company)."""


def _walk(
    node: LexborNode, owner: Entity | None, depth: int, sub: list[str] | None, out: list[Entity]
) -> None:
    """`depth` counts the lists between `node` and its owning entity."""
    for child in node.iter():
        if not child.is_element_node:
            continue
        tag = child.tag
        attrs = child.attributes
        if tag == "div" and attrs.get("data-view-name") == ENTITY_VIEW:
            entity = Entity(child)
            (owner.children if owner is not None else out).append(entity)
            _walk(child, entity, 0, None, out)
        elif tag == "span" and attrs.get("aria-hidden") == "true":
            # The outermost sighted copy only; its screen-reader twin is never read.
            text = node_text(child) if owner is not None else ""
            if text and depth == 0:
                owner.lines.append(text)  # type: ignore[union-attr]
            elif text and depth == 1 and sub is not None:
                sub.append(text)
        elif tag == "ul":
            _walk(child, owner, depth + 1, sub, out)
        elif tag == "li" and owner is not None and depth == 1:
            parts: list[str] = []
            nested_before = len(owner.children)
            _walk(child, owner, depth, parts, out)
            if parts and len(owner.children) == nested_before:
                owner.subs.append(" ".join(parts))
        else:
            _walk(child, owner, depth, sub, out)


def top_entities(scope: LexborNode) -> list[Entity]:
    """Entities inside `scope` that are not nested in another entity, with their content."""
    found: list[Entity] = []
    _walk(scope, None, 0, None, found)
    return found
