"""What talents read, in German and English: the Art. 14 information, page and mail texts.

The consent text carries a version (`text_version` setting); a decision records the version and
language it was given under. Controller details come per tenant with defaults from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PLATFORM_NAMES = {"linkedin": "LinkedIn", "xing": "XING"}


@dataclass(frozen=True)
class Controller:
    name: str
    contact: str
    address: str = ""
    dpo: str = ""


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your data in our talent pool",
        "intro": (
            "{controller} found your public professional profile{source} and stored some "
            "of it in its talent pool, to contact you about suitable job opportunities. "
            "We ask for your consent to keep it."
        ),
        "who": "Who processes your data",
        "what": "Which data",
        "what_body": (
            "Name, contact details you share on the platform, work experience, education, "
            "skills and languages, as shown on your profile."
        ),
        "source": "Where it comes from",
        "source_body": "Your publicly visible profile{source}.",
        "why": "Why",
        "why_body": (
            "To contact you about job opportunities that match your profile (Art. 6(1)(a) "
            "GDPR: your consent)."
        ),
        "how_long": "For how long",
        "how_long_body": (
            "Until you withdraw your consent, at the latest two years after our last "
            "contact. Without an answer by {deadline}, your data is deleted."
        ),
        "rights": "Your rights",
        "rights_body": (
            "You may access, correct, delete or port your data, restrict or object to its "
            "processing, withdraw your consent at any time with effect for the future, and "
            "complain to a data protection supervisory authority."
        ),
        "grant": "I agree",
        "deny": "No, delete my data",
        "withdraw": "Withdraw my consent and delete my data",
        "granted": "Thank you. You agreed on {at}. You can withdraw at any time here.",
        "denied": "Your data has been deleted. We will not contact you again.",
        "withdrawn": "You withdrew your consent. Your data has been deleted.",
        "expired_state": "This request has expired and your data has been deleted.",
        "unlocked_manually": "This request is closed.",
        "expired": "This link has expired",
        "expired_body": "The request has ended. Any data we held about you has been deleted.",
        "unknown": "This link is not valid",
        "unknown_body": "Please check that you copied the whole link.",
        "csrf": "Your answer could not be verified",
        "csrf_body": "Please open the link again and answer once more.",
        "contact": "Contact",
        "dpo": "Data protection officer",
        "version": "Text version",
    },
    "de": {
        "title": "Ihre Daten in unserem Talentpool",
        "intro": (
            "{controller} hat Ihr öffentliches berufliches Profil{source} gefunden und Teile "
            "davon in seinem Talentpool gespeichert, um Sie zu passenden Stellen anzusprechen. "
            "Wir bitten um Ihre Einwilligung, die Daten zu behalten."
        ),
        "who": "Wer Ihre Daten verarbeitet",
        "what": "Welche Daten",
        "what_body": (
            "Name, auf der Plattform geteilte Kontaktdaten, Berufserfahrung, Ausbildung, "
            "Kenntnisse und Sprachen, wie in Ihrem Profil angezeigt."
        ),
        "source": "Woher die Daten stammen",
        "source_body": "Ihr öffentlich sichtbares Profil{source}.",
        "why": "Wozu",
        "why_body": (
            "Um Sie zu Stellen anzusprechen, die zu Ihrem Profil passen (Art. 6 Abs. 1 lit. a "
            "DSGVO: Ihre Einwilligung)."
        ),
        "how_long": "Wie lange",
        "how_long_body": (
            "Bis Sie Ihre Einwilligung widerrufen, höchstens zwei Jahre nach unserem letzten "
            "Kontakt. Ohne Antwort bis {deadline} werden Ihre Daten gelöscht."
        ),
        "rights": "Ihre Rechte",
        "rights_body": (
            "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Datenübertragbarkeit, "
            "Einschränkung der Verarbeitung und Widerspruch, können Ihre Einwilligung jederzeit "
            "mit Wirkung für die Zukunft widerrufen und sich bei einer "
            "Datenschutz-Aufsichtsbehörde beschweren."
        ),
        "grant": "Ich willige ein",
        "deny": "Nein, Daten löschen",
        "withdraw": "Einwilligung widerrufen und Daten löschen",
        "granted": (
            "Vielen Dank. Sie haben am {at} eingewilligt. Hier können Sie jederzeit widerrufen."
        ),
        "denied": "Ihre Daten wurden gelöscht. Wir werden Sie nicht erneut kontaktieren.",
        "withdrawn": "Sie haben Ihre Einwilligung widerrufen. Ihre Daten wurden gelöscht.",
        "expired_state": "Diese Anfrage ist abgelaufen, Ihre Daten wurden gelöscht.",
        "unlocked_manually": "Diese Anfrage ist abgeschlossen.",
        "expired": "Dieser Link ist abgelaufen",
        "expired_body": "Die Anfrage ist beendet. Daten, die wir über Sie hatten, sind gelöscht.",
        "unknown": "Dieser Link ist ungültig",
        "unknown_body": "Bitte prüfen Sie, ob Sie den ganzen Link kopiert haben.",
        "csrf": "Ihre Antwort konnte nicht geprüft werden",
        "csrf_body": "Bitte öffnen Sie den Link erneut und antworten Sie noch einmal.",
        "contact": "Kontakt",
        "dpo": "Datenschutzbeauftragte(r)",
        "version": "Textversion",
    },
}

MAIL_SUBJECTS = {
    ("en", "request"): "{controller}: may we keep your profile in our talent pool?",
    ("de", "request"): "{controller}: Dürfen wir Ihr Profil in unserem Talentpool behalten?",
    ("en", "reminder"): "Reminder: your data will be deleted on {deadline}",
    ("de", "reminder"): "Erinnerung: Ihre Daten werden am {deadline} gelöscht",
}


def source_phrase(platform: str | None, language: str) -> str:
    name = PLATFORM_NAMES.get(platform or "")
    if not name:
        return ""
    return f" auf {name}" if language == "de" else f" on {name}"


def format_date(value: object, language: str) -> str:
    if not isinstance(value, datetime):
        return ""
    return value.strftime("%d.%m.%Y") if language == "de" else value.strftime("%d %B %Y")
