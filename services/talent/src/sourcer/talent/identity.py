"""How a profile and a talent are recognised: the keys matching and suppression look up.

Pure functions; the talent document stores the same keys so lookups are single index hits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sourcer.proto.records import Profile, ProfileSource
from sourcer.proto.talent_record import search_keys


def slug(text: str | None) -> str:
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def profile_key(source: ProfileSource) -> str:
    return f"{source.platform.value}:{source.profile_id.lower()}"


def email_key(email: str) -> str:
    return email.strip().lower()


def current_company(experience: list[dict[str, Any]]) -> str | None:
    for entry in experience:
        if entry.get("is_current") and entry.get("company"):
            return str(entry["company"])
    return None


def name_company_key(
    *, first_name: str | None, last_name: str | None, experience: list[dict[str, Any]]
) -> str | None:
    """`first-last|company` when both a full name and a current company are known."""
    company = current_company(experience)
    name = slug(f"{first_name or ''} {last_name or ''}")
    if not first_name or not last_name or not company:
        return None
    return f"{name}|{slug(company)}"


def profile_lookup(profile: Profile) -> dict[str, Any]:
    """The keys of an extracted profile, in matching order."""
    experience = [e.model_dump(mode="json") for e in profile.experience]
    return {
        "profile_key": profile_key(profile.source),
        "profile_url": profile.source.profile_url,
        "email_keys": sorted({email_key(e) for e in profile.emails}),
        "name_company_key": name_company_key(
            first_name=profile.first_name, last_name=profile.last_name, experience=experience
        ),
    }


def index_fields(talent: dict[str, Any]) -> dict[str, Any]:
    """Lookup fields derived from a talent document; recomputed on every write."""
    sources = talent.get("sources", [])
    return {
        "profile_keys": sorted({f"{s['platform']}:{s['profile_id'].lower()}" for s in sources}),
        "profile_urls": sorted({s["profile_url"] for s in sources}),
        "email_keys": sorted({email_key(e) for e in talent.get("emails", [])}),
        "name_company_key": name_company_key(
            first_name=talent.get("first_name"),
            last_name=talent.get("last_name"),
            experience=talent.get("experience", []),
        ),
        "search_keys": search_keys(
            [
                talent.get("first_name"),
                talent.get("last_name"),
                *(entry.get("company") for entry in talent.get("experience", [])),
            ]
        ),
    }
