"""One way to run a Sourcer service, the same for every one of them.

A service is a `ServiceSpec`: its name, its catalog of collections, how to read its settings and
a `bootstrap(settings, infra, **overrides)` that builds its container once and says what runs:
consumers, its HTTP apps, background jobs, start and stop hooks. The runtime does the rest:

    start:  store and bus → indexes → on_start hooks → consumers → jobs → HTTP: the internal
            listener (internal API + ops routes) and, for public routes, the public listener
    SIGTERM: HTTP stops accepting and finishes its requests → jobs finish their run →
             consumers stop taking messages and finish in-flight ones → on_stop hooks → bus, store

so `/readyz` answering means the queues exist and are consumed, and nothing a request or an event
started is cut off by the shutdown. Tests run the same wiring in-process with `running(...)`,
handing in fakes through the bootstrap's overrides.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.types import ASGIApp

from sourcer.proto.events import EVENT_TYPES
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.catalog import Catalog
from sourcer.runtime.consumer import Consumer
from sourcer.runtime.consumer_spec import ConsumerSpec
from sourcer.runtime.http import Listener, ReadinessCheck, serve, with_liveness, with_ops_routes
from sourcer.runtime.idempotency import RUNTIME_CATALOG, MongoProcessedEvents
from sourcer.runtime.jobs import Job, run_job
from sourcer.runtime.logging import configure_logging, get_logger
from sourcer.runtime.settings import ServiceSettings, config_error_message
from sourcer.runtime.store import Store, connect_store

log = get_logger(__name__)

C = TypeVar("C")
S = TypeVar("S", bound=ServiceSettings)
Hook = Callable[[], Awaitable[None]]


@dataclass
class Infra:
    """The connections a service is built on; one store and one bus per process."""

    settings: ServiceSettings
    bus: Bus
    store: Store


@dataclass
class ServiceParts(Generic[C]):
    """What `bootstrap` returns: the container, and everything the runtime starts and stops.

    `api` holds the routes the public may reach, served on the public listener (`http_port`);
    `internal_api` the routes only other services call, served with the ops routes on the
    internal listener (`internal_port`)."""

    container: C
    consumers: Sequence[ConsumerSpec[C]] = ()
    consumer_concurrency: int = 1
    api: ASGIApp | None = None
    internal_api: ASGIApp | None = None
    jobs: Sequence[Job] = ()
    readiness: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    on_start: Sequence[Hook] = ()
    on_stop: Sequence[Hook] = ()


@dataclass(frozen=True)
class ServiceSpec(Generic[S, C]):
    """A service: its collections (and name), how to read its settings, its bootstrap, every
    consumer it may run (for docs, tests and ops tools; `bootstrap` returns the ones it runs,
    with retry waits from settings where a service allows that), how ops start it, and the
    events it publishes. Its broker user may publish those and consume what its consumers take,
    nothing else (`bus_permissions.py`); the bus refuses to publish an undeclared one."""

    catalog: Catalog
    settings: Callable[[], S]
    bootstrap: Callable[..., ServiceParts[C]]
    consumers: Sequence[ConsumerSpec[C]]
    command: str
    publishes: tuple[type[BaseModel], ...] = ()

    @property
    def published_types(self) -> list[str]:
        """Routing keys of the events it publishes."""
        return [EVENT_TYPES[model] for model in self.publishes]

    @property
    def consumed_types(self) -> list[str]:
        """Routing keys its consumers' queues are bound to."""
        return sorted({key for spec in self.consumers for key in spec.keys})

    @property
    def name(self) -> str:
        return self.catalog.service

    @property
    def full_catalog(self) -> Catalog:
        """The service's collections and the runtime's own (processed event ids)."""
        return self.catalog.merged(RUNTIME_CATALOG)


@dataclass
class RunningService(Generic[C]):
    name: str
    parts: ServiceParts[C]
    infra: Infra
    consumers: list[Consumer]
    listener: Listener | None
    internal_listener: Listener | None = None

    @property
    def container(self) -> C:
        return self.parts.container

    @property
    def port(self) -> int:
        """The public listener's port (0 without one)."""
        return self.listener.port if self.listener is not None else 0

    @property
    def internal_port(self) -> int:
        return self.internal_listener.port if self.internal_listener is not None else 0


async def _connect(spec: ServiceSpec[Any, Any], settings: ServiceSettings) -> Infra:
    store = await connect_store(
        settings.mongodb_url, settings.mongodb_db, app_name=spec.name, catalog=spec.full_catalog
    )
    bus = Bus(
        url=settings.amqp_url,
        namespace=settings.bus_namespace,
        publish_timeout=settings.publish_timeout,
        name=spec.name,
        publishes=frozenset(spec.published_types),
    )
    try:
        await bus.connect()
    except BaseException:
        await store.close()
        raise
    return Infra(settings=settings, bus=bus, store=store)


@contextlib.asynccontextmanager
async def running(
    spec: ServiceSpec[S, C],
    settings: S,
    *,
    infra: Infra | None = None,
    listen: bool = True,
    **overrides: Any,
) -> AsyncIterator[RunningService[C]]:
    """Start the service in this event loop and drain it on exit. `infra` shares a test's store
    and bus (left open afterwards); `listen=False` serves no port (tests call `parts.api` and
    `parts.internal_api` in-process); `overrides` go to `bootstrap` (fakes, clocks, transports,
    `auth`)."""
    async with contextlib.AsyncExitStack() as stack:
        if infra is None:
            infra = await _connect(spec, settings)
            stack.push_async_callback(infra.store.close)
            stack.push_async_callback(infra.bus.close, timeout=settings.drain_timeout)
        else:
            infra = Infra(
                settings=settings,
                bus=infra.bus,
                store=infra.store.with_catalog(spec.full_catalog),
            )
        parts: ServiceParts[C] = spec.bootstrap(settings, infra, **overrides)
        await infra.store.ensure_indexes()
        for hook in reversed(parts.on_stop):
            stack.push_async_callback(hook)
        for hook in parts.on_start:
            await hook()
        consumers = await _start_consumers(stack, parts, infra, settings)
        _start_jobs(stack, parts.jobs, drain_timeout=settings.drain_timeout)

        async def broker_ready() -> bool:
            return infra.bus.is_ready()

        checks = {"broker": broker_ready, "store": infra.store.ping, **parts.readiness}
        parts.internal_api = with_ops_routes(parts.internal_api, checks)
        if parts.api is not None:
            parts.api = with_liveness(parts.api)
        listener = internal_listener = None
        if listen:
            # Stopped in reverse: the public listener first, the internal one (probes) last.
            internal_listener = await serve(
                parts.internal_api,
                host=settings.internal_host,
                port=settings.internal_port,
                graceful_seconds=settings.drain_timeout,
                keep_alive_seconds=settings.keep_alive_seconds,
            )
            stack.push_async_callback(internal_listener.stop)
            if parts.api is not None:
                listener = await serve(
                    parts.api,
                    host=settings.http_host,
                    port=settings.http_port,
                    graceful_seconds=settings.drain_timeout,
                    keep_alive_seconds=settings.keep_alive_seconds,
                )
                stack.push_async_callback(listener.stop)
        log.info(
            "service.started",
            service=spec.name,
            port=listener.port if listener else None,
            internal_port=internal_listener.port if internal_listener else None,
            consumers=[c.name for c in consumers],
            jobs=[j.name for j in parts.jobs],
        )
        yield RunningService(
            name=spec.name,
            parts=parts,
            infra=infra,
            consumers=consumers,
            listener=listener,
            internal_listener=internal_listener,
        )
        log.info("service.draining", service=spec.name)


async def _start_consumers(
    stack: contextlib.AsyncExitStack,
    parts: ServiceParts[C],
    infra: Infra,
    settings: ServiceSettings,
) -> list[Consumer]:
    started: list[Consumer] = []

    async def stop_all() -> None:
        await asyncio.gather(*(c.stop(timeout=settings.drain_timeout) for c in started))

    stack.push_async_callback(stop_all)
    processed = MongoProcessedEvents(infra.store)
    for consumer_spec in parts.consumers:
        started.append(
            await infra.bus.consume(
                consumer_spec,
                context=parts.container,
                concurrency=parts.consumer_concurrency,
                processed=processed,
            )
        )
    return started


def _start_jobs(
    stack: contextlib.AsyncExitStack, jobs: Sequence[Job], *, drain_timeout: float
) -> None:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(run_job(job, stop=stop), name=job.name) for job in jobs]

    async def stop_jobs() -> None:
        stop.set()
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=drain_timeout)
        for task in pending:
            log.error("job.drain_timeout", job=task.get_name())
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    stack.push_async_callback(stop_jobs)


def run_service(spec: ServiceSpec[S, C], settings: S | None = None) -> int:
    """The process entry point: run until SIGTERM or SIGINT, then drain and exit 0.

    Settings, the auth mode among them, are read before anything connects: a service that is
    not configured says what is missing and exits 2, instead of starting half-configured."""
    try:
        settings = settings or spec.settings()
        auth = AuthSettings()
    except ValidationError as exc:
        print(config_error_message(spec.name, exc), file=sys.stderr)
        return 2
    return asyncio.run(_serve_until_signalled(spec, settings, auth))


async def _serve_until_signalled(spec: ServiceSpec[S, C], settings: S, auth: AuthSettings) -> int:
    configure_logging(fmt=settings.log_format, level=settings.log_level, service=spec.name)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running(spec, settings, auth=auth):
        await stop.wait()
    log.info("service.stopped", service=spec.name)
    return 0
