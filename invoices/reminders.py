"""Reminder letters: the payment reminder and the fourteen-day letter (veertiendagenbrief).

Lays out a :class:`~ledger.billing.reminders.ReminderPlan` that ledger worked out (amount open,
collection costs on the WIK scale, the terms); nothing is computed here. The fourteen-day
letter states what art. 6:96 lid 6 BW asks: the amount due, a term of fourteen days
counted from the day after the letter is received, and the collection costs that will be
owed if that term passes. Same page, fonts and footer as the invoices; every text from the
books goes through the escape helper.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from invoices.epc import epc_payload, qr_modules
from invoices.layout import (
    WIDTH,
    FirstPage,
    PageDecor,
    QrCode,
    build_pdf,
    fit_footer,
    key_values,
    plain,
    styles,
)
from invoices.markup import para, unbroken
from invoices.parties import footer_parts
from invoices.texts import Texts, texts_for
from ledger.base.codes import ReminderKind, charges_vat
from ledger.billing.reminders import ReminderPlan
from ledger.practice.greeting import greeting, speaks_as_we


def title(plan: ReminderPlan, t: Texts) -> str:
    _ = t.gettext
    return _("Final reminder") if plan.kind == ReminderKind.FOURTEEN_DAY else _("Payment reminder")


def first_page(plan: ReminderPlan, t: Texts, logo: bytes | None = None) -> FirstPage:
    """Letterhead, the client's name and address in the envelope's window, the letter's
    date, invoice number and client number beside it."""
    _ = t.gettext
    invoice = plan.invoice
    info = [(_("Date"), t.date(plan.date)), (_("Invoice number"), invoice.number or ""),
            (_("Client number"), str(invoice.client_id))]
    return FirstPage(plan.practice, t, plan.client.get("name", ""), plan.client, info, logo)


def _amounts(plan: ReminderPlan, t: Texts) -> Table:
    _ = t.gettext
    invoice = plan.invoice
    rows = [(_("Invoice number"), invoice.number or ""),
            (_("Invoice date"), t.date(invoice.date)),
            (_("Due date"), t.date(invoice.due_date)),
            (_("Invoice amount"), t.money(invoice.total)),
            (_("Paid or credited"), t.money(invoice.total - plan.principal)),
            (_("Open"), t.money(plan.principal))]
    if plan.kind == ReminderKind.FOURTEEN_DAY:
        rows += [(_("Payment term"), _("14 days after the day you receive this letter")),
                 (_("Collection costs if not paid within the term"), t.money(plan.costs))]
    else:
        rows.append((_("Pay by"), t.date(plan.pay_by)))
    return key_values(rows, (62 * mm, 70 * mm))


def _body(plan: ReminderPlan, t: Texts) -> list[Any]:
    s, _ = styles(), t.gettext
    invoice, practice = plan.invoice, plan.practice
    holder = practice.get("account_holder") or practice.get("name", "")
    # Amounts, the IBAN and the number never break over two lines.
    facts = dict(number=unbroken(invoice.number), date=t.date(invoice.date),
                 total=unbroken(t.money(invoice.total)), due_date=t.date(invoice.due_date),
                 open=unbroken(t.money(plan.principal)),
                 iban=unbroken(t.iban(practice.get("iban", ""))), holder=holder,
                 pay_by=t.date(plan.pay_by), costs=unbroken(t.money(plan.costs)))
    we = speaks_as_we(practice)
    story: list[Any] = [para(greeting(plan.client, t.language), s["body"]), Spacer(1, 3 * mm)]
    if plan.kind == ReminderKind.FOURTEEN_DAY:
        if plan.previous:
            opening = (_("Invoice {number} of {date} for {total} was due on {due_date}. "
                         "According to our records {open} of it is still open, also after "
                         "earlier reminders.") if we else
                       _("Invoice {number} of {date} for {total} was due on {due_date}. "
                         "According to my records {open} of it is still open, also after "
                         "earlier reminders."))
        else:
            opening = (_("Invoice {number} of {date} for {total} was due on {due_date}. "
                         "According to our records {open} of it is still open.") if we else
                       _("Invoice {number} of {date} for {total} was due on {due_date}. "
                         "According to my records {open} of it is still open."))
        story += [
            para(opening.format(**facts), s["body"]),
            para(_("Please transfer {open} within 14 days after the day on which you receive "
                   "this letter to {iban} in the name of {holder}, quoting {number}.").format(
                       **facts), s["notice"]),
            para(_("If you do not pay within that term, you will owe, in addition to the "
                   "amount open, extrajudicial collection costs of {costs}. This amount follows "
                   "the scale of the Decree on compensation for extrajudicial collection costs "
                   "(article 6:96 of the Dutch Civil Code).").format(**facts), s["body"]),
        ]
    else:
        story += [
            para((_("On {date} we sent you invoice {number} for {total}, to be paid by "
                     "{due_date}. According to our records {open} of it is still open.")
                   if we else
                   _("On {date} I sent you invoice {number} for {total}, to be paid by "
                     "{due_date}. According to my records {open} of it is still open.")
                   ).format(**facts), s["body"]),
            Spacer(1, 2 * mm),
            para(_("Please transfer {open} by {pay_by} to {iban} in the name of {holder}, "
                   "quoting {number}.").format(**facts), s["body"]),
        ]
    story += [Spacer(1, 2 * mm),
              para(_("If you have paid in the meantime, please disregard this letter."),
                   s["body"])]
    return story


def _qr(plan: ReminderPlan, t: Texts) -> list[Any]:
    practice = plan.practice
    try:
        payload = epc_payload(name=practice.get("account_holder") or practice.get("name", ""),
                              iban=practice.get("iban", ""), amount=plan.principal,
                              text=plan.invoice.number or "")
    except ValueError:
        return []
    return [QrCode(qr_modules(payload), 30 * mm),
            para(t.gettext("Scan with your banking app"), styles()["small_r"])] if payload else []


def reminder_story(plan: ReminderPlan, t: Texts) -> list[Any]:
    """What follows the first page's top (:func:`first_page`)."""
    s, _ = styles(), t.gettext
    practice = plan.practice
    closing = [para(_("Kind regards,"), s["body"]), Spacer(1, 2 * mm),
               para(practice.get("therapist_name") or practice.get("name", ""), s["body"])]
    qr = _qr(plan, t)
    amounts = plain([[_amounts(plan, t), qr]], [WIDTH - 38 * mm, 38 * mm],
                    extra=[("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return [para(title(plan, t), s["title"]), *_body(plan, t), Spacer(1, 4 * mm),
            KeepTogether([amounts]), Spacer(1, 6 * mm), KeepTogether(closing)]


def render_reminder(plan: ReminderPlan, logo: bytes | None = None) -> bytes:
    """The letter's PDF (the same plan renders to the same bytes)."""
    t = texts_for(plan.language)
    _ = t.gettext
    heading = title(plan, t)
    decor = PageDecor(
        footer=fit_footer(footer_parts(plan.practice, t,
                                       charges_vat=charges_vat(plan.practice.get("vat_regime")))),
        page_label=lambda page, pages: _("page {page} of {pages}").format(page=page,
                                                                          pages=pages),
        running_header=f"{heading} · {plan.invoice.number}",
    )
    stamp = datetime.combine(plan.date, datetime.min.time())
    key = f"reminder {plan.kind} {plan.invoice.number} {plan.date.isoformat()}"
    return build_pdf(reminder_story(plan, t), decor, key=key, stamp=stamp,
                     title=f"{heading} {plan.invoice.number}",
                     author=plan.practice.get("name", ""),
                     subject=plan.client.get("name", ""), language=t.language,
                     first_page=first_page(plan, t, logo))
