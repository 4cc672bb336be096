"""The simulated members, mutable at runtime, and the mapping of real platform URLs onto them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

from sourcer.proto.records import Platform, Profile
from sourcer.simulator.model import SimProfile, canonical_url
from sourcer.simulator.profiles_linkedin import linkedin_members
from sourcer.simulator.profiles_xing import xing_members

__all__ = [
    "ProfileCatalog",
    "SimProfile",
    "builtin_profiles",
    "canonical_url",
    "simulator_url_for",
]


def builtin_profiles() -> list[SimProfile]:
    """Fresh copies of every built-in member, LinkedIn first."""
    return [*linkedin_members(), *xing_members()]


def _key(platform: Platform, slug: str) -> str:
    # LinkedIn slugs are case-insensitive, Xing slugs are not.
    return slug.lower() if platform is Platform.LINKEDIN else slug


class ProfileCatalog:
    """Members by slug. Safe to change from a test thread while the app serves requests."""

    def __init__(self, members: list[SimProfile] | None = None) -> None:
        self._lock = threading.Lock()
        self._members: dict[tuple[Platform, str], SimProfile] = {}
        for sim in members or []:
            self.put(sim)

    @classmethod
    def builtin(cls) -> ProfileCatalog:
        return cls(builtin_profiles())

    def put(self, sim: SimProfile) -> None:
        """Add or replace a member."""
        with self._lock:
            self._members[(sim.platform, _key(sim.platform, sim.slug))] = sim

    def get(self, platform: Platform, slug: str) -> SimProfile | None:
        with self._lock:
            return self._members.get((platform, _key(platform, slug)))

    def find(self, slug: str) -> SimProfile | None:
        """A member by slug on either platform."""
        return self.get(Platform.LINKEDIN, slug) or self.get(Platform.XING, slug)

    def remove(self, slug: str) -> bool:
        sim = self.find(slug)
        if sim is None:
            return False
        with self._lock:
            self._members.pop((sim.platform, _key(sim.platform, sim.slug)), None)
        return True

    def update_profile(self, slug: str, profile: Profile) -> SimProfile:
        """Replace a member's data (a new job, a new skill...); presentation is kept.

        A changed name replaces the shown name; changed emails become the shown ones.
        """
        current = self.find(slug)
        if current is None:
            raise KeyError(slug)
        if profile.source.profile_id != current.slug:
            raise ValueError("the profile's source.profile_id must stay the member's slug")
        display = current.display_name
        old = current.profile
        if (profile.first_name, profile.last_name) != (old.first_name, old.last_name):
            display = " ".join(p for p in (profile.first_name, profile.last_name) if p)
        updated = replace(
            current,
            profile=profile,
            display_name=display,
            share_email=bool(profile.emails),
            contact_emails=tuple(profile.emails) or current.contact_emails,
        )
        self.put(updated)
        return updated

    def expected(self, slug: str) -> Profile:
        sim = self.find(slug)
        if sim is None:
            raise KeyError(slug)
        return sim.profile

    def all(self) -> list[SimProfile]:
        with self._lock:
            return list(self._members.values())

    def __iter__(self) -> Iterator[SimProfile]:
        return iter(self.all())

    def __len__(self) -> int:
        with self._lock:
            return len(self._members)


def simulator_url_for(url: str, base_url: str) -> str:
    """Map a real LinkedIn or Xing URL onto the simulator, keeping path and query.

    `https://www.linkedin.com/in/jane-doe/` with base `http://127.0.0.1:8600` becomes
    `http://127.0.0.1:8600/in/jane-doe/`.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    known = ("linkedin.com", "xing.com")
    if not any(host == h or host.endswith("." + h) for h in known):
        raise ValueError(f"not a LinkedIn or Xing URL: {url}")
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}{parts.path or '/'}{query}"
