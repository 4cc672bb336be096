"""The per-user token bucket."""

from __future__ import annotations

import pytest

from sourcer.gateway.ratelimit import TokenBucketLimiter
from sourcer.runtime.problems import retry_after_header

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_at_the_rate() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.take(key="a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take(key="a")
    assert wait == pytest.approx(1.0)
    assert retry_after_header(wait) == "1"
    assert limiter.take(key="b") == 0.0  # per user
    clock.now = 1.0
    assert limiter.take(key="a") == 0.0
    assert limiter.take(key="a") > 0


def test_memory_is_bounded() -> None:
    limiter = TokenBucketLimiter(per_minute=60, burst=1, clock=Clock(), max_keys=10)
    for n in range(100):
        limiter.take(key=str(n))
    assert len(limiter._buckets) == 10
