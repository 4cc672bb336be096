"""Shared records: the extracted profile and its parts.

These travel inside events and are stored by the talent service, so every field carries a
description and an example: the JSON Schema and AsyncAPI documents are generated from them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of every contract model: unknown fields are refused, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Platform(StrEnum):
    """A platform Sourcer renders profiles from."""

    LINKEDIN = "linkedin"
    XING = "xing"


class YearMonth(Record):
    """A date as profiles show it: a year, and a month when the profile gives one."""

    year: int = Field(ge=1900, le=2200, description="Calendar year.", examples=[2021])
    month: int | None = Field(
        default=None, ge=1, le=12, description="Month 1-12, when known.", examples=[7]
    )


class Experience(Record):
    """One role at one company."""

    title: str = Field(description="Job title as shown.", examples=["Senior Backend Engineer"])
    company: str | None = Field(default=None, description="Company name.", examples=["ACME GmbH"])
    employment_type: str | None = Field(
        default=None, description="Employment type as shown.", examples=["Full-time"]
    )
    location: str | None = Field(
        default=None, description="Location of the role.", examples=["Berlin, Germany"]
    )
    start: YearMonth | None = Field(default=None, description="First month of the role.")
    end: YearMonth | None = Field(
        default=None, description="Last month of the role; empty while current."
    )
    is_current: bool = Field(default=False, description="The role is ongoing.", examples=[True])
    description: str | None = Field(
        default=None, description="Free text the member wrote about the role."
    )


class Education(Record):
    """One school, degree or course of study."""

    school: str = Field(description="School or university.", examples=["TU München"])
    degree: str | None = Field(default=None, description="Degree.", examples=["Master of Science"])
    field: str | None = Field(
        default=None, description="Field of study.", examples=["Computer Science"]
    )
    start: YearMonth | None = Field(default=None, description="Start of studies.")
    end: YearMonth | None = Field(default=None, description="End of studies.")


class Language(Record):
    """A language the member speaks."""

    name: str = Field(description="Language name as shown.", examples=["German"])
    proficiency: str | None = Field(
        default=None,
        description="Proficiency as shown by the platform.",
        examples=["Native or bilingual proficiency"],
    )


class ProfileSource(Record):
    """Where a profile was extracted from."""

    platform: Platform = Field(description="Source platform.", examples=["linkedin"])
    profile_url: str = Field(
        description="Canonical profile URL.", examples=["https://www.linkedin.com/in/jane-doe/"]
    )
    profile_id: str = Field(
        description="Stable platform identifier of the member (the public slug).",
        examples=["jane-doe"],
    )


class Profile(Record):
    """Everything Sourcer extracts from one profile page and its detail pages."""

    first_name: str | None = Field(default=None, description="Given name(s).", examples=["Jane"])
    last_name: str | None = Field(
        default=None, description="Family name, with particles.", examples=["van der Berg"]
    )
    emails: list[str] = Field(
        default_factory=list,
        description="Email addresses the member shares with the viewer.",
        examples=[["jane@example.org"]],
    )
    headline: str | None = Field(
        default=None, description="Profile headline.", examples=["Backend Engineer at ACME"]
    )
    location: str | None = Field(
        default=None, description="Member location.", examples=["Berlin, Germany"]
    )
    experience: list[Experience] = Field(
        default_factory=list, description="Roles, most recent first."
    )
    education: list[Education] = Field(default_factory=list, description="Education entries.")
    skills: list[str] = Field(
        default_factory=list, description="Skills as listed.", examples=[["Python", "Kafka"]]
    )
    languages: list[Language] = Field(default_factory=list, description="Spoken languages.")
    source: ProfileSource = Field(description="Where the profile was extracted from.")
    missing_sections: list[str] = Field(
        default_factory=list,
        description=(
            "Sections the page shows but Sourcer could not read (experience, education, skills, "
            "languages): their lists are empty or short because of that, not because the member "
            "has none. Shown to the recruiter with the preview."
        ),
        examples=[["experience"]],
    )
