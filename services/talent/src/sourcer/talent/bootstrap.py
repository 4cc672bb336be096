"""Wires the talent service: repository, handlers, consumers, the internal API; `SERVICE` runs it.

Real adapters by default; tests hand in their own through the keyword arguments (`clock` drives
the retention job's idea of now).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.jobs import retention_job
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec
from sourcer.talent.api import create_api
from sourcer.talent.consent_mirror import ConsentMirror
from sourcer.talent.consent_records import MongoConsentRecords
from sourcer.talent.container import Container
from sourcer.talent.entrypoints import CONSUMERS, PUBLISHES
from sourcer.talent.erasure import TalentEraser
from sourcer.talent.never_asked import ErasureScheduler, NeverAskedPolicy
from sourcer.talent.previews import PreviewHandler
from sourcer.talent.repository import CATALOG, PREVIEWS, MongoTalentRepository
from sourcer.talent.retention import last_contact_rule, talent_retention_job
from sourcer.talent.settings import TalentSettings
from sourcer.talent.submission import SubmitHandler


def bootstrap(
    settings: TalentSettings,
    infra: Infra,
    *,
    auth: AuthSettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> ServiceParts[Container]:
    repo = MongoTalentRepository(infra.store)
    key = settings.suppression_key.get_secret_value().encode()
    container = Container(
        settings=settings,
        store=infra.store,
        repo=repo,
        publisher=infra.bus,
        previews=PreviewHandler(
            repo=repo,
            publisher=infra.bus,
            suppression_key=key,
        ),
        submit=SubmitHandler(repo=repo, publisher=infra.bus, suppression_key=key),
        mirror=ConsentMirror(store=infra.store, publisher=infra.bus, suppression_key=key),
        consents=MongoConsentRecords(infra.store),
    )
    never_asked = NeverAskedPolicy(
        notice=timedelta(days=settings.consent_notice_days),
        grace=timedelta(days=settings.erasure_grace_days),
    )
    api = create_api(TokenVerifier(auth or AuthSettings()))
    api.state.container = container
    return ServiceParts(
        container=container,
        consumers=CONSUMERS,
        consumer_concurrency=settings.consumer_concurrency,
        internal_api=api,
        jobs=[
            # A preview holds the extracted profile of a person who may never become a talent.
            retention_job(
                infra.store, PREVIEWS, keep_days=settings.preview_retention_days, clock=clock
            ),
            talent_retention_job(
                store=infra.store,
                eraser=TalentEraser(store=infra.store, publisher=infra.bus, suppression_key=key),
                rules=[
                    last_contact_rule(keep_days=settings.last_contact_retention_days),
                    never_asked.erasure_rule(consents=container.consents),
                ],
                reminders=[
                    ErasureScheduler(store=infra.store, publisher=infra.bus, policy=never_asked)
                ],
                clock=clock,
            ),
        ],
    )


SERVICE = ServiceSpec(
    CATALOG, TalentSettings, bootstrap, CONSUMERS, "sourcer-talent worker", publishes=PUBLISHES
)
