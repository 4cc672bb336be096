"""What the extractor's entrypoint works with; `bootstrap` builds it once per process."""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.extractor.accounts_store import MongoAccountRepository
from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.jobs import ExtractionJobs
from sourcer.extractor.settings import ExtractorSettings
from sourcer.extractor.snapshots import SnapshotStore


@dataclass
class Container:
    settings: ExtractorSettings
    accounts: MongoAccountRepository
    browser: BrowserHost
    snapshots: SnapshotStore
    jobs: ExtractionJobs
