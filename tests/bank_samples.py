"""Bank statement files for the tests, written the way the banks write them.

One week on the practice's account at the end of November 2026, five lines:

    20-11  + 130,00  A. de Vries        "Factuur 2026-0001 en 2026-0002"   pays two invoices
    21-11  + 100,00  B BAKKER           "2026-0003 eerste deel"            part of 300,00
    22-11  +  65,00  OZGUR CELIK        "behandeling november"             no number: name
    23-11  +  42,50  J. Onbekend        "gift"                             unknown payer
    24-11  -  23,10  Eneco              "termijnbedrag"                    money paid out

Each builder returns the file's bytes: CAMT.053.001.02 and .001.08 (with their own
namespaces), ING's ``;`` and older ``,`` CSV, Rabobank's CSV (ISO-8859-1) and ABN AMRO's
TAB export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

OWN_IBAN = "NL91ABNA0417164300"


@dataclass(frozen=True)
class Tx:
    day: date
    amount: Decimal  # euros; negative is money paid out
    name: str
    iban: str
    text: str
    ref: str


WEEK = (
    Tx(date(2026, 11, 20), Decimal("130.00"), "A. de Vries", "NL20INGB0001234567",
       "Factuur 2026-0001 en 2026-0002", "E2E-0001"),
    Tx(date(2026, 11, 21), Decimal("100.00"), "B BAKKER", "NL44RABO0123456789",
       "2026-0003 eerste deel", "E2E-0002"),
    Tx(date(2026, 11, 22), Decimal("65.00"), "OZGUR CELIK", "NL02ABNA0123456789",
       "behandeling november", "E2E-0003"),
    Tx(date(2026, 11, 23), Decimal("42.50"), "J. Onbekend", "NL69INGB0123456789",
       "gift", "E2E-0004"),
    Tx(date(2026, 11, 24), Decimal("-23.10"), "Eneco", "NL21RABO0300097265",
       "termijnbedrag", "E2E-0005"),
)


def _nl(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


def camt_02(txs: tuple[Tx, ...] = WEEK) -> bytes:
    entries = []
    for i, tx in enumerate(txs, start=1):
        credit = tx.amount > 0
        party = "Dbtr" if credit else "Cdtr"
        entries.append(f"""
      <Ntry>
        <NtryRef>{i}</NtryRef>
        <Amt Ccy="EUR">{abs(tx.amount):.2f}</Amt>
        <CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{tx.day.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{tx.day.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>ACSR-{tx.day:%Y%m%d}-{i:04d}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{'RCDT' if credit else 'ICDT'}</Cd>
          <SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>{tx.ref}</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{abs(tx.amount):.2f}</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <{party}><Nm>{tx.name}</Nm></{party}>
              <{party}Acct><Id><IBAN>{tx.iban}</IBAN></Id></{party}Acct>
            </RltdPties>
            <RmtInf><Ustrd>{tx.text}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-20261124</MsgId><CreDtTm>2026-11-24T07:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-20261124-1</Id>
      <ElctrncSeqNb>47</ElctrncSeqNb>
      <CreDtTm>2026-11-24T07:00:00</CreDtTm>
      <Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>{''.join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def camt_08(txs: tuple[Tx, ...] = WEEK) -> bytes:
    """Version .001.08: a prefixed namespace, Sts/Cd, TxDtls/Amt and Dbtr/Pty/Nm."""
    entries = []
    for i, tx in enumerate(txs, start=1):
        credit = tx.amount > 0
        party = "Dbtr" if credit else "Cdtr"
        entries.append(f"""
      <c:Ntry>
        <c:Amt Ccy="EUR">{abs(tx.amount):.2f}</c:Amt>
        <c:CdtDbtInd>{'CRDT' if credit else 'DBIT'}</c:CdtDbtInd>
        <c:Sts><c:Cd>BOOK</c:Cd></c:Sts>
        <c:BookgDt><c:Dt>{tx.day.isoformat()}</c:Dt></c:BookgDt>
        <c:ValDt><c:Dt>{tx.day.isoformat()}</c:Dt></c:ValDt>
        <c:AcctSvcrRef>2026{i:012d}</c:AcctSvcrRef>
        <c:BkTxCd><c:Prtry><c:Cd>N{'544' if credit else '541'}</c:Cd><c:Issr>ABNAMRO</c:Issr>
          </c:Prtry></c:BkTxCd>
        <c:NtryDtls>
          <c:TxDtls>
            <c:Refs><c:EndToEndId>{tx.ref}</c:EndToEndId></c:Refs>
            <c:Amt Ccy="EUR">{abs(tx.amount):.2f}</c:Amt>
            <c:CdtDbtInd>{'CRDT' if credit else 'DBIT'}</c:CdtDbtInd>
            <c:RltdPties>
              <c:{party}><c:Pty><c:Nm>{tx.name}</c:Nm></c:Pty></c:{party}>
              <c:{party}Acct><c:Id><c:IBAN>{tx.iban}</c:IBAN></c:Id></c:{party}Acct>
            </c:RltdPties>
            <c:RmtInf><c:Ustrd>{tx.text}</c:Ustrd></c:RmtInf>
          </c:TxDtls>
        </c:NtryDtls>
      </c:Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <c:BkToCstmrStmt>
    <c:GrpHdr><c:MsgId>0000112233</c:MsgId><c:CreDtTm>2026-11-24T07:00:00+01:00</c:CreDtTm>
    </c:GrpHdr>
    <c:Stmt>
      <c:Id>0000112233-1</c:Id>
      <c:Acct><c:Id><c:IBAN>{OWN_IBAN}</c:IBAN></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>{''.join(entries)}
      <c:Ntry>
        <c:Amt Ccy="EUR">999.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd>
        <c:Sts><c:Cd>PDNG</c:Cd></c:Sts>
        <c:BookgDt><c:Dt>2026-11-25</c:Dt></c:BookgDt>
      </c:Ntry>
    </c:Stmt>
  </c:BkToCstmrStmt>
</c:Document>
""".encode()


def ing_semicolon(txs: tuple[Tx, ...] = WEEK) -> bytes:
    rows = ['"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";'
            '"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"']
    balance = Decimal("1000.00")
    for tx in txs:
        balance += tx.amount
        notes = (f"Naam: {tx.name} Omschrijving: {tx.text} IBAN: {tx.iban} "
                 f"Kenmerk: {tx.ref} Valutadatum: {tx.day:%d-%m-%Y}")
        rows.append(";".join(f'"{v}"' for v in (
            f"{tx.day:%Y%m%d}", tx.name, OWN_IBAN, tx.iban, "OV",
            "Bij" if tx.amount > 0 else "Af", _nl(tx.amount), "Overschrijving", notes,
            _nl(balance), "")))
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def ing_comma(txs: tuple[Tx, ...] = WEEK) -> bytes:
    rows = ['"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij",'
            '"Bedrag (EUR)","MutatieSoort","Mededelingen"']
    for tx in txs:
        rows.append(",".join(f'"{v}"' for v in (
            f"{tx.day:%Y%m%d}", tx.name, "0417164300", tx.iban, "GT",
            "Bij" if tx.amount > 0 else "Af", _nl(tx.amount), "Internetbankieren",
            f"{tx.text} Kenmerk: {tx.ref}")))
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def rabobank(txs: tuple[Tx, ...] = WEEK) -> bytes:
    header = ("IBAN/BBAN", "Munt", "BIC", "Volgnr", "Datum", "Rentedatum", "Bedrag",
              "Saldo na trn", "Tegenrekening IBAN/BBAN", "Naam tegenpartij",
              "Naam uiteindelijke partij", "Naam initiërende partij", "BIC tegenpartij",
              "Code", "Batch ID", "Transactiereferentie", "Machtigingskenmerk",
              "Incassant ID", "Betalingskenmerk", "Omschrijving-1", "Omschrijving-2",
              "Omschrijving-3", "Reden retour", "Oorspr bedrag", "Oorspr munt", "Koers")
    rows = [",".join(f'"{h}"' for h in header)]
    balance = Decimal("1000.00")
    for i, tx in enumerate(txs, start=1):
        balance += tx.amount
        sign = "+" if tx.amount > 0 else "-"
        values = [OWN_IBAN, "EUR", "RABONL2U", f"{1840 + i:018d}", tx.day.isoformat(),
                  tx.day.isoformat(), f"{sign}{_nl(tx.amount)}", f"+{_nl(balance)}", tx.iban,
                  tx.name, "", "", "INGBNL2A", "cb", "", tx.ref, "", "", "", tx.text, "", "",
                  "", "", "", ""]
        rows.append(",".join(f'"{v}"' for v in values))
    return ("\n".join(rows) + "\n").encode("iso-8859-1")


def abnamro_tab(txs: tuple[Tx, ...] = WEEK) -> bytes:
    """No header; the description in the old fixed-width and the newer /TRTP/ forms."""
    rows = []
    balance = Decimal("1000.00")
    for i, tx in enumerate(txs):
        start, balance = balance, balance + tx.amount
        if i % 2 == 0:
            text = (f"{'SEPA Overboeking':<33}{'IBAN: ' + tx.iban:<32}{'BIC: ABNANL2A':<33}"
                    f"{'Naam: ' + tx.name:<32}{'Omschrijving: ' + tx.text:<64}"
                    f"{'Kenmerk: ' + tx.ref:<32}")
        else:
            text = (f"/TRTP/SEPA OVERBOEKING/IBAN/{tx.iban}/BIC/ABNANL2A/NAME/{tx.name}"
                    f"/REMI/{tx.text}/EREF/{tx.ref}")
        signed = ("-" if tx.amount < 0 else "") + _nl(tx.amount)
        rows.append("\t".join(["417164300", "EUR", f"{tx.day:%Y%m%d}", _nl(start),
                               _nl(balance), f"{tx.day:%Y%m%d}", signed, text]))
    return ("\n".join(rows) + "\n").encode("utf-8")


FORMATS: dict[str, Callable[..., bytes]] = {
    "camt053-02": camt_02, "camt053-08": camt_08, "ing-semicolon": ing_semicolon,
    "ing-comma": ing_comma, "rabobank": rabobank, "abnamro": abnamro_tab,
}
EXPECTED_FORMAT = {"camt053-02": "camt053", "camt053-08": "camt053", "ing-semicolon": "ing",
                   "ing-comma": "ing", "rabobank": "rabobank", "abnamro": "abnamro"}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&lol4;
</BkToCstmrStmt></Document>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Acct><Id><IBAN>&xxe;</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>
"""
