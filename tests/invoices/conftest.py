"""Fixtures for documents: the worked example's practice, issued invoices to read back."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.factories import make_client, make_plan, make_treatment


def practice_with(books: Books, **changes: str) -> Books:
    """The conftest practice with some settings changed (``vat_regime="exempt"``...)."""
    if changes:
        update_practice(books, dict(changes))
    return books


@pytest.fixture
def shop(practice: Books) -> dict[str, Any]:
    """Anna (Dutch) and John (English), the massage at € 65,00 and the runners' series."""
    treatment = make_treatment(practice)
    return {
        "books": practice,
        "anna": make_client(practice),
        "john": make_client(practice, "John Smith", language="en", address="12 High Street",
                            postcode="1012 AB", city="Amsterdam", birth_date="1980-07-04"),
        "treatment": treatment,
        "plan": make_plan(practice, treatment.id),
    }
