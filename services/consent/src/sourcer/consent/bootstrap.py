"""Wires the consent service: real adapters by default, each one overridable in tests;
`SERVICE` runs it: the landing page (public listener), the internal API (internal listener),
the outcome and talent-event consumers, and two jobs (the consent scheduler and the webhook
dispatcher), each woken early when new work arrives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcer.consent.adapters import MongoControllers, MongoRateLimiter
from sourcer.consent.app import create_internal_api, create_public_app
from sourcer.consent.catalog import CATALOG
from sourcer.consent.container import Container
from sourcer.consent.domain import Deadlines
from sourcer.consent.entrypoints import CONSUMERS, PUBLISHES
from sourcer.consent.mail import SmtpMailer
from sourcer.consent.ports import Clock, Mailer, Publisher
from sourcer.consent.repository import MongoConsentRepository
from sourcer.consent.scheduler import ConsentScheduler
from sourcer.consent.service import ConsentService, ServiceConfig
from sourcer.consent.settings import ConsentSettings
from sourcer.consent.talent_fanout import TalentFanOut
from sourcer.consent.talents import (
    MongoTalentDirectory,
    MongoTalentRecords,
    TalentDirectory,
    TalentRecords,
)
from sourcer.consent.texts import Controller
from sourcer.consent.webhook_rules import TargetPolicy
from sourcer.consent.webhook_sender import HttpxSender, Resolver, Sender, SystemResolver
from sourcer.consent.webhook_store import MongoWebhookStore
from sourcer.consent.webhooks import WebhookDispatcher, WebhookService
from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.crypto import Sealer
from sourcer.runtime.jobs import Job
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec
from sourcer.runtime.store import Store


def system_clock() -> datetime:
    return datetime.now(UTC)


def webhook_sealer(settings: ConsentSettings) -> Sealer:
    return Sealer(
        settings.webhook_secrets_key.get_secret_value(),
        previous=tuple(k.get_secret_value() for k in settings.webhook_secrets_previous_keys),
        name="SOURCER_CONSENT_WEBHOOK_SECRETS_KEY",
        previous_name="SOURCER_CONSENT_WEBHOOK_SECRETS_PREVIOUS_KEYS",
    )


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
    talent_records: TalentRecords | None = None,
    verifier: TokenVerifier | None = None,
    auth: AuthSettings | None = None,
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
    consents = MongoConsentRepository(store)
    service = ConsentService(
        repo=consents,
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
    hooks = MongoWebhookStore(store, sealer=webhook_sealer(settings))
    development = settings.webhook_mode == "development"
    policy = TargetPolicy(
        https_only=not development,
        ports=None if development else frozenset(settings.webhook_ports),
        allow_loopback=settings.webhook_allow_loopback,
    )
    sender = sender or HttpxSender(
        timeout=settings.webhook_timeout,
        policy=policy,
        resolver=resolver,
        max_connections=settings.webhook_concurrency,
    )
    webhooks = WebhookService(
        store=hooks,
        clock=clock,
        resolver=resolver,
        policy=policy,
        wake=webhook_wake.set,
    )
    return Container(
        settings=settings,
        store=store,
        service=service,
        scheduler=ConsentScheduler(
            service=service, mailer=mailer, mail_max_attempts=settings.mail_max_attempts
        ),
        webhooks=webhooks,
        dispatcher=WebhookDispatcher(
            store=hooks,
            sender=sender,
            clock=clock,
            concurrency=settings.webhook_concurrency,
            send_timeout=settings.webhook_timeout,
            write_concurrency=settings.webhook_write_concurrency,
        ),
        talent_fanout=TalentFanOut(
            talents=talent_records or MongoTalentRecords(store),
            consents=consents,
            webhooks=webhooks,
            erase=store.erase_talent,
        ),
        controllers=controllers,
        verifier=verifier or TokenVerifier(auth or AuthSettings()),
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
        api=create_public_app(container),
        internal_api=create_internal_api(container),
        jobs=jobs if run_jobs else [],
    )


SERVICE = ServiceSpec(
    CATALOG, ConsentSettings, bootstrap, CONSUMERS, "sourcer-consent serve", publishes=PUBLISHES
)
