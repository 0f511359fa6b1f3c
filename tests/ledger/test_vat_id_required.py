"""Dutch invoice law: an invoice that charges VAT shows the practice's btw-id. The books
refuse to issue one without it (the one issuing function, so every way in is covered), say
where to fill it in, and store nothing; once the btw-id is there, issuing works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.base.errors import RuleViolation
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import list_packages, sell_package
from ledger.billing.sessions import create_invoice
from ledger.billing.status import list_invoices
from ledger.books import Books
from ledger.practice.profile import get_practice, update_practice
from ledger.store.models import InvoiceSequence
from tests.factories import cli_env, make_client, make_plan, make_treatment, record_session

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = ("invoice: an invoice that charges VAT needs the practice's btw-id; fill it in "
           "under Settings (solebook practice set --vat-id)")


@pytest.fixture
def no_vat_id(practice: Books) -> dict[str, Any]:
    """The practice charges 21 % VAT but its btw-id was never filled in."""
    update_practice(practice, {"vat_id": ""})
    assert get_practice(practice).vat_id == ""
    client = make_client(practice)
    treatment = make_treatment(practice)
    plan = make_plan(practice, treatment.id)
    return {"books": practice, "client": client, "treatment": treatment, "plan": plan}


def _numbers_used(books: Books) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(InvoiceSequence)) or 0)


def test_a_vat_invoice_without_btw_id_is_refused_and_nothing_is_stored(
        no_vat_id: dict[str, Any]) -> None:
    books, client = no_vat_id["books"], no_vat_id["client"]
    record_session(books, client.id, no_vat_id["treatment"].id, package="none")
    draft = create_invoice(books, client.id)
    with pytest.raises(RuleViolation) as refused:
        issue_invoice(books, draft.id)
    assert refused.value.message == REFUSAL
    assert "Instellingen" in refused.value.text("nl") and "btw-id" in refused.value.text("nl")
    with pytest.raises(RuleViolation, match="btw-id"):
        sell_package(books, client.id, no_vat_id["plan"].id)
    assert [i.number for i in list_invoices(books)] == [None]  # still the draft
    assert list_packages(books) == [] and _numbers_used(books) == 0

    update_practice(books, {"vat_id": "NL000099998B57"})
    issued = issue_invoice(books, draft.id)
    assert issued.number == "2026-0001" and issued.vat > 0
    assert sell_package(books, client.id, no_vat_id["plan"].id).invoice_number == "2026-0002"


def test_without_vat_no_btw_id_is_needed(no_vat_id: dict[str, Any]) -> None:
    books, client = no_vat_id["books"], no_vat_id["client"]
    update_practice(books, {"vat_regime": "exempt"})
    record_session(books, client.id, no_vat_id["treatment"].id, package="none")
    issued = issue_invoice(books, create_invoice(books, client.id).id)
    assert issued.number is not None and issued.vat == 0


def solebook(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli.main", *args], cwd=ROOT,
                          env=cli_env(db), capture_output=True, text=True, timeout=120)


@pytest.mark.sqlite_only  # the command line on the practice's own file
def test_the_command_line_refuses_in_one_line(no_vat_id: dict[str, Any]) -> None:
    books, client = no_vat_id["books"], no_vat_id["client"]
    record_session(books, client.id, no_vat_id["treatment"].id, package="none")
    draft = create_invoice(books, client.id)
    db = str(books.db.path)
    for args in (("--lang", "en", "invoice", "issue", str(draft.id)),
                 ("--lang", "en", "package", "sell", "--client", str(client.id),
                  "--plan", str(no_vat_id["plan"].id))):
        done = solebook(db, *args)
        assert done.returncode == 1, done
        assert done.stderr.strip().splitlines() == [f"solebook: {REFUSAL}"], done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    assert [i.number for i in list_invoices(books)] == [None]
    assert list_packages(books) == [] and _numbers_used(books) == 0

    assert solebook(db, "practice", "set", "--vat-id", "NL000099998B57").returncode == 0
    done = solebook(db, "invoice", "issue", str(draft.id))
    assert done.returncode == 0, done.stderr
    assert list_invoices(books)[0].number == "2026-0001"
