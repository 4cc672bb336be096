"""Extractor throughput against a bare Playwright loop on the same pages, in the same run.

The extractor side publishes N `sourcing.requested` for simulated profiles and waits for every
`profile.extracted` (lease, render, "Show all" pages, contact overlay, parse, publish). The
baseline opens exactly the pages the extractor opened (taken from the simulator's page-load
log) with `goto` + `page.content()` at the same concurrency: no waiting for sections, no
parsing, no bus. Both use one Chromium with the same flags, and both measure steady state: the
baseline opens its context and logs in before its timer, the extractor first runs a few
untimed jobs so that every account has opened its context and tab. Also measures parse time
per page on the simulator's rendered DOMs.

    AMQP_URL=... MONGODB_URL=... uv run python bench/extractor.py [--profiles 40] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
from playwright.async_api import async_playwright
from starlette.types import ASGIApp, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from extractor_harness import (
    CHROMIUM,
    extractor_settings,
    import_simulator_account,
    serve_app,
    start_extractor,
)
from support import delete_topology, observe

from sourcer.extractor.browser import CHROMIUM_ARGS
from sourcer.extractor.parsing import parse_linkedin, parse_xing
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import ProfileExtracted, ProfileExtractionFailed, SourcingRequested
from sourcer.proto.records import Platform
from sourcer.runtime.bus import Bus
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.store import connect_store
from sourcer.simulator.app import create_app
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS
from sourcer.simulator.render import render_hydrated

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
ACTOR = Actor(kind=ActorKind.SERVICE, id="bench")


class PeakRss:
    """Samples this process and its children (Chromium) every 100 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    def _sample(self) -> int:
        me = psutil.Process()
        total: int = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a renderer may exit while we look
                total += int(child.memory_info().rss)
        return total

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self._sample())
            await asyncio.sleep(0.1)

    def __enter__(self) -> PeakRss:
        self.peak = 0
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


class PathLog:
    """Records the page paths the browser loads, so the baseline loads the very same pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_sim"):
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_extractor(
    catalog: ProfileCatalog, base_url: str, log: PathLog, count: int, concurrency: int
) -> tuple[float, list[float], int]:
    namespace = f"bench.{uuid.uuid4().hex[:6]}."
    db_name = f"bench_{uuid.uuid4().hex[:8]}"
    settings = extractor_settings(
        amqp_url=AMQP_URL, mongodb_url=MONGODB_URL, db_name=db_name, namespace=namespace,
        base_url=base_url, tmp=Path(tempfile.mkdtemp()),
    ).model_copy(update={"concurrency": concurrency, "pages_per_context": 1000})  # fmt: skip
    store = await connect_store(MONGODB_URL, db_name)
    bus = Bus(url=AMQP_URL, namespace=namespace, name="bench")
    await bus.connect()
    for n in range(concurrency):
        for platform in Platform:
            await import_simulator_account(
                settings=settings,
                store=store,
                base_url=base_url,
                account=f"seat{n}-{platform.value}",
                platform=platform,
                tenant="bench",
            )
    members = [m for m in catalog if not m.private]
    sent: dict[str, float] = {}
    latencies: list[float] = []
    expected = 0
    done = asyncio.Event()

    async def on_result(envelope: Envelope[Any]) -> None:
        if envelope.type != "profile.extracted":
            raise SystemExit(f"extraction failed: {envelope.payload}")
        latencies.append(time.perf_counter() - sent[envelope.payload.request_id])
        if len(latencies) == expected:
            done.set()

    async def source(batch: list[Any], prefix: str) -> None:
        nonlocal expected
        latencies.clear()
        done.clear()
        expected = len(batch)
        for n, member in enumerate(batch):
            source = member.profile.source
            request_id = f"{prefix}-{n}"
            sent[request_id] = time.perf_counter()
            await bus.emit(
                SourcingRequested(
                    request_id=request_id, url=source.profile_url, platform=source.platform,
                    profile_id=source.profile_id,
                ),
                tenant_id="bench", correlation_id=request_id, actor=ACTOR,
            )  # fmt: skip
        await done.wait()

    await observe(
        bus, "bench-results", [ProfileExtracted, ProfileExtractionFailed], on_result, concurrency=8
    )
    close_browser = await start_extractor(settings, bus, store)
    # Not timed: each account's first job opens its browser context and tab, as the baseline
    # opens its context and logs in before its timer.
    firsts = [next(m for m in members if m.profile.source.platform is p) for p in Platform]
    await source(firsts * 2 * concurrency, "warmup")
    log.paths.clear()
    with PeakRss() as rss:
        started = time.perf_counter()
        await source([members[n % len(members)] for n in range(count)], "bench")
        elapsed = time.perf_counter() - started
    queues = bus.declared_queues()
    await bus.close()
    await close_browser()
    await delete_topology(AMQP_URL, namespace, queues)
    await store.client.drop_database(db_name)
    await store.close()
    return count / elapsed, latencies, rss.peak


async def run_baseline(
    base_url: str, paths: list[str], count: int, concurrency: int
) -> tuple[float, int]:
    """`goto` + `content()` on the same page loads, `concurrency` pages at a time."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context()
        login = await context.new_page()
        await login.goto(f"{base_url}/_sim/login?account=baseline")
        await context.add_cookies(
            [{"name": "xing_privacy_consent", "value": "accepted", "url": base_url}]
        )
        queue: asyncio.Queue[str] = asyncio.Queue()
        for path in paths:
            queue.put_nowait(path)

        async def worker() -> None:
            page = await context.new_page()
            while not queue.empty():
                path = queue.get_nowait()
                await page.goto(base_url + path, wait_until="domcontentloaded")
                await page.content()

        with PeakRss() as rss:
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        await browser.close()
    return count / elapsed, rss.peak


def parse_ms_per_page(catalog: ProfileCatalog, rounds: int = 20) -> float:
    pages: list[tuple[Platform, str, dict[str, str], str | None, str]] = []
    for member in catalog:
        if member.private:
            continue
        url = member.profile.source.profile_url
        if member.profile.source.platform is Platform.XING:
            pages.append((Platform.XING, render_hydrated(member), {}, None, url))
            continue
        details = {s: render_hydrated(member, "details", section=s) for s in DETAIL_SECTIONS}
        contact = render_hydrated(member, "contact")
        pages.append((Platform.LINKEDIN, render_hydrated(member), details, contact, url))
    started = time.perf_counter()
    parsed = 0
    for _ in range(rounds):
        for platform, main, subpages, overlay, url in pages:
            if platform is Platform.XING:
                parse_xing(main, url=url)
                parsed += 1
            else:
                parse_linkedin(main, details=subpages, contact_html=overlay, url=url)
                parsed += 2 + len(subpages)
    return (time.perf_counter() - started) * 1000 / parsed


async def main(count: int, concurrency: int) -> None:
    configure_logging(fmt="json", level="WARNING")
    catalog = ProfileCatalog.builtin()
    log = PathLog(create_app(profiles=catalog, render_delay_ms=0))
    async with serve_app(log) as base_url:
        rate, latencies, extractor_rss = await run_extractor(
            catalog, base_url, log, count, concurrency
        )
        paths = list(log.paths)
        base_rate_pages, base_rss = await run_baseline(base_url, paths, len(paths), concurrency)
    pages_per_profile = len(paths) / count
    base_rate = base_rate_pages / pages_per_profile
    parse_ms = parse_ms_per_page(catalog)
    print(
        f"profiles: {count}, concurrency: {concurrency}, pages per profile: {pages_per_profile:.1f}"
    )
    print(
        f"extractor: {rate:6.2f} profiles/s  p50 {statistics.median(latencies) * 1000:6.0f} ms"
        f"  p95 {percentile(latencies, 0.95) * 1000:6.0f} ms"
        f"  peak RSS {extractor_rss / 2**20:.0f} MiB"
    )
    print(
        f"baseline:  {base_rate:6.2f} profiles/s  ({base_rate_pages:.1f} pages/s, goto + content)"
        f"  peak RSS {base_rss / 2**20:.0f} MiB"
    )
    print(f"ratio extractor/baseline: {rate / base_rate:.2f} (goal >= 0.80)")
    print(f"parse time: {parse_ms:.2f} ms per page (goal <= 10 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.profiles, args.concurrency))
