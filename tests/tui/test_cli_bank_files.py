"""Bank files at the command line: a device refused at once, a damaged file in one line
(in Dutch too), the practice's other accounts, and the review list in pages."""

from __future__ import annotations

from typing import Any

from tests.bank_samples_more import ACCOUNTS, knab, mt940_rabobank
from tests.tui.test_cli_paid import books_file

__all__ = ["books_file"]  # fixture


def test_a_device_and_a_damaged_file_are_refused_in_one_line(books_file: dict[str, Any]
                                                             ) -> None:
    cli, bad = books_file["cli"], books_file["tmp"] / "rabo.sta"
    zero = cli.proc("bank", "import", "/dev/zero", expect=1)
    assert zero.stderr == ("solebook: file: /dev/zero is not a regular file (a device, pipe "
                           "or socket); save the statement as a file first\n")
    bad.write_bytes(mt940_rabobank().replace(b":61:261121", b":61:2611x1"))
    dutch = cli.run("--lang", "nl", "bank", "import", str(bad), expect=1)
    assert dutch.stderr == ("solebook: bestand: rabo.sta: MT940: regel 10: het veld :61: is "
                            "niet te lezen (beschadigd of afgebroken)\n")
    assert cli.json("bank", "list") == []


def test_other_accounts_and_pages(books_file: dict[str, Any]) -> None:
    cli, path = books_file["cli"], books_file["tmp"] / "knab.csv"
    path.write_bytes(knab())
    imported = cli.run("bank", "import", str(path)).stdout
    assert "5 lines are of other accounts than the practice's" in imported
    lines = cli.json("bank", "list", "--status", "other")
    assert [x["account"] for x in lines] == [ACCOUNTS["knab"]] * 5
    saved = cli.json("practice", "set", "--bank-accounts", "nl07 knab 0255 1234 56")
    assert saved == {"bank_accounts": ["NL91ABNA0417164300", ACCOUNTS["knab"]]}
    assert cli.json("bank", "list", "--status", "other") == []
    page = cli.json("bank", "list", "--review", "--limit", "3", "--offset", "1")
    assert len(page) == 3
    text = cli.run("bank", "list", "--review", "--limit", "3").stdout
    assert text.splitlines()[-1] == "Lines 1-3 of 4. Next page: --offset 3."
    refused = cli.run("practice", "set", "--bank-accounts", "NL07KNAB0255123457", expect=1)
    assert "bank accounts: NL07KNAB0255123457 is not a valid IBAN" in refused.stderr
