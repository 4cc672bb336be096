"""What the talent service's API and entrypoints work with; `bootstrap` builds it once."""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.runtime.store import Store
from sourcer.talent.consent_mirror import ConsentMirror
from sourcer.talent.consent_records import ConsentRecords
from sourcer.talent.previews import PreviewHandler, Publisher
from sourcer.talent.repository import MongoTalentRepository
from sourcer.talent.settings import TalentSettings
from sourcer.talent.submission import SubmitHandler


@dataclass
class Container:
    settings: TalentSettings
    store: Store
    repo: MongoTalentRepository
    publisher: Publisher
    previews: PreviewHandler
    submit: SubmitHandler
    mirror: ConsentMirror
    consents: ConsentRecords
