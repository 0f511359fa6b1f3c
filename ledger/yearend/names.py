"""The Dutch words for stored codes, for the year's Dutch documents, CSV files and sheet,
and the names of the files in the year's export folder.

A bookkeeper reads "btw-plichtig", not ``standard``: every code the books store (VAT
regime, payment method, kind of line) is shown through these tables, in one place.

The export folder speaks the practice's language: a Dutch practice's bookkeeper finds
``2026-jaarcijfers.pdf``, ``facturen/factuur-2026-0001.pdf``, ``creditnotas/``,
``jaaroverzichten/`` and ``bonnen/``; an English practice's ``2026-annual-report.pdf``,
``invoices/invoice-2026-0001.pdf``, ``credit-notes/``, ``statements/`` and ``receipts/``. A
document's file is named as the documents name it (:func:`ledger.base.file_names.
document_name`), in the practice's language. The audit file and the beancount file keep
their names (``2026-auditfile.xaf``, ``2026-journals.beancount``), as do ``csv/`` and
``csv-nl/``.
"""

from __future__ import annotations

from ledger.base.file_names import document_name, in_language, safe, slug

#: The months as the Dutch exports name them.
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
REGIMES = {"standard": "btw-plichtig (standaardregeling)",
           "exempt": "vrijgesteld van btw (art. 11 lid 1 sub g Wet OB)",
           "kor": "kleineondernemersregeling (KOR)"}
METHODS = {"bank": "bank", "pin": "pin", "cash": "contant", "card": "creditcard",
           "other": "overig"}
KINDS = {"treatment": "behandeling", "fee": "gemiste afspraak", "package_plan": "reeks",
         "other": "overig"}


def regime_name(code: str) -> str:
    return REGIMES.get(code, code)


def method_name(code: str) -> str:
    return METHODS.get(code, code)


def kind_name(code: str) -> str:
    return KINDS.get(code, code)


#: The export's own files and folders: {what: {language: name}}.
EXPORT_NAMES = {
    "annual_report": {"nl": "jaarcijfers", "en": "annual-report"},
    "workbook": {"nl": "jaarcijfers", "en": "figures"},
    "invoice": {"nl": "facturen", "en": "invoices"},
    "credit": {"nl": "creditnotas", "en": "credit-notes"},
    "year_statement": {"nl": "jaaroverzichten", "en": "statements"},
    "receipts": {"nl": "bonnen", "en": "receipts"},
}


def export_name(what: str, language: str | None) -> str:
    """A file's or folder's name in the export folder, in ``language`` (Dutch by
    default, as the documents' names)."""
    return in_language(EXPORT_NAMES[what], language)


def exported_document(kind: str, language: str | None, number: str) -> str:
    """An invoice's or credit note's PDF in the export folder:
    ``facturen/factuur-2026-0001.pdf``, ``credit-notes/credit-note-2026-0002.pdf``."""
    return f"{export_name(kind, language)}/{document_name(kind, language, safe(number))}"


def exported_statement(language: str | None, year: int, client_id: int, name: str) -> str:
    """A client's year statement in the export folder (the client number keeps two
    clients of the same name apart): ``jaaroverzichten/jaaroverzicht-2026-00001-ilse-
    visser.pdf``."""
    return (f"{export_name('year_statement', language)}/"
            + document_name("year_statement", language, str(year), f"{client_id:05d}",
                            slug(name)))
