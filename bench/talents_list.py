"""p99 of typical talent-browse queries at 100,000 talents per tenant, against 1,000, same run.

Two tenants in one database: `big` with --talents talents, `small` with --small, drawn from the
same distribution (pools, statuses, consent states, platforms, recruiters, names, companies).
Each typical query of the gateway's `GET /v1/talents` (first page, a filter, a search, the next
page by cursor) runs against both tenants in alternating rounds, through the gateway's own read
path (`sourcer.gateway.reads.browse_talents`) with the talent service's indexes. The ratio of
p99s says how the browse scales with the pool's size: 1.0 is flat, as index walks are.

    MONGODB_URL=... uv run python bench/talents_list.py [--talents 100000] [--small 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcer.gateway.browse import TalentFilters, TalentSort
from sourcer.gateway.reads import browse_talents
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import Caller
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.store import Store, connect_store
from sourcer.talent.identity import index_fields
from sourcer.talent.repository import CATALOG, TALENTS

MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
FIRST = ["Anna", "Jürgen", "Lena", "Max", "Sofia", "Tom", "Eva", "Paul", "Mia", "Jonas"]
LAST = ["Müller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz"]
COMPANIES = ["Siemens", "SAP", "Initech", "Globex", "Umbrella", "Zalando", "Bosch", "Otto"]
STATUSES = ["new", "contacted", "interested", "in_process", "placed"]
CONSENTS = [None, None, "requested", "granted", "denied"]
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def talent(rng: random.Random, tenant: str, number: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST) + ("" if rng.random() < 0.5 else str(number))
    platform = "linkedin" if rng.random() < 0.7 else "xing"
    slug = f"{tenant}-{number}"
    url = (
        f"https://www.linkedin.com/in/{slug}/"
        if platform == "linkedin"
        else f"https://www.xing.com/profile/{slug}"
    )
    created = T0 + timedelta(minutes=number)
    consent = rng.choice(CONSENTS)
    doc: dict[str, Any] = {
        "_id": f"tal_{tenant}_{number:06d}",
        "tenant_id": tenant,
        "version": 1,
        "first_name": first,
        "last_name": last,
        "emails": [f"{slug}@example.org"],
        "experience": [
            {"title": "Engineer", "company": rng.choice(COMPANIES), "is_current": True},
            {"title": "Intern", "company": rng.choice(COMPANIES)},
        ],
        "sources": [{"platform": platform, "profile_url": url, "profile_id": slug}],
        "pools": rng.sample([f"pool_{i}" for i in range(20)], k=rng.randint(0, 2)),
        "status": rng.choice(STATUSES),
        "created_at": created,
        "updated_at": created + timedelta(minutes=rng.randint(0, 500_000)),
        "created_by": f"user_{rng.randint(0, 49)}",
    }
    if consent is not None:
        doc["consent"] = {
            "state": consent,
            "consent_id": f"con_{number}",
            "channel": "link",
            "at": created,
            "event_id": f"evt_{number}",
        }
    return {**doc, **index_fields(doc)}


async def seed(store: Store, tenant: str, count: int) -> None:
    rng = random.Random(tenant)
    batch: list[dict[str, Any]] = []
    started = time.perf_counter()
    for number in range(count):
        batch.append(talent(rng, tenant, number))
        if len(batch) == 2000 or number == count - 1:
            await store.collection(TALENTS).insert_many(batch, ordered=False)
            batch = []
            if (number + 1) % 20_000 == 0:
                print(
                    f"  seeded {number + 1:,}/{count:,} of {tenant} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )


QUERIES: dict[str, TalentFilters] = {
    "first page": TalentFilters(),
    "pool": TalentFilters(pool="pool_3"),
    "status": TalentFilters(status="contacted"),
    "consent not asked": TalentFilters(consent_state=ConsentState.NOT_REQUESTED),
    "search name": TalentFilters(q="schn"),
    "search company": TalentFilters(q="siemens"),
    "recruiter": TalentFilters(sourced_by="user_7"),
}


def query_runner(store: Store, tenant: str, name: str) -> Callable[[], Awaitable[int]]:
    async def page(filters: TalentFilters, cursor: str | None) -> tuple[int, str | None]:
        rows, next_cursor = await browse_talents(
            store=store,
            tenant_id=tenant,
            # An admin sees every talent, restricted or not: the page walks the whole tenant.
            caller=Caller(sub="bench_admin", tenant=tenant, role=Role.ADMIN),
            filters=filters,
            sort=TalentSort.UPDATED_DESC,
            cursor=cursor,
            limit=25,
        )
        return len(rows), next_cursor

    async def run() -> int:
        if name == "next page":
            _, cursor = await page(TalentFilters(), None)
            return (await page(TalentFilters(), cursor))[0]
        return (await page(QUERIES[name], None))[0]

    return run


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


async def main(args: argparse.Namespace) -> None:
    configure_logging(level="WARNING")
    db_name = f"bench_talents_{uuid.uuid4().hex[:8]}"
    store = await connect_store(MONGODB_URL, db_name, catalog=CATALOG)
    try:
        await store.ensure_indexes()
        print(f"seeding {args.talents:,} + {args.small:,} talents into {db_name}", flush=True)
        await seed(store, "big", args.talents)
        await seed(store, "small", args.small)
        names = [*QUERIES, "next page"]
        samples: dict[tuple[str, str], list[float]] = {
            (t, n): [] for t in ("big", "small") for n in names
        }
        for round_number in range(args.rounds):
            # Alternate which tenant goes first, so drift on a noisy machine hits both.
            tenants = ("big", "small") if round_number % 2 == 0 else ("small", "big")
            for name in names:
                for tenant in tenants:
                    run = query_runner(store, tenant, name)
                    started = time.perf_counter()
                    found = await run()
                    samples[(tenant, name)].append(time.perf_counter() - started)
                    assert found > 0, (tenant, name)
        print(
            f"\n{'query':<20} {'p50 big ms':>11} {'p99 big ms':>11} "
            f"{'p99 small ms':>13} {'ratio':>6}"
        )
        ratios = []
        for name in names:
            big, small = samples[("big", name)], samples[("small", name)]
            ratio = p99(big) / p99(small)
            ratios.append(ratio)
            print(
                f"{name:<20} {statistics.median(big) * 1000:>11.1f} {p99(big) * 1000:>11.1f} "
                f"{p99(small) * 1000:>13.1f} {ratio:>6.2f}"
            )
        worst = max(p99(samples[("big", n)]) for n in names)
        print(f"\nworst p99 at {args.talents:,} talents: {worst * 1000:.1f} ms")
        print(
            f"ratio (p99 at {args.talents:,} / p99 at {args.small:,}, geometric mean over "
            f"queries): {statistics.geometric_mean(ratios):.2f}"
        )
    finally:
        await store.client.drop_database(db_name)
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=100)
    asyncio.run(main(parser.parse_args()))
