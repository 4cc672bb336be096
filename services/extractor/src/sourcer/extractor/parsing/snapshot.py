"""Page snapshots: one HTML file holding everything a parse needs, for replay with `parse`.

A snapshot is the rendered main page (`page.content()`) with one block inserted before its
closing `</body>`:

    <!--sourcer-snapshot-->
    <template data-sourcer-meta data-url="https://www.linkedin.com/in/jane-doe/"
              data-status="200" data-platform="linkedin"></template>
    <template data-sourcer-details="experience">&lt;!DOCTYPE html&gt;...</template>
    <template data-sourcer-contact>&lt;!DOCTYPE html&gt;...</template>
    <!--/sourcer-snapshot-->

Embedded pages are HTML-escaped, so no markup of theirs can end the template early and the
round trip is exact; the main page stays byte-for-byte what the browser produced and still
opens in a browser. `<template>` content is inert, so nothing embedded renders or runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from selectolax.lexbor import LexborHTMLParser

_START = "<!--sourcer-snapshot-->"
_END = "<!--/sourcer-snapshot-->"
_BLOCK = re.compile(re.escape("\n" + _START) + r".*?" + re.escape(_END + "\n"), re.DOTALL)
_DETAILS = re.compile(r'<template data-sourcer-details="([a-z_]+)">(.*?)</template>', re.DOTALL)
_CONTACT = re.compile(r"<template data-sourcer-contact>(.*?)</template>", re.DOTALL)
_META = re.compile(r"<template data-sourcer-meta([^>]*)></template>")
_ATTR = re.compile(r'data-([a-z]+)="([^"]*)"')
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_PROFILE_PATH = re.compile(r"/in/([^/?#]+)/(?:overlay/contact-info|details?/)")


@dataclass(frozen=True)
class Snapshot:
    main: str
    details: dict[str, str] = field(default_factory=dict)
    contact: str | None = None
    url: str | None = None
    status: int | None = None
    platform: str | None = None


def build_snapshot(
    main_html: str,
    details: dict[str, str] | None = None,
    contact_html: str | None = None,
    *,
    url: str | None = None,
    status: int | None = None,
    platform: str | None = None,
) -> str:
    """Embed details pages, the contact overlay and where the page came from into the page."""
    meta = "".join(
        f' data-{name}="{escape(str(value), quote=True)}"'
        for name, value in (("url", url), ("status", status), ("platform", platform))
        if value is not None
    )
    parts = [f"<template data-sourcer-meta{meta}></template>"]
    for name, html in (details or {}).items():
        parts.append(
            f'<template data-sourcer-details="{name}">{escape(html, quote=False)}</template>'
        )
    if contact_html is not None:
        parts.append(
            f"<template data-sourcer-contact>{escape(contact_html, quote=False)}</template>"
        )
    block = "\n" + _START + "\n" + "\n".join(parts) + "\n" + _END + "\n"
    ends = list(_BODY_END.finditer(main_html))
    if not ends:
        return main_html + block
    cut = ends[-1].start()
    return main_html[:cut] + block + main_html[cut:]


def read_snapshot(html: str) -> Snapshot:
    """Take a snapshot apart; a plain page comes back as a snapshot without extras."""
    match = _BLOCK.search(html)
    if match is None:
        return Snapshot(main=html)
    block = match.group(0)
    main = html[: match.start()] + html[match.end() :]
    details = {name: unescape(body) for name, body in _DETAILS.findall(block)}
    contact_match = _CONTACT.search(block)
    meta_match = _META.search(block)
    meta = dict(_ATTR.findall(meta_match.group(1))) if meta_match else {}
    status = meta.get("status", "")
    return Snapshot(
        main=main,
        details=details,
        contact=unescape(contact_match.group(1)) if contact_match else None,
        url=unescape(meta["url"]) if "url" in meta else None,
        status=int(status) if status.isdigit() else None,
        platform=meta.get("platform"),
    )


def split_snapshot(html: str) -> tuple[str, dict[str, str], str | None]:
    """(main page, details pages by section, contact overlay) of a snapshot."""
    snap = read_snapshot(html)
    return snap.main, snap.details, snap.contact


def page_url(platform: str, html: str) -> str | None:
    """The profile URL a saved page names itself by, for snapshots without one."""
    tree = LexborHTMLParser(html)
    for selector, attr in (
        ("link[rel='canonical']", "href"),
        ("meta[property='og:url']", "content"),
    ):
        node = tree.css_first(selector)
        value = node.attributes.get(attr) if node is not None else None
        if value:
            return value
    # Logged-in pages name themselves only in their own links: the contact overlay and the
    # details subpages hang off the profile's URL in every layout generation.
    if platform == "linkedin":
        for link in tree.css("a[href*='/overlay/contact-info'], a[href*='/detail']"):
            href = link.attributes.get("href") or ""
            match = _PROFILE_PATH.search(href)
            if match:
                return f"https://www.linkedin.com/in/{match.group(1)}/"
    return None
