"""Both front ends issue through the one step (invoices.steps.issuing): the command line's
``invoice issue`` and the invoice screen's "Issue" call it, and what it archived is there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import invoices.steps.issuing as steps
from invoices.archive import file_name
from ledger.billing.lists import unbilled_by_client
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from tests.tui.pilot import drive, settle


@pytest.fixture
def issued_through_step(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call of the issuing step, with what it returned (the real step runs)."""
    calls: list[Any] = []
    real = steps.issue_and_archive

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(steps, "issue_and_archive", spy)
    return calls


def _draft(books: Books) -> int:
    waiting = unbilled_by_client(books)[0]
    return int(create_invoice(books, waiting.client_id, None).id)


def test_the_command_line_issues_through_the_step(demo_books: Books,
                                                  issued_through_step: list[Any],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli.main import main

    draft = _draft(demo_books)
    with pytest.raises(SystemExit) as done:
        main(["--db", str(demo_books.db.path), "invoice", "issue", str(draft), "--json"])
    assert done.value.code == 0, capsys.readouterr().err
    (issued,) = issued_through_step
    assert f'"number": "{issued.info.number}"' in capsys.readouterr().out
    assert all(isinstance(p, Path) and p.is_file() for p in issued.archived.paths)
    assert issued.archived.paths[0].name == file_name(issued.info)  # factuur-/invoice-…


def test_the_invoice_screen_issues_through_the_step(demo_books: Books, make_tui: Any,
                                                    issued_through_step: list[Any]) -> None:
    from tui.screens.invoice_page import InvoiceScreen

    draft = _draft(demo_books)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.app.push_screen(InvoiceScreen(draft))
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    drive(make_tui(demo_books), scenario)
    (issued,) = issued_through_step
    assert issued.info.id == draft and issued.info.number is not None
    assert issued.archived.paths == (
        demo_books.db.documents_dir / str(issued.info.date.year) / file_name(issued.info),)
