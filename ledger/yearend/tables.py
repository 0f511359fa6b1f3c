"""The tables of the tax-year export, as typed rows (the writers decide the file format).

Every table is built from the year-end figures (:mod:`ledger.yearend.figures`) or from the
financial tables directly; the health notes are never read here. Rows are sorted, so the
same books give the same tables. Amounts are int cents, dates ``date``, rates ``Decimal``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import InvoiceKind
from ledger.books import Books
from ledger.costs.entries import trip_amount
from ledger.store.models import Client, Invoice, Payment
from ledger.store.models.costs import Cost, CostCategory, KmTrip
from ledger.yearend.figures import YearEnd, year_end_in
from ledger.yearend.names import METHODS, MONTHS, REGIMES, kind_name


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str  # text, date, money, int, rate, decimal
    #: For a column of stored codes: the Dutch word per code, written in the Dutch CSV and
    #: the workbook (the ISO CSV keeps the codes, like the JSON).
    words: Mapping[str, str] | None = None

    def shown(self, value: Any, *, dutch: bool) -> Any:
        if dutch and self.words is not None and isinstance(value, str):
            return self.words.get(value, value)
        return value


@dataclass(frozen=True)
class Table:
    name: str  # file and sheet key: invoices, credit_notes, ...
    title: str  # sheet title (at most 31 characters)
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


def _cols(*spec: tuple[Any, ...]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


def _summary(y: YearEnd) -> Table:
    t = y.totals
    money = [
        ("Omzet exclusief btw", t.turnover_net),
        ("Btw in rekening gebracht", t.vat),
        ("Omzet inclusief btw", t.turnover_gross),
        ("Ontvangen betalingen", t.payments_received),
        ("Openstaand per 31 december (debiteuren)", t.open_at_year_end),
        ("Vooruitbetaalde behandelingen per 31 december (incl. btw)", y.liability),
        ("Vooruitbetaalde behandelingen per 31 december (excl. btw)", y.liability_net),
        ("Kosten inclusief btw", y.costs_amount),
        ("Btw op kosten", y.costs_vat),
        ("Aftrekbare btw op kosten (voorbelasting)", sum(c.deductible_vat for c in y.costs)),
        ("Kosten (exclusief aftrekbare btw)", y.costs_expense),
        ("Zakelijke kilometers (vergoeding)", y.km_amount),
        ("Resultaat (omzet min kosten en kilometers)", y.result),
        ("Omzet vorig jaar exclusief btw (KOR-toets)", y.kor.last_year),
    ]
    counts: list[tuple[str, Decimal]] = [
        ("Facturen", Decimal(t.invoices_issued)),
        ("Creditnota's", Decimal(t.credit_notes_issued)),
        ("Behandelingen gegeven", Decimal(y.sessions_given)),
        ("Gemiste afspraken", Decimal(y.sessions_missed)),
        ("Behandeluren (urencriterium 1.225 uur)", y.treatment_hours),
        ("Zakelijke kilometers", Decimal(y.km_tenths) / 10),
        ("Nog te geven behandelingen per 31 december", Decimal(y.sessions_left)),
    ]
    rows: list[tuple[str, int | None, Decimal | None]] = [
        (label, amount, None) for label, amount in money]
    rows += [(label, None, number) for label, number in counts]
    return Table("summary", f"Samenvatting {y.year}", _cols(
        ("item", "Onderdeel", "text"), ("amount", "Bedrag", "money"),
        ("number", "Aantal", "decimal")), tuple(rows))


def _by_month(y: YearEnd) -> Table:
    rows = tuple((MONTHS[p.period - 1], p.net, p.vat, p.gross) for p in y.totals.by_month)
    return Table("turnover_by_month", "Omzet per maand", _cols(
        ("month", "Maand", "text"), ("net", "Omzet excl. btw", "money"),
        ("vat", "Btw", "money"), ("gross", "Omzet incl. btw", "money")), rows)


def _by_product(y: YearEnd) -> Table:
    rows = tuple((kind_name(p.kind), p.name, p.quantity, p.net, p.vat, p.gross)
                 for p in y.products)
    return Table("turnover_by_product", "Omzet per behandeling", _cols(
        ("kind", "Soort", "text"), ("name", "Omschrijving", "text"),
        ("quantity", "Aantal", "int"), ("net", "Omzet excl. btw", "money"),
        ("vat", "Btw", "money"), ("gross", "Omzet incl. btw", "money")), rows)


def _invoices(session: Session, year: int) -> tuple[Table, Table]:
    original = aliased(Invoice)
    query = (
        select(Invoice, original.number)
        .outerjoin(original, original.id == Invoice.credit_of_id)
        .where(Invoice.date >= date(year, 1, 1), Invoice.date <= date(year, 12, 31),
               Invoice.number.is_not(None))
        .order_by(Invoice.date, Invoice.series, Invoice.seq)
    )
    invoices, credits = [], []
    for inv, original_number in session.execute(query):
        name = str(json.loads(inv.client_snapshot or "{}").get("name", ""))
        if inv.kind == InvoiceKind.CREDIT:
            credits.append((inv.number, inv.date, original_number, name, inv.vat_regime,
                            inv.net_cents, inv.vat_cents, inv.total_cents))
        else:
            invoices.append((inv.number, inv.date, inv.due_date, name, inv.vat_regime,
                             inv.net_cents, inv.vat_cents, inv.total_cents))
    money = (("net", "Excl. btw", "money"), ("vat", "Btw", "money"),
             ("total", "Totaal", "money"))
    return (
        Table("invoices", "Facturen", _cols(
            ("number", "Nummer", "text"), ("date", "Datum", "date"),
            ("due_date", "Vervaldatum", "date"), ("client", "Klant", "text"),
            ("regime", "Btw-regeling", "text", REGIMES), *money), tuple(invoices)),
        Table("credit_notes", "Creditnota's", _cols(
            ("number", "Nummer", "text"), ("date", "Datum", "date"),
            ("credit_of", "Crediteert factuur", "text"), ("client", "Klant", "text"),
            ("regime", "Btw-regeling", "text", REGIMES), *money), tuple(credits)),
    )


def _payments(session: Session, year: int) -> Table:
    query = (
        select(Payment, Invoice.number, Client.name)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .join(Client, Client.id == Invoice.client_id)
        .where(Payment.date >= date(year, 1, 1), Payment.date <= date(year, 12, 31))
        .order_by(Payment.date, Invoice.series, Invoice.seq, Payment.id)
    )
    rows = tuple((p.date, number, name, p.method, p.reference, p.amount_cents)
                 for p, number, name in session.execute(query))
    return Table("payments", "Betalingen", _cols(
        ("date", "Datum", "date"), ("invoice", "Factuur", "text"), ("client", "Klant", "text"),
        ("method", "Wijze", "text", METHODS), ("reference", "Kenmerk", "text"),
        ("amount", "Bedrag", "money")), rows)


def _open(y: YearEnd) -> Table:
    rows = tuple((d.number, d.date, d.due_date, d.client_name, d.total, d.credited, d.paid,
                  d.open) for d in y.debtors)
    return Table("open_at_year_end", "Openstaand 31-12", _cols(
        ("number", "Factuur", "text"), ("date", "Datum", "date"),
        ("due_date", "Vervaldatum", "date"), ("client", "Klant", "text"),
        ("total", "Totaal", "money"), ("credited", "Gecrediteerd", "money"),
        ("paid", "Betaald", "money"), ("open", "Openstaand", "money")), rows)


def _packages(y: YearEnd) -> Table:
    rows = tuple((p.invoice_number, p.client_name, p.name, p.sold_on, p.expires,
                  p.sessions_total, p.sessions_used, p.sessions_left, p.price, p.value,
                  p.value_net) for p in y.packages)
    return Table("packages", "Reeksen 31-12", _cols(
        ("invoice", "Factuur", "text"), ("client", "Klant", "text"),
        ("package", "Reeks", "text"), ("sold_on", "Verkocht", "date"),
        ("expires", "Geldig tot", "date"), ("sessions", "Behandelingen", "int"),
        ("used", "Gebruikt", "int"), ("left", "Over", "int"), ("price", "Prijs", "money"),
        ("value", "Waarde over (incl. btw)", "money"),
        ("value_net", "Waarde over (excl. btw)", "money")), rows)


def _costs(session: Session, year: int) -> Table:
    query = (
        select(Cost, CostCategory.name)
        .join(CostCategory, CostCategory.id == Cost.category_id)
        .where(Cost.date >= date(year, 1, 1), Cost.date <= date(year, 12, 31))
        .order_by(Cost.date, Cost.id)
    )
    rows = tuple((c.date, c.supplier, c.description, category, c.method, c.vat_rate,
                  c.amount_cents, c.vat_cents, c.amount_cents - c.vat_cents,
                  c.receipt_path or "", c.receipt_sha256 or "")
                 for c, category in session.execute(query))
    return Table("costs", "Kosten", _cols(
        ("date", "Datum", "date"), ("supplier", "Leverancier", "text"),
        ("description", "Omschrijving", "text"), ("category", "Categorie", "text"),
        ("method", "Betaalwijze", "text", METHODS), ("vat_rate", "Btw-tarief", "rate"),
        ("amount", "Bedrag incl. btw", "money"), ("vat", "Btw", "money"),
        ("net", "Bedrag excl. btw", "money"), ("receipt", "Bon", "text"),
        ("sha256", "SHA-256", "text")), rows)


def _costs_by_category(y: YearEnd) -> Table:
    rows = tuple((c.name, c.count, c.amount, c.vat, c.deductible_vat, c.expense)
                 for c in y.costs)
    return Table("costs_by_category", "Kosten per categorie", _cols(
        ("category", "Categorie", "text"), ("count", "Aantal", "int"),
        ("amount", "Incl. btw", "money"), ("vat", "Btw", "money"),
        ("deductible_vat", "Aftrekbare btw", "money"),
        ("expense", "Kosten", "money")), rows)


def _km(session: Session, year: int) -> Table:
    query = (select(KmTrip).where(KmTrip.date >= date(year, 1, 1),
                                  KmTrip.date <= date(year, 12, 31))
             .order_by(KmTrip.date, KmTrip.id))
    rows = tuple((t.date, t.description, Decimal(t.km_tenths) / 10, t.rate_cents,
                  trip_amount(t.km_tenths, t.rate_cents))
                 for t in session.scalars(query))
    return Table("kilometres", "Kilometers", _cols(
        ("date", "Datum", "date"), ("description", "Rit", "text"), ("km", "Km", "decimal"),
        ("rate", "Tarief per km", "money"), ("amount", "Vergoeding", "money")), rows)


def _vat(y: YearEnd) -> Table:
    rows = tuple((f"K{q.quarter}", q.r1a_net, q.r1a_vat, q.r1b_net, q.r1b_vat, q.r1c_net,
                  q.r1c_vat, q.r1e_net, q.exempt_net, q.kor_net, q.due, q.input_vat,
                  q.balance) for q in y.vat_quarters)
    return Table("vat_per_quarter", "Btw per kwartaal", _cols(
        ("quarter", "Kwartaal", "text"), ("r1a_net", "1a omzet 21%", "money"),
        ("r1a_vat", "1a btw", "money"), ("r1b_net", "1b omzet 9%", "money"),
        ("r1b_vat", "1b btw", "money"), ("r1c_net", "1c omzet overig", "money"),
        ("r1c_vat", "1c btw", "money"), ("r1e_net", "1e omzet 0%", "money"),
        ("exempt_net", "Vrijgesteld (art. 11)", "money"), ("kor_net", "KOR", "money"),
        ("due", "5a verschuldigd", "money"), ("input_vat", "5b voorbelasting", "money"),
        ("balance", "Te betalen", "money")), rows)


def ledger_tables(session: Session, year: int) -> tuple[Table, Table]:
    """The trial balance (proefbalans) and every account's lines (grootboekkaarten)."""
    from ledger.journals.chart import chart_in
    from ledger.journals.projection import entries
    from ledger.journals.trial_balance import accumulate, opening_balances

    chart = chart_in(session)
    opening = opening_balances(session, year)
    tb = accumulate(chart, opening, entries(session, year), year)
    trial = Table("trial_balance", "Proefbalans", _cols(
        ("account", "Rekening", "text"), ("name", "Naam", "text"), ("rgs", "RGS-code", "text"),
        ("opening", "Beginsaldo", "money"), ("debit", "Debet", "money"),
        ("credit", "Credit", "money"), ("closing", "Eindsaldo", "money")),
        tuple((a.code, a.name, a.rgs, a.opening, a.debit, a.credit, a.closing)
              for a in tb.accounts))
    lines = [(code, date(year, 1, 1), "", "", "", "Beginsaldo", 0, 0, amount)
             for code, amount in opening.items() if amount]
    for entry in entries(session, year):
        for line in entry.lines:
            lines.append((line.account, entry.date, str(entry.journal), entry.number,
                          entry.document, line.description or entry.description,
                          max(line.amount, 0), max(-line.amount, 0), line.amount))
    lines.sort(key=lambda row: (row[0], row[1]))  # stable: in booking order within a day
    running: dict[str, int] = {}
    rows = []
    for code, day, journal, number, document, text, debit, credit, amount in lines:
        running[code] = running.get(code, 0) + amount
        rows.append((code, day, journal, number, document, text, debit, credit, running[code]))
    cards = Table("ledger_cards", "Grootboekkaarten", _cols(
        ("account", "Rekening", "text"), ("date", "Datum", "date"),
        ("journal", "Dagboek", "text"), ("entry", "Boeking", "text"),
        ("document", "Document", "text"), ("description", "Omschrijving", "text"),
        ("debit", "Debet", "money"), ("credit", "Credit", "money"),
        ("balance", "Saldo", "money")), tuple(rows))
    return trial, cards


def year_tables(session: Session, figures: YearEnd) -> tuple[Table, ...]:
    """The export's tables, in the order of the workbook's sheets (read in the caller's
    transaction, the one the figures came from)."""
    year = figures.year
    invoices, credits = _invoices(session, year)
    return (
        _summary(figures), invoices, credits, _payments(session, year), _open(figures),
        _packages(figures), _costs(session, year), _vat(figures), _by_month(figures),
        _by_product(figures), _costs_by_category(figures), _km(session, year),
        *ledger_tables(session, year),
    )


def year_data(books: Books, year: int) -> tuple[YearEnd, tuple[Table, ...]]:
    """The figures and the tables from one consistent reading of the books."""
    with books.db.read() as session:
        figures = year_end_in(session, year)
        return figures, year_tables(session, figures)
