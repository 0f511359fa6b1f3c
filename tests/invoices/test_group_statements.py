"""A claim statement of a series redeemed with two therapists names, per treatment, who
gave it and their AGB code; a series used with one therapist shows that therapist in the
insurer's details, as a solo practice's statement always did."""

from __future__ import annotations

from invoices.statements import client_year_statement, package_statement, render_statement
from ledger.billing.sessions import add_session
from ledger.books import Books
from ledger.practice.therapists import add_therapist
from tests.factories import TODAY, make_client, make_plan, make_treatment, sell_package
from tests.invoices import pdftools


def test_who_treated_is_on_the_claim_statements(practice: Books) -> None:
    anna = add_therapist(practice, {"name": "Anna Jansen", "agb_code": "90111111",
                                    "association": "NBVR", "membership_number": "NBVR-77"})
    treatment = make_treatment(practice)
    client = make_client(practice)
    package = sell_package(practice, client.id, make_plan(practice, treatment.id).id)
    add_session(practice, client.id, treatment.id, TODAY, therapist_id=anna.id)
    alone = package_statement(practice, package.id)
    assert [r.therapist for r in alone.rows] == [""]  # no column: one therapist
    assert (alone.practice["agb_therapist"], alone.practice["therapist_name"]) == (
        "90111111", "Anna Jansen")
    text = pdftools.text(render_statement(alone))
    assert "90111111" in text and "90123456" not in text  # Anna's code, not Marieke's
    add_session(practice, client.id, treatment.id, TODAY)  # Marieke, the practice's first
    both = client_year_statement(practice, client.id, 2026)
    assert [r.therapist for r in both.rows] == [
        "Anna Jansen 90111111", "Marieke de Zool 90123456"]
    text = pdftools.text(render_statement(both))
    assert "Anna Jansen 90111111" in text and "Marieke de Zool 90123456" in text
    assert "90654321" in text  # the practice's AGB code stays in the insurer's details


def test_each_invoice_pdf_carries_its_therapists_agb_code(practice: Books) -> None:
    from invoices.archive import render_document
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.sessions import create_invoice

    anna = add_therapist(practice, {"name": "Anna Jansen", "agb_code": "90111111",
                                    "association": "NBVR", "membership_number": "NBVR-77"})
    treatment = make_treatment(practice)
    client = make_client(practice)
    add_session(practice, client.id, treatment.id, TODAY, therapist_id=anna.id)
    draft = create_invoice(practice, client.id)
    preview = pdftools.text(render_document(practice, draft.id))  # a draft shows hers too
    issued = pdftools.text(render_document(practice, issue_invoice(practice, draft.id).id))
    for text in (preview, issued):
        assert "90111111" in text and "NBVR-77" in text and "Anna Jansen" in text
        assert "90123456" not in text and "VNRT-1234" not in text  # not Marieke's
        assert "90654321" in text  # the practice's own AGB code
