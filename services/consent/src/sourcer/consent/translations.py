"""Which of the texts a talent reads (landing page, consent mails) lack a language.

Tenants offer their recruiters the languages of their settings (by default eight); a talent
whose preferred language has no texts reads English (`domain.pick_language`). This lists what a
translator would have to add, per language, so the fallback is a choice and not a surprise.
"""

from __future__ import annotations

from collections.abc import Iterable

from sourcer.consent.texts import MAIL_SUBJECTS, TEXTS
from sourcer.proto.tenant_settings import DEFAULT_LANGUAGES

REFERENCE = "en"


def text_keys(language: str) -> set[str]:
    page = {f"page.{key}" for key in TEXTS.get(language, {})}
    mails = {f"mail.{kind}.subject" for lang, kind in MAIL_SUBJECTS if lang == language}
    return page | mails


def missing_translations(languages: Iterable[str] = DEFAULT_LANGUAGES) -> dict[str, list[str]]:
    """Per language, the keys English has and it lacks (empty: complete)."""
    wanted = text_keys(REFERENCE)
    return {language: sorted(wanted - text_keys(language)) for language in languages}


def report(languages: Iterable[str] = DEFAULT_LANGUAGES) -> str:
    lines = []
    for language, missing in missing_translations(languages).items():
        if not missing:
            lines.append(f"{language}: complete")
        else:
            lines.append(
                f"{language}: {len(missing)} of {len(text_keys(REFERENCE))} texts missing "
                f"(talents read English): {', '.join(missing)}"
            )
    return "\n".join(lines)
