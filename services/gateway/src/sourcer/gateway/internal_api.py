"""The internal APIs of the talent and consent services, called with the recruiter's own token.

Those services verify the token again and own every write to their collections; the gateway
relays their answers. A service that does not answer, or fails, is a 503 with Retry-After for
our caller; a problem it answers (4xx) reaches our caller unchanged (`relay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from sourcer.runtime.logging import get_logger
from sourcer.runtime.problems import ProblemError, RelayedProblemError

log = get_logger(__name__)

# Headers of an internal answer our caller needs too.
RELAYED_HEADERS = {"etag", "location", "retry-after"}


@dataclass(frozen=True)
class InternalReply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class InternalApi(Protocol):
    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        correlation_id: str | None = None,
    ) -> InternalReply: ...


class HttpInternalApi:
    def __init__(self, *, service: str, client: httpx.AsyncClient) -> None:
        self.service = service
        self.client = client

    def unavailable(self, why: str) -> ProblemError:
        return ProblemError(
            503,
            f"{self.service}_service_unavailable",
            f"The {self.service} service {why}; try again in a moment.",
            headers={"Retry-After": "2"},
        )

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        correlation_id: str | None = None,
    ) -> InternalReply:
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        if correlation_id:
            sent["X-Correlation-Id"] = correlation_id[:64]
        try:
            response = await self.client.request(method, path, json=json, headers=sent)
        except httpx.HTTPError as exc:
            log.warning("internal_api.unreachable", service=self.service, error=repr(exc))
            raise self.unavailable("did not answer") from exc
        if response.status_code >= 500:
            log.warning("internal_api.failed", service=self.service, status=response.status_code)
            raise self.unavailable("failed")
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        kept = {k: v for k, v in response.headers.items() if k.lower() in RELAYED_HEADERS}
        return InternalReply(status=response.status_code, body=body, headers=kept)

    async def close(self) -> None:
        await self.client.aclose()


def relay(reply: InternalReply, *, service: str) -> InternalReply:
    """The reply when it succeeded; else its problem (status, code, detail) for our caller."""
    if reply.ok:
        return reply
    body = reply.body if isinstance(reply.body, dict) else {}
    retry_after = reply.headers.get("retry-after") or reply.headers.get("Retry-After")
    raise RelayedProblemError(
        reply.status,
        str(body.get("code") or f"{service}_request_failed"),
        str(body.get("detail") or f"The {service} service refused the request."),
        errors=body.get("errors"),
        retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
    )
