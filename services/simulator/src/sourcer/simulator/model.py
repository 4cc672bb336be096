"""A simulated member: the exact `Profile` an extractor must produce, plus how the page shows it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcer.proto.records import (
    Education,
    Experience,
    Language,
    Platform,
    Profile,
    ProfileSource,
    YearMonth,
)
from sourcer.simulator.texts import UiLanguage

LINKEDIN_HOST = "https://www.linkedin.com"
XING_HOST = "https://www.xing.com"


def canonical_url(platform: Platform, slug: str) -> str:
    """The member's URL on the real platform."""
    if platform is Platform.LINKEDIN:
        return f"{LINKEDIN_HOST}/in/{slug}/"
    return f"{XING_HOST}/profile/{slug}"


@dataclass(frozen=True)
class SimProfile:
    """One member of the simulated platforms.

    `profile` is what a correct extraction yields; the remaining fields only affect presentation
    (what the page shows besides the profile data, and how).
    """

    profile: Profile
    display_name: str
    ui_language: UiLanguage = "en"
    share_email: bool = True
    contact_emails: tuple[str, ...] = ()
    private: bool = False
    about: str | None = None
    certifications: tuple[tuple[str, str], ...] = ()
    workplace: dict[int, str] = field(default_factory=dict)
    layout: str | None = None
    """Markup generation this member's pages are served in; None is the platform's default
    (see `render.LINKEDIN_LAYOUTS` and `render.XING_LAYOUTS`)."""

    def __post_init__(self) -> None:
        shown = list(dict.fromkeys(e.lower() for e in self.contact_emails))
        expected = shown if self.share_email else []
        if self.profile.emails != expected:
            raise ValueError(
                f"{self.slug}: profile emails {self.profile.emails} do not match the shown "
                f"contact emails {expected}"
            )
        problem = _unrenderable(self.profile)
        if problem:
            raise ValueError(f"{self.slug}: the page could not show this exactly: {problem}")

    @property
    def platform(self) -> Platform:
        return self.profile.source.platform

    @property
    def slug(self) -> str:
        return self.profile.source.profile_id

    @property
    def contact_email(self) -> str | None:
        return self.contact_emails[0] if self.contact_emails else None

    @property
    def path(self) -> str:
        """Path of the profile page on the simulator."""
        if self.platform is Platform.LINKEDIN:
            return f"/in/{self.slug}/"
        return f"/profile/{self.slug}"


def _unrenderable(profile: Profile) -> str | None:
    """Why a page could not show this profile unambiguously, if it could not.

    Pages print lines, not fields: "ACME · Full-time", "Master of Science, Physics". Data
    that would make those lines ambiguous is refused rather than rendered wrongly.
    """
    for e in profile.experience:
        if e.start is None:
            return f"role {e.title!r} has no start date"
        if e.is_current == (e.end is not None):
            return f"role {e.title!r} must have an end date exactly when it is not current"
        if e.employment_type and not e.company:
            return f"role {e.title!r} has an employment type but no company"
        if e.company and " · " in e.company:
            return f"company {e.company!r} contains ' · '"
        if e.description is not None and e.description != " ".join(e.description.split()):
            return f"description of {e.title!r} has unnormalized whitespace"
    for ed in profile.education:
        if ed.field and not ed.degree:
            return f"education at {ed.school!r} has a field of study but no degree"
        if ed.degree and ", " in ed.degree:
            return f"degree {ed.degree!r} contains ', '"
    return None


def ym(year: int, month: int | None = None) -> YearMonth:
    return YearMonth(year=year, month=month)


def job(
    title: str,
    company: str | None,
    start: YearMonth,
    end: YearMonth | None = None,
    *,
    kind: str | None = None,
    location: str | None = None,
    description: str | None = None,
) -> Experience:
    """A role; without an end date it is current."""
    return Experience(
        title=title,
        company=company,
        employment_type=kind,
        location=location,
        start=start,
        end=end,
        is_current=end is None,
        description=description,
    )


def school(
    name: str,
    degree: str | None = None,
    subject: str | None = None,
    start: YearMonth | None = None,
    end: YearMonth | None = None,
) -> Education:
    return Education(school=name, degree=degree, field=subject, start=start, end=end)


def lang(name: str, proficiency: str | None = None) -> Language:
    return Language(name=name, proficiency=proficiency)


def member(
    platform: Platform,
    slug: str,
    display_name: str,
    *,
    first: str | None,
    last: str | None,
    headline: str | None = None,
    location: str | None = None,
    experience: list[Experience] | None = None,
    education: list[Education] | None = None,
    skills: list[str] | None = None,
    languages: list[Language] | None = None,
    ui_language: UiLanguage = "en",
    emails: tuple[str, ...] = (),
    share_email: bool = True,
    private: bool = False,
    about: str | None = None,
    certifications: tuple[tuple[str, str], ...] = (),
    workplace: dict[int, str] | None = None,
    layout: str | None = None,
) -> SimProfile:
    """Build a member; the expected emails follow from the shown ones (lowercased, deduplicated)."""
    shown = list(dict.fromkeys(e.lower() for e in emails)) if share_email else []
    profile = Profile(
        first_name=first,
        last_name=last,
        emails=shown,
        headline=headline,
        location=location,
        experience=experience or [],
        education=education or [],
        skills=skills or [],
        languages=languages or [],
        source=ProfileSource(
            platform=platform, profile_url=canonical_url(platform, slug), profile_id=slug
        ),
    )
    return SimProfile(
        profile=profile,
        display_name=display_name,
        ui_language=ui_language,
        share_email=share_email,
        contact_emails=emails,
        private=private,
        about=about,
        certifications=certifications,
        workplace=workplace or {},
        layout=layout,
    )
