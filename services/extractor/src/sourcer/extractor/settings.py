"""Extractor settings (env prefix SOURCER_EXTRACTOR_); built in bootstrap, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from sourcer.proto.records import Platform
from sourcer.runtime.settings import ServiceSettings


class ExtractorSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOURCER_EXTRACTOR_", extra="ignore", populate_by_name=True
    )

    accounts_key: SecretStr = Field(
        description="Base64 of 32 random bytes: the AES-GCM key that encrypts platform sessions."
    )
    accounts_previous_keys: tuple[SecretStr, ...] = Field(
        default=(),
        description="Keys sessions may still be sealed with during a rotation (JSON list); "
        "they only open, never seal.",
    )
    chromium_path: str | None = Field(
        default=None,
        validation_alias=AliasChoices("chromium_path", "SOURCER_CHROMIUM_PATH"),
        description="Chromium executable; empty uses Playwright's own browser when installed.",
    )
    headless: bool = True
    chromium_no_sandbox: bool = Field(
        default=False,
        description="Run Chromium without its sandbox: only for hosts that cannot give it one "
        "(running as root, no user namespaces and no setuid helper); warned at every launch.",
    )
    chromium_site_isolation: bool = Field(
        default=True,
        description="Strict site isolation (a renderer process per site); off only to measure "
        "its cost (bench/extractor.py).",
    )
    http_port: int = Field(
        default=8102, description="Port of the internal sessions API and the ops endpoints."
    )
    session_wait_seconds: float = Field(
        default=600.0,
        gt=0,
        description="Longest a request waits for a free platform session before it fails "
        "with no_session_available.",
    )
    concurrency: int = Field(default=2, ge=1, le=16, description="Pages rendered at once.")
    pages_per_context: int = Field(
        default=25, ge=1, description="A browser context is recycled after this many pages."
    )
    linkedin_base_url: str = Field(
        default="https://www.linkedin.com",
        description="Where LinkedIn is reached; the platform simulator's URL in tests and demo.",
    )
    xing_base_url: str = "https://www.xing.com"
    navigation_timeout: float = Field(default=30.0, gt=0, description="Seconds per navigation.")
    section_timeout: float = Field(default=8.0, gt=0, description="Seconds to wait for sections.")
    job_timeout: float = Field(default=120.0, gt=0, description="Seconds for one whole profile.")
    pace_min_seconds: float = Field(
        default=20.0, ge=0, description="Least pause before an account is used again."
    )
    pace_max_seconds: float = Field(default=60.0, ge=0, description="Most pause, with jitter.")
    daily_cap: int = Field(default=80, ge=1, description="Profiles per account and day.")
    lease_seconds: float = Field(
        default=300.0, gt=0, description="A crashed worker's lease expires after this."
    )
    rate_limit_cooldown: float = Field(
        default=3600.0, gt=0, description="Seconds a rate-limited account rests."
    )
    no_account_retry_delay: float = Field(
        default=30.0,
        gt=0,
        description="Longest a job waits before it looks for a free session again.",
    )
    retry_delays: tuple[float, ...] = (30.0, 120.0, 600.0)
    browser_restarts_per_job: int = Field(default=2, ge=0)
    snapshot_dir: Path = Path(".local/snapshots")
    snapshot_retention_days: int = Field(
        default=14, ge=1, description="Saved pages (HTML and screenshot) are deleted after this."
    )
    snapshot_max_count: int = Field(
        default=500, ge=1, description="Most saved pages kept; the oldest go first."
    )
    snapshot_prune_interval: float = Field(
        default=3600.0, gt=0, description="Seconds between two prunings of saved pages."
    )
    worker_id: str = Field(default="", description="Lease holder name; host and pid when empty.")

    def base_url(self, platform: Platform) -> str:
        """Where the platform is reached: the real site, or a stand-in in tests and demos."""
        return self.linkedin_base_url if platform is Platform.LINKEDIN else self.xing_base_url
