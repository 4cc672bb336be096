"""Consent rules without I/O: tokens, transitions, deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sourcer.consent import domain
from sourcer.consent.domain import ConsentError, ConsentState, Deadlines
from sourcer.proto.events import ConsentChannel

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEADLINES = Deadlines(deadline=timedelta(days=30), reminder_before=timedelta(days=7))


def opened(channel: ConsentChannel = ConsentChannel.LINK) -> domain.Consent:
    consent, created = domain.open_request(
        existing=None,
        tenant_id="acme",
        talent_id="tal_1",
        channel=channel,
        language="de",
        actor="alice",
        now=NOW,
        deadlines=DEADLINES,
    )
    assert created
    return domain.issue_token(consent, issued_by="alice", now=NOW)[0]


def test_tokens_carry_256_bits_and_only_their_hash_is_kept() -> None:
    tokens = {domain.new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(t) == 43 for t in tokens)  # 32 bytes, base64url without padding
    consent, token = domain.issue_token(opened(), issued_by="alice", now=NOW)
    assert token not in repr(consent)
    assert domain.hash_token(token) in consent.token_hashes


def test_deadline_and_reminder_come_from_the_request_time() -> None:
    consent = opened()
    assert consent.expires_at == NOW + timedelta(days=30)
    assert consent.reminder_at == NOW + timedelta(days=23)


def test_asking_again_joins_the_pending_request() -> None:
    first = opened()
    again, created = domain.open_request(
        existing=first,
        tenant_id="acme",
        talent_id="tal_1",
        channel=ConsentChannel.EMAIL,
        language="de",
        actor="bob",
        now=NOW + timedelta(days=1),
        deadlines=DEADLINES,
    )
    assert not created
    assert again.consent_id == first.consent_id
    assert again.expires_at == first.expires_at
    assert again.channel is ConsentChannel.EMAIL


def test_asking_after_the_deadline_renews_and_retires_old_links() -> None:
    first = opened()
    later = NOW + timedelta(days=31)
    renewed, created = domain.open_request(
        existing=first,
        tenant_id="acme",
        talent_id="tal_1",
        channel=ConsentChannel.LINK,
        language="de",
        actor="alice",
        now=later,
        deadlines=DEADLINES,
    )
    assert created
    assert renewed.consent_id != first.consent_id
    assert renewed.expires_at == later + timedelta(days=30)
    assert set(first.token_hashes) <= set(renewed.retired_token_hashes)
    assert renewed.token_hashes == ()


def test_a_decision_is_single_use() -> None:
    granted = domain.decide(opened(), state=ConsentState.GRANTED, now=NOW, by="talent")
    with pytest.raises(ConsentError) as exc:
        domain.decide(granted, state=ConsentState.DENIED, now=NOW, by="talent")
    assert exc.value.code == "consent_already_decided"
    withdrawn = domain.decide(granted, state=ConsentState.WITHDRAWN, now=NOW, by="talent")
    assert [d.state for d in withdrawn.decisions] == [ConsentState.GRANTED, ConsentState.WITHDRAWN]
    with pytest.raises(ConsentError):
        domain.decide(withdrawn, state=ConsentState.WITHDRAWN, now=NOW, by="talent")


def test_answers_after_the_deadline_are_refused() -> None:
    with pytest.raises(ConsentError) as exc:
        domain.decide(
            opened(), state=ConsentState.GRANTED, now=NOW + timedelta(days=30), by="talent"
        )
    assert exc.value.code == "consent_expired"


def test_granted_consent_cannot_be_requested_again() -> None:
    granted = domain.decide(opened(), state=ConsentState.GRANTED, now=NOW, by="talent")
    with pytest.raises(ConsentError) as exc:
        domain.open_request(
            existing=granted,
            tenant_id="acme",
            talent_id="tal_1",
            channel=ConsentChannel.LINK,
            language="en",
            actor="alice",
            now=NOW,
            deadlines=DEADLINES,
        )
    assert exc.value.code == "consent_already_granted"


def test_a_talent_may_still_deny_after_a_manual_unlock() -> None:
    unlocked = domain.decide(
        opened(), state=ConsentState.UNLOCKED_MANUALLY, now=NOW, by="admin", reason="phone call"
    )
    denied = domain.decide(unlocked, state=ConsentState.DENIED, now=NOW, by="talent")
    assert denied.state is ConsentState.DENIED


def test_answering_cancels_unsent_mails() -> None:
    consent = domain.add_mail(
        opened(ConsentChannel.EMAIL), kind="request", now=NOW, requested_by="alice"
    )
    granted = domain.decide(consent, state=ConsentState.GRANTED, now=NOW, by="talent")
    assert [m.status for m in granted.mails] == ["failed"]


def test_ip_addresses_are_hashed_with_a_key() -> None:
    a = domain.keyed_hash(key=b"k1", value="203.0.113.7")
    assert a != domain.keyed_hash(key=b"k2", value="203.0.113.7")
    assert "203.0.113.7" not in a


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [(("de", None), "de"), ((None, "DE-at"), "de"), ((None, "fr"), "en"), (("xx", "en"), "en")],
)
def test_language_falls_back_to_english(candidates: tuple[str | None, ...], expected: str) -> None:
    assert domain.pick_language(*candidates) == expected


def test_a_link_is_refused_for_a_request_pending_by_email() -> None:
    by_email = opened(ConsentChannel.EMAIL)
    with pytest.raises(ConsentError) as exc:
        domain.open_request(
            existing=by_email,
            tenant_id="acme",
            talent_id="tal_1",
            channel=ConsentChannel.LINK,
            language="de",
            actor="alice",
            now=NOW,
            deadlines=DEADLINES,
        )
    assert exc.value.code == "consent_pending_by_email"


def test_a_mail_keeps_one_link_over_its_attempts() -> None:
    consent = domain.add_mail(
        opened(ConsentChannel.EMAIL), kind="request", now=NOW, requested_by="bob"
    )
    first, token = domain.mail_link_token(consent, 0, key=b"k", now=NOW)
    again, same = domain.mail_link_token(first, 0, key=b"k", now=NOW + timedelta(hours=1))
    assert same == token and len(token) == 43
    assert again.tokens == first.tokens
    issued = first.tokens[-1]
    assert (issued.hash, issued.channel, issued.issued_by) == (
        domain.hash_token(token),
        "email",
        "bob",
    )
    assert token not in repr(first)
    assert domain.mail_link_token(first, 0, key=b"other", now=NOW)[1] != token


def test_a_decision_names_its_link_and_flags_the_requesters_address() -> None:
    consent, _ = domain.issue_token(opened(), issued_by="bob", now=NOW, issuer_ip_hash="h-bob")
    bobs = consent.tokens[-1]

    def answer(ip_hash: str | None) -> domain.Decision:
        decided = domain.decide(
            consent,
            state=ConsentState.GRANTED,
            now=NOW,
            by="talent",
            ip_hash=ip_hash,
            token_hash=bobs.hash,
        )
        assert decided.last_decision is not None
        return decided.last_decision

    flagged = answer("h-bob")
    assert (flagged.token_hash, flagged.token_channel, flagged.token_issued_by) == (
        bobs.hash,
        "link",
        "bob",
    )
    assert flagged.from_issuer_address is True
    assert answer("h-talent").from_issuer_address is False
    assert answer(None).from_issuer_address is None
