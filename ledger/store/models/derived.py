"""Storage for derived figures: month sums and the settlement of each invoice (issue 7).

These tables hold nothing that is not also in the books: each is a running sum or a
marker that ``ledger.derived.sums`` keeps up to date in the same transaction as the change it
follows (issuing, a payment, a session recorded or deleted), and can rebuild from the
books at any time (``ledger.derived.sums.rebuild``; migration 0006 fills them that way). They make
the year report and the lists cost the same on a million sessions as on a thousand:

- ``sum_turnover``: issued invoice lines per month, VAT regime, rate and product (a
  treatment, a missed-appointment fee, a package plan, or other); credit notes included
  (negative), counted for what their original line was for.
- ``sum_invoices``: invoices and credit notes issued per month (count, net, VAT, total).
- ``sum_payments``: payments per month and method (refunds negative).
- ``sum_sessions``: sessions per month and status (count and minutes).
- ``settlement``: per issued invoice what was paid and credited so far, what is open now,
  the date of its last payment or credit note, and, when nothing is open, the day from
  which it owed nothing any more (``settled_on``: that last date, or the invoice date).
  An invoice settled on day S cannot be open on any day after S, so the debtors at a
  year end are found among the invoices whose open interval [date, settled_on) contains
  the day; and for one without payments or credit notes after the day, what was open
  then is what is open now. ``span`` is the bit length of that interval in
  days (NULL while open), so each span class is searched in a window of 2**span days
  before the day: an interval lookup that reads about as many rows as it returns, however
  long the history before or after the day. It also copies from its (never changing)
  invoice what the debtor list shows (number, due date, client, the client's name as on
  the invoice), so the invoices open now are read from one covering index
  (``ix_settlement_debtors``) in the list's order (``ledger.derived.settlement``).
- ``unbilled_session``: the sessions still to invoice (the overview's "not yet invoiced"
  without looking at every session ever given).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.store.models.base import Base, Rate
from ledger.store.models.billing import Invoice, Package, TreatmentSession

# span first although the index holds only span IS NULL: SQLite's planner then takes it
# (covering) over ix_settlement_span for the open invoices, statistics or not.
DEBTOR_INDEX_COLUMNS = ("span", "invoice_date", "series", "seq", "last_event", "open_cents",
                        "credited_cents", "paid_cents", "number", "due_date", "client_id",
                        "client_name", "invoice_id")
DERIVED_TABLES = ("sum_turnover", "sum_invoices", "sum_payments", "sum_sessions", "settlement",
                  "unbilled_session")


class SumTurnover(Base):
    __tablename__ = "sum_turnover"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    vat_regime: Mapped[str] = mapped_column(String(10), primary_key=True)
    vat_rate: Mapped[Decimal] = mapped_column(Rate, primary_key=True)
    product: Mapped[str] = mapped_column(String(12), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: none
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    net_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    gross_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class SumInvoices(Base):
    __tablename__ = "sum_invoices"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    net_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class SumPayments(Base):
    __tablename__ = "sum_payments"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class SumSessions(Base):
    __tablename__ = "sum_sessions"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    minutes: Mapped[int] = mapped_column(BigInteger, default=0)


class Settlement(Base):
    __tablename__ = "settlement"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="CASCADE"), primary_key=True)
    invoice_date: Mapped[date] = mapped_column(Date)
    paid_cents: Mapped[int] = mapped_column(BigInteger)  # all payments, whatever their date
    credited_cents: Mapped[int] = mapped_column(BigInteger)  # all credit notes
    open_cents: Mapped[int] = mapped_column(BigInteger)  # total - credited - paid
    last_event: Mapped[date | None] = mapped_column(Date)  # the last payment or credit note
    settled_on: Mapped[date | None] = mapped_column(Date)
    span: Mapped[int | None] = mapped_column(Integer)
    # Copied from the issued invoice (which never changes) for the debtor list: with them
    # the list of a year end is read from one index, not from the scattered invoice rows.
    number: Mapped[str] = mapped_column(String(40))
    series: Mapped[str | None] = mapped_column(String(20))
    seq: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    client_id: Mapped[int] = mapped_column(Integer)
    client_name: Mapped[str] = mapped_column(Text)  # from the invoice's client snapshot

    __table_args__ = (
        Index("ix_settlement_span", "span", "invoice_date", "settled_on", "last_event"),
        Index("ix_settlement_open", "invoice_date", "open_cents", "last_event",
              sqlite_where=text("open_cents <> 0"), postgresql_where=text("open_cents <> 0")),
        # The invoices open now, in the debtor list's order, with every column it shows
        # (covering: the list at a year end reads this index and nothing else).
        Index("ix_settlement_debtors", *DEBTOR_INDEX_COLUMNS,
              sqlite_where=text("span IS NULL"), postgresql_where=text("span IS NULL")),
    )


class UnbilledSession(Base):
    """A session that still has to be invoiced: given (or missed with a fee), not paid by a
    package, on no invoice line yet (``ledger.derived.sums.billable``). Kept by a flush
    listener, since lines leave the books with their drafts in several ways."""

    __tablename__ = "unbilled_session"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)


# Indexes on the core tables for the lists and the debtors (created by migration 0006).
# Credit notes per original invoice (partial: the other rows have no credit_of_id, and an
# index full of NULLs once made SQLite's planner choose the date index instead).
Index("ix_invoice_credits", Invoice.credit_of_id, Invoice.date, Invoice.total_cents,
      sqlite_where=text("credit_of_id IS NOT NULL"),
      postgresql_where=text("credit_of_id IS NOT NULL"))
# The invoice list's order (newest first), so a page is read without sorting everything.
Index("ix_invoice_order", Invoice.date, Invoice.series, Invoice.seq)
# The sessions list's order.
Index("ix_session_order", TreatmentSession.date, TreatmentSession.start_time)
# Packages still running on a day (the prepaid liability at a year end).
Index("ix_package_expires", Package.expires_on, Package.sold_on)
# The same with every column the year end reads (covering: no lookups in the table).
Index("ix_package_running", Package.expires_on, Package.sold_on, Package.cancelled_on,
      Package.client_id, Package.invoice_id, Package.sessions_total, Package.price_cents,
      Package.vat_rate, Package.name, Package.id)
