"""What a re-import reports and applies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sourcing_profiles import NEW_JOB, jane

from sourcer.proto.records import Experience, YearMonth
from sourcer.talent.diff import CONFLICT, apply_changes, compute_changes, selected

pytestmark = pytest.mark.unit

AT = datetime(2026, 11, 25, tzinfo=UTC)


def stored(**extra: Any) -> dict[str, Any]:
    profile = jane().model_dump(mode="json")
    return {**{k: v for k, v in profile.items() if k != "source"}, "provenance": {}, **extra}


def test_same_profile_has_no_changes() -> None:
    assert compute_changes(talent=stored(), profile=jane()) == []


def test_new_job_and_skill_are_exactly_the_changes() -> None:
    changes = compute_changes(
        talent=stored(), profile=jane(extra_jobs=[NEW_JOB], extra_skills=["Rust"])
    )
    assert [(c.field, c.kind, c.key) for c in changes] == [
        ("experience", "added", "experience:globex:staff-engineer:2026-10"),
        ("skills", "added", "skills:rust"),
    ]


def test_a_changed_title_at_the_same_company_and_start_is_a_change() -> None:
    promoted = jane().model_copy(
        update={
            "experience": [
                Experience(
                    title="Lead Engineer",
                    company="ACME GmbH",
                    start=YearMonth(year=2021, month=4),
                    is_current=True,
                ),
                *jane().experience[1:],
            ]
        }
    )
    changes = compute_changes(talent=stored(), profile=promoted)
    assert [(c.field, c.kind) for c in changes] == [("experience", "changed")]
    assert changes[0].old["title"] == "Backend Engineer"
    assert changes[0].new["title"] == "Lead Engineer"
    doc, fields = apply_changes(stored(), changes, provenance={"source": "linkedin", "at": AT})
    assert fields == ["experience"]
    assert [e["title"] for e in doc["experience"]] == ["Lead Engineer", "Developer"]


def test_new_email_language_and_education_are_reported() -> None:
    talent = stored(
        emails=[], languages=[{"name": "German", "proficiency": "Native"}], education=[]
    )
    fields = {(c.field, c.kind) for c in compute_changes(talent=talent, profile=jane())}
    assert fields == {("emails", "added"), ("languages", "added"), ("education", "added")}


def test_a_recruiter_edited_name_is_a_conflict_applied_only_when_accepted() -> None:
    talent = stored(first_name="Janet", provenance={"first_name": {"edited_by": "alice", "at": AT}})
    changes = compute_changes(talent=talent, profile=jane())
    assert [(c.key, c.kind) for c in changes] == [("first_name", CONFLICT)]
    assert selected(changes, None) == []
    doc, _ = apply_changes(talent, selected(changes, None), provenance={"source": "linkedin"})
    assert doc["first_name"] == "Janet"
    doc, _ = apply_changes(
        talent, selected(changes, ["first_name"]), provenance={"source": "linkedin"}
    )
    assert doc["first_name"] == "Jane"


def test_only_accepted_keys_are_applied_and_provenance_is_kept_per_field() -> None:
    changes = compute_changes(
        talent=stored(), profile=jane(extra_jobs=[NEW_JOB], extra_skills=["Rust"])
    )
    doc, fields = apply_changes(
        stored(), selected(changes, ["skills:rust"]), provenance={"source": "linkedin", "at": AT}
    )
    assert fields == ["skills"]
    assert doc["skills"][-1] == "Rust"
    assert len(doc["experience"]) == 2
    assert doc["provenance"] == {"skills": {"source": "linkedin", "at": AT}}


def test_applying_twice_adds_nothing_twice() -> None:
    changes = compute_changes(talent=stored(), profile=jane(extra_jobs=[NEW_JOB]))
    once, _ = apply_changes(stored(), changes, provenance={})
    twice, _ = apply_changes(once, changes, provenance={})
    assert len(twice["experience"]) == 3
    assert twice["experience"][0]["company"] == "Globex"
