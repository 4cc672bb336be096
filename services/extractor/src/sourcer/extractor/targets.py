"""Which URLs the extractor's logged-in browser may open. Pure: no I/O.

The gateway checks the URL a recruiter sends, but the browser must not depend on that: a
request may reach the bus some other way, and the "Show all" links and the contact overlay are
read from a third-party page. So every URL is checked again right before it is opened, against
the same allowlist (`sourcer.proto.profile_urls`): the request's own URL, and every subpage,
which must stay on the configured platform host and under the profile the page belongs to.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from sourcer.proto.events import SourcingRequested
from sourcer.proto.profile_urls import CanonicalProfileUrl, UrlRejectedError, canonicalize
from sourcer.proto.records import Platform

PLATFORM_ORIGINS = {
    Platform.LINKEDIN: "https://www.linkedin.com",
    Platform.XING: "https://www.xing.com",
}
DETAIL_SECTIONS = ("experience", "education", "skills", "languages")
# A profile path on each platform, to ask the allowlist whether a host is the platform's.
_PROBE = {Platform.LINKEDIN: "/in/x/", Platform.XING: "/profile/x"}
_DETAILS_PATH = re.compile(r"^/in/([^/]+)/details/([a-z]+)/?$")
_CONTACT_PATH = re.compile(r"^/in/([^/]+)/overlay/contact-info/?$")


def checked_profile(request: SourcingRequested) -> CanonicalProfileUrl:
    """The request's profile; UrlRejectedError when its URL is outside the allowlist or names
    another platform than the request says."""
    canonical = canonicalize(request.url)
    if canonical.platform is not request.platform:
        raise UrlRejectedError("unsupported_url", "The URL is not a profile of that platform.")
    return canonical


def request_target(request: SourcingRequested, base_url: str) -> str:
    """The URL to open for a request: its canonical profile's path on the configured host."""
    return base_url.rstrip("/") + urlsplit(checked_profile(request).url).path


def _on_platform_host(url: str, *, platform: Platform, base_url: str) -> bool:
    """On the configured host; on the real platform, on any of its hosts the allowlist takes
    (a country subdomain). A stand-in (the simulator) has only its own host."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if "@" in parts.netloc:
        return False
    if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
        return True
    if base_url.rstrip("/") != PLATFORM_ORIGINS[platform]:
        return False
    try:
        found = canonicalize(f"{parts.scheme}://{parts.netloc}{_PROBE[platform]}")
    except UrlRejectedError:
        return False
    return found.platform is platform


def profile_on_platform(
    url: str, *, platform: Platform, base_url: str
) -> CanonicalProfileUrl | None:
    """The profile a page at `url` belongs to, when it is on the platform's host."""
    if not _on_platform_host(url, platform=platform, base_url=base_url):
        return None
    try:
        canonical = canonicalize(PLATFORM_ORIGINS[platform] + urlsplit(url).path)
    except UrlRejectedError:
        return None
    return canonical if canonical.platform is platform else None


def _same_profile_subpage(
    page_url: str, href: str, *, base_url: str, shape: re.Pattern[str]
) -> tuple[str, re.Match[str]] | None:
    here = profile_on_platform(page_url, platform=Platform.LINKEDIN, base_url=base_url)
    target = urljoin(page_url, href)
    if here is None or not _on_platform_host(target, platform=Platform.LINKEDIN, base_url=base_url):
        return None
    parts = urlsplit(target)
    match = shape.match(parts.path)
    if match is None:
        return None
    profile = f"{PLATFORM_ORIGINS[Platform.LINKEDIN]}/in/{match.group(1)}/"
    try:
        there = canonicalize(profile)
    except UrlRejectedError:
        return None
    if there.profile_id != here.profile_id:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")), match


def detail_page(page_url: str, href: str, *, base_url: str) -> tuple[str, str] | None:
    """(URL, section) of a "Show all" link on the profile page at `page_url`, when it leads to
    a details page of that same profile on the platform host; None for anything else."""
    found = _same_profile_subpage(page_url, href, base_url=base_url, shape=_DETAILS_PATH)
    if found is None or found[1].group(2) not in DETAIL_SECTIONS:
        return None
    return found[0], found[1].group(2)


def contact_page(page_url: str, *, base_url: str) -> str | None:
    """The contact overlay of the profile page at `page_url`, when that page is a profile on
    the platform host."""
    found = _same_profile_subpage(
        page_url, "overlay/contact-info/", base_url=base_url, shape=_CONTACT_PATH
    )
    return found[0] if found else None
