"""Finding a profile section on a page: by its anchor, its card key, or its heading (EN/DE).

Each LinkedIn generation marks sections differently: an empty `div#experience` anchor inside the
card (2022-24), `section#experience-section` (2019-21), `section[data-section=experience]` on
public pages, a card whose `componentkey` ends in `ExperienceTopLevelSection` (2025-26). Every
one of them also prints the section's heading, which is the fallback that survives the next
markup too. A section found is a promise: items must be read from it, or it is reported missing.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sourcer.extractor.parsing.text import norm, sighted_text

SECTIONS = ("experience", "education", "skills", "languages")
HEADINGS = {
    "experience": {
        "experience", "work experience", "professional experience", "berufserfahrung",
        "erfahrung", "berufliche stationen", "werdegang",
    },
    "education": {"education", "ausbildung", "bildungsweg", "bildung", "studium"},
    "skills": {
        "skills", "kenntnisse", "skills & endorsements", "kenntnisse & bestätigungen",
        "fähigkeiten", "kenntnisse und fähigkeiten", "skills and endorsements",
    },
    "languages": {"languages", "sprachen", "sprachkenntnisse"},
}  # fmt: skip
_ANCHORS = {
    "experience": ("experience", "experience-section", "profile-experience"),
    "education": ("education", "education-section", "profile-education"),
    "skills": ("skills", "skills-section", "profile-skills"),
    "languages": ("languages", "languages-section", "profile-languages"),
}
_PUBLIC_KEYS = {
    "experience": ("experience",),
    "education": ("education", "educationsDetails"),
    "skills": ("skills",),
    "languages": ("languages",),
}
_CARD_KEYS = {
    "experience": ("ExperienceTopLevelSection", "Experience", "ExperienceDetails"),
    "education": ("EducationTopLevelSection", "Education", "EducationDetails"),
    "skills": ("Skills", "SkillDetails", "SkillsTopLevelSection"),
    "languages": ("Languages", "LanguageDetails", "LanguagesTopLevelSection"),
}
_COUNT = re.compile(r"\(?\b\d+\b\)?")


def heading_name(text: str) -> str | None:
    """The section a heading names ("Berufserfahrung", "Languages (3)"), if any."""
    key = norm(_COUNT.sub(" ", text)).lower()
    for name, texts in HEADINGS.items():
        if key in texts:
            return name
    return None


def _card(node: LexborNode) -> LexborNode:
    """The card around a node: its nearest `section`, else the nearest keyed card."""
    current: LexborNode | None = node
    keyed: LexborNode | None = None
    while current is not None and current.tag not in ("main", "body", "html"):
        if current.tag == "section":
            return current
        if keyed is None and current.attributes.get("componentkey"):
            keyed = current
        current = current.parent
    return keyed or node.parent or node


def _in_aside(node: LexborNode) -> bool:
    current = node.parent
    while current is not None:
        if current.tag == "aside":
            return True
        current = current.parent
    return False


def _by_anchor(tree: LexborHTMLParser, name: str) -> LexborNode | None:
    for anchor_id in _ANCHORS[name]:
        node = tree.css_first(f"[id='{anchor_id}']")
        if node is not None:
            return node if node.tag == "section" else _card(node)
    for key in _PUBLIC_KEYS[name]:
        node = tree.css_first(f"section[data-section='{key}']")
        if node is not None:
            return node
    return None


def card_key_names(key: str, suffixes: tuple[str, ...]) -> bool:
    """Whether a card key names one of `suffixes`: `com.linkedin.sdui.profile.card.ref<ID>
    ExperienceTopLevelSection`, a key or id ending in `Qs<Card>`, or a test id
    `profile_<Card>_<ID>`. Item keys (`entity-collection-item-…`) never do."""
    if key.startswith("com.linkedin.sdui.profile.card"):
        return key.endswith(suffixes)
    return any(
        key.endswith(f"Qs{suffix}") or key.startswith(f"profile_{suffix}_") for suffix in suffixes
    )


def _by_card_key(tree: LexborHTMLParser, name: str) -> LexborNode | None:
    suffixes = _CARD_KEYS[name]
    for node in tree.css("[componentkey], [data-testid^='profile_'], [id*='Qs']"):
        attributes = node.attributes
        keys = (attributes.get("componentkey"), attributes.get("data-testid"), attributes.get("id"))
        if any(key and card_key_names(key, suffixes) for key in keys):
            return node  # document order: the outermost holder of the key comes first
    return None


def _by_heading(root: LexborNode, name: str) -> LexborNode | None:
    for heading in root.css("h1, h2, h3"):
        if _in_aside(heading):
            continue
        if heading_name(sighted_text(heading)) == name:
            return _card(heading)
    return None


def find_section(tree: LexborHTMLParser, name: str) -> LexborNode | None:
    found = _by_anchor(tree, name) or _by_card_key(tree, name)
    if found is not None:
        return found
    root = tree.css_first("main") or tree.body
    return _by_heading(root, name) if root is not None else None


def details_scope(html: str) -> LexborNode | None:
    """Where a details subpage lists its items: the main column (its one card)."""
    tree = LexborHTMLParser(html)
    return tree.css_first("main") or tree.body
