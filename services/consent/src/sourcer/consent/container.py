"""What the consent service's API, landing page, jobs and entrypoint work with; `bootstrap`
builds it once per process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sourcer.consent.adapters import MongoControllers
from sourcer.consent.scheduler import ConsentScheduler
from sourcer.consent.service import ConsentService
from sourcer.consent.settings import ConsentSettings
from sourcer.consent.talent_fanout import TalentFanOut
from sourcer.consent.webhooks import WebhookDispatcher, WebhookService
from sourcer.runtime.auth import TokenVerifier
from sourcer.runtime.store import Store


@dataclass
class Container:
    settings: ConsentSettings
    store: Store
    service: ConsentService
    scheduler: ConsentScheduler
    webhooks: WebhookService
    dispatcher: WebhookDispatcher
    talent_fanout: TalentFanOut
    controllers: MongoControllers
    verifier: TokenVerifier
    secure_cookies: bool
    # Set when new work arrives, so the scheduler and the dispatcher run at once.
    mail_wake: asyncio.Event = field(default_factory=asyncio.Event)
    webhook_wake: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def secret(self) -> bytes:
        return self.settings.secret_key.get_secret_value().encode()
