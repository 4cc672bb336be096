"""Person keys: one per identifier, naming the platform, scoped to the tenant."""

from __future__ import annotations

import pytest

from sourcer.proto.person_keys import person_keys, profile_person_key

pytestmark = pytest.mark.unit


def test_a_profile_key_names_the_platform_and_the_tenant() -> None:
    linkedin = profile_person_key(tenant_id="acme", platform="linkedin", profile_id="john-smith")
    assert linkedin == profile_person_key(
        tenant_id="acme", platform="LinkedIn", profile_id="John-Smith"
    )
    assert linkedin != profile_person_key(
        tenant_id="acme", platform="xing", profile_id="john-smith"
    )
    assert linkedin != profile_person_key(
        tenant_id="globex", platform="linkedin", profile_id="john-smith"
    )


def test_keys_hold_nothing_readable_and_skip_what_is_missing() -> None:
    keys = person_keys(
        tenant_id="acme",
        profiles=[("linkedin", "john-smith")],
        emails=["John@Example.org", "john@example.org", " "],
        talent_ids=[None, "tal_1"],
    )
    assert len(keys) == 3
    assert all(k.startswith("pk_") for k in keys)
    assert not any(part in str(keys) for part in ("john", "example", "tal_1", "linkedin"))
