"""The PDF bytes of a fixed invoice, with the locked ReportLab: recorded here, so that a
dependency upgrade that changes what archived documents re-render to shows in the suite
(and not first in a practice's ``invoice verify``). See the README, "Upgrading
dependencies": when this fails after refreshing constraints.txt, the new versions draw
different bytes."""

from __future__ import annotations

import hashlib
from importlib import metadata
from typing import Any

from invoices.archive import render_document
from tests.factories import sell_package

# (invoice, credit note) of the worked example with the versions in constraints.txt and
# invoice layout 3 (invoices/layout_version.py)
EXPECTED = {
    "reportlab": "5.1.0",
    "2026-0001": "441a86590d384f47f2c558ba72107c5493e64ffe77bd0811c6a0d51bf2c98592",
    "2026-0002": "a9e5c526d9794b6738f9900c87aa0d514b6cb2f6b95f89fa967e2a83380834a1",
}


def test_the_worked_example_renders_to_the_recorded_bytes(shop: dict[str, Any]) -> None:
    from ledger.billing.credits import credit_invoice

    books = shop["books"]
    package = sell_package(books, shop["anna"].id, shop["plan"].id)
    credit = credit_invoice(books, package.invoice_number)
    digests = {number: hashlib.sha256(render_document(books, number)).hexdigest()
               for number in (package.invoice_number, credit.number)}
    assert metadata.version("reportlab") == EXPECTED["reportlab"]
    assert digests == {k: v for k, v in EXPECTED.items() if k != "reportlab"}, (
        "the documents' bytes changed: a ReportLab (or rl_accel, font, layout) change; "
        "see the README, 'Upgrading dependencies'")
