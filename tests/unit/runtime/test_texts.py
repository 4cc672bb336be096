"""Recruiter-facing texts: the language a client asks for, and every code in German and English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sourcer.gateway.consent_options import consent_options
from sourcer.proto.envelope import Role
from sourcer.proto.events import ExtractionErrorCode, PreviewKind
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.problems import STATUS_CODES, problem_response
from sourcer.runtime.text_catalog import TEXTS
from sourcer.runtime.texts import LANGUAGES, negotiate

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
# Every way a service names a code a caller gets: problems, domain and auth errors, URL rules.
RAISED = [
    r'ProblemError\(\s*\d+\s*,\s*"([a-z_]+)"',
    r'DomainError\(\s*"([a-z_]+)"',
    r'AuthError\(\s*"([a-z_]+)"',
    r'_reject\(\s*"([a-z_]+)"',
    r'\bcode\s*=\s*"([a-z_]+)"',
    r'code, detail = "([a-z_]+)"',
    r'(?:problem_response|_send_problem)\((?:\s*\w+\s*,)?\s*\d+\s*,\s*"([a-z_]+)"',
    r'Error\(\s*"([a-z][a-z_]+)"\s*,\s*\(?\s*f?"',
]


def raised_codes() -> set[str]:
    codes: set[str] = set()
    sources = [
        *ROOT.glob("services/*/src/**/*.py"),
        *ROOT.glob("libs/runtime/src/**/*.py"),
        *ROOT.glob("proto/src/**/*.py"),
    ]
    for path in sources:
        if "simulator" in path.parts:
            continue
        source = path.read_text()
        for pattern in RAISED:
            codes.update(re.findall(pattern, source))
    return codes


def every_code() -> set[str]:
    talent = TalentRecord.model_validate(
        {"_id": "t", "tenant_id": "a", "version": 1, "emails": ["x@example.org"],
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
         "created_by": "u"}
    )  # fmt: skip
    warnings = {
        warning.code
        for option in consent_options(
            talent=talent, caller="root", role=Role.ADMIN, base_url="https://x"
        )
        for warning in option.warnings
    }
    return (
        raised_codes()
        | set(STATUS_CODES.values())
        | {code.value for code in ExtractionErrorCode}
        | {f"preview_{kind.value}" for kind in PreviewKind}
        | warnings
    )


def test_the_scan_finds_the_codes_it_should() -> None:
    # A scan that silently found nothing would make the next test pass vacuously.
    assert {"talent_suppressed", "invalid_token", "unsupported_host", "pool_in_use"} <= (
        raised_codes()
    )


def test_every_code_has_a_title_and_text_in_every_language() -> None:
    missing = sorted(
        f"{code} ({language})"
        for code in every_code()
        for language in LANGUAGES
        if not all(TEXTS.get(code, {}).get(language, ("", "")))
    )
    assert not missing, f"add to sourcer/runtime/text_catalog.py: {', '.join(missing)}"


def test_german_is_not_english_copied() -> None:
    copied = [code for code, entry in TEXTS.items() if entry["de"][1] == entry["en"][1]]
    assert not copied


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "de"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "de"),
        ("de;q=0.4, en;q=0.6", "en"),
        ("DE", "de"),
        ("fr", "en"),
        ("de;q=0", "en"),
        ("de;q=zero", "en"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_negotiation(header: str | None, language: str) -> None:
    assert negotiate(header) == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_renders_as_a_problem_in_each_language(language: str) -> None:
    for code in sorted(every_code()):
        rendered = problem_response(409, code, "the detail it was raised with", language=language)
        body = json.loads(rendered.body)
        title, detail = TEXTS[code][language]
        assert body["title"] == title
        assert body["detail"] == (detail if language == "de" else "the detail it was raised with")
        assert rendered.headers["content-language"] == language
