"""The annual report (jaarcijfers): the year's figures on three A4 pages.

Its title is its own ("Jaarcijfers 2026"), never that of a client's year statement
("Jaaroverzicht"), and it says when it was made and up to which day the books were
booked: a report made in December is a snapshot, not the closed year. The PDF's creation
date is the moment it was made. Sections are functions of the figures that return
flowables (:data:`SECTIONS`); another area appends its own with ``extra`` (each starts on
the page where the last one ended, its heading kept with what follows).

It lays out what :mod:`ledger.yearend.figures` computed -- no arithmetic here beyond choosing what
to show -- with a bar chart of the turnover per month. It is written in Dutch: it is meant
for the Dutch income-tax return and the bookkeeper. Every text from the books passes
through :func:`invoices.markup.esc`; amounts through :func:`ledger.base.money.format_money`.
The same figures give the same bytes (fixed date and document id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from invoices.fonts import REGULAR
from invoices.layout import (
    ACCENT,
    GREY,
    WIDTH,
    PageDecor,
    build_pdf,
    fit_footer,
    grid,
    plain,
    styles,
)
from invoices.markup import para
from ledger.base.codes import VatRegime
from ledger.base.dates import format_date
from ledger.base.money import format_money
from ledger.base.views import PracticeInfo
from ledger.yearend.figures import HOURS_CRITERION, YearEnd
from ledger.yearend.names import kind_name, method_name, regime_name

Section = Callable[[YearEnd, dict[str, Any]], list[Any]]
"""A part of the report: (figures, paragraph styles) -> flowables."""

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")



def _m(cents: int) -> str:
    return format_money(cents, "nl")


def _number(value: Decimal | int) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale="nl_NL")


def month_chart(figures: YearEnd, width: float = WIDTH, height: float = 62 * mm) -> Drawing:
    """Bars of the turnover excluding VAT per month (axis in whole euros)."""
    values = [p.net / 100 for p in figures.totals.by_month]  # drawing only, never summed
    drawing = Drawing(width, height, initialFontName=REGULAR)  # else Helvetica is declared
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = width - 18 * mm, height - 16 * mm
    chart.data = [values]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = list(MONTHS)
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = min(0.0, *values)
    top = max(values) if values else 0
    chart.valueAxis.valueMax = max(100.0, top * 1.1)
    chart.valueAxis.labelTextFormat = lambda v: _number(int(v))
    chart.valueAxis.strokeColor = GREY
    chart.categoryAxis.strokeColor = GREY
    drawing.add(chart)
    drawing.add(String(0, height - 4 * mm, "Omzet per maand, exclusief btw (€)",
                       fontName=REGULAR, fontSize=8, fillColor=GREY))
    return drawing


def _kv(rows: list[tuple[str, str]], s: dict[str, Any], width: float = WIDTH) -> Any:
    body = [[para(label, s["cell"]), para(value, s["right"])] for label, value in rows]
    return grid(body, (width * 0.68, width * 0.32), header=False, right_from=1, zebra=False)


def _table(head: list[str], rows: list[list[str]], widths: list[float],
           s: dict[str, Any], right_from: int) -> Any:
    body = [[para(h, s["head"] if i < right_from else s["head_r"]) for i, h in enumerate(head)]]
    body += [[para(v, s["cell"] if i < right_from else s["right"]) for i, v in enumerate(r)]
             for r in rows]
    return grid(body, [w * WIDTH for w in widths], right_from=right_from)


def title(year: int) -> str:
    """The report's own title (a client's year statement is the "Jaaroverzicht")."""
    return f"Jaarcijfers {year}"


def made_line(f: YearEnd, made_on: date) -> str:
    """When the report was made and up to which day the books were booked."""
    booked = (f"boeken bijgewerkt tot {format_date(f.booked_until, 'nl')}" if f.booked_until
              else f"nog niets geboekt in {f.year}")
    return f"Opgemaakt op {format_date(made_on, 'nl')}; {booked}."


def _page_one(f: YearEnd, practice: PracticeInfo, made_on: date,
              s: dict[str, Any]) -> list[Any]:
    t = f.totals
    story: list[Any] = [
        para(title(f.year), s["title"]),
        para(practice.name, s["name"]),
        para(made_line(f, made_on), s["body"]),
        para(f"Btw-regime: {regime_name(f.regime)}. De factuurdatum bepaalt maand "
             "en kwartaal.", s["small"]),
        Spacer(1, 3 * mm),
        _kv([
            ("Omzet exclusief btw", _m(t.turnover_net)),
            ("Btw in rekening gebracht", _m(t.vat)),
            ("Omzet inclusief btw", _m(t.turnover_gross)),
            ("Ontvangen betalingen (kasbasis)", _m(t.payments_received)),
            ("Openstaand per 31 december", _m(t.open_at_year_end)),
            ("Vooruitbetaalde behandelingen nog te geven (incl. btw)", _m(f.liability)),
            ("Kosten (exclusief aftrekbare btw)", _m(f.costs_expense)),
            ("Zakelijke kilometers", _m(f.km_amount)),
            ("Resultaat", _m(f.result)),
        ], s),
        Spacer(1, 3 * mm),
        month_chart(f, height=52 * mm),
        para("Omzet per kwartaal", s["section"]),
        _table(["Kwartaal", "Exclusief btw", "Btw", "Inclusief btw"],
               [[f"K{q.period}", _m(q.net), _m(q.vat), _m(q.gross)] for q in t.by_quarter]
               + [["Totaal", _m(t.turnover_net), _m(t.vat), _m(t.turnover_gross)]],
               [0.25, 0.25, 0.25, 0.25], s, 1),
        *_hours_and_kor(f, s),
    ]
    return story


def _vat_section(f: YearEnd, s: dict[str, Any]) -> list[Any]:
    head = ["Kwartaal", "1a (21%)", "1a btw", "1b (9%)", "1b btw", "1e (0%)", "5b voorbel.",
            "Te betalen"]
    rows = [[f"K{q.quarter}", _m(q.r1a_net), _m(q.r1a_vat), _m(q.r1b_net), _m(q.r1b_vat),
             _m(q.r1e_net), _m(q.input_vat), _m(q.balance)] for q in f.vat_quarters]
    story: list[Any] = [para("Btw-aangifte per kwartaal", s["section"]),
                        _table(head, rows, [0.11] + [0.127] * 7, s, 1)]
    other = [q for q in f.vat_quarters if q.r1c_net or q.r1c_vat]
    if other:
        story.append(para("Rubriek 1c (overige tarieven): " + "; ".join(
            f"K{q.quarter} {_m(q.r1c_net)}, btw {_m(q.r1c_vat)}" for q in other), s["small"]))
    exempt = sum(q.exempt_net for q in f.vat_quarters)
    kor = sum(q.kor_net for q in f.vat_quarters)
    if exempt:
        story.append(para(f"Vrijgestelde omzet (art. 11 lid 1 sub g Wet OB, geen aangifte): "
                          f"{_m(exempt)}.", s["small"]))
    if kor:
        story.append(para(f"Omzet onder de KOR (geen btw-aangifte): {_m(kor)}.", s["small"]))
    if f.regime != VatRegime.STANDARD:
        story.append(para("Btw op kosten is in dit regime niet aftrekbaar en telt mee als "
                          "kosten.", s["small"]))
    return story


def _page_two(f: YearEnd, s: dict[str, Any]) -> list[Any]:
    story = _vat_section(f, s)
    story += [para("Omzet per behandeling en reeks", s["section"]),
              _table(["Soort", "Omschrijving", "Aantal", "Excl. btw", "Btw"],
                     [[kind_name(p.kind), p.name, str(p.quantity),
                       _m(p.net), _m(p.vat)] for p in f.products],
                     [0.16, 0.38, 0.1, 0.18, 0.18], s, 2)]
    story += [para("Kosten per categorie", s["section"]),
              _table(["Categorie", "Aantal", "Incl. btw", "Btw", "Kosten"],
                     [[c.name, str(c.count), _m(c.amount), _m(c.vat), _m(c.expense)]
                      for c in f.costs]
                     + [["Totaal", str(sum(c.count for c in f.costs)), _m(f.costs_amount),
                         _m(f.costs_vat), _m(f.costs_expense)]],
                     [0.4, 0.1, 0.17, 0.16, 0.17], s, 1)]
    story.append(para(
        f"Zakelijke kilometers: {_number(Decimal(f.km_tenths) / 10)} km, vergoeding "
        f"{_m(f.km_amount)}. Resultaat: omzet {_m(f.totals.turnover_net)} min kosten "
        f"{_m(f.costs_expense)} min kilometers {_m(f.km_amount)} = {_m(f.result)}.",
        s["body"]))
    return story


def _page_three(f: YearEnd, s: dict[str, Any]) -> list[Any]:
    # The lists flow on below the costs (a heading never alone at the foot of a page), so
    # a long debtor list fills the second page instead of pushing the rest onto a fourth.
    story: list[Any] = [CondPageBreak(40 * mm),
                        para("Openstaande facturen per 31 december", s["section"])]
    if f.debtors:
        story.append(_table(
            ["Factuur", "Datum", "Klant", "Totaal", "Openstaand"],
            [[d.number, format_date(d.date, "nl", "short"), d.client_name, _m(d.total),
              _m(d.open)] for d in f.debtors]
            + [["Totaal", "", "", "", _m(f.debtors_total)]],
            [0.16, 0.16, 0.38, 0.15, 0.15], s, 3))
    else:
        story.append(para("Geen.", s["body"]))
    story += [CondPageBreak(40 * mm),
              para("Vooruitbetaalde reeksen per 31 december (nog te geven)", s["section"])]
    if f.packages:
        story.append(_table(
            ["Factuur", "Klant", "Reeks", "Over", "Waarde"],
            [[p.invoice_number or "", p.client_name, p.name,
              f"{p.sessions_left} van {p.sessions_total}", _m(p.value)] for p in f.packages]
            + [["Totaal", "", "", str(f.sessions_left), _m(f.liability)]],
            [0.16, 0.3, 0.24, 0.14, 0.16], s, 3))
        story.append(para(f"Waarde exclusief btw (btw al afgedragen bij verkoop): "
                          f"{_m(f.liability_net)}.", s["small"]))
    else:
        story.append(para("Geen.", s["body"]))
    return story


def _hours_and_kor(f: YearEnd, s: dict[str, Any]) -> list[Any]:
    """Hours and the KOR check side by side on the first page, with the payments by method:
    summary figures, never a last page of their own."""
    kor = f.kor
    half = (WIDTH - 6 * mm) / 2
    hours = [para("Behandelingen en uren", s["section"]),
             _kv([("Behandelingen gegeven", str(f.sessions_given)),
                  ("Gemiste afspraken", str(f.sessions_missed)),
                  ("Behandeluren", _number(f.treatment_hours)),
                  (f"Urencriterium ({_number(HOURS_CRITERION)} uur per jaar)",
                   "eigen urenregistratie")], s, half)]
    kor_rows = [para("Kleineondernemersregeling (KOR)", s["section"]),
                _kv([(f"Omzet {f.year}", _m(kor.this_year)),
                     (f"Omzet {f.year - 1}", _m(kor.last_year)),
                     ("Grens per kalenderjaar", _m(kor.limit))], s, half)]
    block: list[Any] = [plain([[hours, "", kor_rows]], [half, 6 * mm, half])]
    if kor.over_limit:
        block.append(para("De omzet ligt boven de KOR-grens: de KOR is niet (meer) "
                          "mogelijk.", s["notice"]))
    elif kor.applies and kor.near_limit:
        block.append(para("Let op: de omzet nadert de KOR-grens.", s["notice"]))
    methods = "; ".join(f"{method_name(m)} {_m(a)}" for m, a in f.payments_by_method)
    block.append(para(f"Ontvangen betalingen per betaalwijze: {methods or 'geen'}.",
                      s["small"]))
    return [KeepTogether(block)]


def annual_report_story(f: YearEnd, practice: PracticeInfo, made_on: date,
                        extra: Sequence[Section] = ()) -> list[Any]:
    """The report's flowables; ``extra`` sections follow the built-in ones in order."""
    s = styles()
    story = [*_page_one(f, practice, made_on, s), PageBreak(), *_page_two(f, s),
             *_page_three(f, s)]
    for section in extra:
        story += section(f, s)
    return story


def render_annual_report(figures: YearEnd, practice: PracticeInfo, made: datetime,
                         extra: Sequence[Section] = ()) -> bytes:
    """The annual report's PDF bytes, made at ``made`` (the clock's local time: the
    report's date and the PDF's creation date)."""
    heading = title(figures.year)
    decor = PageDecor(
        footer=fit_footer([practice.name, f"KvK {practice.kvk}" if practice.kvk else "",
                           heading]),
        page_label=lambda page, pages: f"pagina {page} van {pages}",
        running_header=f"{heading} · {practice.name}",
    )
    return build_pdf(annual_report_story(figures, practice, made.date(), extra), decor,
                     key=f"annual report {figures.year}", stamp=made, title=heading,
                     author=practice.name, subject="jaarcijfers", language="nl")

