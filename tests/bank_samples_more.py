"""More bank files for the tests: MT940 of seven Dutch banks and the CSV exports of
Rabobank (English header), bunq, Knab, ASN, SNS/RegioBank and Triodos.

The same week as :mod:`tests.bank_samples` (``WEEK``), each in the layout the bank writes
(header, separator, quoting, encoding, sign convention, how the ``:86:`` details are laid
out); the layouts are described in tests/data/bank/README.md. Each bank's file is of that
bank's own account (``ACCOUNTS``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tests.bank_samples import WEEK, Tx

ACCOUNTS = {
    "abnamro": "NL91ABNA0417164300", "rabobank": "NL44RABO0123456789",
    "ing": "NL71INGB0009876543", "triodos": "NL49TRIO0390123456",
    "sns": "NL22SNSB0912345678", "asn": "NL94ASNB0707123456", "knab": "NL07KNAB0255123456",
    "bunq": "NL71BUNQ2090123456", "regiobank": "NL07RBRB0612345678",
}


def _nl(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


def _mark(tx: Tx) -> str:
    return "C" if tx.amount > 0 else "D"


def _balance(txs: tuple[Tx, ...]) -> str:
    end = Decimal("1000.00") + sum((tx.amount for tx in txs), Decimal(0))
    return f"C{txs[-1].day:%y%m%d}EUR{_nl(end)}"


def _wrap(text: str, width: int = 65) -> str:
    """How MT940 lays out a long ``:86:``: lines of at most 65 characters."""
    return "\r\n".join(text[i:i + width] for i in range(0, len(text), width))


def _mt940(header: str, account: str, lines: list[str], txs: tuple[Tx, ...],
           split: int | None = None) -> bytes:
    """One statement, or two (split after ``split`` lines) in one file."""
    def block(number: int, part: list[str], part_txs: tuple[Tx, ...]) -> str:
        return "\r\n".join([f":20:STMT{number:04d}", f":25:{account}", f":28C:{number}",
                            f":60F:C{part_txs[0].day:%y%m%d}EUR1000,00", *part,
                            f":62F:{_balance(part_txs)}", "-"])

    if split is None:
        body = block(1, lines, txs)
    else:
        cut = 2 * split  # two lines (:61: and :86:) per transaction
        body = block(1, lines[:cut], txs[:split]) + "\r\n" + block(2, lines[cut:], txs[split:])
    return (header + body + "\r\n").encode("latin-1" if "ASNB" in account else "utf-8")


def mt940_abnamro(txs: tuple[Tx, ...] = WEEK) -> bytes:
    lines = []
    for tx in txs:
        lines.append(f":61:{tx.day:%y%m%d%m%d}{_mark(tx)}{_nl(tx.amount)}N654NONREF")
        lines.append(":86:" + _wrap(f"/TRTP/SEPA OVERBOEKING/IBAN/{tx.iban}/BIC/INGBNL2A/NAME/"
                                    f"{tx.name}/REMI/{tx.text}/EREF/{tx.ref}"))
    return _mt940("ABNANL2A\r\n940\r\nABNANL2A\r\n", "417164300", lines, txs)


def mt940_rabobank(txs: tuple[Tx, ...] = WEEK) -> bytes:
    lines = []
    for tx in txs:
        party = "ORDP" if tx.amount > 0 else "BENM"
        lines.append(f":61:{tx.day:%y%m%d}{_mark(tx)}{_nl(tx.amount):0>15}N541{tx.ref}\r\n"
                     f"{tx.iban}")
        lines.append(":86:" + _wrap(f"/EREF/{tx.ref}/{party}//NAME/{tx.name}/REMI/{tx.text}"
                                    f"/ISDT/{tx.day.isoformat()}"))
    return _mt940(":940:\r\n", f"{ACCOUNTS['rabobank']} EUR", lines, txs)


def mt940_ing(txs: tuple[Tx, ...] = WEEK) -> bytes:
    """ING's "MT940 structured", two statements (a multi-statement file)."""
    lines = []
    for i, tx in enumerate(txs, start=1):
        lines.append(f":61:{tx.day:%y%m%d%m%d}{_mark(tx)}{_nl(tx.amount)}NTRF{tx.ref}//"
                     f"{tx.day:%Y%m%d}{i:05d}\r\n/TRCD/00100/")
        lines.append(":86:" + _wrap(f"/EREF/{tx.ref}//CNTP/{tx.iban}/INGBNL2A/{tx.name}/"
                                    f"AMSTERDAM/REMI/USTD//{tx.text}/"))
    header = "{1:F01INGBNL2ABXXX0000000000}\r\n{2:I940INGBNL2AXXXN}\r\n{4:\r\n"
    return _mt940(header, f"{ACCOUNTS['ing']}EUR", lines, txs, split=2)


def mt940_triodos(txs: tuple[Tx, ...] = WEEK) -> bytes:
    lines = []
    for tx in txs:
        lines.append(f":61:{tx.day:%y%m%d}{_mark(tx)}{_nl(tx.amount)}NET NONREF")
        lines.append(f":86:000>20{tx.text[:27]}>21{tx.text[27:]}>31{tx.iban}>32{tx.name}")
    return _mt940("", f"TRIODOSBANK/{ACCOUNTS['triodos'][8:]}", lines, txs)


def mt940_sns(txs: tuple[Tx, ...] = WEEK) -> bytes:
    lines = []
    for tx in txs:
        lines.append(f":61:{tx.day:%y%m%d%m%d}{_mark(tx)}{_nl(tx.amount)}NTRFNONREF//{tx.ref}")
        lines.append(f":86:{tx.iban} {tx.name}\r\n{tx.text}")
    return _mt940("", ACCOUNTS["sns"], lines, txs)


def mt940_asn(txs: tuple[Tx, ...] = WEEK) -> bytes:
    """ASN: the counter-IBAN in the :61: customer reference, name and text in :86:."""
    lines = []
    for tx in txs:
        lines.append(f":61:{tx.day:%y%m%d%m%d}{_mark(tx)}{_nl(tx.amount)}NOVB{tx.iban}")
        lines.append(f":86:{tx.name}\r\n{tx.text}")
    return _mt940("", ACCOUNTS["asn"], lines, txs)


def mt940_knab(txs: tuple[Tx, ...] = WEEK) -> bytes:
    """Knab: labelled :86:, debit amounts written with a "-" after the mark."""
    lines = []
    for tx in txs:
        minus = "-" if tx.amount < 0 else ""
        lines.append(f":61:{tx.day:%y%m%d%m%d}{_mark(tx)}{minus}{_nl(tx.amount)}NTRFNONREF")
        lines.append(":86:" + _wrap(f"REK: {tx.iban}/NAAM: {tx.name}/OMSCHRIJVING: {tx.text}"))
    return _mt940("", ACCOUNTS["knab"], lines, txs)


# ------------------------------------------------------------------------------ CSV
def _quoted(values: list[str], sep: str = ",", quote: str = '"') -> str:
    return sep.join(f"{quote}{v}{quote}" for v in values)


def rabobank_english(txs: tuple[Tx, ...] = WEEK) -> bytes:
    header = ["IBAN/BBAN", "Currency", "BIC", "Sequence number", "Date", "Value date", "Amount",
              "Balance after transaction", "Counterparty IBAN/BBAN", "Counterparty name",
              "Ultimate party name", "Initiating party name", "Counterparty BIC", "Code",
              "Batch ID", "Transaction reference", "Mandate reference", "Collector ID",
              "Payment reference", "Description-1", "Description-2", "Description-3",
              "Reason for return", "Original amount", "Original currency", "Exchange rate"]
    rows = [_quoted(header)]
    balance = Decimal("1000.00")
    for i, tx in enumerate(txs, start=1):
        balance += tx.amount
        sign = "+" if tx.amount > 0 else "-"
        rows.append(_quoted([ACCOUNTS["rabobank"], "EUR", "RABONL2U", f"{1840 + i:018d}",
                             tx.day.isoformat(), tx.day.isoformat(), f"{sign}{_nl(tx.amount)}",
                             f"+{_nl(balance)}", tx.iban, tx.name, "", "", "INGBNL2A", "cb",
                             "", tx.ref, "", "", "", tx.text, "", "", "", "", "", ""]))
    return ("\n".join(rows) + "\n").encode("utf-8")


def bunq(txs: tuple[Tx, ...] = WEEK) -> bytes:
    rows = [_quoted(["Date", "Interest Date", "Amount", "Account", "Counterparty", "Name",
                     "Description"], ";")]
    for tx in txs:
        sign = "-" if tx.amount < 0 else ""
        rows.append(_quoted([tx.day.isoformat(), tx.day.isoformat(), f"{sign}{_nl(tx.amount)}",
                             ACCOUNTS["bunq"], tx.iban, tx.name, tx.text], ";"))
    return ("\n".join(rows) + "\n").encode("utf-8")


def knab(txs: tuple[Tx, ...] = WEEK) -> bytes:
    header = ["Rekeningnummer", "Transactiedatum", "Valutacode", "CreditDebet", "Bedrag",
              "Tegenrekeningnummer", "Tegenrekeninghouder", "Valutadatum", "Betaalwijze",
              "Omschrijving", "Type betaling", "Machtigingsnummer", "Incassant ID", "Adres",
              "Referentie", "Boekdatum"]
    rows = ["KNAB EXPORT;;;;;;;;;;;;;;;;", _quoted(header, ";")]
    for tx in txs:
        rows.append(_quoted([ACCOUNTS["knab"], f"{tx.day:%d-%m-%Y}", "EUR", _mark(tx),
                             _nl(tx.amount), tx.iban, tx.name, f"{tx.day:%d-%m-%Y}",
                             "Overboeking", tx.text, "", "", "", "", tx.ref,
                             f"{tx.day:%d-%m-%Y}"], ";"))
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def volksbank(bank: str, txs: tuple[Tx, ...] = WEEK) -> bytes:
    """ASN and SNS/RegioBank: no header, 19 columns, texts in single quotes."""
    rows = []
    balance = Decimal("1000.00")
    for i, tx in enumerate(txs, start=1):
        before, balance = balance, balance + tx.amount
        values = [f"{tx.day:%d-%m-%Y}", ACCOUNTS[bank], tx.iban, tx.name, "", "", "", "EUR",
                  f"{before:.2f}", "EUR", f"{tx.amount:.2f}", f"{tx.day:%d-%m-%Y}",
                  f"{tx.day:%d-%m-%Y}", "8810", "IOB", f"{90000000 + i}", f"'{tx.ref}'",
                  f"'{tx.text}'", "1"]
        rows.append(",".join(values))
    return ("\n".join(rows) + "\n").encode("iso-8859-1")


def triodos(txs: tuple[Tx, ...] = WEEK) -> bytes:
    rows = []
    balance = Decimal("1000.00")
    for tx in txs:
        balance += tx.amount
        rows.append(_quoted([f"{tx.day:%d-%m-%Y}", ACCOUNTS["triodos"], _nl(tx.amount),
                             "Credit" if tx.amount > 0 else "Debet", tx.name, tx.iban, "ET",
                             tx.text, _nl(balance)]))
    return ("\r\n".join(rows) + "\r\n").encode("iso-8859-15")


MORE: dict[str, Callable[..., bytes]] = {
    "mt940-abnamro": mt940_abnamro, "mt940-rabobank": mt940_rabobank, "mt940-ing": mt940_ing,
    "mt940-triodos": mt940_triodos, "mt940-sns": mt940_sns, "mt940-asn": mt940_asn,
    "mt940-knab": mt940_knab, "rabobank-english": rabobank_english, "bunq": bunq,
    "knab": knab, "asn": lambda txs=WEEK: volksbank("asn", txs),
    "sns": lambda txs=WEEK: volksbank("sns", txs),
    "regiobank": lambda txs=WEEK: volksbank("regiobank", txs), "triodos": triodos,
}
MORE_FORMAT = {name: ("mt940" if name.startswith("mt940") else
                      "rabobank" if name == "rabobank-english" else
                      "sns" if name == "regiobank" else name) for name in MORE}
MORE_ACCOUNT = {name: ACCOUNTS["abnamro" if name == "mt940-abnamro" else
                               name.removeprefix("mt940-").replace("rabobank-english",
                                                                   "rabobank")]
                for name in MORE}
