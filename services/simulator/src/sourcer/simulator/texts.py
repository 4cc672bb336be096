# ruff: noqa: RUF001, RUF002 - platforms print en dashes and typographic apostrophes
"""User-interface wording and date captions in English and German, as the platforms print them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sourcer.proto.records import YearMonth

UiLanguage = Literal["en", "de"]

_MONTHS: dict[UiLanguage, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": (
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni",
        "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
    ),
}  # fmt: skip

TEXT: dict[UiLanguage, dict[str, str]] = {
    "en": {
        "experience": "Experience",
        "education": "Education",
        "skills": "Skills",
        "languages": "Languages",
        "about": "About",
        "licenses_and_certifications": "Licenses & certifications",
        "present": "Present",
        "see_all_experience": "Show all {n} experiences",
        "see_all_education": "Show all {n} educations",
        "see_all_skills": "Show all {n} skills",
        "see_all_languages": "Show all {n} languages",
        "contact_info": "Contact info",
        "contact_info_title": "Contact Info",
        "email": "Email",
        "profile_link": "{name}’s Profile",
        "endorsements": "{n} endorsements",
        "see_more": "…see more",
        "skills_prefix": "Skills:",
        "connections": "500+ connections",
        "private_title": "This profile is private",
        "private_body": "Only members of {name}’s network can see this profile.",
        "not_found": "This page doesn’t exist",
        "not_found_body": "Please check your URL or return to LinkedIn home.",
        "welcome_back": "Welcome back",
        "choose_account": "Continue as {name}",
        "security_check": "Let’s do a quick security check",
        "security_body": "Help us keep your account safe. Solve the puzzle to continue.",
        "went_wrong": "Something went wrong",
        "went_wrong_body": "Refresh the page to try again.",
        "issued": "Issued {date}",
        "people_also_viewed": "People also viewed",
        "back": "Back to the main profile page",
        "duration_less": "less than a year",
    },
    "de": {
        "experience": "Berufserfahrung",
        "education": "Ausbildung",
        "skills": "Kenntnisse",
        "languages": "Sprachen",
        "about": "Info",
        "licenses_and_certifications": "Bescheinigungen und Zertifikate",
        "present": "Heute",
        "see_all_experience": "Alle {n} Berufserfahrungen anzeigen",
        "see_all_education": "Alle {n} Ausbildungen anzeigen",
        "see_all_skills": "Alle {n} Kenntnisse anzeigen",
        "see_all_languages": "Alle {n} Sprachen anzeigen",
        "contact_info": "Kontaktinfo",
        "contact_info_title": "Kontaktinfo",
        "email": "E-Mail",
        "profile_link": "Profil von {name}",
        "endorsements": "{n} Bestätigungen",
        "see_more": "…mehr anzeigen",
        "skills_prefix": "Kenntnisse:",
        "connections": "500+ Kontakte",
        "private_title": "Dieses Profil ist privat",
        "private_body": "Nur Mitglieder aus dem Netzwerk von {name} können dieses Profil sehen.",
        "not_found": "Diese Seite existiert nicht",
        "not_found_body": "Überprüfen Sie die URL oder kehren Sie zur LinkedIn Startseite zurück.",
        "welcome_back": "Willkommen zurück",
        "choose_account": "Weiter als {name}",
        "security_check": "Kurze Sicherheitsüberprüfung",
        "security_body": "Helfen Sie uns, Ihr Konto zu schützen. Lösen Sie das Rätsel.",
        "went_wrong": "Etwas ist schiefgelaufen",
        "went_wrong_body": "Laden Sie die Seite neu.",
        "issued": "Ausgestellt: {date}",
        "people_also_viewed": "Andere sahen sich auch an",
        "back": "Zurück zur Profilhauptseite",
        "duration_less": "weniger als ein Jahr",
    },
}


def t(lang: UiLanguage, key: str, **values: object) -> str:
    return TEXT[lang][key].format(**values)


def format_month(value: YearMonth, lang: UiLanguage) -> str:
    if value.month is None:
        return str(value.year)
    return f"{_MONTHS[lang][value.month - 1]} {value.year}"


def _months_between(start: YearMonth, end: YearMonth) -> tuple[int, bool]:
    """Inclusive span in months, and whether only years are known."""
    if start.month is None or end.month is None:
        return (end.year - start.year) * 12, True
    return (end.year - start.year) * 12 + end.month - start.month + 1, False


def format_duration(months: int, years_only: bool, lang: UiLanguage) -> str:
    years, rest = divmod(max(months, 0), 12)
    if years_only:
        rest = 0
        if years == 0:
            return t(lang, "duration_less")
    if years == 0 and rest == 0:
        rest = 1
    parts = []
    if lang == "de":
        if years:
            parts.append(f"{years} Jahr" if years == 1 else f"{years} Jahre")
        if rest:
            parts.append(f"{rest} Monat" if rest == 1 else f"{rest} Monate")
    else:
        if years:
            parts.append(f"{years} yr" if years == 1 else f"{years} yrs")
        if rest:
            parts.append(f"{rest} mo" if rest == 1 else f"{rest} mos")
    return " ".join(parts)


def span_months(start: YearMonth, end: YearMonth | None, today: date) -> tuple[int, bool]:
    until = end or YearMonth(year=today.year, month=today.month if start.month else None)
    return _months_between(start, until)


def format_range(
    start: YearMonth | None,
    end: YearMonth | None,
    is_current: bool,
    lang: UiLanguage,
    *,
    today: date,
    with_duration: bool,
) -> str | None:
    """LinkedIn's date caption: "Jul 2021 - Present · 3 yrs 1 mo" / "Juli 2021 – Heute · ..."."""
    dash = " – " if lang == "de" else " - "
    if start is None and end is None and not is_current:
        return None
    left = format_month(start, lang) if start else ""
    right = t(lang, "present") if is_current else (format_month(end, lang) if end else "")
    # A lone start date prints without a dash; a lone end date keeps it ("- 2014").
    text = f"{left}{dash}{right}".strip() if right else left
    if with_duration and start is not None and (is_current or end is not None):
        months, years_only = span_months(start, None if is_current else end, today)
        text += " · " + format_duration(months, years_only, lang)
    return text
