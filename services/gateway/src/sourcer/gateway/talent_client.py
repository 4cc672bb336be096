"""The talent service's internal API, called with the recruiter's own token.

The talent service verifies the token again and owns every write to `talents`, `pools` and
tenant settings; the gateway relays its answers, problem+json included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from sourcer.gateway.problems import ProblemError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class TalentReply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class TalentCommands(Protocol):
    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        correlation_id: str | None = None,
    ) -> TalentReply: ...


class HttpTalentCommands:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        correlation_id: str | None = None,
    ) -> TalentReply:
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        if correlation_id:
            sent["X-Correlation-Id"] = correlation_id
        try:
            response = await self.client.request(method, path, json=json, headers=sent)
        except httpx.HTTPError as exc:
            log.warning("talent.unreachable", error=repr(exc), path=path)
            raise ProblemError(
                503,
                "talent_service_unavailable",
                "The talent service did not answer; try again in a moment.",
                headers={"Retry-After": "2"},
            ) from exc
        if response.status_code >= 500:
            log.warning("talent.failed", status=response.status_code, path=path)
            raise ProblemError(
                503,
                "talent_service_unavailable",
                "The talent service failed; try again in a moment.",
                headers={"Retry-After": "2"},
            )
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        kept = {k: v for k, v in response.headers.items() if k.lower() in {"etag", "location"}}
        return TalentReply(status=response.status_code, body=body, headers=kept)


def raise_for_reply(reply: TalentReply) -> None:
    """Relay a talent-service problem to our caller unchanged (status, code, detail)."""
    if reply.ok:
        return
    body = reply.body if isinstance(reply.body, dict) else {}
    raise ProblemError(
        reply.status,
        str(body.get("code") or "talent_request_failed"),
        str(body.get("detail") or "The talent service refused the request."),
        errors=body.get("errors"),
    )
