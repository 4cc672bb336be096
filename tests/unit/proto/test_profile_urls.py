"""Every allowlist rule and the canonical form of profile URLs."""

from __future__ import annotations

import pytest

from sourcer.proto.profile_urls import MAX_URL_LENGTH, UrlRejectedError, canonicalize
from sourcer.proto.records import Platform

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "url", "profile_id"),
    [
        (
            "https://www.linkedin.com/in/jane-doe/",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        ("https://linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe/", "jane-doe"),
        (
            "https://de.linkedin.com/in/jane-doe/?originalSubdomain=de",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://WWW.LinkedIn.COM/in/Jane-Doe/#experience",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com/in/jane-doe/de/",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com/in/jane-doe/en-us",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com/in/jane-doe/details/experience/",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com:443/in/jane-doe/",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com./in/jane-doe/",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "  https://www.linkedin.com/in/jane-doe/  ",
            "https://www.linkedin.com/in/jane-doe/",
            "jane-doe",
        ),
        (
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/",
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/",
            "jürgen-müller",
        ),
        (
            "https://www.linkedin.com/in/J%C3%BCrgen-M%C3%BCller-1a2b3c/",
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c/",
            "jürgen-müller-1a2b3c",
        ),
    ],
)
def test_linkedin_profiles_are_canonicalized(raw: str, url: str, profile_id: str) -> None:
    canonical = canonicalize(raw)
    assert canonical.url == url
    assert canonical.profile_id == profile_id
    assert canonical.platform is Platform.LINKEDIN


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.xing.com/profile/Jane_Doe",
        "https://xing.com/profile/Jane_Doe/",
        "https://www.xing.com/profile/Jane_Doe/cv?sc_o=da980",
        "https://WWW.XING.COM/profile/Jane_Doe#top",
    ],
)
def test_xing_profiles_are_canonicalized_keeping_the_slug_case(raw: str) -> None:
    canonical = canonicalize(raw)
    assert canonical.url == "https://www.xing.com/profile/Jane_Doe"
    assert canonical.profile_id == "Jane_Doe"
    assert canonical.platform is Platform.XING


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("https://www.linkedin.com/talent/profile/AEMAAB123", "linkedin_recruiter_unsupported"),
        (
            "https://www.linkedin.com/talent/hire/123/discover/recruiterSearch/profile/AEM",
            "linkedin_recruiter_unsupported",
        ),
        (
            "https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH,abc",
            "linkedin_sales_navigator_unsupported",
        ),
        ("https://de.linkedin.com/sales/people/ACwAAA", "linkedin_sales_navigator_unsupported"),
        ("http://www.linkedin.com/in/jane-doe/", "unsupported_scheme"),
        ("ftp://www.linkedin.com/in/jane-doe/", "unsupported_scheme"),
        ("javascript:alert(1)", "unsupported_scheme"),
        ("file:///etc/passwd", "unsupported_scheme"),
        ("www.linkedin.com/in/jane-doe/", "unsupported_scheme"),
        ("https://user:pw@www.linkedin.com/in/jane-doe/", "url_userinfo"),
        ("https://user@www.linkedin.com/in/jane-doe/", "url_userinfo"),
        ("https://www.linkedin.com@evil.example/in/jane-doe/", "url_userinfo"),
        ("https://127.0.0.1/in/jane-doe/", "ip_literal"),
        ("https://[::1]/in/jane-doe/", "ip_literal"),
        ("https://2130706433/in/jane-doe/", "ip_literal"),
        ("https://0x7f.1/in/jane-doe/", "ip_literal"),
        ("https://169.254.169.254/latest/meta-data/", "ip_literal"),
        ("https://evil.example/in/jane-doe/", "unsupported_host"),
        ("https://linkedin.com.evil.example/in/jane-doe/", "unsupported_host"),
        ("https://evillinkedin.com/in/jane-doe/", "unsupported_host"),
        ("https://a.b.linkedin.com/in/jane-doe/", "unsupported_host"),
        ("https://www.linkedin.com:8443/in/jane-doe/", "unsupported_host"),
        ("https://www.xing.de/profile/Jane_Doe", "unsupported_host"),
        ("https://www.linkedin.com/company/acme/", "unsupported_path"),
        ("https://www.linkedin.com/in/", "unsupported_path"),
        ("https://www.linkedin.com/feed/", "unsupported_path"),
        ("https://www.linkedin.com/in/jane-doe/recent-activity/all/", "unsupported_path"),
        ("https://www.xing.com/pages/acme", "unsupported_path"),
        ("https://www.xing.com/profile/Jane_Doe/activities/x", "unsupported_path"),
        ("https://www.linkedin.com/in/jane%2Fdoe/", "invalid_profile_slug"),
        ("https://www.linkedin.com/in/jane.doe!/", "invalid_profile_slug"),
        ("https://www.linkedin.com/in/" + "a" * 101 + "/", "invalid_profile_slug"),
        ("https://www.xing.com/profile/Jane%20Doe", "invalid_profile_slug"),
        ("https://www.linkedin.com/in/jane doe/", "invalid_url"),
        ("https://www.linkedin.com\\@evil.example/in/x", "invalid_url"),
        ("https://www.linkedin.com/in/jane-doe/\x00", "invalid_url"),
        ("", "invalid_url"),
        ("https:///in/jane-doe/", "invalid_url"),
        ("https://[::1/in/x", "invalid_url"),
        ("https://www.linkedin.com/in/" + "a" * MAX_URL_LENGTH, "url_too_long"),
    ],
)
def test_rejections_have_stable_codes(raw: str, code: str) -> None:
    with pytest.raises(UrlRejectedError) as caught:
        canonicalize(raw)
    assert caught.value.code == code
    assert caught.value.message


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.xing.com/profile/..",
        "https://www.xing.com/profile/../",
        "https://www.xing.com/profile/.",
        "https://www.xing.com/profile/...",
        "https://www.xing.com/profile/%2e%2e",
        "https://www.xing.com/profile/%2E%2E/",
        "https://www.xing.com/profile/.%2e/cv",
        "https://www.xing.com/profile/../profile/Jane_Doe",
        "https://www.xing.com/profile/Jane_Doe/cv/..",
        "https://www.xing.com/profile/Jane_Doe/./",
        "https://www.linkedin.com/in/..",
        "https://www.linkedin.com/in/../feed/",
        "https://www.linkedin.com/in/jane-doe/..",
        "https://www.linkedin.com/in/jane-doe/details/%2e%2e/",
    ],
)
def test_dot_segments_never_pass(raw: str) -> None:
    """`/profile/..` would open the platform's home page with the seat logged in."""
    with pytest.raises(UrlRejectedError) as caught:
        canonicalize(raw)
    assert caught.value.code == "invalid_profile_slug"


def test_dots_inside_a_xing_slug_are_kept() -> None:
    canonical = canonicalize("https://www.xing.com/profile/Jane.Doe2")
    assert canonical.url == "https://www.xing.com/profile/Jane.Doe2"
    assert canonical.profile_id == "Jane.Doe2"


def test_recruiter_and_sales_navigator_messages_say_not_supported() -> None:
    for raw in ("https://www.linkedin.com/talent/profile/x", "https://www.linkedin.com/sales/x"):
        with pytest.raises(UrlRejectedError) as caught:
            canonicalize(raw)
        assert "not supported" in caught.value.message
        assert "linkedin.com/in/" in caught.value.message
