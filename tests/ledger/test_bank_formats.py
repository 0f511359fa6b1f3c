"""Reading statement files: every format gives the same week, in cents, with stable keys."""

from __future__ import annotations

import pytest

from ledger.bank.formats import read_statement
from ledger.base.errors import InputError
from tests.bank_samples import (
    BILLION_LAUGHS,
    EXPECTED_FORMAT,
    EXTERNAL_ENTITY,
    FORMATS,
    WEEK,
    Tx,
    camt_08,
)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_reads_the_week(name: str) -> None:
    statement = read_statement(FORMATS[name]())
    assert statement.format == EXPECTED_FORMAT[name]
    assert [line.amount for line in statement.lines] == [13000, 10000, 6500, 4250, -2310]
    assert [line.booking_date.day for line in statement.lines] == [20, 21, 22, 23, 24]
    first = statement.lines[0]
    assert first.counterparty_name == "A. de Vries"
    assert first.counterparty_iban == "NL20INGB0001234567"
    assert "Factuur 2026-0001 en 2026-0002" in first.description
    assert statement.lines[4].counterparty_name == "Eneco"
    assert len({line.import_key for line in statement.lines}) == 5


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_keys_are_the_same_when_read_again(name: str) -> None:
    first = [line.import_key for line in read_statement(FORMATS[name]()).lines]
    again = [line.import_key for line in read_statement(FORMATS[name]()).lines]
    assert first == again


def test_camt_references_and_pending_entries() -> None:
    lines = read_statement(camt_08()).lines
    assert len(lines) == 5  # the pending (PDNG) entry of 999.00 is not on the account yet
    assert lines[0].bank_ref == "E2E-0001"
    assert lines[0].account == "NL91ABNA0417164300"


def test_camt_batch_entry_becomes_one_line_per_transaction() -> None:
    data = camt_08(WEEK[:1]).replace(b"<c:Amt Ccy=\"EUR\">130.00</c:Amt>\n        <c:CdtDbtInd>"
                                     b"CRDT</c:CdtDbtInd>\n        <c:Sts>", b"<c:Amt Ccy=\"EUR\">"
                                     b"195.00</c:Amt>\n        <c:CdtDbtInd>CRDT</c:CdtDbtInd>\n"
                                     b"        <c:Sts>", 1)
    second = (b"<c:TxDtls><c:Refs><c:EndToEndId>E2E-X</c:EndToEndId></c:Refs>"
              b"<c:Amt Ccy=\"EUR\">65.00</c:Amt><c:RltdPties><c:Dbtr><c:Pty><c:Nm>Zorg B.V."
              b"</c:Nm></c:Pty></c:Dbtr></c:RltdPties><c:RmtInf><c:Ustrd>2026-0004"
              b"</c:Ustrd></c:RmtInf></c:TxDtls>\n        </c:NtryDtls>")
    data = data.replace(b"</c:NtryDtls>", second, 1)
    lines = read_statement(data).lines
    assert [(line.amount, line.counterparty_name) for line in lines] == [
        (13000, "A. de Vries"), (6500, "Zorg B.V.")]
    assert lines[0].import_key != lines[1].import_key


def test_identical_lines_in_one_file_are_both_kept() -> None:
    twice = (WEEK[2], Tx(WEEK[2].day, WEEK[2].amount, WEEK[2].name, WEEK[2].iban, WEEK[2].text,
                         WEEK[2].ref))
    from tests.bank_samples import ing_comma

    lines = read_statement(ing_comma(twice)).lines
    assert len(lines) == 2 and lines[0].import_key != lines[1].import_key


def test_rabobank_latin1_and_signs() -> None:
    data = FORMATS["rabobank"]()
    assert "initiërende".encode("iso-8859-1") in data
    lines = read_statement(data).lines
    assert lines[4].amount == -2310 and lines[0].bank_ref == "E2E-0001"


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY],
                         ids=["billion-laughs", "external-entity"])
def test_hostile_xml_is_refused(hostile: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_statement(hostile)
    assert "refused for safety" in caught.value.message
    assert "\n" not in caught.value.message
    assert "root:" not in caught.value.message


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b"<html><body>hi</body></html>", "not a CAMT.053"),
    (b"<Document><BkToCstmrStmt>", "not well-formed"),
    (b"a,b,c\n1,2,3\n", "not a bank statement solebook knows"),
    (b'"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";'
     b'"Bedrag (EUR)";"Mutatiesoort";"Mededelingen"\n"20261120";"X";"NL1";"NL2";"OV";'
     b'"Bij";"zestig";"Overschrijving";"x"\n', "line 2: 'zestig' is not an amount"),
])
def test_bad_files_get_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_statement(data)
    assert message in caught.value.message
    assert caught.value.message.startswith("file: ")


_ENTRY = """<{p}Ntry><{p}Amt Ccy="EUR">65.00</{p}Amt><{p}CdtDbtInd>CRDT</{p}CdtDbtInd>
<{p}Sts>BOOK</{p}Sts><{p}BookgDt><{p}Dt>2026-11-20</{p}Dt></{p}BookgDt>
<{p}AcctSvcrRef>R1</{p}AcctSvcrRef><{p}NtryDtls><{p}TxDtls>
<{p}RltdPties><{p}Dbtr><{p}Nm>{name}</{p}Nm></{p}Dbtr><!-- a comment -->
<{p}DbtrAcct><{p}Id><{p}IBAN>NL91ABNA0417164300</{p}IBAN></{p}Id></{p}DbtrAcct></{p}RltdPties>
<{p}RmtInf><{p}Ustrd>{text}</{p}Ustrd><{p}Ustrd>  tweede
  regel </{p}Ustrd></{p}RmtInf></{p}TxDtls></{p}NtryDtls></{p}Ntry>"""


@pytest.mark.parametrize("prefix", ["", "camt:"], ids=["default-namespace", "prefix"])
def test_camt_texts_as_xml_writes_them(prefix: str) -> None:
    """Entities, character references, CDATA and comments inside the texts read as the
    text they stand for; blanks and line breaks are squashed; any namespace prefix."""
    ns = (f'xmlns{":" + prefix[:-1] if prefix else ""}='
          '"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"')
    entry = _ENTRY.format(p=prefix, name="Jansen &amp; Zn&#233;",
                          text="factuur <![CDATA[2026-0001 <spoed>]]><!-- x --> ok")
    data = (f'<?xml version="1.0" encoding="UTF-8"?><{prefix}Document {ns}>'
            f"<{prefix}BkToCstmrStmt><{prefix}Stmt><{prefix}Acct><{prefix}Id><{prefix}IBAN>"
            f"NL20INGB0001234567</{prefix}IBAN></{prefix}Id></{prefix}Acct>{entry}"
            f"</{prefix}Stmt></{prefix}BkToCstmrStmt></{prefix}Document>").encode()
    line, = read_statement(data).lines
    assert (line.counterparty_name, line.description, line.account, line.amount) == (
        "Jansen & Zné", "factuur 2026-0001 <spoed> ok tweede regel", "NL20INGB0001234567",
        6500)


def test_camt_element_names_only_count_in_their_place() -> None:
    """A ``Nm`` or ``Amt`` elsewhere in an entry (the bank's own code, a creditor) is not
    the payer's name or the amount."""
    entry = _ENTRY.format(p="", name="A. Betaler", text="x").replace(
        "<Sts>", "<BkTxCd><Prtry><Cd>N544</Cd><Nm>Bankcode</Nm></Prtry></BkTxCd><Sts>").replace(
        "<RltdPties>", "<RltdPties><Cdtr><Nm>De Praktijk</Nm></Cdtr>")
    data = (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
            b"<Stmt>" + entry.encode() + b"</Stmt></BkToCstmrStmt></Document>")
    line, = read_statement(data).lines
    assert (line.counterparty_name, line.amount, line.account) == ("A. Betaler", 6500, "")
