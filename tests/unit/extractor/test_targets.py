"""The extractor checks every URL its logged-in browser opens: the request's, and each subpage."""

from __future__ import annotations

import pytest

from sourcer.extractor.targets import contact_page, detail_page, request_target
from sourcer.proto.events import SourcingRequested
from sourcer.proto.profile_urls import UrlRejectedError
from sourcer.proto.records import Platform

pytestmark = pytest.mark.unit

HOST = "http://127.0.0.1:8600"
PROFILE = f"{HOST}/in/jane-doe/"


def requested(url: str, platform: Platform = Platform.XING) -> SourcingRequested:
    return SourcingRequested(request_id="r1", url=url, platform=platform, profile_id="x")


@pytest.mark.parametrize(
    ("url", "platform", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe/", Platform.LINKEDIN, f"{HOST}/in/jane-doe/"),
        ("https://de.linkedin.com/in/Jane-Doe", Platform.LINKEDIN, f"{HOST}/in/jane-doe/"),
        ("https://www.xing.com/profile/Jane_Doe", Platform.XING, f"{HOST}/profile/Jane_Doe"),
    ],
)
def test_a_request_opens_its_canonical_profile_on_the_configured_host(
    url: str, platform: Platform, expected: str
) -> None:
    assert request_target(requested(url, platform), HOST) == expected


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.xing.com/profile/..", Platform.XING),
        ("https://www.xing.com/profile/%2e%2e", Platform.XING),
        ("https://www.xing.com/profile/.", Platform.XING),
        ("https://www.linkedin.com/in/../feed/", Platform.LINKEDIN),
        ("https://www.linkedin.com/feed/", Platform.LINKEDIN),
        ("https://evil.example/in/jane-doe/", Platform.LINKEDIN),
        ("http://www.linkedin.com/in/jane-doe/", Platform.LINKEDIN),
        ("https://169.254.169.254/in/jane-doe/", Platform.LINKEDIN),
        ("https://www.xing.com/profile/Jane_Doe", Platform.LINKEDIN),
    ],
)
def test_a_request_outside_the_allowlist_is_refused_at_the_extractor(
    url: str, platform: Platform
) -> None:
    with pytest.raises(UrlRejectedError):
        request_target(requested(url, platform), HOST)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/in/jane-doe/details/experience/", (f"{PROFILE}details/experience/", "experience")),
        ("details/skills/", (f"{PROFILE}details/skills/", "skills")),
        (f"{PROFILE}details/education/?x=1#top", (f"{PROFILE}details/education/?x=1", "education")),
        (
            "/in/JANE-DOE/details/languages/",
            (f"{HOST}/in/JANE-DOE/details/languages/", "languages"),
        ),
    ],
)
def test_show_all_links_of_the_same_profile_are_followed(
    href: str, expected: tuple[str, str]
) -> None:
    assert detail_page(PROFILE, href, base_url=HOST) == expected


@pytest.mark.parametrize(
    "href",
    [
        "https://evil.example/in/jane-doe/details/experience/",
        "//evil.example/in/jane-doe/details/experience/",
        "http://127.0.0.1:9999/in/jane-doe/details/experience/",
        "https://127.0.0.1:8600/in/jane-doe/details/experience/",
        "http://user@127.0.0.1:8600/in/jane-doe/details/experience/",
        "/in/john-smith/details/experience/",
        "../john-smith/details/experience/",
        "/in/jane-doe/details/experience/../../../../feed/",
        "/in/jane-doe/details/%2e%2e/%2e%2e/john-smith/details/experience/",
        "/in/%2e%2e/details/experience/",
        "/in/jane-doe/details/certifications/",
        "/in/jane-doe/details/experience/extra/",
        "/feed/?next=/in/jane-doe/details/experience/",
        "javascript:alert('/details/experience/')",
        "data:text/html,/details/experience/",
    ],
)
def test_show_all_links_that_leave_the_platform_or_the_profile_are_refused(href: str) -> None:
    assert detail_page(PROFILE, href, base_url=HOST) is None


def test_no_subpage_is_followed_from_a_page_that_is_no_profile_on_the_platform() -> None:
    href = "/in/jane-doe/details/experience/"
    assert detail_page(f"{HOST}/feed/", href, base_url=HOST) is None
    assert detail_page("https://evil.example/in/jane-doe/", href, base_url=HOST) is None
    assert contact_page("https://evil.example/in/jane-doe/", base_url=HOST) is None
    assert contact_page(f"{HOST}/authwall?x=/in/jane-doe/", base_url=HOST) is None


LINKEDIN = "https://www.linkedin.com"


@pytest.mark.parametrize(
    ("page", "href", "expected"),
    [
        (f"{LINKEDIN}/in/jane-doe/", "/in/jane-doe/details/skills/", f"{LINKEDIN}/in/jane-doe/"),
        (
            "https://de.linkedin.com/in/jane-doe/",
            "/in/jane-doe/details/skills/",
            "https://de.linkedin.com/in/jane-doe/",
        ),
        (
            f"{LINKEDIN}/in/jane-doe/",
            "https://de.linkedin.com/in/jane-doe/details/skills/",
            "https://de.linkedin.com/in/jane-doe/",
        ),
        (f"{LINKEDIN}/in/jane-doe/", "http://www.linkedin.com/in/jane-doe/details/skills/", None),
        (
            f"{LINKEDIN}/in/jane-doe/",
            "https://linkedin.com.evil.example/in/jane-doe/details/skills/",
            None,
        ),
        (f"{LINKEDIN}/in/jane-doe/", "https://www.xing.com/in/jane-doe/details/skills/", None),
        ("https://evil.example/in/jane-doe/", "/in/jane-doe/details/skills/", None),
    ],
)
def test_on_the_real_platform_any_of_its_hosts_counts(
    page: str, href: str, expected: str | None
) -> None:
    found = detail_page(page, href, base_url=LINKEDIN)
    assert found == (None if expected is None else (f"{expected}details/skills/", "skills"))


def test_the_contact_overlay_is_the_profile_s_own() -> None:
    assert contact_page(PROFILE, base_url=HOST) == f"{PROFILE}overlay/contact-info/"
