"""Wires the consent service: real adapters by default, each one overridable in tests;
`SERVICE` runs it: the landing page and internal API, the outcome consumer, and two jobs (the
consent scheduler and the webhook dispatcher), each woken early when new work arrives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcer.consent.adapters import MongoControllers, MongoRateLimiter
from sourcer.consent.app import create_api
from sourcer.consent.catalog import CATALOG
from sourcer.consent.container import Container
from sourcer.consent.domain import Deadlines
from sourcer.consent.entrypoints import CONSUMERS
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
from sourcer.runtime.jobs import Job
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec
from sourcer.runtime.store import Store


def system_clock() -> datetime:
    return datetime.now(UTC)


def build_container(
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
    default = None
    if settings.controller_name and settings.controller_contact:
        default = Controller(
            name=settings.controller_name,
            contact=settings.controller_contact,
            address=settings.controller_address,
            dpo=settings.dpo_contact,
        )
    controllers = MongoControllers(store, default=default)
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
            key=settings.secret_key.get_secret_value().encode(),
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


def bootstrap(
    settings: ConsentSettings,
    infra: Infra,
    *,
    run_jobs: bool = True,
    **overrides: Any,
) -> ServiceParts[Container]:
    """`run_jobs=False` leaves the scheduler and dispatcher to a test that ticks them itself."""

    container = build_container(
        settings=settings, store=infra.store, publisher=infra.bus, **overrides
    )
    jobs = [
        Job(
            name="consent.scheduler",
            interval=settings.scheduler_interval,
            run=container.scheduler.tick,
            wake=container.mail_wake,
        ),
        Job(
            name="consent.webhooks",
            interval=settings.scheduler_interval,
            run=container.dispatcher.tick,
            wake=container.webhook_wake,
        ),
    ]
    return ServiceParts(
        container=container,
        consumers=CONSUMERS,
        consumer_concurrency=settings.consumer_concurrency,
        api=create_api(container),
        jobs=jobs if run_jobs else [],
    )


SERVICE = ServiceSpec(CATALOG, ConsentSettings, bootstrap, CONSUMERS, "sourcer-consent serve")
