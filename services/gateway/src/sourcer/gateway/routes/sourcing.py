"""Sourcing requests: start one from a profile URL, follow it, submit its preview."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import StreamingResponse

from sourcer.gateway.consent_options import consent_options
from sourcer.gateway.deps import (
    CallerDep,
    LanguageDep,
    LimiterDep,
    SettingsDep,
    SourcingDep,
    StoreDep,
    TokenDep,
)
from sourcer.gateway.reads import get_talent
from sourcer.gateway.schemas import (
    STREAM_ENDS,
    RequestLinks,
    RequestStatus,
    SourcingRequestCreate,
    SourcingRequestRead,
    SubmitCreate,
)
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.profile_urls import UrlRejectedError, canonicalize
from sourcer.runtime.auth import Caller
from sourcer.runtime.errors import DomainError
from sourcer.runtime.problems import ProblemError, problem_responses, retry_after_header
from sourcer.runtime.store import Document, Store
from sourcer.runtime.texts import DEFAULT_LANGUAGE, message

router = APIRouter(prefix="/v1/sourcing-requests", tags=["sourcing"])

RequestId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$", description="Sourcing request id.")
]


def translated(
    part: dict[str, Any] | None, key: str, prefix: str, language: str
) -> dict[str, Any] | None:
    """A stored preview or error with its message in `language`, chosen by its stable code;
    English keeps the stored message, which may name the platform."""
    if part is None or language == DEFAULT_LANGUAGE:
        return part
    code = f"{prefix}{part.get(key)}"
    return {**part, "message": message(code, language, fallback=part.get("message", ""))}


def to_read(doc: Document, base_url: str, language: str) -> SourcingRequestRead:
    """The request as the API shows it, its recruiter-facing texts in `language`."""
    own = f"{base_url.rstrip('/')}/v1/sourcing-requests/{doc['_id']}"
    talent_id = doc.get("talent_id")
    return SourcingRequestRead(
        id=doc["_id"],
        status=doc["status"],
        url=doc["url"],
        platform=doc["platform"],
        profile_id=doc["profile_id"],
        version=doc["version"],
        queue_reason=doc.get("queue_reason"),
        next_slot_at=doc.get("next_slot_at"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        preview=translated(doc.get("preview"), "kind", "preview_", language),
        error=translated(doc.get("error"), "code", "", language),
        talent_id=talent_id,
        links=RequestLinks(
            self=own,
            events=f"{own}/events",
            submit=f"{own}/submit",
            talent=f"{base_url.rstrip('/')}/v1/talents/{talent_id}" if talent_id else None,
        ),
    )


async def with_consent_options(
    read: SourcingRequestRead,
    *,
    caller: Caller,
    store: Store,
    settings: GatewaySettings,
    language: str,
) -> SourcingRequestRead:
    """A submitted request with the consent options its talent offers the caller now."""
    if read.talent_id is None:
        return read
    try:
        talent = await get_talent(store=store, tenant_id=caller.tenant, talent_id=read.talent_id)
    except DomainError:  # erased since
        return read.model_copy(update={"consent_options": []})
    options = consent_options(
        talent=talent,
        caller=caller.sub,
        role=caller.role,
        base_url=settings.public_base_url,
        language=language,
    )
    return read.model_copy(update={"consent_options": options})


@router.post(
    "",
    status_code=202,
    response_model=SourcingRequestRead,
    responses={
        200: {"model": SourcingRequestRead, "description": "Already in flight: that request."},
        **problem_responses(401, 413, 422, 429, 503),
    },
)
async def create_sourcing_request(
    body: SourcingRequestCreate,
    caller: CallerDep,
    sourcing: SourcingDep,
    limiter: LimiterDep,
    settings: SettingsDep,
    language: LanguageDep,
    response: Response,
) -> SourcingRequestRead:
    """Start extracting a LinkedIn or Xing profile; answers at once, progress via GET or SSE."""
    try:
        target = canonicalize(body.url)
    except UrlRejectedError as exc:
        raise ProblemError(422, exc.code, exc.message) from exc
    wait = limiter.take(key=f"{caller.tenant}\x1f{caller.sub}")
    if wait > 0:
        raise ProblemError(
            429,
            "rate_limited",
            "Too many sourcing requests; wait a moment.",
            headers={"Retry-After": retry_after_header(wait)},
        )
    doc, created = await sourcing.start(caller=caller, target=target)
    read = to_read(doc, settings.public_base_url, language)
    response.headers["Location"] = read.links.self
    if not created:
        response.status_code = 200
    return read


@router.get(
    "/{request_id}",
    response_model=SourcingRequestRead,
    responses=problem_responses(401, 404, 422),
)
async def get_sourcing_request(
    request_id: RequestId,
    caller: CallerDep,
    sourcing: SourcingDep,
    settings: SettingsDep,
    language: LanguageDep,
    store: StoreDep,
) -> SourcingRequestRead:
    """Where a sourcing request stands, with its preview once ready."""
    doc = await sourcing.get(caller=caller, request_id=request_id)
    return await with_consent_options(
        to_read(doc, settings.public_base_url, language),
        caller=caller,
        store=store,
        settings=settings,
        language=language,
    )


@router.get(
    "/{request_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events: one `status` event per change; ends at ready, "
            "failed, submitted or cancelled.",
            "content": {"text/event-stream": {"example": "event: status\nid: 2\ndata: {...}\n\n"}},
        },
        **problem_responses(401, 404, 422),
    },
)
async def stream_sourcing_request(
    request_id: RequestId,
    request: Request,
    caller: CallerDep,
    sourcing: SourcingDep,
    settings: SettingsDep,
    language: LanguageDep,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> StreamingResponse:
    """Stream status changes of a sourcing request as Server-Sent Events."""
    first = await sourcing.get(caller=caller, request_id=request_id)
    seen = 0
    if last_event_id and last_event_id.isascii() and last_event_id.isdigit():
        seen = int(last_event_id)  # a reconnect: only versions after the last one it saw

    async def events() -> AsyncIterator[str]:
        doc: Document | None = first
        version = seen
        loop = asyncio.get_running_loop()
        started = last_sent = loop.time()
        yield "retry: 1000\n\n"
        while True:
            if doc is not None and doc["version"] > version:
                version = doc["version"]
                last_sent = loop.time()
                data = to_read(doc, settings.public_base_url, language).model_dump_json()
                yield f"event: status\nid: {version}\ndata: {data}\n\n"
            if doc is None or RequestStatus(doc["status"]) in STREAM_ENDS:
                return
            now = loop.time()
            if now - started > settings.sse_max_seconds or await request.is_disconnected():
                return
            if now - last_sent > settings.sse_keepalive:
                last_sent = now
                yield ": keep-alive\n\n"
            await asyncio.sleep(settings.sse_poll_interval)
            doc = await sourcing.requests.get(tenant_id=caller.tenant, request_id=request_id)

    headers: dict[str, Any] = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@router.post(
    "/{request_id}/submit",
    response_model=SourcingRequestRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def submit_sourcing_request(
    request_id: RequestId,
    body: SubmitCreate,
    caller: CallerDep,
    token: TokenDep,
    sourcing: SourcingDep,
    settings: SettingsDep,
    language: LanguageDep,
    store: StoreDep,
) -> SourcingRequestRead:
    """Create or update the talent from the preview; submitting twice has one effect. The
    answer lists the ways the caller may ask the talent for consent. A talent who has not
    consented yet is updated only by its sourcing recruiter and admins (403
    `consent_required`)."""
    doc = await sourcing.submit(caller=caller, token=token, request_id=request_id, body=body)
    return await with_consent_options(
        to_read(doc, settings.public_base_url, language),
        caller=caller,
        store=store,
        settings=settings,
        language=language,
    )


@router.post(
    "/{request_id}/cancel",
    response_model=SourcingRequestRead,
    responses=problem_responses(401, 404, 409, 422),
)
async def cancel_sourcing_request(
    request_id: RequestId,
    caller: CallerDep,
    sourcing: SourcingDep,
    settings: SettingsDep,
    language: LanguageDep,
) -> SourcingRequestRead:
    """Cancel a queued or extracting request: it ends `cancelled`, its URL can be sourced
    again, and its extraction is skipped or abandoned."""
    doc = await sourcing.cancel(caller=caller, request_id=request_id)
    return to_read(doc, settings.public_base_url, language)
