"""Saved pages (HTML and a full-page screenshot) are pruned while the worker runs and erased
with the person they show."""

from __future__ import annotations

import pytest
from extractor_harness import Harness, HarnessFactory
from structlog.testing import capture_logs
from support import eventually
from test_extraction import outcome, source

from sourcer.proto.envelope import Actor, ActorKind
from sourcer.proto.events import TalentErased
from sourcer.proto.person_keys import person_keys
from sourcer.simulator.scenarios import Scenario

pytestmark = pytest.mark.integration

TALENT = Actor(kind=ActorKind.SERVICE, id="talent")


async def test_old_pages_are_pruned_while_the_worker_runs(make_harness: HarnessFactory) -> None:
    harness = await make_harness(snapshot_prune_interval=0.2)
    # Written after the worker started: a prune at start alone never sees it.
    old = harness.settings.snapshot_dir / "2000-01-01"
    old.mkdir(parents=True)
    (old / "req_old-linkedin.html").write_text("<html>a person</html>")
    (old / "req_old-linkedin.png").write_bytes(b"\x89PNG")

    async def pruned() -> bool:
        return not old.exists()

    await eventually(pruned, timeout=10)


async def test_erasing_a_talent_deletes_the_pages_that_show_them(harness: Harness) -> None:
    await harness.add_account("alice")
    harness.simulator.scenarios.set(Scenario.CARDS_NEVER_LOAD, slug="jane-doe")
    jane = harness.simulator.catalog.find("jane-doe")
    assert jane is not None
    # Never submitted: the erased talent came from another recruiter's request.
    result = await outcome(harness, await source(harness, jane))
    assert result.type == "profile.extracted"
    saved = sorted(p.name for p in harness.settings.snapshot_dir.rglob("*") if p.is_file())
    assert [name.rsplit(".", 1)[1] for name in saved] == ["html", "png"]

    keys = person_keys(tenant_id="acme", profiles=[("linkedin", "jane-doe")])
    erased_event = TalentErased(
        talent_id="tal_1", reason="denied", request_ids=["req_other"], person_keys=keys
    )
    await harness.bus.emit(erased_event, tenant_id="acme", correlation_id="erase-1", actor=TALENT)

    async def erased() -> bool:  # the HTML and the screenshot
        return not any(p.is_file() for p in harness.settings.snapshot_dir.rglob("*"))

    await eventually(erased, timeout=20)


async def test_another_tenant_s_erasure_leaves_the_pages(harness: Harness) -> None:
    await harness.add_account("alice")
    harness.simulator.scenarios.set(Scenario.CARDS_NEVER_LOAD, slug="jane-doe")
    jane = harness.simulator.catalog.find("jane-doe")
    assert jane is not None
    request_id = await source(harness, jane)
    assert (await outcome(harness, request_id)).type == "profile.extracted"
    keys = person_keys(tenant_id="globex", profiles=[("linkedin", "jane-doe")])
    with capture_logs() as logs:
        await harness.bus.emit(
            TalentErased(talent_id="tal_1", reason="denied", request_ids=[], person_keys=keys),
            tenant_id="globex", correlation_id="erase-2", actor=TALENT,
        )  # fmt: skip

        async def handled() -> bool:
            return any(e["event"] == "snapshots.erased" for e in logs)

        await eventually(handled)
    assert [e["pages"] for e in logs if e["event"] == "snapshots.erased"] == [0]
    assert len([p for p in harness.settings.snapshot_dir.rglob("*") if p.is_file()]) == 2
