"""Scenario switches: how the simulated platforms misbehave for a member, account or everyone."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum


class Scenario(StrEnum):
    NORMAL = "normal"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"
    SOFT_BLOCK = "soft_block"
    UNAVAILABLE = "unavailable"
    PRIVATE = "private"
    ACCOUNT_PICKER = "account_picker"
    SLOW = "slow"
    LAYOUT_VARIANT = "layout_variant"
    CARDS_NEVER_LOAD = "cards_never_load"
    """Today's LinkedIn: the lazily loaded card containers stay empty, however far one scrolls."""


@dataclass(frozen=True)
class ScenarioSetting:
    scenario: Scenario
    seconds: float = 0.0
    """For `slow`: the response is held back this long, and the sections render this late."""


class Scenarios:
    """Scenario per account, per member slug, and for everyone; the most specific one wins.

    Safe to change from a test thread while the app serves requests.
    """

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.slow_seconds = slow_seconds
        self._lock = threading.Lock()
        self._by_account: dict[str, ScenarioSetting] = {}
        self._by_slug: dict[str, ScenarioSetting] = {}
        self._everyone: ScenarioSetting | None = None

    def set(
        self,
        scenario: Scenario | str | None,
        *,
        slug: str | None = None,
        account: str | None = None,
        seconds: float | None = None,
    ) -> None:
        """Switch a scenario on; `None` or "normal" switches it off. Neither slug nor account
        given means every request."""
        value = Scenario(scenario) if scenario is not None else Scenario.NORMAL
        setting = None
        if value is not Scenario.NORMAL:
            setting = ScenarioSetting(value, self.slow_seconds if seconds is None else seconds)
        with self._lock:
            if account is not None:
                _put(self._by_account, account, setting)
            if slug is not None:
                _put(self._by_slug, slug.lower(), setting)
            if account is None and slug is None:
                self._everyone = setting

    def clear(self) -> None:
        with self._lock:
            self._by_account.clear()
            self._by_slug.clear()
            self._everyone = None

    def for_request(self, *, slug: str, account: str | None) -> ScenarioSetting | None:
        with self._lock:
            if account is not None and account in self._by_account:
                return self._by_account[account]
            return self._by_slug.get(slug.lower(), self._everyone)

    def describe(self) -> dict[str, object]:
        def show(s: ScenarioSetting) -> dict[str, object]:
            return {"scenario": s.scenario.value, "seconds": s.seconds}

        with self._lock:
            return {
                "accounts": {k: show(v) for k, v in self._by_account.items()},
                "slugs": {k: show(v) for k, v in self._by_slug.items()},
                "everyone": show(self._everyone) if self._everyone else None,
            }


def _put(table: dict[str, ScenarioSetting], key: str, value: ScenarioSetting | None) -> None:
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value
