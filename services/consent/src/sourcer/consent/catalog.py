"""The consent service's collections, their indexes, and what they hold of a talent.

Nothing but webhook bodies is erased with the talent: the consent record is the evidence that
the talent was asked and what they answered (GDPR Art. 7(1)), and holds ids, states and keyed
hashes only; the talent's contact details are read from the talent service at the moment a mail
is written. A talent event delivered with the talent's consent carries their data: its body is
redacted when the talent is erased.
"""

from __future__ import annotations

from sourcer.consent import repository, webhook_store
from sourcer.consent.adapters import CONTROLLERS, RATE_LIMITS
from sourcer.consent.repository import CONSENTS
from sourcer.consent.talents import TALENT_ERASURES, TALENTS
from sourcer.consent.webhook_store import ATTEMPTS, CLAIMS, DELIVERIES, ENDPOINTS
from sourcer.runtime.catalog import Catalog, CollectionSpec, IndexSpec

INDEXES = [*repository.INDEXES, *webhook_store.INDEXES]


def _indexes(collection: str) -> tuple[IndexSpec, ...]:
    return tuple(index for index in INDEXES if index.collection == collection)


def _owned(name: str, description: str, exempt: str) -> CollectionSpec:
    return CollectionSpec(name, description, exempt=exempt, indexes=_indexes(name))


CATALOG = Catalog(
    service="consent",
    owns=(
        _owned(
            CONSENTS,
            "Consent requests, tokens (hashed), mails and decisions per talent.",
            "kept as evidence after erasure (Art. 7(1)): ids, states, decisions, keyed hashes; "
            "no name, email or profile of the talent",
        ),
        _owned(
            RATE_LIMITS,
            "Consent emails counted per tenant and hour.",
            "tenant ids and counters only",
        ),
        _owned(
            CONTROLLERS,
            "The data controller each tenant shows talents.",
            "the customer's own company details, nothing of any talent",
        ),
        _owned(
            ENDPOINTS,
            "Webhook endpoints of each tenant, with their signing secrets.",
            "the customer's URLs and secrets, nothing of any talent",
        ),
        CollectionSpec(
            DELIVERIES,
            "Webhook deliveries: the signed body and its state.",
            # A talent event sent with the talent's consent carries their data (docs/webhooks.md).
            erase=webhook_store.redact_talent_deliveries,
            indexes=_indexes(DELIVERIES),
        ),
        _owned(CLAIMS, "Short leases on deliveries being sent.", "delivery ids and times only"),
        _owned(ATTEMPTS, "Every delivery attempt and its result.", "status codes and times only"),
    ),
    # Contact details at the moment a mail is written, and a talent event's data when it is fanned
    # out (contract: TalentRecord); tombstones to check a `talent.erased` against.
    reads=(TALENTS, TALENT_ERASURES),
)
