"""The delivery-time SSRF check: resolve, refuse non-public answers, connect to the address."""

from __future__ import annotations

import pytest

from sourcer.consent.webhook_rules import UnsafeTargetError
from sourcer.consent.webhook_sender import HttpxSender, safe_target

pytestmark = pytest.mark.unit


class ScriptedResolver:
    """DNS whose answer changes between lookups, like a rebinding attacker's."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)

    async def resolve(self, host: str, port: int) -> list[str]:
        return self.answers.pop(0)


async def test_the_connection_goes_to_the_checked_address() -> None:
    resolver = ScriptedResolver(["93.184.216.34"])
    target, host = await safe_target(
        "https://hooks.example.com/in?x=1", resolver=resolver, allow_loopback=False
    )
    assert target == "https://93.184.216.34:443/in?x=1"
    assert host == "hooks.example.com"


async def test_a_rebound_answer_is_refused_at_delivery_time() -> None:
    resolver = ScriptedResolver(["93.184.216.34"], ["10.0.0.5"])
    await safe_target("https://hooks.example.com/", resolver=resolver, allow_loopback=False)
    with pytest.raises(UnsafeTargetError):
        await safe_target("https://hooks.example.com/", resolver=resolver, allow_loopback=False)


async def test_the_sender_reports_a_refused_target_without_connecting() -> None:
    sender = HttpxSender(
        timeout=1.0, allow_loopback=False, resolver=ScriptedResolver(["169.254.169.254"])
    )
    try:
        result = await sender.send(url="http://metadata.example/", body=b"{}", headers={})
    finally:
        await sender.close()
    assert result.status_code is None
    assert result.error is not None and result.error.startswith("webhook_target_forbidden")
