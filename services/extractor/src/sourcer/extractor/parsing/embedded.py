"""The profile data LinkedIn embeds in its pages, read as a second, independent source.

Logged-in pages up to 2024 carry the API responses that rendered them: `<code id="bpr-guid-N">`
holds an HTML-escaped JSON body whose `included` list has typed entities (`...profile.Profile`,
`...Position`, `...Education`, `...Skill`, `...Language`). Public pages carry a schema.org
`Person` in JSON-LD. Neither is needed to parse a page; both are used to check the DOM reading
and to recover a section whose markup could not be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from sourcer.proto.records import Education, Experience, Language, YearMonth

_PROFICIENCY = {
    "ELEMENTARY": "Elementary proficiency",
    "LIMITED_WORKING": "Limited working proficiency",
    "PROFESSIONAL_WORKING": "Professional working proficiency",
    "FULL_PROFESSIONAL": "Full professional proficiency",
    "NATIVE_OR_BILINGUAL": "Native or bilingual proficiency",
}


@dataclass
class Embedded:
    """What the page's own data says; `source` names where it came from ("voyager", "json-ld")."""

    source: str
    first_name: str | None = None
    last_name: str | None = None
    headline: str | None = None
    experience: list[Experience] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    """Employers named without roles (JSON-LD `worksFor`), for cross-checking only."""


def _kind(entity: dict[str, Any]) -> str:
    return str(entity.get("$type") or entity.get("_type") or "").rsplit(".", 1)[-1]


def _month(value: Any) -> YearMonth | None:
    if not isinstance(value, dict) or not isinstance(value.get("year"), int):
        return None
    month = value.get("month")
    try:
        return YearMonth(year=value["year"], month=month if isinstance(month, int) else None)
    except ValueError:
        return None


def _bodies(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    found = []
    for code in tree.css("code"):
        raw = unescape(code.text(deep=True) or "").strip()
        if not raw.startswith("{") or '"included"' not in raw:
            continue
        try:
            body = json.loads(raw)
        except ValueError:
            continue
        if isinstance(body, dict) and isinstance(body.get("included"), list):
            found.append(body)
    return found


def _profile_id(entities: list[dict[str, Any]], slug: str | None) -> str | None:
    profiles = [e for e in entities if _kind(e) == "Profile" and e.get("firstName")]
    chosen = next((p for p in profiles if slug and p.get("publicIdentifier") == slug), None)
    if chosen is None and len(profiles) == 1:
        chosen = profiles[0]
    urn = str(chosen.get("entityUrn") or "") if chosen else ""
    return urn.rsplit(":", 1)[-1] if urn else None


def _owned(entity: dict[str, Any], profile_id: str | None) -> bool:
    return profile_id is None or profile_id in str(entity.get("entityUrn") or "")


def read_voyager(page: str | LexborHTMLParser, slug: str | None) -> Embedded | None:
    tree = LexborHTMLParser(page) if isinstance(page, str) else page
    entities = [e for body in _bodies(tree) for e in body["included"] if isinstance(e, dict)]
    if not entities:
        return None
    profile_id = _profile_id(entities, slug)
    found = Embedded(source="voyager")
    for entity in entities:
        kind = _kind(entity)
        if kind == "Profile" and profile_id and profile_id in str(entity.get("entityUrn")):
            found.first_name = entity.get("firstName") or None
            found.last_name = entity.get("lastName") or None
            found.headline = entity.get("headline") or None
        elif not _owned(entity, profile_id):
            continue
        elif kind == "Position" and entity.get("title"):
            dates = entity.get("dateRange") or {}
            end = _month(dates.get("end"))
            found.experience.append(
                Experience(
                    title=entity["title"],
                    company=entity.get("companyName") or None,
                    location=entity.get("locationName") or None,
                    start=_month(dates.get("start")),
                    end=end,
                    is_current=end is None and _month(dates.get("start")) is not None,
                    description=entity.get("description") or None,
                )
            )
        elif kind == "Education" and entity.get("schoolName"):
            dates = entity.get("dateRange") or {}
            found.education.append(
                Education(
                    school=entity["schoolName"],
                    degree=entity.get("degreeName") or None,
                    field=entity.get("fieldOfStudy") or None,
                    start=_month(dates.get("start")),
                    end=_month(dates.get("end")),
                )
            )
        elif kind == "Skill" and entity.get("name"):
            found.skills.append(entity["name"])
        elif kind == "Language" and entity.get("name"):
            level = entity.get("proficiency")
            found.languages.append(
                Language(name=entity["name"], proficiency=_PROFICIENCY.get(str(level), level))
            )
    return found


def _people(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [p for item in value for p in _people(item)]
    if not isinstance(value, dict):
        return []
    if value.get("@type") == "Person":
        return [value]
    return _people(value.get("@graph", []))


def read_json_ld(page: str | LexborHTMLParser) -> Embedded | None:
    tree = LexborHTMLParser(page) if isinstance(page, str) else page
    for script in tree.css("script[type='application/ld+json']"):
        try:
            data = json.loads(script.text(deep=True) or "")
        except ValueError:
            continue
        for person in _people(data):
            works = person.get("worksFor") or []
            schools = person.get("alumniOf") or []
            return Embedded(
                source="json-ld",
                headline=(person.get("jobTitle") or [None])[0]
                if isinstance(person.get("jobTitle"), list)
                else person.get("jobTitle"),
                companies=[w["name"] for w in works if isinstance(w, dict) and w.get("name")],
                education=[
                    Education(school=s["name"])
                    for s in schools
                    if isinstance(s, dict) and s.get("name")
                ],
            )
    return None
