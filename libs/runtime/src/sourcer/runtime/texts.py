"""The language of what a recruiter reads: negotiated from `Accept-Language`, German or English.

Recruiters work in German and English. Every stable code a recruiter can meet (problem codes,
extraction failures, preview kinds, consent warnings) has a title and a text in both in
`sourcer.runtime.text_catalog`; a test holds that no code lacks either. English is the fallback
for any other language, as the product's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.runtime.text_catalog import TEXTS

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Text:
    title: str
    detail: str


def negotiate(accept_language: str | None) -> str:
    """The supported language the client prefers most (RFC 9110 weights), else English."""
    best, best_weight = DEFAULT_LANGUAGE, 0.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        # Earlier tags win ties: a tiny penalty by position keeps the client's order.
        weight -= position * 1e-6
        if primary in LANGUAGES and weight > best_weight:
            best, best_weight = primary, weight
    return best


def text(code: str, language: str) -> Text | None:
    """The title and text of `code` in `language` (English when that has none)."""
    entry = TEXTS.get(code)
    if entry is None:
        return None
    title, detail = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return Text(title=title, detail=detail)


def message(code: str, language: str, *, fallback: str) -> str:
    """A sentence for `code` in `language`; `fallback` for a code without texts."""
    found = text(code, language)
    return found.detail if found else fallback
