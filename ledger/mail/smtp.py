"""E-mail through the practice's own SMTP server: settings, password, sending, the log.

The server settings are kept as settings (``smtp_host``, ``smtp_port``, ``smtp_security``
``none|starttls|ssl``, ``smtp_user``, ``email_from``). The password is never stored by
solebook: it comes from the environment (``SOLEBOOK_SMTP_PASSWORD``) or, when the optional
``keyring`` package is installed, from the system keyring (service ``solebook-smtp``, the
SMTP user name as the key: ``keyring set solebook-smtp USER``).

:func:`send` composes one message with its attachments, hands it to the server and logs
the attempt in ``mail_log``, sent or failed; a failure raises :class:`MailError` with one
line that says what went wrong (wrong password, server unreachable, recipient refused).
No database transaction is open while the server is being talked to.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from sqlalchemy import select

from ledger.base import identifiers, parse
from ledger.base.errors import N_, InputError, SolebookError
from ledger.base.forms import Field, parse_form
from ledger.base.secrets import is_loopback
from ledger.books import Books
from ledger.practice.profile import get_setting, put_settings
from ledger.store.models.paid import MAIL_KINDS, MailLog

PASSWORD_ENV = "SOLEBOOK_SMTP_PASSWORD"
KEYRING_SERVICE = "solebook-smtp"
SECURITY = {"none": "none", "plain": "none", "starttls": "starttls", "tls": "starttls",
            "ssl": "ssl", "smtps": "ssl"}
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
TIMEOUT_SECONDS = 20.0
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*")


class MailError(SolebookError):
    """The message was not sent; ``message`` says why in one line."""


def parse_host(text: str, field: str = N_("SMTP host")) -> str:
    """A host name (``smtp.example.nl``) or an IP address."""
    text = text.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not _HOST.fullmatch(text) or len(text) > 253:
        raise InputError(field, "{text!r} is not a host name", text=text[:40])
    return text.lower()


def _port(raw: str, label: str) -> str:
    return str(parse.parse_int(raw, label, minimum=1, maximum=65535))


MAIL_FIELDS: dict[str, Field] = {
    "smtp_host": Field(N_("SMTP host"), parse_host),
    "smtp_port": Field(N_("SMTP port"), _port),
    "smtp_security": Field(N_("SMTP security"),
                           lambda raw, label: parse.parse_choice(raw, label, SECURITY),
                           blank="starttls"),
    "smtp_user": Field(N_("SMTP user"), lambda raw, label: parse.parse_name(raw, label,
                                                                        max_length=200)),
    "email_from": Field(N_("sender address"), identifiers.parse_email),
}


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # none, starttls, ssl
    user: str
    sender: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    def public(self) -> dict[str, Any]:
        """What ``practice show`` prints (never a password)."""
        return {"smtp_host": self.host, "smtp_port": self.port if self.host else None,
                "smtp_security": self.security, "smtp_user": self.user,
                "email_from": self.sender,
                "smtp_password_source": password_source() if self.user else ""}


def mail_settings_in(session: Any) -> MailSettings:
    security = get_setting(session, "smtp_security", "") or "starttls"
    port = get_setting(session, "smtp_port", "")
    return MailSettings(
        host=get_setting(session, "smtp_host", ""),
        port=int(port) if port.isdigit() else DEFAULT_PORTS.get(security, 587),
        security=security, user=get_setting(session, "smtp_user", ""),
        sender=get_setting(session, "email_from", ""),
    )


def get_mail_settings(books: Books) -> MailSettings:
    with books.db.read() as session:
        return mail_settings_in(session)


def update_mail_settings(books: Books, raw: dict[str, str | None]) -> MailSettings:
    """Change any of the mail settings from typed text; all or nothing."""
    values = parse_form(MAIL_FIELDS, raw)
    with books.db.write() as session:
        put_settings(session, values)
        return mail_settings_in(session)


# ------------------------------------------------------------------------------ password
def _keyring_password(user: str) -> str | None:
    from ledger.base.secrets import keyring_password

    return keyring_password(KEYRING_SERVICE, user)


def smtp_password(user: str) -> str | None:
    """The SMTP password: ``$SOLEBOOK_SMTP_PASSWORD``, else the system keyring, else None."""
    return os.environ.get(PASSWORD_ENV) or (_keyring_password(user) if user else None)


def password_source() -> str:
    if os.environ.get(PASSWORD_ENV):
        return "environment"
    try:
        import keyring  # noqa: F401
    except ImportError:
        return "none (set SOLEBOOK_SMTP_PASSWORD)"
    return "keyring"


# ------------------------------------------------------------------------------ sending
@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    subtype: str = "pdf"
    maintype: str = "application"


@dataclass(frozen=True)
class MailRecord:
    id: int
    invoice_id: int | None
    client_id: int | None
    kind: str
    recipient: str
    subject: str
    status: str  # sent, failed
    error: str
    attachment: str
    attachment_sha256: str
    at: datetime


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def compose(settings: MailSettings, *, sender_name: str, reply_to: str, to: str, subject: str,
            body: str, attachments: Sequence[Attachment] = ()) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((_one_line(sender_name), settings.sender))
    message["To"] = to
    message["Subject"] = _one_line(subject)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    if reply_to and reply_to.lower() != settings.sender.lower():
        message["Reply-To"] = reply_to
    message.set_content(body)
    for item in attachments:
        message.add_attachment(item.data, maintype=item.maintype, subtype=item.subtype,
                               filename=item.filename)
    return message


def _where(settings: MailSettings) -> str:
    return f"{settings.host}:{settings.port}"


def check_ready(settings: MailSettings, password: str | None) -> None:
    """Refuse, before composing anything, settings that cannot work."""
    if not settings.configured:
        raise MailError("e-mail: no mail server set; use `solebook practice set --smtp-host H "
                        "--email-from ADDRESS` (and --smtp-user U)")
    if settings.user and not password:
        raise MailError("e-mail: no password for {user}: set {variable} or store it in "
                        "the system keyring (`keyring set {service} {user}`)",
                        user=settings.user, variable=PASSWORD_ENV, service=KEYRING_SERVICE)
    if settings.user and settings.security == "none" and not is_loopback(settings.host):
        raise MailError("e-mail: refusing to send the password unencrypted to {host}; use "
                        "--smtp-security starttls or ssl", host=settings.host)


def deliver(settings: MailSettings, message: EmailMessage, to: str,
            password: str | None, timeout: float = TIMEOUT_SECONDS) -> None:
    """Hand ``message`` to the server; any failure becomes a one-line :class:`MailError`."""
    check_ready(settings, password)
    where = _where(settings)
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, password or "")
            client.send_message(message, from_addr=settings.sender, to_addrs=[to])
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError("e-mail: {where} refused the login of {user} (wrong user name or "
                        "password): {reply}",
                        where=where, user=settings.user,
                        reply=_reply(exc.smtp_code, exc.smtp_error)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()), (0, b""))
        raise MailError(
            "e-mail: {where} refused the recipient {to}: {reply}",
            where=where, to=to, reply=_reply(code, reply)) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(
            "e-mail: {where} refused the sender {sender}: {reply}",
            where=where, sender=settings.sender,
            reply=_reply(exc.smtp_code, exc.smtp_error)) from None
    except smtplib.SMTPNotSupportedError as exc:
        what = "STARTTLS" if settings.security == "starttls" else "login (AUTH)"
        raise MailError("e-mail: {where} does not offer {what} ({detail}); check "
                        "--smtp-security and --smtp-port",
                        where=where, what=what, detail=_one_line(str(exc))) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            "e-mail: {where} refused the message: {reply}",
            where=where, reply=_reply(exc.smtp_code, exc.smtp_error)) from None
    except ssl.SSLError as exc:
        raise MailError("e-mail: secure connection to {where} failed ({detail}); check "
                        "--smtp-security and --smtp-port",
                        where=where, detail=_one_line(exc.reason or str(exc))) from None
    except socket.gaierror:
        raise MailError("e-mail: the mail server {host} is unknown (check --smtp-host and the "
                        "internet connection)", host=settings.host) from None
    except TimeoutError:
        raise MailError("e-mail: the mail server {where} did not answer within {timeout:g} "
                        "seconds", where=where, timeout=timeout) from None
    except ConnectionRefusedError:
        raise MailError("e-mail: cannot reach the mail server {where} (connection refused; "
                        "check --smtp-host and --smtp-port)", where=where) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            "e-mail: the mail server {where} could not be used: {detail}",
            where=where, detail=_one_line(str(exc)) or type(exc).__name__) from None


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return _one_line(f"{code} {text}")


def _record(row: MailLog) -> MailRecord:
    return MailRecord(row.id, row.invoice_id, row.client_id, row.kind, row.recipient,
                      row.subject, row.status, row.error, row.attachment,
                      row.attachment_sha256, row.at)


def log_mail(books: Books, *, kind: str, recipient: str, subject: str, status: str,
             error: str = "", invoice_id: int | None = None, client_id: int | None = None,
             attachment: Attachment | None = None, session_id: int | None = None
             ) -> MailRecord:
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    with books.db.write() as session:
        row = MailLog(
            invoice_id=invoice_id, client_id=client_id, session_id=session_id, kind=kind,
            recipient=recipient[:200],
            subject=_one_line(subject)[:300], status=status, error=error,
            attachment=attachment.filename if attachment else "",
            attachment_sha256=hashlib.sha256(attachment.data).hexdigest() if attachment else "",
            at=books.clock.now(),
        )
        session.add(row)
        session.flush()
        return _record(row)


def send(books: Books, *, kind: str, to: str, subject: str, body: str,
         attachment: Attachment | None = None, invoice_id: int | None = None,
         client_id: int | None = None, sender_name: str = "", reply_to: str = "",
         timeout: float = TIMEOUT_SECONDS, session_id: int | None = None) -> MailRecord:
    """Send one message and log it; a failure is logged too and raised as MailError."""
    to = identifiers.parse_email(to, N_("to"))
    settings = get_mail_settings(books)
    attachments = [attachment] if attachment else []

    def failed(reason: str) -> MailRecord:
        return log_mail(books, kind=kind, recipient=to, subject=subject, status="failed",
                        error=reason, invoice_id=invoice_id, client_id=client_id,
                        attachment=attachment, session_id=session_id)

    try:
        password = smtp_password(settings.user)
        check_ready(settings, password)
        message = compose(settings, sender_name=sender_name, reply_to=reply_to, to=to,
                          subject=subject, body=body, attachments=attachments)
        deliver(settings, message, to, password, timeout)
    except MailError as exc:
        failed(exc.message)
        raise
    return log_mail(books, kind=kind, recipient=to, subject=subject, status="sent",
                    invoice_id=invoice_id, client_id=client_id, attachment=attachment,
                    session_id=session_id)


def mail_log(books: Books, *, invoice_id: int | None = None, client_id: int | None = None,
             limit: int = 200) -> list[MailRecord]:
    """The log, newest first; for one invoice or client when given."""
    query = select(MailLog).order_by(MailLog.at.desc(), MailLog.id.desc()).limit(limit)
    if invoice_id is not None:
        query = query.where(MailLog.invoice_id == invoice_id)
    if client_id is not None:
        query = query.where(MailLog.client_id == client_id)
    with books.db.read() as session:
        return [_record(row) for row in session.scalars(query)]
