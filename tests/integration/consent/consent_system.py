"""The consent service (and the talent service's consent mirror) in this process, on real
RabbitMQ and MongoDB, with a fake clock, a real SMTP server (aiosmtpd) and real HTTP."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import aio_pika
import httpx
from aiosmtpd.controller import Controller
from support import talent_document

from sourcer.consent.app import create_api
from sourcer.consent.bootstrap import SERVICE, bootstrap
from sourcer.consent.container import Container
from sourcer.consent.settings import ConsentSettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, TokenVerifier, mint_token
from sourcer.runtime.service import Infra
from sourcer.runtime.store import Store

SECRET = "consent-integration-secret-0123456789"
SUPPRESSION_KEY = "consent-integration-suppression-key"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def auth(
    *, tenant: str = "acme", sub: str = "alice", role: Role = Role.RECRUITER
) -> dict[str, str]:
    token = mint_token(secret=SECRET, sub=sub, tenant=tenant, role=role)
    return {"Authorization": f"Bearer {token}"}


ADMIN = auth(sub="ada", role=Role.ADMIN)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Inbox:
    """aiosmtpd handler keeping every message it accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0
        self.unknown_recipients = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.unknown_recipients:  # worded like Postfix, which quotes the address
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def consent_settings(**overrides: Any) -> ConsentSettings:
    values: dict[str, Any] = {
        "secret_key": "consent-test-key",
        "public_base_url": "https://consent.test",
        "webhook_allow_loopback": True,
        "controller_name": "ACME Recruiting GmbH",
        "controller_contact": "privacy@acme.example",
        **overrides,
    }
    return ConsentSettings(**values)


def talent_doc(
    talent_id: str = "tal_1",
    *,
    tenant: str = "acme",
    first: str = "Jana",
    last: str = "Novakova",
    email: str | None = "jana.novakova@example.org",
    language: str | None = "de",
    slug: str = "jana-novakova-4711",
) -> dict[str, Any]:
    """A talent as the talent service stores it (through its contract model)."""
    return talent_document(
        talent_id, tenant=tenant, first=first, last=last, email=email, language=language, slug=slug
    )


@dataclass
class ConsentSystem:
    container: Container
    client: httpx.AsyncClient
    store: Store
    clock: FakeClock
    smtp: SmtpServer | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    async def add_talent(self, **kwargs: Any) -> dict[str, Any]:
        doc = talent_doc(**kwargs)
        await self.store.db["talents"].insert_one(doc)
        return doc

    async def request(
        self,
        talent_id: str = "tal_1",
        *,
        channel: str = "link",
        headers: dict[str, str] | None = None,
        **body: Any,
    ) -> httpx.Response:
        return await self.client.post(
            f"/internal/v1/talents/{talent_id}/consent-requests",
            json={"channel": channel, **body},
            headers=headers or auth(),
        )

    async def link(self, talent_id: str = "tal_1") -> str:
        response = await self.request(talent_id)
        assert response.status_code in (200, 201), response.text
        url: str = response.json()["consent_url"]
        return url.replace("https://consent.test", "")

    async def tick(self) -> None:
        await self.container.scheduler.tick()

    async def wait_for_mails(self, count: int) -> list[Message]:
        assert self.smtp is not None
        for _ in range(100):
            if len(self.smtp.inbox.messages) >= count:
                break
            await asyncio.sleep(0.05)
        return self.smtp.inbox.messages


async def build(
    *, store: Store, publisher: Any, smtp: SmtpServer | None = None, **overrides: Any
) -> tuple[Container, FakeClock]:
    clock = FakeClock()
    if smtp is not None:
        overrides.setdefault("smtp_port", smtp.port)
    settings = consent_settings(mongodb_db=store.db.name, **overrides)
    # The tests tick the scheduler and dispatcher themselves, with the fake clock.
    parts = bootstrap(
        settings,
        Infra(settings=settings, bus=publisher, store=store.with_catalog(SERVICE.full_catalog)),
        run_jobs=False,
        clock=clock,
        verifier=TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET)),
    )
    await parts.container.store.ensure_indexes()
    return parts.container, clock


def asgi_client(container: Container, *, ip: str = "203.0.113.9") -> httpx.AsyncClient:
    """Real HTTP semantics in process; `ip` is the client address the app sees."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_api(container), client=(ip, 5555)),
        base_url="https://consent.test",
    )


async def delete_queues(amqp_url: str, queues: set[str]) -> None:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        for name in queues:
            await channel.queue_delete(name)
    finally:
        await connection.close()
