"""Talent events to the tenant's webhook endpoints, checked against the stored records first.

Any process with a bus credential could publish a talent event naming any tenant, and a
webhook reaches that tenant's systems: so `talent.created`, `talent.updated` and
`talent.erasure_scheduled` go out only for a talent the tenant has, and `talent.erased` only
when the talent service's tombstone of that tenant and talent says so, for the same reason.
Anything else is parked as a final error and logged (`webhooks.talent_event_mismatch`).

The consent state is read from this service's own `consents` at fan-out time and decides what
the body carries (`talent_payloads`). An erasure first redacts the bodies of the talent's
earlier deliveries that carried their data, then announces itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

from sourcer.consent.repository import ConsentRepository
from sourcer.consent.talent_payloads import carries_personal_data, talent_payload
from sourcer.consent.talents import TalentRecords
from sourcer.consent.webhook_events import TalentBody
from sourcer.consent.webhooks import WebhookService
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import TalentErased
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.catalog import TalentRef
from sourcer.runtime.errors import FinalError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

EraseTalent = Callable[[TalentRef], Awaitable[Any]]


class TalentFanOut:
    def __init__(
        self,
        *,
        talents: TalentRecords,
        consents: ConsentRepository,
        webhooks: WebhookService,
        erase: EraseTalent,
    ) -> None:
        self.talents = talents
        self.consents = consents
        self.webhooks = webhooks
        self.erase = erase

    async def handle(self, envelope: Envelope[Any]) -> int:
        """Fan one talent event out; returns the deliveries created. Raises FinalError for an
        event the stored records do not bear out."""
        tenant_id, talent_id = envelope.tenant_id, envelope.payload.talent_id
        talent: TalentRecord | None = None
        if isinstance(envelope.payload, TalentErased):
            reason = await self.talents.erasure_reason(tenant_id=tenant_id, talent_id=talent_id)
            if reason != envelope.payload.reason:
                self._mismatch(envelope, found=reason is not None)
            await self.erase(TalentRef(tenant_id=tenant_id, talent_id=talent_id))
        else:
            talent = await self.talents.record(tenant_id=tenant_id, talent_id=talent_id)
            if talent is None:
                self._mismatch(envelope, found=False)
        stored = await self.consents.get(tenant_id=tenant_id, talent_id=talent_id)
        state = stored.state if stored is not None else ConsentState.NOT_REQUESTED
        data = talent_payload(payload=envelope.payload, state=state, talent=talent)
        redacted = None
        if carries_personal_data(data):
            redacted = talent_payload(payload=envelope.payload, state=state, talent=None)
        body = TalentBody(talent_id=talent_id, data=data, redacted=redacted)
        return await self.webhooks.fan_out(envelope, body)

    def _mismatch(self, envelope: Envelope[Any], *, found: bool) -> NoReturn:
        log.error(
            "webhooks.talent_event_mismatch",
            event_id=envelope.event_id,
            event_type=envelope.type,
            tenant_id=envelope.tenant_id,
            talent_id=envelope.payload.talent_id,
            found=found,
        )
        raise FinalError(
            f"{envelope.type} {envelope.event_id} does not match the stored talent of its tenant"
        )
