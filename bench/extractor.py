"""Extractor throughput against a bare Playwright loop and crawlee, on the same pages, one run.

The extractor side publishes N `sourcing.requested` for simulated profiles and waits for every
`profile.extracted` (lease, render, "Show all" pages, contact overlay, parse, publish). The
baseline opens exactly the pages the extractor opened (taken from the simulator's page-load
log) with `goto` + `page.content()` at the same concurrency: no waiting for sections, no
parsing, no bus. The peer is crawlee-python's PlaywrightCrawler doing the extractor's work on
the same profiles (`extractor_peer.py`): sections, lazy cards, "Show all" pages and the contact
overlay as requests of their own, parsed with the same parser. All use the Debian Chromium with
the same flags at the same concurrency, and all measure steady state: the baseline opens its
context and logs in before its timer, crawlee's timer starts at its first navigation, the
extractor first runs a few untimed jobs so that every account has opened its context and tab.
The cost of site isolation: a second extractor runs the same rounds with
`--disable-site-isolation-trials` (SOURCER_EXTRACTOR_CHROMIUM_SITE_ISOLATION=false), the two
alternating which goes first; the run prints both throughputs, the renderer processes each
started and the ratio (every other contender keeps site isolation on, as the extractor does).
Also measures parse time per page on the simulator's rendered DOMs and on the largest real
page of the saved-page corpus. The peers run between the extractor's rounds, so their peak RSS
includes the extractors' idle browsers.

    AMQP_URL=... MONGODB_URL=... uv run python bench/extractor.py [--profiles 40] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
from playwright.async_api import async_playwright
from starlette.types import ASGIApp, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from extractor_harness import (
    CHROMIUM,
    chromium_no_sandbox,
    extractor_settings,
    import_simulator_account,
    serve_app,
    start_extractor,
)
from extractor_peer import run_crawlee
from support import delete_topology, observe

from sourcer.extractor.browser import chromium_args
from sourcer.extractor.cli_parse import run_parse
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

# Chromium refuses its sandbox as root (as on a CI or benchmark container): the extractor's
# explicit opt-in, set only then (docs/operations.md).
if os.geteuid() == 0:
    os.environ.setdefault("SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX", "true")
AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
ACTOR = Actor(kind=ActorKind.SERVICE, id="bench")
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"
# Pages of the corpus reduced from real saved pages (tests/fixtures/pages/README.md).
REAL_PAGES = (
    "linkedin/entity-2024/rodrigo-valdes-lindqvist.html",
    "linkedin/pv-section-2020/jonas-keller.html",
)


class PeakRss:
    """Samples this process and its children (Chromium) every 100 ms: peak RSS, and the
    renderer processes started meanwhile (short-lived ones between two samples are missed)."""

    def __init__(self) -> None:
        self.peak = 0
        self._task: asyncio.Task[None] | None = None
        self._kinds: dict[int, bool] = {}
        self._before: set[int] | None = None
        self._seen: set[int] = set()

    @property
    def renderers_started(self) -> int:
        return len(self._seen - (self._before or set()))

    def _is_renderer(self, process: psutil.Process) -> bool:
        if process.pid not in self._kinds:
            self._kinds[process.pid] = "--type=renderer" in process.cmdline()
        return self._kinds[process.pid]

    def _sample(self) -> int:
        me = psutil.Process()
        total: int = me.memory_info().rss
        renderers = set()
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a renderer may exit while we look
                total += int(child.memory_info().rss)
                if self._is_renderer(child):
                    renderers.add(child.pid)
        if self._before is None:
            self._before = renderers
        self._seen |= renderers
        return total

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self._sample())
            await asyncio.sleep(0.1)

    def __enter__(self) -> PeakRss:
        self.peak = 0
        self._before, self._seen = None, set()
        self._sample()  # the renderers already running are not counted as started
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


class ExtractorContender:
    """The extractor as the runtime runs it, on its own bus namespace and database, with its own
    Chromium; `site_isolation=False` launches that Chromium with
    `--disable-site-isolation-trials` (SOURCER_EXTRACTOR_CHROMIUM_SITE_ISOLATION=false)."""

    def __init__(
        self, catalog: ProfileCatalog, base_url: str, concurrency: int, *, site_isolation: bool
    ) -> None:
        self.catalog = catalog
        self.base_url = base_url
        self.concurrency = concurrency
        self.namespace = f"bench.{uuid.uuid4().hex[:6]}."
        self.db_name = f"bench_{uuid.uuid4().hex[:8]}"
        self.settings = extractor_settings(
            amqp_url=AMQP_URL, mongodb_url=MONGODB_URL, db_name=self.db_name,
            namespace=self.namespace, base_url=base_url, tmp=Path(tempfile.mkdtemp()),
        ).model_copy(update={
            "concurrency": concurrency, "pages_per_context": 1000,
            "chromium_site_isolation": site_isolation,
        })  # fmt: skip
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.expected = 0
        self.done = asyncio.Event()

    async def start(self) -> None:
        self.store = await connect_store(MONGODB_URL, self.db_name)
        self.bus = Bus(url=AMQP_URL, namespace=self.namespace, name="bench")
        await self.bus.connect()
        for n in range(self.concurrency):
            for platform in Platform:
                await import_simulator_account(
                    settings=self.settings, store=self.store, base_url=self.base_url,
                    account=f"seat{n}-{platform.value}", platform=platform, tenant="bench",
                )  # fmt: skip
        await observe(
            self.bus, "bench-results", [ProfileExtracted, ProfileExtractionFailed],
            self._on_result, concurrency=8,
        )  # fmt: skip
        self.close_browser = await start_extractor(self.settings, self.bus, self.store)
        # Not timed: each account's first job opens its browser context and tab, as the
        # baseline opens its context and logs in before its timer.
        members = [m for m in self.catalog if not m.private]
        firsts = [next(m for m in members if m.profile.source.platform is p) for p in Platform]
        await self.source(firsts * 2 * self.concurrency, "warmup")

    async def _on_result(self, envelope: Envelope[Any]) -> None:
        if envelope.type != "profile.extracted":
            raise SystemExit(f"extraction failed: {envelope.payload}")
        self.latencies.append(time.perf_counter() - self.sent[envelope.payload.request_id])
        if len(self.latencies) == self.expected:
            self.done.set()

    async def source(self, batch: list[Any], prefix: str) -> None:
        self.latencies.clear()
        self.done.clear()
        self.expected = len(batch)
        for n, member in enumerate(batch):
            source = member.profile.source
            request_id = f"{prefix}-{n}"
            self.sent[request_id] = time.perf_counter()
            await self.bus.emit(
                SourcingRequested(
                    request_id=request_id, url=source.profile_url, platform=source.platform,
                    profile_id=source.profile_id,
                ),
                tenant_id="bench", correlation_id=request_id, actor=ACTOR,
            )  # fmt: skip
        await self.done.wait()

    async def round(self, batch: list[Any], prefix: str) -> tuple[float, list[float], PeakRss]:
        """(seconds, latencies, the round's process sampling) of one timed batch."""
        with PeakRss() as rss:
            started = time.perf_counter()
            await self.source(batch, prefix)
            elapsed = time.perf_counter() - started
        return elapsed, list(self.latencies), rss

    async def stop(self) -> None:
        queues = self.bus.declared_queues()
        await self.bus.close()
        await self.close_browser()
        await delete_topology(AMQP_URL, self.namespace, queues)
        await self.store.client.drop_database(self.db_name)
        await self.store.close()


async def run_extractor(
    catalog: ProfileCatalog,
    base_url: str,
    log: PathLog,
    count: int,
    concurrency: int,
    rounds: int,
    peers: Callable[[list[str], float], Awaitable[None]],
) -> tuple[list[tuple[float, list[float], PeakRss]], list[tuple[float, list[float], PeakRss]]]:
    """Extractor rounds of `count` profiles, with site isolation (the default) and without it,
    alternating; after each pair, `peers` runs on the pages the extractor loaded while both
    extractors idle, so that every contender sees the machine's load of the moment. Returns
    (seconds, latencies, sampling) per round, of each mode."""
    isolated = ExtractorContender(catalog, base_url, concurrency, site_isolation=True)
    shared = ExtractorContender(catalog, base_url, concurrency, site_isolation=False)
    await isolated.start()
    await shared.start()
    members = [m for m in catalog if not m.private]
    batch = [members[n % len(members)] for n in range(count)]
    results: tuple[list[Any], list[Any]] = ([], [])
    for round_ in range(rounds):
        # Which mode goes first alternates, so neither always meets the warmer machine.
        order = [(isolated, results[0]), (shared, results[1])]
        for contender, into in order if round_ % 2 == 0 else order[::-1]:
            log.paths.clear()
            into.append(await contender.round(batch, f"bench{round_}"))
            paths = list(log.paths)
        await peers(paths, results[0][-1][0])
    await shared.stop()
    await isolated.stop()
    return results


async def run_baseline(
    base_url: str, paths: list[str], count: int, concurrency: int
) -> tuple[float, int]:
    """`goto` + `content()` on the same page loads, `concurrency` pages at a time."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=chromium_args(no_sandbox=chromium_no_sandbox()),
            chromium_sandbox=not chromium_no_sandbox(),
        )
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
    started = time.process_time()
    parsed = 0
    for _ in range(rounds):
        for platform, main, subpages, overlay, url in pages:
            if platform is Platform.XING:
                parse_xing(main, url=url)
                parsed += 1
            else:
                parse_linkedin(main, details=subpages, contact_html=overlay, url=url)
                parsed += 2 + len(subpages)
    return (time.process_time() - started) * 1000 / parsed


def parse_ms_on_largest_real_page(rounds: int = 50) -> tuple[str, float, float]:
    """(page, CPU ms, wall ms) per parse through `sourcer-extractor parse` (read, classify,
    parse, print) of the largest real page of the corpus. CPU time is the measure: on a
    shared machine the wall clock also counts the time other processes hold the cores."""
    name = max(REAL_PAGES, key=lambda page: (CORPUS / page).stat().st_size)
    path = str(CORPUS / name)
    platform = name.split("/", 1)[0]
    sink = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        if run_parse(platform, path, out=sink, err=sink) != 0:
            raise SystemExit(f"{name} does not parse: {sink.getvalue()[-300:]}")
    cpu_ms = (time.process_time() - cpu) * 1000 / rounds
    return name, cpu_ms, (time.perf_counter() - started) * 1000 / rounds


@dataclass
class Tally:
    seconds: float = 0.0
    profiles: int = 0
    pages: int = 0
    peak_rss: int = 0

    def add(self, seconds: float, profiles: int, pages: int, rss: int) -> None:
        self.seconds += seconds
        self.profiles += profiles
        self.pages += pages
        self.peak_rss = max(self.peak_rss, rss)

    @property
    def rate(self) -> float:
        return self.profiles / self.seconds


async def main(count: int, concurrency: int, rounds: int) -> None:
    configure_logging(fmt="json", level="WARNING")
    catalog = ProfileCatalog.builtin()
    log = PathLog(create_app(profiles=catalog, render_delay_ms=0))
    members = [m for m in catalog if not m.private]
    # The same profiles in the same order as the extractor's rounds.
    profiles = [
        (m.profile.source.platform, urlsplit(m.profile.source.profile_url).path)
        for m in (members[n % len(members)] for n in range(count))
    ]
    baseline, crawlee = Tally(), Tally()
    lines: list[str] = []
    async with serve_app(log) as base_url:

        async def peers(paths: list[str], extractor_seconds: float) -> None:
            pages_per_second, rss = await run_baseline(base_url, paths, len(paths), concurrency)
            baseline_seconds = len(paths) / pages_per_second
            baseline.add(baseline_seconds, count, len(paths), rss)
            log.paths.clear()
            with PeakRss() as peak:
                peer = await run_crawlee(base_url, profiles, concurrency, CHROMIUM)
            if peer.failures or peer.profiles != count or peer.first_navigation is None:
                raise SystemExit(f"crawlee: {peer.profiles}/{count} profiles, {peer.failures[:3]}")
            peer_seconds = peer.last_parse - peer.first_navigation
            crawlee.add(peer_seconds, count, peer.pages, peak.peak)
            lines.append(
                f"  round {len(lines) + 1}: extractor {count / extractor_seconds:.2f}, baseline"
                f" {count / baseline_seconds:.2f}, crawlee {count / peer_seconds:.2f} profiles/s"
            )

        isolated, shared = await run_extractor(
            catalog, base_url, log, count, concurrency, rounds, peers
        )
    extractor, without_isolation = Tally(), Tally()
    latencies: list[float] = []
    renderers = {True: 0, False: 0}
    for seconds, round_latencies, rss in isolated:
        extractor.add(seconds, count, 0, rss.peak)
        renderers[True] += rss.renderers_started
        latencies += round_latencies
    shared_latencies: list[float] = []
    for seconds, round_latencies, rss in shared:
        without_isolation.add(seconds, count, 0, rss.peak)
        renderers[False] += rss.renderers_started
        shared_latencies += round_latencies
    pages_per_profile = baseline.pages / baseline.profiles
    parse_ms = parse_ms_per_page(catalog)
    real_page, real_ms, real_wall_ms = parse_ms_on_largest_real_page()
    print(
        f"profiles: {count} x {rounds} rounds, concurrency: {concurrency},"
        f" pages per profile: {pages_per_profile:.1f}"
    )
    print(
        f"extractor: {extractor.rate:6.2f} profiles/s"
        f"  p50 {statistics.median(latencies) * 1000:6.0f} ms"
        f"  p95 {percentile(latencies, 0.95) * 1000:6.0f} ms"
        f"  peak RSS {extractor.peak_rss / 2**20:.0f} MiB"
    )
    print(
        f"baseline:  {baseline.rate:6.2f} profiles/s  (goto + content on the extractor's pages)"
        f"  peak RSS {baseline.peak_rss / 2**20:.0f} MiB"
    )
    print(
        f"crawlee:   {crawlee.rate:6.2f} profiles/s"
        f"  ({crawlee.pages / crawlee.profiles:.1f} pages per profile, PlaywrightCrawler,"
        f" same parser)  peak RSS {crawlee.peak_rss / 2**20:.0f} MiB"
    )
    print(
        f"extractor without site isolation: {without_isolation.rate:6.2f} profiles/s"
        f"  p50 {statistics.median(shared_latencies) * 1000:6.0f} ms"
        f"  p95 {percentile(shared_latencies, 0.95) * 1000:6.0f} ms"
        f"  (--disable-site-isolation-trials, not the default)"
    )
    print(
        f"renderer processes started: {renderers[True]} with site isolation,"
        f" {renderers[False]} without, for {count * rounds} profiles each"
        " (sampled every 100 ms; peak RSS counts both extractors' browsers)"
    )
    print(
        f"ratio site isolation on/off: {extractor.rate / without_isolation.rate:.2f}"
        f" (throughput; 1.00 = free)"
    )
    print(f"ratio extractor/crawlee:  {extractor.rate / crawlee.rate:.2f} (goal >= 1.2)")
    print(f"ratio extractor/baseline: {extractor.rate / baseline.rate:.2f} (goal >= 0.9)")
    print("\n".join(lines))
    print(f"parse time: {parse_ms:.2f} ms CPU per page on the simulator's pages")
    print(
        f"parse time: {real_ms:.2f} ms CPU ({real_wall_ms:.2f} ms wall) per page on the largest"
        f" real page, {real_page} (goal < 10 ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternating timed rounds")
    args = parser.parse_args()
    asyncio.run(main(args.profiles, args.concurrency, args.rounds))
