"""Sourcing-request rules with fakes of the repository, publisher and talent commands."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import pytest

from sourcer.gateway.app import ERROR_STATUSES
from sourcer.gateway.internal_api import InternalReply as TalentReply
from sourcer.gateway.repository import inflight_key
from sourcer.gateway.schemas import RequestStatus, SubmitCreate
from sourcer.gateway.service import SourcingService
from sourcer.proto.envelope import Role
from sourcer.proto.profile_urls import canonicalize
from sourcer.runtime.auth import Caller
from sourcer.runtime.errors import DomainError, PublishError
from sourcer.runtime.problems import RelayedProblemError

pytestmark = pytest.mark.unit

ALICE = Caller(sub="alice", tenant="acme", role=Role.RECRUITER)


class FakeRequests:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    async def add(self, *, doc: dict[str, Any]) -> Any:
        key = doc.get("inflight_key")
        for held in self.docs.values():
            if key is not None and held.get("inflight_key") == key:
                return copy.deepcopy(held)
        self.docs[doc["_id"]] = copy.deepcopy(doc)
        return None

    async def delete(self, *, tenant_id: str, request_id: str) -> None:
        self.docs.pop(request_id, None)

    async def get(self, *, tenant_id: str, request_id: str) -> Any:
        doc = self.docs.get(request_id)
        return copy.deepcopy(doc) if doc and doc["tenant_id"] == tenant_id else None

    async def transition(
        self,
        *,
        tenant_id: str,
        request_id: str,
        from_statuses: Sequence[RequestStatus],
        to_status: RequestStatus,
        fields: dict[str, Any] | None = None,
        end_inflight: bool = False,
    ) -> Any:
        doc = self.docs.get(request_id)
        if doc is None or doc["tenant_id"] != tenant_id or doc["status"] not in from_statuses:
            return None
        doc.update(fields or {}, status=to_status.value, version=doc["version"] + 1)
        if end_inflight:
            doc.pop("inflight_key", None)
        return copy.deepcopy(doc)


class FakePublisher:
    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[Any] = []

    async def emit(self, payload: Any, **_: Any) -> None:
        if self.fail:
            raise PublishError("not confirmed")
        self.sent.append(payload)


class FakeTalents:
    def __init__(self, reply: TalentReply) -> None:
        self.reply = reply
        self.calls: list[tuple[str, str, Any]] = []

    async def call(self, method: str, path: str, *, json: Any = None, **_: Any) -> TalentReply:
        self.calls.append((method, path, json))
        return self.reply


OK = TalentReply(status=200, body={"talent_id": "tal_1", "created": True, "version": 1}, headers={})


def service(*, fail: bool = False, reply: TalentReply = OK) -> SourcingService:
    return SourcingService(
        requests=FakeRequests(), publisher=FakePublisher(fail=fail), talents=FakeTalents(reply)
    )


async def test_same_url_in_flight_is_one_request_and_one_event() -> None:
    sourcing = service()
    first, created = await sourcing.start(
        caller=ALICE, target=canonicalize("https://www.linkedin.com/in/jane/")
    )
    second, again = await sourcing.start(
        caller=ALICE, target=canonicalize("https://de.linkedin.com/in/Jane?x=1")
    )
    assert created and not again and first["_id"] == second["_id"]
    assert len(sourcing.publisher.sent) == 1  # type: ignore[attr-defined]
    assert list(sourcing.requests.docs) == [first["_id"]]  # type: ignore[attr-defined]


async def test_the_url_is_free_again_once_its_request_ends() -> None:
    sourcing = service()
    target = canonicalize("https://www.linkedin.com/in/jane/")
    first, _ = await sourcing.start(caller=ALICE, target=target)
    assert first["inflight_key"] == inflight_key(tenant_id="acme", url=target.url)
    await sourcing.requests.transition(
        tenant_id="acme",
        request_id=first["_id"],
        from_statuses=(RequestStatus.QUEUED,),
        to_status=RequestStatus.READY,
        end_inflight=True,
    )
    second, created = await sourcing.start(caller=ALICE, target=target)
    assert created and second["_id"] != first["_id"] and second["status"] == "queued"


async def test_unconfirmed_publish_fails_the_request_and_answers_503() -> None:
    sourcing = service(fail=True)
    with pytest.raises(DomainError) as caught:
        await sourcing.start(caller=ALICE, target=canonicalize("https://www.linkedin.com/in/x/"))
    assert ERROR_STATUSES[caught.value.code] == 503
    (doc,) = sourcing.requests.docs.values()  # type: ignore[attr-defined]
    assert doc["status"] == "failed"
    assert "inflight_key" not in doc  # the URL is free for a retry


async def _ready(sourcing: SourcingService, kind: str = "new") -> str:
    doc, _ = await sourcing.start(
        caller=ALICE, target=canonicalize("https://www.linkedin.com/in/x/")
    )
    await sourcing.requests.transition(
        tenant_id="acme",
        request_id=doc["_id"],
        from_statuses=(RequestStatus.QUEUED,),
        to_status=RequestStatus.READY,
        fields={"preview": {"kind": kind}},
        end_inflight=True,
    )
    return str(doc["_id"])


async def test_submit_ends_submitted_and_a_second_submit_calls_nothing() -> None:
    sourcing = service()
    request_id = await _ready(sourcing)
    done = await sourcing.submit(
        caller=ALICE, token="t", request_id=request_id, body=SubmitCreate(notes=["n"])
    )
    again = await sourcing.submit(
        caller=ALICE, token="t", request_id=request_id, body=SubmitCreate(notes=["n"])
    )
    assert done["status"] == again["status"] == "submitted" and done["talent_id"] == "tal_1"
    assert len(sourcing.talents.calls) == 1  # type: ignore[attr-defined]


async def test_a_refused_submit_is_relayed_and_the_request_stays_ready() -> None:
    refusal = TalentReply(
        status=422, body={"code": "unknown_pool", "detail": "No pool."}, headers={}
    )
    sourcing = service(reply=refusal)
    request_id = await _ready(sourcing)
    with pytest.raises(RelayedProblemError) as caught:
        await sourcing.submit(
            caller=ALICE, token="t", request_id=request_id, body=SubmitCreate(pools=["nope"])
        )
    assert (caught.value.status, caught.value.code) == (422, "unknown_pool")
    assert sourcing.requests.docs[request_id]["status"] == "ready"  # type: ignore[attr-defined]


async def test_suppressed_and_unknown_requests_cannot_be_submitted() -> None:
    sourcing = service()
    request_id = await _ready(sourcing, kind="suppressed")
    with pytest.raises(DomainError) as caught:
        await sourcing.submit(caller=ALICE, token="t", request_id=request_id, body=SubmitCreate())
    assert caught.value.code == "talent_suppressed"
    other = Caller(sub="eve", tenant="globex", role=Role.ADMIN)
    with pytest.raises(DomainError) as missing:
        await sourcing.submit(caller=other, token="t", request_id=request_id, body=SubmitCreate())
    assert ERROR_STATUSES[missing.value.code] == 404
