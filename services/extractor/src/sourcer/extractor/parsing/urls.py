"""Profile URLs: the member slug and the canonical URL, whatever host served the page.

Pages may come from the real platform (any country subdomain) or from the simulator, and
may be a details subpage or the contact overlay; the profile is identified by its slug.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from sourcer.extractor.parsing.errors import ParseError
from sourcer.proto.records import Platform, ProfileSource

_LINKEDIN_PATH = re.compile(r"^/in/([^/?#]+)")
_XING_PATH = re.compile(r"^/profile/([^/?#]+)")


def profile_slug(platform: Platform, url: str) -> str | None:
    path = urlsplit(url).path
    pattern = _LINKEDIN_PATH if platform is Platform.LINKEDIN else _XING_PATH
    match = pattern.match(path)
    if not match:
        return None
    slug = unquote(match.group(1))
    # LinkedIn treats slugs case-insensitively; Xing slugs keep their case.
    return slug.lower() if platform is Platform.LINKEDIN else slug


def canonical_profile_url(platform: Platform, slug: str) -> str:
    if platform is Platform.LINKEDIN:
        return f"https://www.linkedin.com/in/{quote(slug, safe='-_.~')}/"
    return f"https://www.xing.com/profile/{quote(slug, safe='-_.~')}"


def profile_source(platform: Platform, url: str) -> ProfileSource:
    slug = profile_slug(platform, url)
    if not slug:
        raise ParseError(f"not a {platform.value} profile URL: {url}")
    return ProfileSource(
        platform=platform, profile_url=canonical_profile_url(platform, slug), profile_id=slug
    )
