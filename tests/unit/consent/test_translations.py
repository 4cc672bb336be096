"""`sourcer-consent missing-translations`: what each offered language lacks of a talent's texts."""

from __future__ import annotations

import pytest

from sourcer.consent.cli import main
from sourcer.consent.translations import missing_translations, text_keys

pytestmark = pytest.mark.unit


def test_german_and_english_are_complete_and_others_fall_back() -> None:
    missing = missing_translations(["de", "en", "fr"])
    assert missing["de"] == [] and missing["en"] == []
    assert missing["fr"] == sorted(text_keys("en"))
    assert "mail.request.subject" in missing["fr"] and "page.title" in missing["fr"]


def test_the_command_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["missing-translations", "de", "pl"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "de: complete"
    assert out[1].startswith("pl: ") and "talents read English" in out[1]
