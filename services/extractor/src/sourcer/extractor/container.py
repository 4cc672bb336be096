"""What the extractor's entrypoints and API work with; `bootstrap` builds it once per process."""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.cancellations import Cancellations
from sourcer.extractor.jobs import ExtractionJobs, Publisher
from sourcer.extractor.session_check import SessionChecker
from sourcer.extractor.session_store import MongoSessionRepository
from sourcer.extractor.settings import ExtractorSettings
from sourcer.extractor.snapshots import SnapshotStore


@dataclass
class Container:
    settings: ExtractorSettings
    sessions: MongoSessionRepository
    browser: BrowserHost
    snapshots: SnapshotStore
    jobs: ExtractionJobs
    checker: SessionChecker
    cancellations: Cancellations
    publisher: Publisher
