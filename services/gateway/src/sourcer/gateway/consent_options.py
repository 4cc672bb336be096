"""Which ways of asking for consent a caller has for a talent, with what each one risks.

The submit answer carries them, so a client shows exactly these and needs no rules of its own:
a link always (the recruiter sends it privately), an email only when the talent has an address
(the talent does not know the recruiter yet: this is their first contact), a manual unlock only
for admins (it bypasses the talent). None once the talent has granted, and none for a caller
the consent restrictions do not let ask (`sourcer.proto.restrictions`: until the talent
consented, and after an unlock, the sourcing recruiter and admins ask).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from sourcer.proto.consent_record import ConsentState
from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import Action, allowed
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.texts import DEFAULT_LANGUAGE, message

Channel = Literal["link", "email", "manual"]


class ConsentWarning(BaseModel):
    code: str = Field(description="Stable code of the warning.", examples=["first_contact"])
    message: str = Field(description="What the recruiter must know before choosing it.")


class ConsentOption(BaseModel):
    channel: Channel = Field(examples=["link"])
    method: Literal["POST"] = "POST"
    href: str = Field(
        description="Where to ask.",
        examples=["https://api.sourcer.example/v1/talents/tal_1/consent-requests"],
    )
    body: dict[str, str] = Field(
        default_factory=dict,
        description="What to send; an unlock also needs a `reason`.",
        examples=[{"channel": "link"}],
    )
    warnings: list[ConsentWarning] = Field(default_factory=list)


def consent_options(
    *,
    talent: TalentRecord,
    caller: str,
    role: Role,
    base_url: str,
    language: str = DEFAULT_LANGUAGE,
) -> list[ConsentOption]:
    """The options, their warnings in `language` (texts: sourcer.runtime.text_catalog)."""

    def _warning(code: str) -> ConsentWarning:
        return ConsentWarning(code=code, message=message(code, language, fallback=code))

    state = ConsentState(talent.consent.state) if talent.consent else ConsentState.NOT_REQUESTED
    may_ask = allowed(
        Action.REQUEST_CONSENT,
        consent_state=state.value,
        caller=caller,
        role=role,
        sourced_by=talent.created_by,
    )
    if state is ConsentState.GRANTED or not may_ask:
        return []
    talent_url = f"{base_url.rstrip('/')}/v1/talents/{talent.id}"
    options = [
        ConsentOption(
            channel="link", href=f"{talent_url}/consent-requests", body={"channel": "link"}
        )
    ]
    if talent.emails:
        options.append(
            ConsentOption(
                channel="email",
                href=f"{talent_url}/consent-requests",
                body={"channel": "email"},
                warnings=[_warning("first_contact")],
            )
        )
    if role is Role.ADMIN and state is not ConsentState.UNLOCKED_MANUALLY:
        options.append(
            ConsentOption(
                channel="manual",
                href=f"{talent_url}/consent/unlock",
                warnings=[_warning("bypasses_consent"), _warning("recorded_and_reported")],
            )
        )
    return options
