"""The trial balance (proefbalans) as a section of the annual report: per account its
number, name, RGS code, opening balance, debit, credit and closing balance, with the totals
and the journals' totals underneath. Lays out what ``ledger.journals.trial_balance``
computed; no arithmetic here beyond showing it."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak

from invoices.layout import WIDTH, grid
from invoices.markup import para
from ledger.base.money import format_money
from ledger.journals.trial_balance import TrialBalance

WIDTHS = (0.07, 0.27, 0.14, 0.13, 0.13, 0.13, 0.13)
HEAD = ("Rek.", "Naam", "RGS", "Begin", "Debet", "Credit", "Eind")


def _m(cents: int) -> str:
    return format_money(cents, "nl")


def trial_balance_story(tb: TrialBalance, s: dict[str, Any]) -> list[Any]:
    """The flowables of the trial balance section (``s``: the documents' styles)."""
    rows = [[para(h, s["head"] if i < 3 else s["head_r"]) for i, h in enumerate(HEAD)]]
    for a in tb.accounts:
        values = (a.code, a.name, a.rgs, _m(a.opening), _m(a.debit), _m(a.credit),
                  _m(a.closing))
        rows.append([para(v, s["cell"] if i < 3 else s["right"])
                     for i, v in enumerate(values)])
    totals = ("", "Totaal", "", "", _m(tb.debit), _m(tb.credit), "")
    rows.append([para(v, s["cell"] if i < 3 else s["right"]) for i, v in enumerate(totals)])
    journals = "; ".join(f"{j.name} ({j.journal}): {j.entries} boekingen, debet {_m(j.debit)}, "
                         f"credit {_m(j.credit)}" for j in tb.journals)
    return [
        CondPageBreak(80),
        para(f"Proefbalans {tb.year}", s["section"]),
        para("Het grootboek volgens het rekeningschema met RGS-codes: beginsaldo (eindsaldo "
             "van het vorige jaar), de boekingen van het jaar en het eindsaldo. Debet positief, "
             "credit negatief. De auditfile (XAF) bevat dezelfde boekingen.", s["small"]),
        grid(rows, [w * WIDTH for w in WIDTHS], right_from=3),
        para(f"Dagboeken: {journals}." if journals else "Geen boekingen.", s["small"]),
    ]
