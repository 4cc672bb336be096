"""Titles and texts of every code a recruiter can meet, in English and German.

One entry per stable code: `{"en": (title, text), "de": (title, text)}`. Problem details use
the title and, for German callers, the text (English callers keep the more specific English
detail the code was raised with). Extraction failures, preview kinds and consent warnings use
the text. `sourcer-docs missing-translations` lists codes without both; a test fails on any.
"""

from __future__ import annotations

Entry = dict[str, tuple[str, str]]


def _t(en: tuple[str, str], de: tuple[str, str]) -> Entry:
    return {"en": en, "de": de}


TEXTS: dict[str, Entry] = {
    # HTTP and authentication
    "bad_request": _t(
        ("Bad request", "The request could not be read."),
        ("Ungültige Anfrage", "Die Anfrage konnte nicht gelesen werden."),
    ),
    "unauthenticated": _t(
        ("Sign-in required", "A bearer token is required."),
        ("Anmeldung erforderlich", "Bitte melden Sie sich an: ein Bearer-Token fehlt."),
    ),
    "invalid_token": _t(
        ("Invalid token", "The token is not valid."),
        ("Ungültiges Token", "Das Token ist ungültig. Bitte melden Sie sich erneut an."),
    ),
    "token_expired": _t(
        ("Token expired", "The token has expired."),
        ("Token abgelaufen", "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."),
    ),
    "forbidden": _t(
        ("Not allowed", "Your role may not do this."),
        ("Nicht erlaubt", "Ihre Rolle darf das nicht."),
    ),
    "admin_required": _t(
        ("Admins only", "Only admins may do this."),
        ("Nur für Admins", "Das dürfen nur Admins."),
    ),
    "not_found": _t(
        ("Not found", "There is nothing here, or it belongs to another tenant."),
        ("Nicht gefunden", "Hier gibt es nichts, oder es gehört einem anderen Mandanten."),
    ),
    "method_not_allowed": _t(
        ("Method not allowed", "This address does not accept this method."),
        ("Methode nicht erlaubt", "Diese Adresse nimmt diese Methode nicht an."),
    ),
    "not_acceptable": _t(
        ("Not acceptable", "The answer cannot be given in a format you accept."),
        ("Nicht annehmbar", "Die Antwort kann in keinem von Ihnen akzeptierten Format kommen."),
    ),
    "conflict": _t(
        ("Conflict", "This conflicts with the current state; reload and try again."),
        ("Konflikt", "Das widerspricht dem aktuellen Stand; bitte neu laden und erneut versuchen."),
    ),
    "precondition_failed": _t(
        ("Changed meanwhile", "It changed since you read it; reload and apply your change again."),
        (
            "Inzwischen geändert",
            "Es wurde seit dem Laden geändert; bitte neu laden und die Änderung wiederholen.",
        ),
    ),
    "precondition_required": _t(
        ("If-Match required", "Send If-Match with the ETag you read."),
        ("If-Match erforderlich", "Bitte If-Match mit dem gelesenen ETag senden."),
    ),
    "if_match_required": _t(
        ("If-Match required", "Send If-Match with the talent's ETag."),
        ("If-Match erforderlich", "Bitte If-Match mit dem ETag des Talents senden."),
    ),
    "version_mismatch": _t(
        ("Changed meanwhile", "The talent changed since you read it; reload and reapply."),
        (
            "Inzwischen geändert",
            "Das Talent wurde seit dem Laden geändert; bitte neu laden und wiederholen.",
        ),
    ),
    "concurrent_update": _t(
        ("Changed meanwhile", "It changed meanwhile; try again."),
        ("Inzwischen geändert", "Es wurde gleichzeitig geändert; bitte erneut versuchen."),
    ),
    "body_too_large": _t(
        ("Body too large", "The request body is too large."),
        ("Anfrage zu groß", "Der Inhalt der Anfrage ist zu groß."),
    ),
    "unsupported_media_type": _t(
        ("Unsupported media type", "Send JSON (application/json)."),
        ("Nicht unterstütztes Format", "Bitte JSON senden (application/json)."),
    ),
    "validation_failed": _t(
        ("Invalid input", "The request is not valid; see `errors`."),
        ("Ungültige Eingabe", "Die Anfrage ist ungültig; Einzelheiten unter `errors`."),
    ),
    "rate_limited": _t(
        ("Too many requests", "Too many requests; wait a moment, then try again."),
        ("Zu viele Anfragen", "Zu viele Anfragen; bitte kurz warten und erneut versuchen."),
    ),
    "internal_error": _t(
        ("Internal error", "Something went wrong on our side."),
        ("Interner Fehler", "Bei uns ist etwas schiefgegangen."),
    ),
    "upstream_failed": _t(
        ("Service failed", "A Sourcer service did not answer properly; try again."),
        (
            "Dienst fehlgeschlagen",
            "Ein Sourcer-Dienst hat nicht richtig geantwortet; bitte erneut versuchen.",
        ),
    ),
    "unavailable": _t(
        ("Unavailable", "Sourcer is busy or a service is unavailable; try again shortly."),
        (
            "Nicht verfügbar",
            "Sourcer ist ausgelastet oder ein Dienst ist nicht erreichbar; bitte gleich erneut "
            "versuchen.",
        ),
    ),
    "http_error": _t(
        ("Error", "The request failed."),
        ("Fehler", "Die Anfrage ist fehlgeschlagen."),
    ),
    # Profile URLs
    "invalid_url": _t(
        ("Invalid URL", "The URL is not valid."),
        ("Ungültige URL", "Die URL ist ungültig."),
    ),
    "url_too_long": _t(
        ("URL too long", "The URL is too long."),
        ("URL zu lang", "Die URL ist zu lang."),
    ),
    "unsupported_scheme": _t(
        ("https only", "Only https profile URLs are accepted."),
        ("Nur https", "Es werden nur https-Profil-URLs angenommen."),
    ),
    "url_userinfo": _t(
        ("URL with credentials", "URLs with a user name or password are not accepted."),
        ("URL mit Zugangsdaten", "URLs mit Benutzername oder Passwort werden nicht angenommen."),
    ),
    "ip_literal": _t(
        ("IP address", "IP addresses are not accepted; send a profile URL."),
        ("IP-Adresse", "IP-Adressen werden nicht angenommen; bitte eine Profil-URL senden."),
    ),
    "unsupported_host": _t(
        ("Not LinkedIn or Xing", "Only LinkedIn and Xing profile URLs are accepted."),
        ("Nicht LinkedIn oder Xing", "Es werden nur Profil-URLs von LinkedIn und Xing angenommen."),
    ),
    "unsupported_path": _t(
        (
            "Not a profile",
            "Only LinkedIn member profiles (/in/...) and Xing profiles are accepted.",
        ),
        (
            "Kein Profil",
            "Es werden nur LinkedIn-Mitgliederprofile (/in/...) und Xing-Profile angenommen.",
        ),
    ),
    "invalid_profile_slug": _t(
        ("Invalid profile name", "The profile name in the URL is not valid."),
        ("Ungültiger Profilname", "Der Profilname in der URL ist ungültig."),
    ),
    "linkedin_recruiter_unsupported": _t(
        (
            "LinkedIn Recruiter",
            "LinkedIn Recruiter pages are not supported; open the member profile.",
        ),
        (
            "LinkedIn Recruiter",
            "Seiten aus LinkedIn Recruiter werden nicht unterstützt; bitte das Mitgliederprofil "
            "öffnen.",
        ),
    ),
    "linkedin_sales_navigator_unsupported": _t(
        (
            "Sales Navigator",
            "Sales Navigator pages are not supported; open the member profile.",
        ),
        (
            "Sales Navigator",
            "Seiten aus dem Sales Navigator werden nicht unterstützt; bitte das Mitgliederprofil "
            "öffnen.",
        ),
    ),
    # Sourcing requests and talents
    "not_ready": _t(
        ("Not ready", "The request is not ready to submit yet."),
        ("Noch nicht bereit", "Die Anfrage kann noch nicht gesendet werden."),
    ),
    "not_cancellable": _t(
        ("Cannot cancel", "The request has ended and cannot be cancelled."),
        ("Abbrechen nicht möglich", "Die Anfrage ist beendet und kann nicht abgebrochen werden."),
    ),
    "preview_not_found": _t(
        ("Preview gone", "The preview of this request is gone; source the profile again."),
        (
            "Vorschau nicht mehr da",
            "Die Vorschau ist nicht mehr da; bitte das Profil neu erfassen.",
        ),
    ),
    "submit_in_progress": _t(
        ("Being added", "This person is being added by another request right now; try again."),
        (
            "Wird gerade angelegt",
            "Diese Person wird gerade von einer anderen Anfrage angelegt; bitte erneut versuchen.",
        ),
    ),
    "talent_exists": _t(
        ("Talent exists", "Someone added this person meanwhile; source the profile again."),
        (
            "Talent existiert bereits",
            "Diese Person wurde inzwischen angelegt; bitte das Profil neu erfassen.",
        ),
    ),
    "talent_gone": _t(
        ("Talent erased", "This talent was erased."),
        ("Talent gelöscht", "Dieses Talent wurde gelöscht."),
    ),
    "talent_suppressed": _t(
        ("Declined", "This person declined to be in your talent pool."),
        ("Abgelehnt", "Diese Person hat abgelehnt, in Ihrem Talent-Pool zu sein."),
    ),
    "unknown_change": _t(
        ("Unknown change", "A change you accepted is not in the preview."),
        ("Unbekannte Änderung", "Eine angenommene Änderung steht nicht in der Vorschau."),
    ),
    "invalid_override": _t(
        ("Invalid value", "An edited value is not valid."),
        ("Ungültiger Wert", "Ein bearbeiteter Wert ist ungültig."),
    ),
    "unknown_status": _t(
        ("Unknown status", "The status is not one of your company's statuses."),
        ("Unbekannter Status", "Der Status gehört nicht zu den Status Ihres Unternehmens."),
    ),
    "unknown_language": _t(
        ("Unknown language", "The language is not one of your company's languages."),
        ("Unbekannte Sprache", "Die Sprache gehört nicht zu den Sprachen Ihres Unternehmens."),
    ),
    "unknown_pool": _t(
        ("Unknown pool", "A pool does not exist."),
        ("Unbekannter Pool", "Ein Pool existiert nicht."),
    ),
    "pool_exists": _t(
        ("Pool exists", "A pool with this name exists."),
        ("Pool existiert", "Es gibt bereits einen Pool mit diesem Namen."),
    ),
    "pool_in_use": _t(
        ("Pool in use", "Remove the pool's talents first."),
        ("Pool wird verwendet", "Bitte zuerst die Talente aus dem Pool entfernen."),
    ),
    "invalid_settings": _t(
        ("Invalid settings", "The settings are not valid."),
        ("Ungültige Einstellungen", "Die Einstellungen sind ungültig."),
    ),
    "invalid_query": _t(
        ("Invalid search", "The search or a range is not valid."),
        ("Ungültige Suche", "Die Suche oder ein Zeitraum ist ungültig."),
    ),
    "invalid_cursor": _t(
        ("Invalid cursor", "The cursor is not one this API gave for these filters."),
        ("Ungültiger Cursor", "Der Cursor stammt nicht von dieser Liste mit diesen Filtern."),
    ),
    # Platform sessions
    "session_invalid": _t(
        ("Session not valid", "The platform did not accept this session; sign in there again."),
        (
            "Sitzung ungültig",
            "Die Plattform hat diese Sitzung nicht angenommen; bitte dort erneut anmelden.",
        ),
    ),
    "session_not_found": _t(
        ("No such session", "There is no such platform session."),
        ("Keine solche Sitzung", "Diese Plattform-Sitzung gibt es nicht."),
    ),
    # Extraction failures of a request
    "session_expired": _t(
        ("Session expired", "Your platform session expired: reconnect it, then source again."),
        (
            "Sitzung abgelaufen",
            "Ihre Plattform-Sitzung ist abgelaufen: bitte neu verbinden und erneut erfassen.",
        ),
    ),
    "checkpoint": _t(
        (
            "Security check",
            "The platform asks for a security check: complete it in your browser, then "
            "reconnect your session.",
        ),
        (
            "Sicherheitsprüfung",
            "Die Plattform verlangt eine Sicherheitsprüfung: bitte im Browser abschließen und "
            "die Sitzung neu verbinden.",
        ),
    ),
    "profile_unavailable": _t(
        ("Profile unavailable", "The profile is not available: it was removed or is private."),
        (
            "Profil nicht verfügbar",
            "Das Profil ist nicht verfügbar: es wurde entfernt oder ist privat.",
        ),
    ),
    "layout_changed": _t(
        (
            "Page not readable",
            "The platform changed its page; Sourcer's team is told. Try again later.",
        ),
        (
            "Seite nicht lesbar",
            "Die Plattform hat ihre Seite geändert; das Sourcer-Team ist informiert. Bitte "
            "später erneut versuchen.",
        ),
    ),
    "timeout": _t(
        ("Too slow", "The profile took too long to load; try again."),
        ("Zu langsam", "Das Profil hat zu lange geladen; bitte erneut versuchen."),
    ),
    "browser_crashed": _t(
        ("Browser failed", "The browser rendering the profile failed; try again."),
        (
            "Browser-Fehler",
            "Der Browser, der das Profil lädt, ist abgestürzt; bitte erneut versuchen.",
        ),
    ),
    "unsupported_url": _t(
        ("Not a profile", "This address is not a LinkedIn or Xing profile."),
        ("Kein Profil", "Diese Adresse ist kein LinkedIn- oder Xing-Profil."),
    ),
    "no_session_connected": _t(
        (
            "No session connected",
            "Connect your platform session in the extension first.",
        ),
        (
            "Keine Sitzung verbunden",
            "Bitte verbinden Sie zuerst Ihre Plattform-Sitzung in der Erweiterung.",
        ),
    ),
    "no_session_available": _t(
        (
            "No session free",
            "No platform session was free in time; try again later.",
        ),
        (
            "Keine Sitzung frei",
            "Es war nicht rechtzeitig eine Plattform-Sitzung frei; bitte später erneut versuchen.",
        ),
    ),
    "extraction_lost": _t(
        ("Extraction lost", "The extraction stopped without a result; source the profile again."),
        (
            "Erfassung verloren",
            "Die Erfassung endete ohne Ergebnis; bitte das Profil erneut erfassen.",
        ),
    ),
    # Consent
    "consent_required": _t(
        (
            "Consent required",
            "The talent has not consented yet: until then only the recruiter who sourced them "
            "and admins work with them, and nothing is exported. Request consent, or ask an "
            "admin to unlock the talent.",
        ),
        (
            "Einwilligung erforderlich",
            "Das Talent hat noch nicht eingewilligt: bis dahin arbeiten nur die Person, die es "
            "erfasst hat, und Admins damit, und nichts wird exportiert. Bitte die Einwilligung "
            "anfragen oder einen Admin bitten, das Talent freizuschalten.",
        ),
    ),
    "consent_already_granted": _t(
        ("Consent granted", "The talent has already granted consent."),
        ("Einwilligung erteilt", "Das Talent hat bereits eingewilligt."),
    ),
    "consent_already_decided": _t(
        ("Already decided", "The talent has already decided."),
        ("Bereits entschieden", "Das Talent hat bereits entschieden."),
    ),
    "consent_conflict": _t(
        ("Consent changed", "The consent changed meanwhile; reload."),
        ("Einwilligung geändert", "Die Einwilligung wurde inzwischen geändert; bitte neu laden."),
    ),
    "consent_email_unavailable": _t(
        ("No email address", "The talent has no email address; send a link instead."),
        (
            "Keine E-Mail-Adresse",
            "Das Talent hat keine E-Mail-Adresse; bitte stattdessen einen Link senden.",
        ),
    ),
    "consent_email_rate_limited": _t(
        ("Too many emails", "Your company sent many consent emails; try again later."),
        (
            "Zu viele E-Mails",
            "Ihr Unternehmen hat viele Einwilligungs-E-Mails gesendet; bitte später erneut.",
        ),
    ),
    "consent_pending_by_email": _t(
        (
            "Asked by email",
            "The talent was asked by email; their link is in that mail only. Wait for their "
            "answer.",
        ),
        (
            "Per E-Mail angefragt",
            "Das Talent wurde per E-Mail gefragt; sein Link steht nur in dieser E-Mail. Bitte "
            "auf die Antwort warten.",
        ),
    ),
    "controller_not_set": _t(
        (
            "Controller missing",
            "Your company has not named its data controller yet; an admin sets it first.",
        ),
        (
            "Verantwortlicher fehlt",
            "Ihr Unternehmen hat noch keinen Verantwortlichen für die Daten angegeben; ein Admin "
            "muss ihn zuerst eintragen.",
        ),
    ),
    "consent_expired": _t(
        ("Consent request expired", "The consent request expired."),
        ("Anfrage abgelaufen", "Die Einwilligungsanfrage ist abgelaufen."),
    ),
    "consent_token_unknown": _t(
        ("Unknown link", "This consent link is not known."),
        ("Unbekannter Link", "Dieser Einwilligungslink ist unbekannt."),
    ),
    # Webhooks
    "webhook_not_found": _t(
        ("No such webhook", "There is no such webhook endpoint."),
        ("Kein solcher Webhook", "Diesen Webhook-Endpunkt gibt es nicht."),
    ),
    "webhook_disabled": _t(
        ("Webhook disabled", "The webhook endpoint is disabled."),
        ("Webhook deaktiviert", "Der Webhook-Endpunkt ist deaktiviert."),
    ),
    "webhook_events_invalid": _t(
        ("Unknown event types", "An event type is not one Sourcer sends."),
        ("Unbekannte Ereignistypen", "Ein Ereignistyp wird von Sourcer nicht gesendet."),
    ),
    "webhook_url_invalid": _t(
        ("Invalid webhook URL", "The webhook URL is not valid."),
        ("Ungültige Webhook-URL", "Die Webhook-URL ist ungültig."),
    ),
    "webhook_target_forbidden": _t(
        ("Target not allowed", "The webhook URL points at an address Sourcer may not call."),
        (
            "Ziel nicht erlaubt",
            "Die Webhook-URL zeigt auf eine Adresse, die Sourcer nicht aufrufen darf.",
        ),
    ),
    "webhook_target_unresolvable": _t(
        ("Host not found", "The webhook URL's host name does not resolve."),
        ("Host nicht gefunden", "Der Hostname der Webhook-URL lässt sich nicht auflösen."),
    ),
    "webhook_https_required": _t(
        ("https required", "Only https webhook URLs are accepted."),
        ("https erforderlich", "Es werden nur https-Webhook-URLs angenommen."),
    ),
    "webhook_port_forbidden": _t(
        ("Port not allowed", "The webhook URL uses a port Sourcer does not deliver to."),
        ("Port nicht erlaubt", "Die Webhook-URL nutzt einen Port, an den Sourcer nicht liefert."),
    ),
    "overloaded": _t(
        ("Busy", "Sourcer is busy right now; try again in a moment."),
        ("Ausgelastet", "Sourcer ist gerade ausgelastet; bitte gleich noch einmal versuchen."),
    ),
    "delivery_not_found": _t(
        ("No such delivery", "There is no such webhook delivery."),
        ("Keine solche Zustellung", "Diese Webhook-Zustellung gibt es nicht."),
    ),
    # Preview banners (by preview kind)
    "preview_new": _t(
        ("New talent", "New talent."),
        ("Neues Talent", "Neues Talent."),
    ),
    "preview_existing": _t(
        ("Talent exists", "This talent already exists!"),
        ("Talent existiert", "Dieses Talent existiert bereits!"),
    ),
    "preview_possible_duplicate": _t(
        (
            "Possible duplicate",
            "A talent with the same name and current company exists; check before submitting.",
        ),
        (
            "Mögliches Duplikat",
            "Es gibt ein Talent mit gleichem Namen und aktuellem Arbeitgeber; bitte vor dem "
            "Senden prüfen.",
        ),
    ),
    "preview_suppressed": _t(
        ("Declined", "This person declined to be in your talent pool."),
        ("Abgelehnt", "Diese Person hat abgelehnt, in Ihrem Talent-Pool zu sein."),
    ),
    # Warnings of the consent options
    "first_contact": _t(
        (
            "First contact",
            "The talent does not know you yet: this email is their first contact with your "
            "company, sent in your company's name.",
        ),
        (
            "Erster Kontakt",
            "Das Talent kennt Sie noch nicht: diese E-Mail ist sein erster Kontakt mit Ihrem "
            "Unternehmen und geht in dessen Namen hinaus.",
        ),
    ),
    "bypasses_consent": _t(
        (
            "Bypasses consent",
            "A manual unlock bypasses the talent's consent: your company needs another legal "
            "basis for keeping this person's data and must be able to show it.",
        ),
        (
            "Umgeht die Einwilligung",
            "Eine manuelle Freischaltung umgeht die Einwilligung des Talents: Ihr Unternehmen "
            "braucht eine andere Rechtsgrundlage für diese Daten und muss sie nachweisen können.",
        ),
    ),
    "recorded_and_reported": _t(
        (
            "Recorded",
            "The unlock, your user and your reason are recorded as evidence and reported to "
            "your company's systems; write why, not who.",
        ),
        (
            "Wird protokolliert",
            "Die Freischaltung, Ihr Benutzer und Ihre Begründung werden als Nachweis gespeichert "
            "und an die Systeme Ihres Unternehmens gemeldet; schreiben Sie warum, nicht wer.",
        ),
    ),
}
