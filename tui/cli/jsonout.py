"""The JSON the command line prints: a contract that users' scripts depend on.

Money is a string of euros with two decimals (``"300.00"``), dates are ISO, every object
carries ``id`` (and invoices ``number``). Fields may be added; none may be renamed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledger.base.money import json_amount
from ledger.base.views import (
    ClientInfo,
    InvoiceInfo,
    PackageInfo,
    PlanInfo,
    PracticeInfo,
    SessionInfo,
    TreatmentInfo,
)

if TYPE_CHECKING:  # the command line builds its parser without SQLAlchemy
    from ledger.billing.sessions import Recorded
    from ledger.yearend.figures import YearEnd
    from ledger.yearend.reports import YearTotals


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _rate(rate: Decimal) -> str:
    return format(rate.normalize(), "f") if rate == rate.to_integral() else str(rate)


def client(c: ClientInfo) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "address": c.address, "postcode": c.postcode,
        "city": c.city, "country": c.country, "email": c.email, "phone": c.phone,
        "birth_date": _d(c.birth_date), "language": c.language, "archived": c.archived,
    }


def treatment(t: TreatmentInfo) -> dict[str, Any]:
    return {
        "id": t.id, "name": t.name, "duration": t.duration_min, "price": json_amount(t.price),
        "vat_rate": _rate(t.vat_rate), "code": t.performance_code, "active": t.active,
    }


def plan(p: PlanInfo) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "treatment_id": p.treatment_id,
        "treatment": p.treatment_name, "sessions": p.sessions, "price": json_amount(p.price),
        "valid_days": p.valid_days, "active": p.active,
    }


def package(p: PackageInfo) -> dict[str, Any]:
    return {
        "id": p.id, "client_id": p.client_id, "client": p.client_name, "plan_id": p.plan_id,
        "treatment_id": p.treatment_id, "name": p.name, "sessions_total": p.sessions_total,
        "sessions_used": p.sessions_used, "sessions_left": p.sessions_left,
        "sessions_planned": p.sessions_planned, "sessions_free": p.sessions_free,
        "price": json_amount(p.price), "sold_on": _d(p.sold_on), "expires": _d(p.expires),
        "status": p.status, "invoice_number": p.invoice_number,
        "cancelled_on": _d(p.cancelled_on), "credit_number": p.cancel_credit_number,
    }


def session(s: SessionInfo) -> dict[str, Any]:
    return {
        "id": s.id, "client_id": s.client_id, "client": s.client_name,
        "treatment_id": s.treatment_id, "treatment": s.treatment_name, "date": _d(s.date),
        "time": s.start_time.strftime("%H:%M") if s.start_time else None,
        "duration": s.duration_min, "price": json_amount(s.price),
        "vat_rate": _rate(s.vat_rate), "status": s.status,
        "fee": json_amount(s.fee) if s.fee is not None else None,
        "package_id": s.package_id, "invoice_number": s.invoice_number,
        "billable": json_amount(s.billable_amount),
        "reserved_package_id": s.reserved_package_id,
    }


def recorded(r: Recorded) -> dict[str, Any]:
    data = session(r.session)
    data["package"] = package(r.package) if r.package else None
    return data


def invoice(i: InvoiceInfo) -> dict[str, Any]:
    return {
        "id": i.id, "number": i.number, "kind": i.kind, "client_id": i.client_id,
        "client": i.client_name, "date": _d(i.date), "due_date": _d(i.due_date),
        "language": i.language, "vat_regime": i.vat_regime,
        "lines": [
            {
                "id": line.id, "date": _d(line.supply_date), "description": line.description,
                "quantity": line.quantity, "unit_price": json_amount(line.unit_price),
                "vat_rate": _rate(line.vat_rate), "net": json_amount(line.net),
                "vat": json_amount(line.vat), "gross": json_amount(line.gross),
                "code": line.performance_code, "session_id": line.session_id,
                "package_id": line.package_id,
            }
            for line in i.lines
        ],
        "vat_breakdown": [
            {"rate": _rate(r.rate), "net": json_amount(r.net), "vat": json_amount(r.vat),
             "gross": json_amount(r.gross)}
            for r in i.vat_rows
        ],
        "net": json_amount(i.net), "vat": json_amount(i.vat), "total": json_amount(i.total),
        "paid": json_amount(i.paid), "credited": json_amount(i.credited),
        "open": json_amount(i.open), "status": i.status,
        "credit_of": i.credit_of_number, "credit_notes": list(i.credit_numbers),
        "payments": [
            {"id": p.id, "date": _d(p.date), "amount": json_amount(p.amount),
             "method": p.method, "reference": p.reference}
            for p in i.payments
        ],
    }


def practice(p: PracticeInfo) -> dict[str, Any]:
    data: dict[str, Any] = {f.name: getattr(p, f.name) for f in fields(p)}
    data["id"] = 1
    return data


def year(y: YearTotals) -> dict[str, Any]:
    def period(p: Any, key: str) -> dict[str, Any]:
        return {key: p.period, "net": json_amount(p.net), "vat": json_amount(p.vat),
                "gross": json_amount(p.gross)}

    return {
        "year": y.year,
        "turnover_net": json_amount(y.turnover_net),
        "vat": json_amount(y.vat),
        "turnover_gross": json_amount(y.turnover_gross),
        "by_month": [period(p, "month") for p in y.by_month],
        "by_quarter": [period(p, "quarter") for p in y.by_quarter],
        "payments_received": json_amount(y.payments_received),
        "open_at_year_end": json_amount(y.open_at_year_end),
        "to_refund_at_year_end": json_amount(y.to_refund_at_year_end),
        "invoices_issued": y.invoices_issued,
        "credit_notes_issued": y.credit_notes_issued,
    }


def year_end(y: YearEnd) -> dict[str, Any]:
    """The year-end figures added to ``report year --json`` (issue 5)."""
    from ledger.yearend.figures import HOURS_CRITERION

    def amounts(net: int, vat: int) -> dict[str, str]:
        return {"net": json_amount(net), "vat": json_amount(vat)}

    return {
        "vat_regime": y.regime,
        "by_treatment": [
            {"kind": p.kind, "id": p.id, "name": p.name, "quantity": p.quantity,
             "net": json_amount(p.net), "vat": json_amount(p.vat), "gross": json_amount(p.gross)}
            for p in y.products if p.kind != "package_plan"
        ],
        "by_package_plan": [
            {"id": p.id, "name": p.name, "quantity": p.quantity, "net": json_amount(p.net),
             "vat": json_amount(p.vat), "gross": json_amount(p.gross)}
            for p in y.by_kind("package_plan")
        ],
        "vat_return": [
            {"quarter": q.quarter, "1a": amounts(q.r1a_net, q.r1a_vat),
             "1b": amounts(q.r1b_net, q.r1b_vat), "1c": amounts(q.r1c_net, q.r1c_vat),
             "1e": {"net": json_amount(q.r1e_net)}, "exempt": {"net": json_amount(q.exempt_net)},
             "kor": {"net": json_amount(q.kor_net)}, "5a": json_amount(q.due),
             "5b": json_amount(q.input_vat), "balance": json_amount(q.balance)}
            for q in y.vat_quarters
        ],
        "payments_by_method": {m: json_amount(a) for m, a in y.payments_by_method},
        "debtors": [
            {"invoice_id": d.invoice_id, "number": d.number, "date": _d(d.date),
             "due_date": _d(d.due_date), "client_id": d.client_id, "client": d.client_name,
             "total": json_amount(d.total), "credited": json_amount(d.credited),
             "paid": json_amount(d.paid), "open": json_amount(d.open)}
            for d in y.debtors
        ],
        "debtors_total": json_amount(y.debtors_total),
        "prepaid_packages": [
            {"id": p.id, "client_id": p.client_id, "client": p.client_name, "name": p.name,
             "sold_on": _d(p.sold_on), "expires": _d(p.expires),
             "invoice_number": p.invoice_number, "sessions_total": p.sessions_total,
             "sessions_used": p.sessions_used, "sessions_left": p.sessions_left,
             "price": json_amount(p.price), "value": json_amount(p.value),
             "value_net": json_amount(p.value_net)}
            for p in y.packages
        ],
        "prepaid_sessions_left": y.sessions_left,
        "prepaid_liability": json_amount(y.liability),
        "prepaid_liability_net": json_amount(y.liability_net),
        "costs_by_category": [
            {"key": c.key, "name": c.name, "count": c.count, "amount": json_amount(c.amount),
             "vat": json_amount(c.vat), "deductible_vat": json_amount(c.deductible_vat),
             "expense": json_amount(c.expense)}
            for c in y.costs
        ],
        "costs_total": {"amount": json_amount(y.costs_amount), "vat": json_amount(y.costs_vat),
                        "deductible_vat": json_amount(sum(c.deductible_vat for c in y.costs)),
                        "expense": json_amount(y.costs_expense)},
        "kilometres": {"km": str(Decimal(y.km_tenths) / 10), "amount": json_amount(y.km_amount)},
        "result": json_amount(y.result),
        "sessions": {"given": y.sessions_given, "missed": y.sessions_missed,
                     "treatment_minutes": y.treatment_minutes,
                     "treatment_hours": str(y.treatment_hours),
                     "hours_criterion": HOURS_CRITERION},
        "kor": {"applies": y.kor.applies, "limit": json_amount(y.kor.limit),
                "this_year": json_amount(y.kor.this_year),
                "last_year": json_amount(y.kor.last_year), "over_limit": y.kor.over_limit,
                "near_limit": y.kor.near_limit},
    }


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"cannot write {type(value).__name__} as JSON")



def mail(record: Any) -> dict[str, Any]:
    """One e-mail sent (or that failed), as ``mail log`` and the sending commands show it."""
    return {"id": record.id, "kind": record.kind, "to": record.recipient,
            "subject": record.subject, "status": record.status, "error": record.error,
            "attachment": record.attachment, "attachment_sha256": record.attachment_sha256,
            "at": record.at.isoformat(timespec="seconds"), "invoice_id": record.invoice_id,
            "client_id": record.client_id}


def emit(data: Any) -> None:
    """Print ``data`` as the only thing on stdout (as ASCII with ``\\u`` escapes when
    stdout's encoding is not Unicode: the same JSON to every reader)."""
    json.dump(data, sys.stdout, ensure_ascii=not _unicode(sys.stdout), indent=2,
              default=_default)
    sys.stdout.write("\n")


def _unicode(stream: Any) -> bool:
    """Can ``stream`` hold any character (a UTF encoding)?"""
    import codecs

    encoding = getattr(stream, "encoding", None) or ""
    try:
        return bool(encoding) and codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False
