"""Layout signatures: which generation of a platform's markup a page is.

A signature names the markers a page was recognised by, so metrics, snapshots and the drift
report can say "the 2022 logged-in layout lost its experience items", not just "parsing got
worse". Signatures label; they never decide how a page is parsed (the parsers read meaning).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

UNKNOWN = "unknown"


def _has(tree: LexborHTMLParser, selector: str) -> bool:
    return tree.css_first(selector) is not None


def linkedin_layout(tree: LexborHTMLParser) -> str:
    if _has(
        tree,
        "[componentkey*='com.linkedin.sdui'], [componentkey$='Topcard'], "
        "[data-testid^='profile_'], [id^='profileCards'], main#workspace",
    ):
        return "flagship-2025"
    if _has(tree, "[data-view-name='profile-component-entity']"):
        return "entity-2024"
    if _has(tree, "section#experience-section, #oc-background-section, .pv-profile-section"):
        return "pv-section-2020"
    if _has(tree, "section[data-section]") or _has(tree, "script[type='application/ld+json']"):
        return "public"
    if _has(tree, "div#experience, div#education, div#skills, div#about"):
        return "anchored-2022"
    return UNKNOWN


def xing_layout(tree: LexborHTMLParser, html: str) -> str:
    if _has(tree, "#XingIdModule, #ProfileTimelineModule, #ProfileSkillsModule"):
        return "modules-2023"
    if _has(tree, "[data-qa='timeline-section'], [data-qa='profile-name'], [data-qa*='we-entry']"):
        return "legacy-2020"
    if "window.crate" in html:
        return "public-crate"
    return UNKNOWN


def layout_signature(platform: str, html: str) -> str:
    tree = LexborHTMLParser(html)
    found = xing_layout(tree, html) if platform == "xing" else linkedin_layout(tree)
    return f"{platform}/{found}"
