"""The chart of accounts (rekeningschema) and its mapping to the Dutch reference chart RGS.

Every account has a number, a Dutch name, a kind (balance ``B`` or profit and loss ``P``,
as the audit file spells them) and an RGS reference code, so the accountant's software
recognises it. The table below is the default; a practice (or its accountant) adjusts the
name or RGS code of any account through the setting ``chart_overrides``, a JSON object
``{"1300": {"name": "...", "rgs": "..."}}`` (:func:`set_chart_overrides`).

Which account a fact of the books goes to is decided here, in one place:
turnover by VAT regime and rate (:func:`turnover_account`), money by payment method
(:func:`money_account`), a cost by its category (:func:`cost_account`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.base.codes import CostMethod, VatRegime
from ledger.base.errors import N_, InputError
from ledger.books import Books
from ledger.practice.profile import get_setting, put_settings

SETTING = "chart_overrides"


class Kind(StrEnum):
    BALANCE = "B"
    RESULT = "P"


class Journal(StrEnum):
    """The day books, with the audit file's journal type."""

    SALES = "VK"  # verkoopboek: invoices and credit notes
    BANK = "BNK"  # bank (and pin) receipts and refunds
    CASH = "KAS"  # cash receipts and refunds
    MEMORIAL = "MEM"  # sessions redeemed from a series, series ended, other methods
    COSTS = "KST"  # costs as entered with their receipts, and kilometres


JOURNAL_TYPES = {Journal.SALES: "S", Journal.BANK: "B", Journal.CASH: "C",
                 Journal.MEMORIAL: "M", Journal.COSTS: "P"}
JOURNAL_NAMES = {Journal.SALES: "Verkoopboek", Journal.BANK: "Bankboek",
                 Journal.CASH: "Kasboek", Journal.MEMORIAL: "Memoriaal",
                 Journal.COSTS: "Kostenboek"}


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: Kind
    rgs: str


# code -> (name, kind, RGS reference code)
CASH, BANK, PIN, OTHER_MONEY = "1000", "1100", "1110", "1190"
DEBTORS, VAT_TO_CLAIM = "1300", "1510"
EQUITY, PRIVATE_OUT, PRIVATE_IN = "0900", "0910", "0920"
VAT_PAYABLE, PREPAID = "1500", "1600"
TURNOVER_21, TURNOVER_9, TURNOVER_0, TURNOVER_OTHER = "8000", "8010", "8020", "8030"
TURNOVER_EXEMPT, TURNOVER_KOR = "8100", "8110"
KILOMETRES = "4900"

_DEFAULT: dict[str, tuple[str, Kind, str]] = {
    EQUITY: ("Ondernemingsvermogen", Kind.BALANCE, "BEivKap"),
    PRIVATE_OUT: ("Privé-opnamen", Kind.BALANCE, "BEivKapPro"),
    PRIVATE_IN: ("Privé-stortingen", Kind.BALANCE, "BEivKapPrs"),
    CASH: ("Kas", Kind.BALANCE, "BLimKasKas"),
    BANK: ("Bank", Kind.BALANCE, "BLimBanRba"),
    PIN: ("Kruisposten pinbetalingen", Kind.BALANCE, "BLimKruSto"),
    OTHER_MONEY: ("Kruisposten overige betalingen", Kind.BALANCE, "BLimKruSto"),
    DEBTORS: ("Debiteuren", Kind.BALANCE, "BVorDebHad"),
    VAT_TO_CLAIM: ("Te vorderen btw (voorbelasting)", Kind.BALANCE, "BVorVbkTvo"),
    VAT_PAYABLE: ("Af te dragen btw", Kind.BALANCE, "BSchBepBtw"),
    PREPAID: ("Vooruitontvangen bedragen (series)", Kind.BALANCE, "BSchOpa"),
    TURNOVER_21: ("Omzet behandelingen 21%", Kind.RESULT, "WOmzNopOlv"),
    TURNOVER_9: ("Omzet behandelingen 9%", Kind.RESULT, "WOmzNopOlv"),
    TURNOVER_0: ("Omzet behandelingen 0%", Kind.RESULT, "WOmzNopOlv"),
    TURNOVER_OTHER: ("Omzet behandelingen overig tarief", Kind.RESULT, "WOmzNopOlv"),
    TURNOVER_EXEMPT: ("Omzet vrijgesteld van btw", Kind.RESULT, "WOmzNopOlv"),
    TURNOVER_KOR: ("Omzet kleineondernemersregeling", Kind.RESULT, "WOmzNopOlv"),
    KILOMETRES: ("Kilometervergoeding zakelijke ritten", Kind.RESULT, "WBedAutOak"),
}

# cost category key -> (account code, RGS code); other categories get 4800 + their id
COST_ACCOUNTS: dict[str, tuple[str, str]] = {
    "materials": ("4000", "WKprKvg"),
    "linen": ("4010", "WBedAlkOal"),
    "training": ("4020", "WBedOvpOpl"),
    "association": ("4030", "WBedAlkOal"),
    "insurance": ("4040", "WBedAssOvp"),
    "rent": ("4050", "WBedHuiHuu"),
    "phone": ("4060", "WBedKanTel"),
    "marketing": ("4070", "WBedVkkRec"),
    "travel": ("4080", "WBedAutRev"),
    "equipment": ("4090", "WBedKanKlm"),
    "other": ("4790", "WBedOvpOvp"),
}
OTHER_COSTS_RGS = "WBedAlkOal"


def turnover_account(regime: str, rate: Decimal) -> str:
    """The turnover account of an invoice line: by the regime the invoice was issued
    under and, in the standard regime, by its VAT rate."""
    if regime == VatRegime.EXEMPT:
        return TURNOVER_EXEMPT
    if regime == VatRegime.KOR:
        return TURNOVER_KOR
    if rate == 21:
        return TURNOVER_21
    if rate == 9:
        return TURNOVER_9
    return TURNOVER_0 if rate == 0 else TURNOVER_OTHER


def money_account(method: str) -> str:
    """Where money received or paid goes, by the payment method."""
    return {"bank": BANK, "pin": PIN, "cash": CASH}.get(method, OTHER_MONEY)


def money_journal(method: str) -> Journal:
    return {"bank": Journal.BANK, "pin": Journal.BANK, "cash": Journal.CASH}.get(
        method, Journal.MEMORIAL)


def cost_method_account(method: str) -> str:
    """A cost paid by bank, pin or card leaves the bank; cash the till; ``other`` was paid
    privately (a private contribution to the practice)."""
    if method == CostMethod.CASH:
        return CASH
    if method == CostMethod.OTHER:
        return PRIVATE_IN
    return BANK


def cost_account(key: str, category_id: int) -> str:
    known = COST_ACCOUNTS.get(key)
    return known[0] if known else str(4800 + category_id)


def vat_code(rate: Decimal) -> str:
    """The VAT code of a rate in the audit file: ``21``, ``9``, ``0``, ``12,5``."""
    text = format(rate.normalize(), "f") if isinstance(rate, Decimal) else str(rate)
    return "BTW" + text.replace(".", "_")


@dataclass(frozen=True)
class Chart:
    accounts: dict[str, Account]

    def __getitem__(self, code: str) -> Account:
        return self.accounts[code]

    def get(self, code: str) -> Account | None:
        return self.accounts.get(code)


def default_accounts(categories: list[tuple[int, str, str]]) -> dict[str, Account]:
    """The default chart for the practice's cost categories ``(id, key, name)``."""
    accounts = {code: Account(code, name, kind, rgs)
                for code, (name, kind, rgs) in _DEFAULT.items()}
    for category_id, key, name in categories:
        code = cost_account(key, category_id)
        rgs = COST_ACCOUNTS[key][1] if key in COST_ACCOUNTS else OTHER_COSTS_RGS
        accounts[code] = Account(code, name, Kind.RESULT, rgs)
    return dict(sorted(accounts.items()))


def _overrides(text: str) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): {f: str(v[f]) for f in ("name", "rgs") if f in v}
            for k, v in data.items() if isinstance(v, dict)}


def chart_in(session: Session) -> Chart:
    """The practice's chart: the default table with its overrides applied."""
    from ledger.store.models.costs import CostCategory

    categories = [(row.id, row.key, row.name) for row in session.scalars(
        select(CostCategory).order_by(CostCategory.position, CostCategory.id))]
    accounts = default_accounts(categories)
    for code, change in _overrides(get_setting(session, SETTING)).items():
        if code in accounts:
            old = accounts[code]
            accounts[code] = replace(old, name=change.get("name", old.name),
                                     rgs=change.get("rgs", old.rgs))
    return Chart(accounts)


def chart(books: Books) -> Chart:
    with books.db.read() as session:
        return chart_in(session)


def set_chart_overrides(books: Books, overrides: dict[str, dict[str, str]]) -> None:
    """Store the practice's changes to the chart (name and/or RGS code per account)."""
    with books.db.write() as session:
        _store_overrides(session, overrides)


def _store_overrides(session: Session, overrides: dict[str, dict[str, str]]) -> None:
    known = chart_in(session).accounts
    for code, change in overrides.items():
        if code not in known:
            raise InputError("account", "{code} is not in the chart", code=code)
        unknown = set(change) - {"name", "rgs"}
        if unknown:
            raise InputError("account", "only name and rgs can be changed")
    put_settings(session, {SETTING: json.dumps(overrides, ensure_ascii=False, sort_keys=True)})


RGS_CODE = re.compile(r"[BW][A-Za-z0-9]{0,29}")


def parse_rgs(text: str, field: str = N_("RGS code")) -> str:
    """An RGS reference code as typed (``BVorDebHad``): B or W, then letters and digits."""
    code = text.strip()
    if not RGS_CODE.fullmatch(code):
        raise InputError(field, "{code} is not an RGS reference code "
                         "(B or W and letters, such as BVorDebHad)", code=code)
    return code


def change_account(books: Books, code: str, *, name: str | None = None,
                   rgs: str | None = None) -> Account:
    """Change one account's name and/or RGS code for this practice (an empty text goes
    back to the default); returns the account as it is now."""
    from ledger.base.parse import parse_name

    names = {} if name is None else {
        "name": parse_name(name, N_("name"), max_length=200) if name.strip() else ""}
    codes = {} if rgs is None else {"rgs": parse_rgs(rgs) if rgs.strip() else ""}
    with books.db.write() as session:  # read and written together: no change of another lost
        if code not in chart_in(session).accounts:
            raise InputError("account", "{code} is not in the chart", code=code)
        overrides = _overrides(get_setting(session, SETTING))
        change = dict(overrides.get(code, {}))
        for key, value in {**names, **codes}.items():
            if value:
                change[key] = value
            else:  # an empty text: back to the default
                change.pop(key, None)
        if change:
            overrides[code] = change
        else:
            overrides.pop(code, None)
        _store_overrides(session, overrides)
        return chart_in(session)[code]


__all__ = ["Account", "Chart", "Journal", "Kind", "change_account", "chart", "chart_in",
           "cost_account", "money_account", "parse_rgs", "set_chart_overrides",
           "turnover_account"]
