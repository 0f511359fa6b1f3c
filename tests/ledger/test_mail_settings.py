"""Mail settings: typed values checked, the password only from the environment or keyring,
templates with a closed list of fields."""

from __future__ import annotations

import sys
import types

import pytest
from sqlalchemy import select

from ledger.base.errors import InputError
from ledger.books import Books
from ledger.mail.smtp import (
    PASSWORD_ENV,
    get_mail_settings,
    password_source,
    smtp_password,
    update_mail_settings,
)
from ledger.mail.templates import DEFAULTS, FIELDS, placeholders, render, validate
from ledger.store.models import Setting


def test_settings_are_checked_and_stored_without_password(books: Books) -> None:
    settings = update_mail_settings(books, {"smtp_host": "SMTP.Example.NL", "smtp_user": "zool",
                                            "smtp_security": "SSL",
                                            "email_from": "Facturen@Zool.NL"})
    assert (settings.host, settings.port, settings.security, settings.sender) == (
        "smtp.example.nl", 465, "ssl", "Facturen@zool.nl")
    assert get_mail_settings(books) == settings
    with books.db.read() as session:
        keys = set(session.scalars(select(Setting.key)))
    assert not any("pass" in key for key in keys)
    for raw, message in (({"smtp_port": "70000"}, "SMTP port"),
                         ({"smtp_host": "smtp example"}, "SMTP host"),
                         ({"email_from": "facturen"}, "sender address"),
                         ({"smtp_security": "tls2"}, "SMTP security")):
        with pytest.raises(InputError, match=message):
            update_mail_settings(books, raw)
    assert get_mail_settings(books) == settings


def test_password_from_environment_then_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert smtp_password("zool") == "from-env" and password_source() == "environment"
    monkeypatch.delenv(PASSWORD_ENV)
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    assert smtp_password("zool") is None
    assert password_source().startswith("none")
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: f"{service}/{user}"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    assert smtp_password("zool") == "solebook-smtp/zool"
    broken = types.ModuleType("keyring")

    def no_backend(service: str, user: str) -> str:
        raise RuntimeError("no recommended backend")

    broken.get_password = no_backend  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", broken)
    assert smtp_password("zool") is None


@pytest.mark.parametrize(("kind", "language"), sorted(DEFAULTS))
def test_every_default_template_uses_known_fields(kind: str, language: str) -> None:
    subject, body = DEFAULTS[(kind, language)]
    validate(kind, subject, "subject")
    validate(kind, body, "body")
    filled = render(kind, body, {field: f"<{field}>" for field in FIELDS[kind]})
    assert "{" not in filled


@pytest.mark.parametrize(("text", "message"), [
    ("Factuur {nummer}", "unknown field {nummer}"),
    ("{number.__class__}", "is not a plain field"),
    ("{number[0]}", "is not a plain field"),
    ("{number:>10}", "is not a plain field"),
    ("{number!r}", "is not a plain field"),
    ("open {", "stray brace"),
])
def test_templates_refuse_what_is_not_a_field(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate("invoice", text, "body")


def test_literal_braces() -> None:
    assert placeholders("{{niet}} {number}", "body") == ["number"]
