"""The talent service's internal HTTP API, called by the gateway with the recruiter's token.

Internal means not published to extensions: it is still authenticated (the same JWT, verified
again here by the runtime's edge) and every query is scoped to the token's tenant.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder

from sourcer.proto.restrictions import CONSENT_REQUIRED
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.auth import TokenVerifier
from sourcer.runtime.edge import CallerDep, service_app
from sourcer.runtime.store import Document
from sourcer.talent.container import Container

__all__ = ["CallerDep", "ContextDep", "create_api", "etag_headers", "parse_if_match"]

# What the stored talent keeps for lookups and idempotency, and the API does not show.
HIDDEN = {
    "id",
    "tenant_id",
    "profile_keys",
    "profile_urls",
    "email_keys",
    "name_company_key",
    "applied_requests",
    "erasure_scheduled",  # shown as `deleting_soon`
}

# The HTTP status of each code the talent service's domain raises.
ERROR_STATUSES = {
    "preview_not_found": 404,
    "talent_suppressed": 409,
    "talent_exists": 409,
    "submit_in_progress": 409,
    "talent_gone": 409,
    "concurrent_update": 409,
    "unknown_status": 422,
    "unknown_language": 422,
    "invalid_override": 422,
    "unknown_pool": 422,
    "unknown_change": 422,
    CONSENT_REQUIRED: 403,
}
MAX_BODY_BYTES = 256 * 1024


# `async def` dependencies: FastAPI runs a plain `def` one in its thread pool, a thread hop
# per dependency per request.
async def context(request: Request) -> Container:
    ctx: Container = request.app.state.container
    return ctx


ContextDep = Annotated[Container, Depends(context)]


MAX_VERSION_DIGITS = 18


def parse_if_match(value: str | None) -> int | None:
    """The version an If-Match names; a malformed one matches nothing (412)."""
    if value is None:
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    # ASCII digits only ("²".isdigit() is true, int() refuses it), and few enough to fit the
    # store's 64-bit integers: a longer number names no version there is.
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= MAX_VERSION_DIGITS:
        return int(cleaned)
    return -1


def talent_json(doc: Document) -> dict[str, Any]:
    """The stored talent, read through its contract, as the API shows it."""
    record = TalentRecord.from_document(doc)
    body = record.model_dump(exclude=HIDDEN)
    body["id"] = record.id
    body["deleting_soon"] = record.deleting_soon
    encoded: dict[str, Any] = jsonable_encoder(body)
    return encoded


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def create_api(verifier: TokenVerifier) -> FastAPI:
    from sourcer.talent import api_pools, api_talents

    return service_app(
        title="Sourcer talent (internal)",
        routers=[api_talents.router, api_pools.router],
        verifier=verifier,
        error_statuses=ERROR_STATUSES,
        max_body_bytes=MAX_BODY_BYTES,
    )
