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
# invoice layout 4 (invoices/layout_version.py)
EXPECTED = {
    "reportlab": "5.1.0",
    "2026-0001": "04392819228c595428497fcdbfe5dafa0d01accc4d49c1d5db87cea93bb46d70",
    "2026-0002": "4cbb197958297f49056823cc9cfe0307ad182e9622cd8b1f68a1d0a392261c91",
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
