"""Fixtures for documents: the worked example's practice, issued invoices to read back."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.factories import ENGLISH, make_client, make_plan, make_treatment


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


@pytest.fixture
def inproc(db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """The command line (in English) run in this process on the database ``db`` (a fixture
    of the test module)."""
    from tui.cli.main import main

    monkeypatch.setenv("SOLEBOOK_DB", db)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        with pytest.raises(SystemExit) as exit_:
            main([*ENGLISH, *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, int(exit_.value.code or 0), out, err)

    return run
