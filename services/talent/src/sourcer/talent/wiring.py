"""What a talent consumer gets to work with; built once per process by `bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.runtime.bus import Bus
from sourcer.runtime.idempotency import ProcessedEvents
from sourcer.runtime.store import Store
from sourcer.talent.previews import PreviewHandler
from sourcer.talent.repository import MongoTalentRepository
from sourcer.talent.settings import TalentSettings
from sourcer.talent.submission import SubmitHandler


@dataclass
class TalentDeps:
    settings: TalentSettings
    bus: Bus
    store: Store
    repo: MongoTalentRepository
    processed: ProcessedEvents
    previews: PreviewHandler
    submit: SubmitHandler
