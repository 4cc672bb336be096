"""The event contracts: envelopes round-trip, bad bodies are refused, schemas are current."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from support import sourcing_requested

from sourcer.proto import schemas
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    EVENTS,
    ProfileExtracted,
    SourcingRequested,
    UnknownEventTypeError,
    event_type_of,
    parse_envelope,
)
from sourcer.proto.records import Platform, Profile, ProfileSource, YearMonth

pytestmark = pytest.mark.unit


def test_an_envelope_round_trips_with_its_typed_payload() -> None:
    envelope = sourcing_requested(1)
    parsed = parse_envelope(envelope.model_dump_json())
    assert parsed == envelope
    assert isinstance(parsed.payload, SourcingRequested)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"{}",
        b'{"type": "sourcing.requested", "tenant_id": "t", "correlation_id": "c",'
        b' "actor": {"kind": "service", "id": "x"}, "payload": {"request_id": "r"}}',
    ],
)
def test_invalid_bodies_raise_a_validation_error(body: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_envelope(body)


def test_an_unknown_event_type_is_refused() -> None:
    body = sourcing_requested(2).model_dump(mode="json") | {"type": "nobody.knows"}
    with pytest.raises(UnknownEventTypeError):
        parse_envelope(Envelope[Any].model_validate(body).model_dump_json())


def test_records_refuse_unknown_fields_and_impossible_dates() -> None:
    with pytest.raises(ValidationError):
        YearMonth(year=2020, month=13)
    with pytest.raises(ValidationError):
        ProfileSource.model_validate(
            {"platform": "linkedin", "profile_url": "u", "profile_id": "p", "extra": 1}
        )


def test_every_payload_model_is_registered_once() -> None:
    assert len(set(EVENTS.values())) == len(EVENTS)
    profile = Profile(source=ProfileSource(platform=Platform.XING, profile_url="u", profile_id="p"))
    assert event_type_of(ProfileExtracted(request_id="r", profile=profile)) == "profile.extracted"


def test_every_field_of_every_event_is_described() -> None:
    for name, model in EVENTS.items():
        for field_name, field in model.model_fields.items():
            assert field.description, f"{name}.{field_name} has no description"


def test_checked_in_schemas_are_current() -> None:
    expected = schemas.rendered()
    on_disk = {
        path.name: path.read_text(encoding="utf-8") for path in schemas.SCHEMA_DIR.glob("*.json")
    }
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, f"run `make schemas`: stale {stale}, obsolete {extra}"


def test_the_asyncapi_document_names_every_event() -> None:
    document = schemas.asyncapi_document()
    assert document["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == set(EVENTS)
