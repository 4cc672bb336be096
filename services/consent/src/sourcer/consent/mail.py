"""Consent emails: rendering in the talent's language, and the SMTP adapter."""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib
from jinja2 import Environment, PackageLoader, StrictUndefined

from sourcer.consent.ports import MailError
from sourcer.consent.talents import TalentContact
from sourcer.consent.texts import MAIL_SUBJECTS, Controller, format_date, source_phrase

_ENV = Environment(
    loader=PackageLoader("sourcer.consent", "templates"),
    autoescape=False,  # plain-text mail; nothing here is HTML  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)

# SMTP replies often quote the recipient ("<jana@example.org>: Recipient address rejected").
# A failure is logged and kept with the consent record, which outlives the talent's erasure,
# so addresses are cut out of it first.
_ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


def without_addresses(text: str) -> str:
    return _ADDRESS.sub("<address>", text)


def render_mail(
    *,
    kind: str,
    language: str,
    contact: TalentContact,
    controller: Controller,
    link: str,
    deadline: datetime | None,
) -> tuple[str, str]:
    """Subject and body of a request or reminder email."""
    date = format_date(deadline, language)
    subject = MAIL_SUBJECTS[(language, kind)].format(controller=controller.name, deadline=date)
    body = _ENV.get_template(f"mail_{language}.txt").render(
        kind=kind,
        name=contact.display_name,
        controller=controller,
        source=source_phrase(contact.platform, language),
        link=link,
        deadline=date,
    )
    return subject, body


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 15.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        # A stable Message-ID lets the receiving side drop a duplicate after an uncertain send.
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            detail = without_addresses(f"recipient refused: {exc}")
            raise MailError(detail, permanent=True) from exc
        except aiosmtplib.SMTPResponseException as exc:
            detail = without_addresses(f"SMTP {exc.code}: {exc.message}")
            raise MailError(detail, permanent=exc.code >= 500) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailError(without_addresses(f"SMTP unavailable: {exc!r}")) from exc
