"""Steps of the webhook tests: register a receiver, grant a consent, read the delivery log."""

from __future__ import annotations

import re
from typing import Any

from consent_receiver import Receiver
from consent_system import ADMIN, ConsentSystem
from support import eventually

from sourcer.proto.envelope import Envelope
from sourcer.runtime.parking import ParkingLot


async def register(
    system: ConsentSystem,
    receiver: Receiver,
    *,
    event_types: list[str] | None = None,
    headers: dict[str, str] = ADMIN,
) -> str:
    """The receiver as an endpoint (the consent outcomes unless `event_types` are chosen); it
    verifies with the secret the registration answered with."""
    body: dict[str, Any] = {"url": receiver.url, "description": "ATS"}
    if event_types is not None:
        body["event_types"] = event_types
    response = await system.client.post("/internal/v1/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", created["secret"])
    receiver.secret = created["secret"]
    receiver.now = lambda: system.clock().timestamp()
    endpoint_id: str = created["id"]
    return endpoint_id


async def grant(system: ConsentSystem, talent_id: str = "tal_1", *, add: bool = True) -> None:
    """The talent grants consent through their link (added to the talents first by default)."""
    if add:
        await system.add_talent(talent_id=talent_id)
    link = await system.link(talent_id)
    page = await system.client.get(link)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf
    answer = await system.client.post(link, data={"decision": "grant", "csrf": csrf.group(1)})
    assert answer.status_code == 303


async def deliveries(
    system: ConsentSystem, endpoint_id: str, *, headers: dict[str, str] = ADMIN
) -> list[dict[str, object]]:
    response = await system.client.get(
        f"/internal/v1/webhooks/{endpoint_id}/deliveries", headers=headers
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()
    return rows


async def wait_for_delivery(system: ConsentSystem, endpoint_id: str, count: int = 1) -> None:
    async def created() -> bool:
        return len(await deliveries(system, endpoint_id)) >= count

    await eventually(created)


async def assert_parked_as_final(amqp_url: str, queue: str, fakes: list[Envelope[Any]]) -> None:
    """Every forged event ends in the queue's parking lot as a final error, and nothing else."""
    lot = ParkingLot(url=amqp_url, queue_name=queue)

    async def all_parked() -> bool:
        return len(await lot.list()) == len(fakes)

    await eventually(all_parked)
    parked = await lot.list()
    assert sorted(m.message_id or "" for m in parked) == sorted(e.event_id for e in fakes)
    assert {m.error_kind for m in parked} == {"final"}
