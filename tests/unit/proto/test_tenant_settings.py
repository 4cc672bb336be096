"""A tenant's CRM link template: only an https link with exactly one {talent_id}."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sourcer.proto.talent_record import search_keys, search_tokens
from sourcer.proto.tenant_settings import TenantSettings

pytestmark = pytest.mark.unit


def test_the_link_replaces_the_id_and_nothing_else() -> None:
    settings = TenantSettings(crm_url_template="https://crm.example.org/c/{talent_id}?a=1")
    assert settings.crm_url("tal_1") == "https://crm.example.org/c/tal_1?a=1"
    assert TenantSettings().crm_url("tal_1") is None


@pytest.mark.parametrize(
    "template",
    [
        "javascript:alert(document.cookie)//{talent_id}",
        "data:text/html,{talent_id}",
        "http://crm.example.org/{talent_id}",
        "https:///{talent_id}",
        "https://crm.example.org/candidates",
        "https://crm.example.org/{talent_id}/{talent_id}",
        "https://crm.example.org/{talent_id}/{0.__class__}",
        "https://crm.example.org/{talent_id} x",
        "https://crm.example.org/" + "a" * 500 + "{talent_id}",
    ],
)
def test_anything_else_is_refused(template: str) -> None:
    with pytest.raises(ValidationError):
        TenantSettings(crm_url_template=template)


def test_search_keys_are_the_prefixes_a_search_looks_up() -> None:
    keys = search_keys(["Jürgen", "Müller-Lüdenscheid", None, "A"])
    assert {"ju", "jurgen", "mu", "muller", "lu", "ludenscheid"} <= set(keys)
    assert "a" not in keys
    assert search_tokens("Müller, Jü") == ["muller", "ju"]
    assert set(search_tokens("Müller, Jü")) <= set(keys)
