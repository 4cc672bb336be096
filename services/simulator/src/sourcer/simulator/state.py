"""Runtime state of one simulator app: sessions, page-load statistics, configuration."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sourcer.proto.records import Platform
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.render import Renderer
from sourcer.simulator.scenarios import Scenarios

SESSION_COOKIES = {Platform.LINKEDIN: "li_at", Platform.XING: "login"}
SIMULATOR_PASSWORD = "simulator"  # noqa: S105 - the published password of simulated accounts
_MAX_EVENTS = 10_000


class Sessions:
    """Session cookie values the simulator issued; any other value counts as logged out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[Platform, str], str] = {}

    def login(self, account: str, platform: Platform) -> str:
        prefix = "AQEDA" if platform is Platform.LINKEDIN else "xing-"
        token = prefix + secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[(platform, token)] = account
        return token

    def account_for(self, token: str | None, platform: Platform) -> str | None:
        if not token:
            return None
        with self._lock:
            return self._tokens.get((platform, token))

    def expire(self, account: str) -> int:
        """Invalidate every session of an account; returns how many there were."""
        with self._lock:
            keys = [k for k, v in self._tokens.items() if v == account]
            for key in keys:
                del self._tokens[key]
        return len(keys)


class Stats:
    """Page loads per member slug and per account, with timestamps for pacing checks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_slug: dict[str, Counter[str]] = defaultdict(Counter)
        self._by_account: Counter[str] = Counter()
        self._events: list[dict[str, object]] = []

    def record(self, *, slug: str, page: str, account: str | None, platform: Platform) -> None:
        with self._lock:
            self._by_slug[slug][page] += 1
            self._by_slug[slug]["total"] += 1
            self._by_account[account or "-"] += 1
            self._events.append(
                {
                    "at": time.time(),
                    "slug": slug,
                    "page": page,
                    "account": account,
                    "platform": platform.value,
                }
            )
            del self._events[:-_MAX_EVENTS]

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "total": sum(c["total"] for c in self._by_slug.values()),
                "profiles": {slug: dict(c) for slug, c in self._by_slug.items()},
                "accounts": dict(self._by_account),
                "events": list(self._events),
            }

    def reset(self) -> None:
        with self._lock:
            self._by_slug.clear()
            self._by_account.clear()
            self._events.clear()


@dataclass
class SimState:
    catalog: ProfileCatalog
    scenarios: Scenarios
    renderer: Renderer
    render_delay_ms: int = 50
    password: str = SIMULATOR_PASSWORD
    sessions: Sessions = field(default_factory=Sessions)
    stats: Stats = field(default_factory=Stats)
