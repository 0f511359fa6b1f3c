"""The e-mail texts: one subject and body per kind of message and language, editable.

A template is plain text with ``{field}`` placeholders (``{{`` and ``}}`` for a literal
brace). Only the fields listed for its kind may be used: a template naming any other
field, or using attribute access, indexes or format specs, is refused when it is saved,
with a message that lists the fields that exist. The defaults live here; an edited
template is stored as the setting ``mail.<kind>.<language>.subject`` / ``.body``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from ledger.base import parse
from ledger.base.codes import InvoiceKind
from ledger.base.dates import format_date
from ledger.base.errors import N_, InputError
from ledger.base.identifiers import format_iban
from ledger.base.money import format_money
from ledger.base.views import InvoiceInfo
from ledger.billing.reminders import ReminderPlan
from ledger.books import Books
from ledger.practice.profile import get_setting
from ledger.store.models import Setting

LANGUAGES = ("nl", "en")
_COMMON = ("client_name", "practice_name", "practice_email", "practice_phone")
_INVOICE = (*_COMMON, "number", "date", "due_date", "amount", "open", "iban",
            "account_holder")
_REMINDER = (*_INVOICE, "days_overdue", "pay_by", "costs", "reminder_date")
FIELDS: dict[str, tuple[str, ...]] = {
    "invoice": _INVOICE,
    "credit": (*_COMMON, "number", "date", "amount", "credit_of"),
    "statement": (*_COMMON, "title", "total"),
    "reminder_first": _REMINDER,
    "reminder_fourteen_day": _REMINDER,
    "appointment_confirmation": (*_COMMON, "treatment", "date", "time", "duration", "policy"),
    "appointment_reminder": (*_COMMON, "treatment", "date", "time", "duration", "policy"),
}
KINDS = tuple(FIELDS)

_SIGN_NL = "\n\nMet vriendelijke groet,\n\n{practice_name}\n{practice_phone}\n"
_SIGN_EN = "\n\nKind regards,\n\n{practice_name}\n{practice_phone}\n"
DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("invoice", "nl"): (
        "Factuur {number} van {practice_name}",
        "Beste {client_name},\n\nIn de bijlage vindt u factuur {number} van {date} voor een "
        "bedrag van {amount}.\nWilt u dit bedrag uiterlijk {due_date} overmaken op {iban} "
        "ten name van {account_holder}, onder vermelding van {number}?" + _SIGN_NL),
    ("invoice", "en"): (
        "Invoice {number} from {practice_name}",
        "Dear {client_name},\n\nPlease find attached invoice {number} of {date} for "
        "{amount}.\nPlease transfer this amount by {due_date} to {iban} in the name of "
        "{account_holder}, quoting {number}." + _SIGN_EN),
    ("credit", "nl"): (
        "Creditnota {number} van {practice_name}",
        "Beste {client_name},\n\nIn de bijlage vindt u creditnota {number} van {date} voor "
        "een bedrag van {amount}; deze corrigeert factuur {credit_of}." + _SIGN_NL),
    ("credit", "en"): (
        "Credit note {number} from {practice_name}",
        "Dear {client_name},\n\nPlease find attached credit note {number} of {date} for "
        "{amount}; it corrects invoice {credit_of}." + _SIGN_EN),
    ("statement", "nl"): (
        "{title} van {practice_name}",
        "Beste {client_name},\n\nIn de bijlage vindt u het overzicht van uw behandelingen "
        "({title}, totaal {total}) voor uw zorgverzekeraar. Dit is geen factuur; u hoeft "
        "niets te betalen." + _SIGN_NL),
    ("statement", "en"): (
        "{title} from {practice_name}",
        "Dear {client_name},\n\nPlease find attached the list of your treatments ({title}, "
        "total {total}) for your health insurer. This is not an invoice; there is nothing "
        "to pay." + _SIGN_EN),
    ("reminder_first", "nl"): (
        "Betalingsherinnering factuur {number}",
        "Beste {client_name},\n\nVolgens onze administratie is factuur {number} van {date} "
        "nog niet (volledig) betaald; de vervaldatum was {due_date}. Er staat nog {open} "
        "open.\nWilt u dit bedrag uiterlijk {pay_by} overmaken op {iban} ten name van "
        "{account_holder}, onder vermelding van {number}? De herinnering zit als PDF in de "
        "bijlage.\n\nHebt u inmiddels betaald, dan kunt u dit bericht als niet verzonden "
        "beschouwen." + _SIGN_NL),
    ("reminder_first", "en"): (
        "Payment reminder for invoice {number}",
        "Dear {client_name},\n\nAccording to our records invoice {number} of {date} has not "
        "been paid (in full); it was due on {due_date}. {open} is still open.\nPlease "
        "transfer this amount by {pay_by} to {iban} in the name of {account_holder}, quoting "
        "{number}. The reminder is attached as a PDF.\n\nIf you have paid in the meantime, "
        "please disregard this message." + _SIGN_EN),
    ("reminder_fourteen_day", "nl"): (
        "Aanmaning factuur {number}: betaling binnen 14 dagen",
        "Beste {client_name},\n\nFactuur {number} van {date} had uiterlijk {due_date} "
        "betaald moeten zijn. Er staat nog {open} open.\nWij verzoeken u dit bedrag binnen "
        "14 dagen na de dag waarop u dit bericht hebt ontvangen over te maken op {iban} ten "
        "name van {account_holder}, onder vermelding van {number}.\nBetaalt u niet binnen "
        "die termijn, dan bent u daarnaast buitengerechtelijke incassokosten verschuldigd "
        "van {costs} (art. 6:96 BW en het Besluit vergoeding voor buitengerechtelijke "
        "incassokosten). De brief zit als PDF in de bijlage.\n\nHebt u inmiddels betaald, "
        "dan kunt u dit bericht als niet verzonden beschouwen." + _SIGN_NL),
    ("reminder_fourteen_day", "en"): (
        "Final reminder for invoice {number}: payment within 14 days",
        "Dear {client_name},\n\nInvoice {number} of {date} was due on {due_date}. {open} is "
        "still open.\nPlease transfer this amount within 14 days after the day on which you "
        "received this message to {iban} in the name of {account_holder}, quoting {number}."
        "\nIf you do not pay within that term, you will also owe extrajudicial collection "
        "costs of {costs} (article 6:96 of the Dutch Civil Code and the Decree on "
        "extrajudicial collection costs). The letter is attached as a PDF.\n\nIf you have "
        "paid in the meantime, please disregard this message." + _SIGN_EN),
    ("appointment_confirmation", "nl"): (
        "Afspraak {date} om {time} bij {practice_name}",
        "Beste {client_name},\n\nHierbij bevestig ik uw afspraak voor {treatment} op {date} om "
        "{time} ({duration} minuten). In de bijlage staat de afspraak voor uw agenda.\n\n"
        "{policy}" + _SIGN_NL),
    ("appointment_confirmation", "en"): (
        "Appointment {date} at {time} with {practice_name}",
        "Dear {client_name},\n\nThis confirms your appointment for {treatment} on {date} at "
        "{time} ({duration} minutes). The attachment adds it to your calendar.\n\n{policy}"
        + _SIGN_EN),
    ("appointment_reminder", "nl"): (
        "Herinnering: afspraak {date} om {time} bij {practice_name}",
        "Beste {client_name},\n\nEen herinnering aan uw afspraak voor {treatment} op {date} "
        "om {time} ({duration} minuten).\n\n{policy}" + _SIGN_NL),
    ("appointment_reminder", "en"): (
        "Reminder: appointment {date} at {time} with {practice_name}",
        "Dear {client_name},\n\nA reminder of your appointment for {treatment} on {date} at "
        "{time} ({duration} minutes).\n\n{policy}" + _SIGN_EN),
}


@dataclass(frozen=True)
class Template:
    kind: str
    language: str
    subject: str
    body: str
    edited: bool
    fields: tuple[str, ...]


def _key(kind: str, language: str, part: str) -> str:
    return f"mail.{kind}.{language}.{part}"


def _check_kind(kind: str, language: str) -> None:
    if kind not in FIELDS:
        raise InputError(
            "template", "{kind!r} is not one of: {items}", kind=kind, items=", ".join(KINDS))
    if language not in LANGUAGES:
        raise InputError("language", "{language!r} is not one of: nl, en", language=language)


def placeholders(text: str, field: str) -> list[str]:
    """The ``{field}`` names in ``text``; refuses format specs, attribute and index access."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InputError(field, "has a stray brace ({exc}); write {{{{ or }}}} for a brace",
                         exc=exc) from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (
                ":" + spec if spec else "") + "}"
            raise InputError(field, "{placeholder} is not a plain field; write e.g. {{number}}",
                             placeholder=shown)
        names.append(name)
    return names


def validate(kind: str, text: str, field: str) -> str:
    allowed = FIELDS[kind]
    unknown = [name for name in placeholders(text, field) if name not in allowed]
    if unknown:
        raise InputError(field, "unknown field {{{name}}}; the fields are: {fields}",
                         name=unknown[0], fields=", ".join("{" + f + "}" for f in allowed))
    return text


def render(kind: str, text: str, values: dict[str, str], field: str = N_("template")) -> str:
    """Fill in a template; every field of the kind must be in ``values``."""
    validate(kind, text, field)
    missing = [f for f in FIELDS[kind] if f not in values]
    if missing:
        raise ValueError(f"values for {kind} lack {missing}")
    return text.format_map({f: values[f] for f in FIELDS[kind]})


def get_template(books: Books, kind: str, language: str) -> Template:
    _check_kind(kind, language)
    subject, body = DEFAULTS[(kind, language)]
    with books.db.read() as session:
        stored_subject = get_setting(session, _key(kind, language, "subject"), "")
        stored_body = get_setting(session, _key(kind, language, "body"), "")
    return Template(kind, language, stored_subject or subject, stored_body or body,
                    bool(stored_subject or stored_body), FIELDS[kind])


def set_template(books: Books, kind: str, language: str, *, subject: str | None = None,
                 body: str | None = None, reset: bool = False) -> Template:
    """Change a template's subject and/or body (checked first), or ``reset`` to the default."""
    _check_kind(kind, language)
    values: dict[str, str] = {}
    if reset:
        values = {"subject": "", "body": ""}
    if subject is not None:
        subject = parse.parse_name(subject, N_("subject"), max_length=300)  # one line, no controls
        values["subject"] = validate(kind, subject, "subject")
    if body is not None:
        body = parse.parse_text(body, N_("body"), max_length=20_000, required=True) + "\n"
        values["body"] = validate(kind, body, "body")
    if not values:
        raise InputError("template", "give --subject, --body or --reset")
    with books.db.write() as session:
        for part, value in values.items():
            key = _key(kind, language, part)
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
    return get_template(books, kind, language)


# ------------------------------------------------------------------------------ values
def _common(client_name: str, practice: dict[str, Any]) -> dict[str, str]:
    return {"client_name": client_name, "practice_name": str(practice.get("name", "")),
            "practice_email": str(practice.get("email", "")),
            "practice_phone": str(practice.get("phone", ""))}


def invoice_values(info: InvoiceInfo, practice: dict[str, Any] | None = None
                   ) -> dict[str, str]:
    """The fields of an invoice or credit note, formatted in its language."""
    lang = info.language if info.language in LANGUAGES else "nl"
    practice = practice if practice is not None else info.practice
    client_name = info.client.get("name") or info.client_name
    values = _common(client_name, practice)
    values.update(
        number=info.number or "", date=format_date(info.date, lang) if info.date else "",
        due_date=format_date(info.due_date, lang) if info.due_date else "",
        amount=format_money(
            abs(info.total) if info.kind == InvoiceKind.CREDIT else info.total, lang),
        open=format_money(info.open, lang),
        iban=format_iban(str(practice.get("iban", ""))) if practice.get("iban") else "",
        account_holder=str(practice.get("account_holder") or practice.get("name", "")),
        credit_of=info.credit_of_number or "",
    )
    return values


def reminder_values(plan: ReminderPlan) -> dict[str, str]:
    lang = plan.language if plan.language in LANGUAGES else "nl"
    values = invoice_values(plan.invoice, plan.practice)
    values.update(open=format_money(plan.principal, lang),
                  days_overdue=str(plan.days_overdue),
                  pay_by=format_date(plan.pay_by, lang),
                  costs=format_money(plan.costs, lang),
                  reminder_date=format_date(plan.date, lang))
    return values


def statement_values(client_name: str, practice: dict[str, Any], title: str,
                     total: int, language: str) -> dict[str, str]:
    values = _common(client_name, practice)
    values.update(title=title, total=format_money(total, language))
    return values


def fill(books: Books, kind: str, language: str, values: dict[str, str]) -> tuple[str, str]:
    """The subject and body of a message of ``kind`` in ``language``."""
    template = get_template(books, kind, language if language in LANGUAGES else "nl")
    return (render(kind, template.subject, values, "subject"),
            render(kind, template.body, values, "body"))


def appointment_values(client_name: str, practice: dict[str, Any], *, treatment: str,
                       on: date, at: time, duration: int, policy: str, language: str
                       ) -> dict[str, str]:
    """The fields of an appointment's confirmation or reminder (never a note)."""
    values = _common(client_name, practice)
    values.update(treatment=treatment, date=format_date(on, language), time=f"{at:%H:%M}",
                  duration=str(duration), policy=policy)
    return values


def cancellation_policy(hours: int, fee: str, language: str) -> str:
    """The cancellation policy as the appointment mails state it."""
    if language == "en":
        return (f"Please cancel at least {hours} hours before the appointment; a later "
                f"cancellation or a missed appointment costs {fee}.")
    return (f"Afzeggen kan tot {hours} uur voor de afspraak; bij later afzeggen of niet "
            f"verschijnen wordt {fee} in rekening gebracht.")
