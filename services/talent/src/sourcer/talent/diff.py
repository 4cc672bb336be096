"""What is new in an extracted profile compared with the stored talent. Pure.

Each change has a stable key the recruiter accepts on submit. Entries are recognised by what
identifies them (company and start of a role, school and degree, a skill's name), so a
re-import reports only real news. A value a recruiter edited is never overwritten silently:
a different extracted value is reported as a `conflict`, applied only when accepted by key.
"""

from __future__ import annotations

from typing import Any

from sourcer.proto.events import FieldChange
from sourcer.proto.records import Profile
from sourcer.talent.identity import email_key, slug

ADDED, CHANGED, CONFLICT = "added", "changed", "conflict"
NAME_FIELDS = ("first_name", "last_name")


def _ym(value: dict[str, Any] | None) -> str:
    if not value:
        return "?"
    month = value.get("month")
    return f"{value['year']}-{month:02d}" if month else str(value["year"])


def experience_key(entry: dict[str, Any]) -> str:
    return (
        f"experience:{slug(entry.get('company'))}:{slug(entry['title'])}:{_ym(entry.get('start'))}"
    )


def education_key(entry: dict[str, Any]) -> str:
    return (
        f"education:{slug(entry['school'])}:{slug(entry.get('degree'))}:{_ym(entry.get('start'))}"
    )


def _match_experience(
    entry: dict[str, Any], stored: list[dict[str, Any]]
) -> tuple[dict[str, Any] | None, str | None]:
    """The stored role this one is, and which identifying field changed (None: same)."""
    company, title, start = slug(entry.get("company")), slug(entry["title"]), entry.get("start")
    for old in stored:
        if slug(old.get("company")) == company and slug(old["title"]) == title:
            return old, None
    if start:
        for old in stored:
            if old.get("start") == start and slug(old.get("company")) == company:
                return old, "title"
        for old in stored:
            if old.get("start") == start and slug(old["title"]) == title:
                return old, "company"
    return None, None


def _experience_changes(talent: dict[str, Any], profile: Profile) -> list[FieldChange]:
    stored = talent.get("experience", [])
    changes = []
    for item in profile.experience:
        entry = item.model_dump(mode="json")
        old, changed = _match_experience(entry, stored)
        if old is None:
            changes.append(
                FieldChange(key=experience_key(entry), field="experience", kind=ADDED, new=entry)
            )
        elif changed is not None:
            key = f"{experience_key(old)}:{changed}"
            changes.append(
                FieldChange(key=key, field="experience", kind=CHANGED, old=old, new=entry)
            )
    return changes


def compute_changes(*, talent: dict[str, Any], profile: Profile) -> list[FieldChange]:
    changes: list[FieldChange] = []
    provenance = talent.get("provenance", {})
    for name in NAME_FIELDS:
        new, old = getattr(profile, name), talent.get(name)
        if new and old and new != old:
            edited = "edited_by" in provenance.get(name, {})
            kind = CONFLICT if edited else CHANGED
            changes.append(FieldChange(key=name, field=name, kind=kind, old=old, new=new))
    changes.extend(_experience_changes(talent, profile))
    known_schools = {education_key(e) for e in talent.get("education", [])}
    for item in profile.education:
        entry = item.model_dump(mode="json")
        if education_key(entry) not in known_schools:
            changes.append(
                FieldChange(key=education_key(entry), field="education", kind=ADDED, new=entry)
            )
    known_skills = {s.lower() for s in talent.get("skills", [])}
    for skill in profile.skills:
        if skill.lower() not in known_skills:
            changes.append(
                FieldChange(key=f"skills:{slug(skill)}", field="skills", kind=ADDED, new=skill)
            )
    languages = {slug(lang["name"]): lang for lang in talent.get("languages", [])}
    for language in profile.languages:
        entry = language.model_dump(mode="json")
        old_lang = languages.get(slug(language.name))
        key = f"languages:{slug(language.name)}"
        if old_lang is None:
            changes.append(FieldChange(key=key, field="languages", kind=ADDED, new=entry))
        elif language.proficiency and old_lang.get("proficiency") != language.proficiency:
            changes.append(
                FieldChange(key=key, field="languages", kind=CHANGED, old=old_lang, new=entry)
            )
    known_emails = {email_key(e) for e in talent.get("emails", [])}
    for email in profile.emails:
        if email_key(email) not in known_emails:
            changes.append(
                FieldChange(key=f"emails:{email_key(email)}", field="emails", kind=ADDED, new=email)
            )
    return _unique(changes)


def _unique(changes: list[FieldChange]) -> list[FieldChange]:
    seen: set[str] = set()
    kept = []
    for change in changes:
        if change.key not in seen:
            seen.add(change.key)
            kept.append(change)
    return kept


def selected(changes: list[FieldChange], accept: list[str] | None) -> list[FieldChange]:
    """Accepted changes: the listed keys, or without a list every change but conflicts."""
    if accept is None:
        return [c for c in changes if c.kind != CONFLICT]
    wanted = set(accept)
    return [c for c in changes if c.key in wanted]


def apply_changes(
    talent: dict[str, Any], changes: list[FieldChange], *, provenance: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """A new talent document with the changes applied, and the fields that changed."""
    doc = {**talent, "provenance": dict(talent.get("provenance", {}))}
    touched: list[str] = []
    for change in changes:
        field = change.field
        if field in NAME_FIELDS:
            doc[field] = change.new
        elif change.kind == ADDED:
            values = list(doc.get(field, []))
            if change.new in values:
                continue
            values.insert(0, change.new) if field == "experience" else values.append(change.new)
            doc[field] = values
        else:
            values = list(doc.get(field, []))
            if change.old not in values:
                continue  # the talent changed since the preview: nothing to replace
            values[values.index(change.old)] = change.new
            doc[field] = values
        doc["provenance"][field] = provenance
        if field not in touched:
            touched.append(field)
    if "experience" in touched:
        doc["experience"] = sort_experience(doc["experience"])
    return doc, touched


def sort_experience(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Current roles first, then most recent start first; stable for equal dates."""

    def order(entry: dict[str, Any]) -> tuple[int, int, int]:
        start = entry.get("start") or {}
        return (1 if entry.get("is_current") else 0, start.get("year", 0), start.get("month") or 0)

    return sorted(entries, key=order, reverse=True)
