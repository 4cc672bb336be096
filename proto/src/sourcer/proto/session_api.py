"""Request and response bodies of the platform sessions API.

The gateway documents them in its OpenAPI; the extractor, which owns the sessions, serves them
on its internal API. A session's secret goes in (a cookie or a Playwright storage state) and
never comes out: no read model has a field for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import Field, model_validator

from sourcer.proto.records import Platform, Record

# Printable ASCII without separators: what a cookie value may hold (RFC 6265 cookie-octet).
COOKIE_VALUE = r"^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$"


class StorageCookie(Record):
    """One cookie of a Playwright storage state."""

    name: str = Field(min_length=1, max_length=256, examples=["li_at"])
    value: str = Field(max_length=8192, examples=["AQEDAR..."])
    domain: str = Field(min_length=1, max_length=253, examples=[".www.linkedin.com"])
    path: str = Field(default="/", max_length=1024)
    expires: float = Field(default=-1, description="Unix time; -1 for a session cookie.")
    httpOnly: bool = False  # noqa: N815 - Playwright's field names
    secure: bool = False
    sameSite: Literal["Strict", "Lax", "None"] = "Lax"  # noqa: N815


class StorageState(Record):
    """A Playwright storage state (`context.storage_state()`), cookies and local storage."""

    cookies: list[StorageCookie] = Field(max_length=300)
    origins: list[dict[str, object]] = Field(default_factory=list, max_length=50)


class SessionConnect(Record):
    """A platform login: the platform's session cookie, or a whole Playwright storage state."""

    cookie: str | None = Field(
        default=None,
        min_length=8,
        max_length=4096,
        pattern=COOKIE_VALUE,
        description="Value of the session cookie: `li_at` on LinkedIn, `login` on Xing.",
        examples=["AQEDARmZ3xYC..."],
    )
    storage_state: StorageState | None = Field(
        default=None, description="A Playwright storage state of a logged-in browser."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.cookie is None) == (self.storage_state is None):
            raise ValueError("give exactly one of cookie and storage_state")
        return self


class SharedSessionCreate(SessionConnect):
    """A login for the tenant's shared pool (admins)."""

    platform: Platform = Field(examples=["linkedin"])
    label: str = Field(min_length=1, max_length=100, examples=["Recruiting team seat 2"])


class SessionRead(Record):
    """A platform session as its owner or an admin sees it."""

    id: str = Field(examples=["ses_3f2a9c41d0e8b7a6c5d4"])
    platform: Platform = Field(examples=["linkedin"])
    shared: bool = Field(description="In the tenant's shared pool.", examples=[False])
    owner: str | None = Field(default=None, description="Recruiter whose own session it is.")
    label: str | None = Field(default=None, description="Name of a shared session.")
    state: str = Field(
        description="validating, connected, expired, checkpoint, rate_limited or disabled.",
        examples=["connected"],
    )
    state_since: datetime | None = None
    connected_at: datetime | None = None
    last_used_at: datetime | None = None
    used_today: int = Field(examples=[12])
    daily_cap: int = Field(description="Profiles a session renders a day.", examples=[80])
    next_free_at: datetime | None = Field(
        default=None, description="When it can render again (pacing, daily cap, cooldown)."
    )
    message: str = Field(
        description="What the state means for the recruiter and what to do.",
        examples=["Connected."],
    )


class SessionList(Record):
    items: list[SessionRead]
    shared_pool: bool = Field(
        description="Requests of recruiters without an own session may use the tenant's "
        "shared sessions."
    )


class SessionPolicy(Record):
    shared_pool: bool = Field(
        description="Let recruiters without an own session use the tenant's shared sessions.",
        examples=[True],
    )
