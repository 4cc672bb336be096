# ruff: noqa: RUF001 - platforms print en dashes and typographic apostrophes
"""What kind of page the browser landed on, and what each kind means for the request.

Every page is classified before parsing, by stable signals only: status code, URL shape,
forms, headings and the presence of a profile name. `failure_for` is the one place that
maps a page kind (or a browser-side error code) to the error code, whether retrying can
help, and the message a recruiter sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.parsing.sections import heading_name
from sourcer.extractor.parsing.text import node_text
from sourcer.extractor.parsing.topcard import has_named_top_card
from sourcer.proto.events import ExtractionErrorCode as Code


class PageKind(StrEnum):
    PROFILE = "profile"
    LOGGED_OUT = "logged_out"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    PRIVATE = "private"
    ACCOUNT_PICKER = "account_picker"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Failure:
    code: Code
    retryable: bool
    message: str


FAILURES: dict[Code, Failure] = {
    Code.SESSION_EXPIRED: Failure(
        Code.SESSION_EXPIRED,
        True,
        "The platform session Sourcer uses has expired. Sourcer will try again with another "
        "session.",
    ),
    Code.CHECKPOINT: Failure(
        Code.CHECKPOINT,
        False,
        "The platform asked for a security check. Sourcer paused that platform account and "
        "alerted an administrator. Please try again later.",
    ),
    Code.RATE_LIMITED: Failure(
        Code.RATE_LIMITED,
        True,
        "The platform is limiting how many profiles can be opened right now. Sourcer will try "
        "again shortly.",
    ),
    Code.PROFILE_UNAVAILABLE: Failure(
        Code.PROFILE_UNAVAILABLE,
        False,
        "This profile is not available: it was removed, or the link is wrong.",
    ),
    Code.LAYOUT_CHANGED: Failure(
        Code.LAYOUT_CHANGED,
        False,
        "Sourcer could not read this profile page; the platform may have changed its layout. "
        "The team has been notified.",
    ),
    Code.TIMEOUT: Failure(
        Code.TIMEOUT, True, "The profile took too long to load. Sourcer will try again."
    ),
    Code.BROWSER_CRASHED: Failure(
        Code.BROWSER_CRASHED,
        True,
        "The browser rendering the profile stopped unexpectedly. Sourcer will try again.",
    ),
    Code.UNSUPPORTED_URL: Failure(
        Code.UNSUPPORTED_URL,
        False,
        "This link is not a LinkedIn or Xing profile. Open a profile page and try again.",
    ),
    # Session failures name the platform when they happen (`sessions.session_failure`).
    Code.NO_SESSION_CONNECTED: Failure(
        Code.NO_SESSION_CONNECTED,
        False,
        "Connect your platform session in the Sourcer extension to source its profiles.",
    ),
    Code.NO_SESSION_AVAILABLE: Failure(
        Code.NO_SESSION_AVAILABLE, True, "No platform session was free in time. Try again later."
    ),
    Code.EXTRACTION_LOST: Failure(
        Code.EXTRACTION_LOST,
        True,
        "Sourcer could not finish this extraction; try again in a moment.",
    ),
}

_BY_KIND: dict[PageKind, Failure] = {
    PageKind.LOGGED_OUT: FAILURES[Code.SESSION_EXPIRED],
    PageKind.ACCOUNT_PICKER: FAILURES[Code.SESSION_EXPIRED],
    PageKind.CHECKPOINT: FAILURES[Code.CHECKPOINT],
    PageKind.RATE_LIMITED: FAILURES[Code.RATE_LIMITED],
    PageKind.UNAVAILABLE: FAILURES[Code.PROFILE_UNAVAILABLE],
    PageKind.PRIVATE: Failure(
        Code.PROFILE_UNAVAILABLE,
        False,
        "This profile is private: only the member's own network can see it.",
    ),
    PageKind.UNKNOWN: FAILURES[Code.LAYOUT_CHANGED],
}


def failure_for(kind: PageKind) -> Failure | None:
    """The failure a page kind stands for; None for a profile."""
    return _BY_KIND.get(kind)


def failure_for_code(code: Code) -> Failure:
    return FAILURES[code]


_SECURITY = (
    "security check",
    "security verification",
    "sicherheitsüberprüfung",
    "sicherheitsprüfung",
    "captcha",
    "verify you are human",
)
_WELCOME_BACK = ("welcome back", "willkommen zurück")
_NOT_FOUND = (
    "this page doesn't exist",
    "page not found",
    "profile not found",
    "diese seite existiert nicht",
    "seite nicht gefunden",
    "profil nicht gefunden",
    "seite wurde nicht gefunden",
)
_PRIVATE = (
    "this profile is private",
    "dieses profil ist privat",
    "private profile",
    "privates profil",
    "profil ist nicht öffentlich",
    "profile is not public",
)
# Xing's profile header, in today's modules, the older markup and the simulator's first one.
_XING_PROFILE = "#XingIdModule h1, [data-xds='Hero'], [data-qa='profile-name'], main#content h1"
_WENT_WRONG = ("something went wrong", "etwas ist schiefgelaufen", "ein fehler ist aufgetreten")


class _Page:
    """The signals of one page, computed once."""

    def __init__(self, html: str, url: str) -> None:
        self.tree = LexborHTMLParser(html)
        parts = urlsplit(url or "")
        self.host = (parts.hostname or "").lower()
        self.path = parts.path.lower()
        self.headings = [
            node_text(h).lower().replace("’", "'") for h in self.tree.css("h1, h2, h3")
        ]

    def has(self, selector: str) -> bool:
        return self.tree.css_first(selector) is not None

    def has_top_card(self) -> bool:
        """Today's LinkedIn card: keyed `…Topcard`, naming the member in a heading or a line."""
        return has_named_top_card(self.tree)

    def names_a_section(self) -> bool:
        return any(heading_name(h) for h in self.headings)

    def has_crate_profile(self) -> bool:
        """A public Xing page whose profile is in its embedded state, not yet in the DOM."""
        return any(
            "window.crate" in (s.text(deep=True) or "") and "displayName" in (s.text() or "")
            for s in self.tree.css("script")
        )

    def heading_says(self, phrases: tuple[str, ...]) -> bool:
        return any(p in h for h in self.headings for p in phrases)

    def visible_text(self) -> str:
        body = self.tree.body
        if body is None:
            return ""
        clone = body.clone()
        for node in clone.css("script, style, noscript, template"):
            node.decompose()
        return node_text(clone).lower()

    def soft_blocked(self) -> bool:
        text = self.visible_text()
        return not text or any(p in text for p in _WENT_WRONG)


def _common(page: _Page) -> PageKind | None:
    """Heading signals both platforms share."""
    if page.heading_says(_SECURITY):
        return PageKind.CHECKPOINT
    if page.heading_says(_WELCOME_BACK):
        return PageKind.ACCOUNT_PICKER
    return None


def classify_linkedin(html: str, url: str, status: int | None) -> PageKind:
    page = _Page(html, url)
    if status in (429, 999):
        return PageKind.RATE_LIMITED
    if page.path.startswith("/checkpoint/") and not page.path.startswith("/checkpoint/lg/"):
        return PageKind.CHECKPOINT
    if page.has("form#captcha-challenge, #captcha-internal, form[action*='/checkpoint/challenge']"):
        return PageKind.CHECKPOINT
    if kind := _common(page):
        return kind
    if page.path.startswith(("/authwall", "/login", "/uas/login", "/signup", "/checkpoint/lg/")):
        return PageKind.LOGGED_OUT
    if page.has("input[name='session_password']"):
        return PageKind.LOGGED_OUT
    if status in (404, 410) or page.heading_says(_NOT_FOUND):
        return PageKind.UNAVAILABLE
    if page.has("main h1") or page.has_top_card():
        return PageKind.PRIVATE if page.heading_says(_PRIVATE) else PageKind.PROFILE
    if "/details/" in page.path and page.names_a_section():
        return PageKind.PROFILE
    if page.soft_blocked():
        return PageKind.RATE_LIMITED
    return PageKind.UNKNOWN


def classify_xing(html: str, url: str, status: int | None) -> PageKind:
    page = _Page(html, url)
    if status == 429:
        return PageKind.RATE_LIMITED
    if any(p in page.path for p in ("/captcha", "/checkpoint", "/challenge")):
        return PageKind.CHECKPOINT
    if page.has("[data-qa='captcha'], form[data-qa='captcha-form']"):
        return PageKind.CHECKPOINT
    if kind := _common(page):
        return kind
    if page.host.startswith("login.") or "/login" in page.path or "/signup" in page.path:
        return PageKind.LOGGED_OUT
    if page.has("form input[name='password']"):
        return PageKind.LOGGED_OUT
    if status in (404, 410) or page.heading_says(_NOT_FOUND):
        return PageKind.UNAVAILABLE
    if page.has(_XING_PROFILE) or page.has_crate_profile():
        if page.has("[data-qa='profile-private-notice']") or page.heading_says(_PRIVATE):
            return PageKind.PRIVATE
        return PageKind.PROFILE
    if page.soft_blocked():
        return PageKind.RATE_LIMITED
    return PageKind.UNKNOWN


def classify(platform: str, html: str, url: str, status: int | None) -> PageKind:
    if platform == "xing":
        return classify_xing(html, url, status)
    return classify_linkedin(html, url, status)
