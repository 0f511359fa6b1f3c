"""The XML Auditfile Financieel 3.2 (XAF) of a year: the books as the accountant's software
and the Belastingdienst read them (schema ``XmlAuditfileFinancieel3.2.xsd``, namespace
``http://www.auditfiles.nl/XAF/3.2``).

What it holds: the header (year, dates, currency, software); the company (name, address,
KvK number, btw-id); the customers (client number, name, address; never a date of birth,
a note or anything about health); the general ledger with each account's RGS code in
``leadReference``; the VAT codes; the twelve periods; the opening balance (the closing
balance of the year before); and the year's entries in their journals (sales, bank, cash,
memorial, costs) with document reference, date, description, amount, debit/credit and
the VAT per line, exactly as :mod:`ledger.journals.projection` books them.

The file is written as the entries are read (each journal into its own temporary file,
joined at the end, since the totals come first in the file), and atomically.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator, escape
from xml.sax.xmlreader import AttributesImpl

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from ledger.base.errors import N_
from ledger.base.money import json_amount
from ledger.base.parse import check_year
from ledger.books import Books
from ledger.journals import chart as c
from ledger.journals.chart import JOURNAL_NAMES, JOURNAL_TYPES, Journal, chart_in
from ledger.journals.projection import Entry, entries, words
from ledger.journals.trial_balance import opening_balances
from ledger.practice.profile import practice_info
from ledger.store.models import Client, Invoice, Payment
from ledger.store.models.costs import Cost
from ledger.yearend.names import MONTHS

NAMESPACE = "http://www.auditfiles.nl/XAF/3.2"
SOFTWARE = "solebook"
VERSION = "0.1.0"
NO_ATTRIBUTES: AttributesImpl[str] = AttributesImpl({})
def _cut(text: str, limit: int) -> str:
    return (text or "")[:limit]


def _amount(cents: int) -> tuple[str, str]:
    """(absolute amount, ``D`` or ``C``)."""
    return json_amount(abs(cents)), ("D" if cents >= 0 else "C")


def _street(address: str) -> tuple[str, str, str]:
    """``Hoofdstraat 12a`` -> (street, number, extension)."""
    match = re.match(r"^(.*?)\s+(\d+)\s*([^\d\s].*)?$", (address or "").strip())
    if not match:
        return (address or "").strip(), "", ""
    return match.group(1), match.group(2), (match.group(3) or "").strip(" -")


class _Writer:
    def __init__(self, out: IO[bytes]) -> None:
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def start(self, name: str) -> None:
        self.xml.startElement(name, NO_ATTRIBUTES)

    def end(self, name: str) -> None:
        self.xml.endElement(name)

    def leaf(self, name: str, value: Any) -> None:
        self.xml.startElement(name, NO_ATTRIBUTES)
        self.xml.characters(str(value))
        self.xml.endElement(name)

    def opt(self, name: str, value: Any) -> None:
        if value not in (None, ""):
            self.leaf(name, value)


def _address(w: _Writer, address: str, postcode: str, city: str, country: str) -> None:
    street, number, extension = _street(address)
    if not (street or postcode or city):
        return
    w.start("streetAddress")
    w.opt("streetname", _cut(street, 999))
    w.opt("number", _cut(number, 15))
    w.opt("numberExtension", _cut(extension, 999))
    w.opt("city", _cut(city, 50))
    w.opt("postalCode", _cut(postcode.replace(" ", ""), 10))
    w.opt("country", (country or "NL").upper()[:2])
    w.end("streetAddress")


def _customers(session: Session, year: int) -> Iterable[Any]:
    """The clients the year's entries name: invoiced or paid in the year (address only)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    ids = union(
        select(Invoice.client_id).where(Invoice.number.is_not(None), Invoice.date >= start,
                                        Invoice.date <= end),
        select(Invoice.client_id).join(Payment, Payment.invoice_id == Invoice.id)
        .where(Payment.date >= start, Payment.date <= end),
    ).subquery()
    return session.execute(
        select(Client.id, Client.name, Client.address, Client.postcode, Client.city,
               Client.country).where(Client.id.in_(select(ids.c[0]))).order_by(Client.id))


def _vat_rates(session: Session, year: int) -> list[Decimal]:
    from ledger.store.models import InvoiceLine

    start, end = date(year, 1, 1), date(year, 12, 31)
    rates = set(session.scalars(
        select(InvoiceLine.vat_rate).join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.number.is_not(None), Invoice.date >= start, Invoice.date <= end)
        .distinct()))
    rates |= {r for r in session.scalars(
        select(Cost.vat_rate).where(Cost.date >= start, Cost.date <= end).distinct())
        if r is not None}
    return sorted(Decimal(r) for r in rates)


@lru_cache(maxsize=65536)
def _amount_xml(cents: int) -> str:
    """``<amnt>12.50</amnt><amntTp>C</amntTp>`` for -1250 cents."""
    text, side = _amount(cents)
    return f"<amnt>{text}</amnt><amntTp>{side}</amntTp>"


@lru_cache(maxsize=64)
def _vat_xml(rate: Decimal) -> str:
    percent = format(Decimal(rate).quantize(Decimal("0.001")), "f")
    return f"<vatID>{c.vat_code(rate)}</vatID><vatPerc>{percent}</vatPerc>"


def _text(value: str, limit: int) -> str:
    return escape(_cut(value, limit))


def _transaction(entry: Entry, customers: set[int]) -> str:
    """One entry as a ``transaction`` element. The elements are written as text (the
    values escaped), which is many times faster than an element at a time through the
    XML generator; the header and company parts, written once, still go through it."""
    debit = sum(line.amount for line in entry.lines if line.amount > 0)
    day = entry.date.isoformat()
    document = _text(entry.document, 999)
    parts = [f"<transaction><nr>{_text(entry.number, 35)}</nr>"]
    if entry.description:
        parts.append(f"<desc>{_text(entry.description, 9999)}</desc>")
    parts.append(f"<periodNumber>{entry.date.month}</periodNumber><trDt>{day}</trDt>"
                 f"<amnt>{json_amount(debit)}</amnt><amntTp>D</amntTp>")
    if entry.reference:
        parts.append(f"<sourceID>{_text(entry.reference, 35)}</sourceID>")
    sales = entry.journal == Journal.SALES
    for number, line in enumerate(entry.lines, start=1):
        parts.append(f"<trLine><nr>{number}</nr><accID>{escape(line.account)}</accID>"
                     f"<docRef>{document}</docRef><effDate>{day}</effDate>")
        text = line.description or entry.description
        if text:
            parts.append(f"<desc>{_text(text, 9999)}</desc>")
        parts.append(_amount_xml(line.amount))
        if line.client_id is not None and line.client_id in customers:
            parts.append(f"<custSupID>{line.client_id}</custSupID>")
        if sales and line.account == c.DEBTORS:
            parts.append(f"<invRef>{_text(entry.number, 999)}</invRef>")
        if line.vat_rate is not None and line.account not in (c.VAT_PAYABLE, c.VAT_TO_CLAIM):
            vat, vat_side = _amount(line.vat_amount)
            parts.append(f"<vat>{_vat_xml(line.vat_rate)}<vatAmnt>{vat}</vatAmnt>"
                         f"<vatAmntTp>{vat_side}</vatAmntTp></vat>")
        parts.append("</trLine>")
    parts.append("</transaction>")
    return "".join(parts)


def write_auditfile(books: Books, year: int, path: Path | str,
                    language: str | None = None) -> dict[str, int]:
    """Write the audit file of ``year`` to ``path``, its descriptions in ``language`` (by
    default the practice's); returns its counts and totals."""
    from ledger.yearend.streamed import streamed_file

    check_year(year)
    path = Path(path).expanduser()
    with books.db.read() as session, streamed_file(path, N_("audit file")) as out:
        return _write(session, books, year, out, path.parent, language)


def _write(session: Session, books: Books, year: int, out: IO[bytes],
           folder: Path, language: str | None) -> dict[str, int]:
    practice = practice_info(session)
    w_ = words(language or practice.language)
    chart = chart_in(session)
    opening = opening_balances(session, year)
    customer_rows = list(_customers(session, year))
    customers = {row[0] for row in customer_rows}
    parts: dict[Journal, IO[bytes]] = {}
    buffers: dict[Journal, list[str]] = {}
    counts = {"entries": 0, "lines": 0, "debit": 0, "credit": 0}
    used_accounts = set(opening)
    try:
        for entry in entries(session, year, language):
            journal = entry.journal
            if journal not in parts:
                parts[journal] = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed below)
                buffers[journal] = []
            buffer = buffers[journal]
            buffer.append(_transaction(entry, customers))
            if len(buffer) >= 1000:
                parts[journal].write("".join(buffer).encode("utf-8"))
                buffer.clear()
            for line in entry.lines:
                used_accounts.add(line.account)
                if line.amount >= 0:
                    counts["debit"] += line.amount
                else:
                    counts["credit"] -= line.amount
            counts["lines"] += len(entry.lines)
            counts["entries"] += 1
        for journal, buffer in buffers.items():
            parts[journal].write("".join(buffer).encode("utf-8"))

        w = _Writer(out)
        w.xml.startDocument()
        w.xml.startElement("auditfile", AttributesImpl({"xmlns": NAMESPACE}))
        w.start("header")
        w.leaf("fiscalYear", year)
        w.leaf("startDate", f"{year}-01-01")
        w.leaf("endDate", f"{year}-12-31")
        w.leaf("curCode", "EUR")
        w.leaf("dateCreated", books.clock.today().isoformat())
        w.leaf("softwareDesc", SOFTWARE)
        w.leaf("softwareVersion", VERSION)
        w.end("header")
        w.start("company")
        w.opt("companyIdent", _cut(practice.kvk, 35))
        w.leaf("companyName", _cut(practice.name, 999))
        w.leaf("taxRegistrationCountry", (practice.country or "NL").upper()[:2])
        w.leaf("taxRegIdent", _cut(practice.vat_id, 30))
        _address(w, practice.address, practice.postcode, practice.city, practice.country)
        w.start("customersSuppliers")
        for client_id, name, address, postcode, city, country in customer_rows:
            w.start("customerSupplier")
            w.leaf("custSupID", str(client_id))
            w.leaf("custSupName", _cut(name, 50))
            w.leaf("custSupTp", "C")
            _address(w, address, postcode, city, country)
            w.end("customerSupplier")
        w.end("customersSuppliers")
        w.start("generalLedger")
        for account in chart.accounts.values():
            if account.code not in used_accounts and account.kind == "P" \
                    and account.code.startswith("48"):
                continue
            w.start("ledgerAccount")
            w.leaf("accID", account.code)
            w.leaf("accDesc", _cut(account.name, 999))
            w.leaf("accTp", str(account.kind))
            w.opt("leadCode", account.rgs)
            w.opt("leadDescription", _cut(account.name, 999))
            w.opt("leadReference", account.rgs)
            w.end("ledgerAccount")
        w.end("generalLedger")
        w.start("vatCodes")
        for rate in _vat_rates(session, year):
            w.start("vatCode")
            w.leaf("vatID", c.vat_code(rate))
            w.leaf("vatDesc", w_.vat.format(rate=format(rate.normalize(), "f")))
            w.leaf("vatToPayAccID", c.VAT_PAYABLE)
            w.leaf("vatToClaimAccID", c.VAT_TO_CLAIM)
            w.end("vatCode")
        w.end("vatCodes")
        w.start("periods")
        for month in range(1, 13):
            first = date(year, month, 1)
            last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
            w.start("period")
            w.leaf("periodNumber", month)
            w.leaf("periodDesc", f"{MONTHS[month - 1]} {year}")
            w.leaf("startDatePeriod", first.isoformat())
            w.leaf("endDatePeriod", date.fromordinal(last).isoformat())
            w.end("period")
        w.end("periods")
        w.start("openingBalance")
        w.leaf("opBalDate", f"{year}-01-01")
        w.leaf("opBalDesc", w_.opening_from.format(year=year, previous=year - 1))
        lines = [(code, amount) for code, amount in sorted(opening.items()) if amount]
        w.leaf("linesCount", len(lines))
        w.leaf("totalDebit", json_amount(sum(a for _c, a in lines if a > 0)))
        w.leaf("totalCredit", json_amount(-sum(a for _c, a in lines if a < 0)))
        for number, (code, amount) in enumerate(lines, start=1):
            text, side = _amount(amount)
            w.start("obLine")
            w.leaf("nr", number)
            w.leaf("accID", code)
            w.leaf("amnt", text)
            w.leaf("amntTp", side)
            w.end("obLine")
        w.end("openingBalance")
        w.start("transactions")
        w.leaf("linesCount", counts["lines"])
        w.leaf("totalDebit", json_amount(counts["debit"]))
        w.leaf("totalCredit", json_amount(counts["credit"]))
        for journal in Journal:
            if journal not in parts:
                continue
            w.start("journal")
            w.leaf("jrnID", str(journal))
            w.leaf("desc", JOURNAL_NAMES[journal])
            w.leaf("jrnTp", JOURNAL_TYPES[journal])
            w.xml.ignorableWhitespace("")  # flush the open tag before the copied body
            part = parts[journal]
            part.seek(0)
            shutil.copyfileobj(part, out, 1 << 20)
            w.end("journal")
        w.end("transactions")
        w.end("company")
        w.xml.endElement("auditfile")
        w.xml.endDocument()
    finally:
        for part in parts.values():
            part.close()
    return counts


__all__ = ["NAMESPACE", "write_auditfile"]
