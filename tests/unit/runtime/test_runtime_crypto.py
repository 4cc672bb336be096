"""Sealing of secrets at rest (platform sessions, webhook signing secrets)."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from sourcer.runtime.crypto import Sealer, SealingKeyError, new_key

pytestmark = pytest.mark.unit


def test_a_sealed_value_opens_only_in_its_own_context() -> None:
    sealer = Sealer(new_key())
    blob = sealer.seal(b"whsec_abc", context="webhook_endpoint:acme:whe_1")
    assert b"whsec_abc" not in blob
    assert sealer.open(blob, context="webhook_endpoint:acme:whe_1") == b"whsec_abc"
    with pytest.raises(InvalidTag):
        sealer.open(blob, context="webhook_endpoint:globex:whe_1")
    with pytest.raises(InvalidTag):
        Sealer(new_key()).open(blob, context="webhook_endpoint:acme:whe_1")


def test_previous_keys_open_but_never_seal() -> None:
    old, new = new_key(), new_key()
    blob = Sealer(old).seal(b"secret", context="c")
    rotating = Sealer(new, previous=(old,))
    assert rotating.open(blob, context="c") == b"secret"
    resealed = rotating.seal(b"secret", context="c")
    assert Sealer(new).open(resealed, context="c") == b"secret"


@pytest.mark.parametrize("key", ["", "not base64!", "AAAA"])
def test_a_bad_key_is_refused_naming_its_setting(key: str) -> None:
    with pytest.raises(SealingKeyError, match="SOURCER_X_KEY"):
        Sealer(key, name="SOURCER_X_KEY")
