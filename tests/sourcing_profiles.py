"""Builders of extracted profiles for the sourcing tests."""

from __future__ import annotations

from sourcer.proto.records import (
    Education,
    Experience,
    Language,
    Platform,
    Profile,
    ProfileSource,
    YearMonth,
)


def jane(
    *,
    slug: str = "jane-doe",
    extra_jobs: list[Experience] | None = None,
    extra_skills: list[str] | None = None,
    emails: list[str] | None = None,
    first_name: str = "Jane",
) -> Profile:
    return Profile(
        first_name=first_name,
        last_name="Doe",
        emails=emails if emails is not None else ["jane@example.org"],
        headline="Backend Engineer at ACME",
        location="Berlin, Germany",
        experience=[
            *(extra_jobs or []),
            Experience(
                title="Backend Engineer",
                company="ACME GmbH",
                start=YearMonth(year=2021, month=4),
                is_current=not extra_jobs,
            ),
            Experience(
                title="Developer",
                company="Initech",
                start=YearMonth(year=2017, month=9),
                end=YearMonth(year=2021, month=3),
            ),
        ],
        education=[Education(school="TU München", degree="MSc", field="Informatics")],
        skills=["Python", "Kafka", *(extra_skills or [])],
        languages=[Language(name="German", proficiency="Native"), Language(name="English")],
        source=ProfileSource(
            platform=Platform.LINKEDIN,
            profile_url=f"https://www.linkedin.com/in/{slug}/",
            profile_id=slug,
        ),
    )


NEW_JOB = Experience(
    title="Staff Engineer",
    company="Globex",
    start=YearMonth(year=2026, month=10),
    is_current=True,
)
