"""Wires the consent service: real adapters by default, each one overridable in tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sourcer.consent import repository, webhook_store
from sourcer.consent.adapters import MongoControllers, MongoRateLimiter
from sourcer.consent.domain import Deadlines
from sourcer.consent.mail import SmtpMailer
from sourcer.consent.ports import Clock, Mailer, Publisher
from sourcer.consent.repository import MongoConsentRepository
from sourcer.consent.scheduler import ConsentScheduler
from sourcer.consent.service import ConsentService, ServiceConfig
from sourcer.consent.settings import ConsentSettings
from sourcer.consent.talents import MongoTalentDirectory, TalentDirectory
from sourcer.consent.texts import Controller
from sourcer.consent.webhook_sender import HttpxSender, Resolver, Sender, SystemResolver
from sourcer.consent.webhook_store import MongoWebhookStore
from sourcer.consent.webhooks import WebhookDispatcher, WebhookService
from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.store import Store

INDEXES = [*repository.INDEXES, *webhook_store.INDEXES]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: ConsentSettings
    store: Store
    service: ConsentService
    scheduler: ConsentScheduler
    webhooks: WebhookService
    dispatcher: WebhookDispatcher
    controllers: MongoControllers
    verifier: TokenVerifier
    secure_cookies: bool
    mail_wake: asyncio.Event = field(default_factory=asyncio.Event)
    webhook_wake: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def secret(self) -> bytes:
        return self.settings.secret_key.get_secret_value().encode()


def bootstrap(
    *,
    settings: ConsentSettings,
    store: Store,
    publisher: Publisher,
    clock: Clock = system_clock,
    mailer: Mailer | None = None,
    sender: Sender | None = None,
    resolver: Resolver | None = None,
    talents: TalentDirectory | None = None,
    verifier: TokenVerifier | None = None,
) -> Container:
    mail_wake, webhook_wake = asyncio.Event(), asyncio.Event()
    controllers = MongoControllers(
        store,
        default=Controller(
            name=settings.controller_name,
            contact=settings.controller_contact,
            address=settings.controller_address,
            dpo=settings.dpo_contact,
        ),
    )
    service = ConsentService(
        repo=MongoConsentRepository(store),
        talents=talents or MongoTalentDirectory(store),
        publisher=publisher,
        limiter=MongoRateLimiter(store),
        controllers=controllers,
        clock=clock,
        config=ServiceConfig(
            deadlines=Deadlines(
                deadline=timedelta(days=settings.deadline_days),
                reminder_before=timedelta(days=settings.reminder_days_before),
            ),
            public_base_url=settings.public_base_url,
            text_version=settings.text_version,
            email_rate_per_hour=settings.email_rate_per_hour,
            ip_key=settings.secret_key.get_secret_value().encode(),
        ),
        wake=mail_wake.set,
    )
    mailer = mailer or SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout,
    )
    resolver = resolver or SystemResolver()
    hooks = MongoWebhookStore(store)
    sender = sender or HttpxSender(
        timeout=settings.webhook_timeout,
        allow_loopback=settings.webhook_allow_loopback,
        resolver=resolver,
        max_connections=settings.webhook_concurrency,
    )
    return Container(
        settings=settings,
        store=store,
        service=service,
        scheduler=ConsentScheduler(
            service=service, mailer=mailer, mail_max_attempts=settings.mail_max_attempts
        ),
        webhooks=WebhookService(
            store=hooks,
            clock=clock,
            resolver=resolver,
            allow_loopback=settings.webhook_allow_loopback,
            wake=webhook_wake.set,
        ),
        dispatcher=WebhookDispatcher(
            store=hooks,
            sender=sender,
            clock=clock,
            concurrency=settings.webhook_concurrency,
            send_timeout=settings.webhook_timeout,
            write_concurrency=settings.webhook_write_concurrency,
        ),
        controllers=controllers,
        verifier=verifier or TokenVerifier(AuthSettings()),
        secure_cookies=settings.public_base_url.startswith("https://"),
        mail_wake=mail_wake,
        webhook_wake=webhook_wake,
    )
