"""The profile URL allowlist and canonical form. Pure: no I/O, every rule unit-tested.

Only LinkedIn member profiles (`/in/<slug>`) and Xing profiles (`/profile/<Slug>`) are ever
rendered. Everything else is refused with a stable code, so the extension can tell the
recruiter precisely why. The gateway checks every URL it is sent; the extractor checks again
every URL its browser is about to open, so a request that reached the bus some other way (or a
link on a third-party page) cannot point the logged-in browser elsewhere.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from sourcer.proto.records import Platform

MAX_URL_LENGTH = 2048
MAX_SLUG_LENGTH = 100

_LINKEDIN_HOST = re.compile(r"^(?:(?:www|m|[a-z]{2})\.)?linkedin\.com$")
_XING_HOST = re.compile(r"^(?:www\.)?xing\.com$")
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$", re.IGNORECASE)
_LINKEDIN_SLUG = re.compile(r"^[\w\-]+$", re.UNICODE)
_XING_SLUG = re.compile(r"^(?!\.+$)[A-Za-z0-9_\-.]+$")  # never dots only: `..` is a way up
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


class UrlRejectedError(ValueError):
    """A URL outside the allowlist; `code` is stable, `message` is for the recruiter."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CanonicalProfileUrl:
    url: str
    platform: Platform
    profile_id: str


def _reject(code: str, message: str) -> UrlRejectedError:
    return UrlRejectedError(code, message)


def _is_ip_literal(host: str) -> bool:
    candidate = host.strip("[]")
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        # Browsers also read 2130706433, 0x7f.1 or 127.1 as addresses.
        return bool(re.fullmatch(r"[0-9.]+|0x[0-9a-f.x]+", candidate))
    return True


def canonicalize(raw: str) -> CanonicalProfileUrl:
    """The canonical profile URL of `raw`, or UrlRejectedError saying why not."""
    text = raw.strip()
    if not text:
        raise _reject("invalid_url", "The URL is empty.")
    if len(text) > MAX_URL_LENGTH:
        raise _reject("url_too_long", f"The URL is longer than {MAX_URL_LENGTH} characters.")
    if _FORBIDDEN_CHARS.search(text):
        raise _reject("invalid_url", "The URL contains spaces, control characters or backslashes.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise _reject("invalid_url", "The URL cannot be parsed.") from exc
    if parts.scheme.lower() != "https":
        raise _reject("unsupported_scheme", "Only https profile URLs are accepted.")
    if "@" in parts.netloc:
        raise _reject("url_userinfo", "URLs with a user name or password are not accepted.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise _reject("invalid_url", "The URL has no host.")
    if _is_ip_literal(host):
        raise _reject("ip_literal", "IP addresses are not accepted; send a profile URL.")
    if port not in (None, 443):
        raise _reject("unsupported_host", "Only LinkedIn and Xing profile URLs are accepted.")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if any(not s.strip(".") for s in segments):
        # `.`, `..` (also percent-encoded): the browser resolves them, so `/profile/..` would
        # open the platform's home page with the session logged in.
        raise _reject("invalid_profile_slug", "The URL contains `.` or `..` path segments.")
    if _LINKEDIN_HOST.match(host):
        return _linkedin(segments)
    if _XING_HOST.match(host):
        return _xing(segments)
    raise _reject("unsupported_host", "Only LinkedIn and Xing profile URLs are accepted.")


def _linkedin(segments: list[str]) -> CanonicalProfileUrl:
    head = segments[0].lower() if segments else ""
    if head == "talent":
        raise _reject(
            "linkedin_recruiter_unsupported",
            "LinkedIn Recruiter URLs are not supported. Open the member's public profile "
            "(linkedin.com/in/...) and send that.",
        )
    if head == "sales":
        raise _reject(
            "linkedin_sales_navigator_unsupported",
            "LinkedIn Sales Navigator URLs are not supported. Open the member's public profile "
            "(linkedin.com/in/...) and send that.",
        )
    if head != "in" or len(segments) < 2:
        raise _reject("unsupported_path", "Only LinkedIn member profiles (/in/...) are accepted.")
    slug, rest = segments[1].strip().lower(), segments[2:]
    if rest and _LOCALE.match(rest[0]):
        rest = rest[1:]
    if rest and rest[0].lower() == "details" and len(rest) <= 2:
        rest = []
    if rest:
        raise _reject("unsupported_path", "Only LinkedIn member profiles (/in/...) are accepted.")
    if not slug or len(slug) > MAX_SLUG_LENGTH or not _LINKEDIN_SLUG.match(slug):
        raise _reject("invalid_profile_slug", "The profile name in the URL is not valid.")
    url = f"https://www.linkedin.com/in/{quote(slug, safe='-_')}/"
    return CanonicalProfileUrl(url=url, platform=Platform.LINKEDIN, profile_id=slug)


def _xing(segments: list[str]) -> CanonicalProfileUrl:
    if not segments or segments[0].lower() != "profile" or len(segments) < 2:
        raise _reject("unsupported_path", "Only Xing profiles (/profile/...) are accepted.")
    slug, rest = segments[1].strip(), segments[2:]
    if rest and rest[0].lower() in {"cv", "portfolio"}:
        rest = rest[1:]
    if rest:
        raise _reject("unsupported_path", "Only Xing profiles (/profile/...) are accepted.")
    if not slug or len(slug) > MAX_SLUG_LENGTH or not _XING_SLUG.match(slug):
        raise _reject("invalid_profile_slug", "The profile name in the URL is not valid.")
    url = f"https://www.xing.com/profile/{slug}"
    return CanonicalProfileUrl(url=url, platform=Platform.XING, profile_id=slug)
