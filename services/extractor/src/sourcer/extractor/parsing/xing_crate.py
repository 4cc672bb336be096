"""The public Xing page's embedded Apollo state (`window.crate = {...}`), read as a profile.

The public page renders from a normalised Apollo cache: typed entities (`__typename`) keyed by
id, referencing each other with `{"__ref": "Type:id"}`. The entity and field names read here
follow the GraphQL schema open-source Xing clients query (`profileModules { xingIdModule ... }`);
everything is looked up by type name and field, never by position, and a missing field is None.
"""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.parsing.jsliteral import read_assignment
from sourcer.extractor.parsing.names import split_name
from sourcer.extractor.parsing.text import dedupe, norm
from sourcer.proto.records import Education, Experience, Language, Profile, ProfileSource, YearMonth


def _entities(value: Any, found: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every typed entity in the state, in document order."""
    found = [] if found is None else found
    if isinstance(value, dict):
        if "__typename" in value:
            found.append(value)
        for child in value.values():
            _entities(child, found)
    elif isinstance(value, list):
        for child in value:
            _entities(child, found)
    return found


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("localizationValue") or value.get("name") or value.get("displayName")
    return norm(value) or None if isinstance(value, str) else None


def _month(value: Any) -> YearMonth | None:
    """ "2019-05", "2019-05-01" or {"year": 2019, "month": 5}."""
    if isinstance(value, dict) and isinstance(value.get("year"), int):
        return YearMonth(year=value["year"], month=value.get("month"))
    if isinstance(value, str) and value[:4].isdigit():
        parts = value.split("-")
        month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        return YearMonth(year=int(parts[0]), month=month)
    return None


def _of(entities: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    return [e for e in entities if any(n in str(e.get("__typename")) for n in names)]


def _job(e: dict[str, Any]) -> Experience | None:
    title = _text(e.get("jobTitle") or e.get("title"))
    if not title:
        return None
    end = _month(e.get("endDate"))
    return Experience(
        title=title,
        company=_text(e.get("companyName") or e.get("organization")),
        employment_type=_text(e.get("employment") or e.get("employmentType")),
        location=_text(e.get("location")),
        start=_month(e.get("startDate")),
        end=end,
        is_current=bool(e.get("isCurrent", end is None)),
        description=_text(e.get("description")),
    )


def _school(e: dict[str, Any]) -> Education | None:
    school = _text(e.get("schoolName") or e.get("organization"))
    if not school:
        return None
    return Education(
        school=school,
        degree=_text(e.get("degree")),
        field=_text(e.get("subject") or e.get("fieldOfStudy")),
        start=_month(e.get("startDate")),
        end=_month(e.get("endDate")),
    )


def read_crate(html: str, *, source: ProfileSource) -> Profile | None:
    """The profile in a public page's `window.crate` state; None when the page has none."""
    tree = LexborHTMLParser(html)
    state = None
    for script in tree.css("script"):
        text = script.text(deep=True) or ""
        if "window.crate" in text:
            state = read_assignment(text, "window.crate")
            break
    entities = _entities(state)
    person = next(iter(_of(entities, "XingId", "ProfileInfo")), None)
    if person is None or not _text(person.get("displayName")):
        return None
    first, last = split_name(_text(person.get("displayName")) or "")
    occupations = person.get("occupations") or [{}]
    location = person.get("location") or {}
    place = ", ".join(p for p in (_text(location.get("city")), _text(location.get("country"))) if p)
    return Profile(
        first_name=first,
        last_name=last,
        headline=_text(occupations[0].get("headline")) if occupations else None,
        location=_text(location.get("displayLocation")) or place or None,
        experience=[j for e in _of(entities, "WorkExperience") if (j := _job(e))],
        education=[s for e in _of(entities, "Education") if (s := _school(e))],
        skills=dedupe(
            [_text(e.get("value") or e.get("name")) or "" for e in _of(entities, "Skill")]
        ),
        languages=[
            Language(name=name, proficiency=_text(e.get("skillLevel") or e.get("proficiency")))
            for e in _of(entities, "Language")
            if (name := _text(e.get("language") or e.get("name")))
        ],
        source=source,
    )
