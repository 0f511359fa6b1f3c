"""The worked example of the books, typed at the command line as the therapist would.

Practice in the standard regime; "Voetreflexmassage" € 65,00 at 21%; plan "Hardloopreeks"
5 sessions for € 300,00. Selling it issues invoice 2026-0001 (300.00 = 247.93 + 52.07).
Five sessions redeem it; a sixth with --package ID is refused and nothing is stored; a
sixth with --package none is billed on the next invoice at 65.00 (VAT 11.28). A credit note
for that invoice gets the next number and brings the client's open balance back to zero.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.factories import ENGLISH, cli_env


class Solebook:
    """Runs ``solebook`` as a separate process on one database file (the worked example,
    and the usage errors, which end before the program's imports: every command in a fresh
    interpreter, as she types them)."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def run(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "tui.cli.main", *ENGLISH, *args], capture_output=True, text=True,
            env=cli_env(str(self.db)), timeout=60,
        )
        assert result.returncode == expect, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        return json.loads(result.stdout)  # stdout is only JSON


class InProcess:
    """The same commands through ``main(argv)`` in this process, for the checks of what one
    command prints (a process start costs about half a second). A test runs at least one
    command of each group it checks as a separate process (``real``), as the worked
    example does, so that each group is also seen working in a fresh interpreter."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        monkeypatch.setenv("SOLEBOOK_DB", str(db))
        monkeypatch.delenv("SOLEBOOK_DEBUG", raising=False)
        self._capsys = capsys
        self.real = Solebook(db)

    def run(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        from tui.cli.main import main

        with pytest.raises(SystemExit) as exit_:
            main([*ENGLISH, *args])
        out, err = self._capsys.readouterr()
        code = int(exit_.value.code or 0)
        assert code == expect, (args, out, err)
        return subprocess.CompletedProcess(list(args), code, out, err)

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        return json.loads(result.stdout)  # stdout is only JSON


@pytest.fixture
def cli(tmp_path: Path) -> Solebook:
    return Solebook(tmp_path / "books.sqlite3")


@pytest.fixture
def in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> InProcess:
    return InProcess(tmp_path / "books.sqlite3", monkeypatch, capsys)


@pytest.mark.slow
def test_worked_example(cli: Solebook) -> None:
    cli.run("init")
    cli.run("practice", "set", "--name", "Voetreflexpraktijk De Zool", "--address",
            "Lange Nieuwstraat 12", "--postcode", "3512 PH", "--city", "Utrecht",
            "--kvk", "12345678", "--vat-id", "NL000099998B57", "--iban", "NL91ABNA0417164300",
            "--account-holder", "M. de Zool", "--vat-regime", "standard")
    client = cli.json("client", "add", "--name", "Anna de Vries", "--address", "Lindenlaan 4",
                      "--postcode", "3514 CD", "--city", "Utrecht", "--birth-date", "12-03-1985")
    treatment = cli.json("treatment", "add", "--name", "Voetreflexmassage", "--price", "65,00",
                         "--vat", "21", "--code", "24009")
    plan = cli.json("package", "plan-add", "--name", "Hardloopreeks", "--treatment",
                    str(treatment["id"]), "--sessions", "5", "--price", "300,00")
    package = cli.json("package", "sell", "--client", str(client["id"]), "--plan",
                       str(plan["id"]), "--date", "2026-11-24")
    assert package["invoice_number"] == "2026-0001"
    assert (package["sessions_total"], package["sessions_used"], package["sessions_left"]) == (
        5, 0, 5)
    assert package["expires"] == "2027-11-24"

    sale = cli.json("invoice", "show", "2026-0001")
    assert (sale["total"], sale["vat"], sale["net"]) == ("300.00", "52.07", "247.93")
    assert sale["kind"] == "invoice" and sale["status"] in {"open", "overdue"}
    assert len(sale["lines"]) == 1 and sale["lines"][0]["gross"] == "300.00"

    left = []
    for day in range(25, 30):
        recorded = cli.json("session", "add", "--client", str(client["id"]), "--treatment",
                            str(treatment["id"]), "--date", f"{day}-11-2026")
        assert recorded["package_id"] == package["id"]
        left.append(recorded["package"]["sessions_left"])
    assert left == [4, 3, 2, 1, 0]

    sessions_before = cli.json("session", "list", "--client", str(client["id"]))
    refused = cli.run("session", "add", "--client", str(client["id"]), "--treatment",
                      str(treatment["id"]), "--date", "30-11-2026", "--package",
                      str(package["id"]), expect=1)
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "used up" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert cli.json("session", "list", "--client", str(client["id"])) == sessions_before
    assert cli.json("package", "list", "--client", str(client["id"]))[0]["sessions_left"] == 0

    extra = cli.json("session", "add", "--client", str(client["id"]), "--treatment",
                     str(treatment["id"]), "--date", "30-11-2026", "--package", "none")
    assert extra["package_id"] is None and extra["billable"] == "65.00"

    draft = cli.json("invoice", "create", "--client", str(client["id"]))
    assert draft["number"] is None and draft["status"] == "draft"
    assert [line["session_id"] for line in draft["lines"]] == [extra["id"]]
    invoice = cli.json("invoice", "issue", str(draft["id"]), "--date", "2026-11-30")
    assert invoice["number"] == "2026-0002"
    assert (invoice["total"], invoice["vat"], invoice["net"]) == ("65.00", "11.28", "53.72")
    assert invoice["due_date"] == "2026-12-14"
    line = invoice["lines"][0]
    assert (line["quantity"], line["unit_price"], line["vat_rate"], line["gross"]) == (
        1, "65.00", "21", "65.00")

    credit = cli.json("invoice", "credit", "2026-0002", "--date", "2026-12-01")
    assert credit["number"] == "2026-0003" and credit["kind"] == "credit"
    assert (credit["total"], credit["vat"]) == ("-65.00", "-11.28")
    assert credit["credit_of"] == "2026-0002"

    credited = cli.json("invoice", "show", "2026-0002")
    assert credited["status"] == "credited" and credited["open"] == "0.00"
    invoices = cli.json("invoice", "list", "--client", str(client["id"]))
    assert [i["number"] for i in invoices] == ["2026-0001", "2026-0002", "2026-0003"]
    cli.run("invoice", "pay", "2026-0001", "--amount", "300", "--date", "2026-11-26",
            "--method", "pin")
    assert {i["open"] for i in cli.json("invoice", "list")} == {"0.00"}

    report = cli.json("report", "year", "2026")
    assert (report["turnover_gross"], report["vat"], report["turnover_net"]) == (
        "300.00", "52.07", "247.93")
    assert report["payments_received"] == "300.00" and report["open_at_year_end"] == "0.00"
    assert len(report["by_month"]) == 12 and len(report["by_quarter"]) == 4
    assert report["by_quarter"][3]["gross"] == "300.00"


def test_json_output_is_only_json_and_money_is_strings(in_process: InProcess) -> None:
    cli = in_process
    client = cli.json("client", "add", "--name", "Bram Jansen")
    assert client["id"] == 1 and client["birth_date"] is None
    treatment = cli.json("treatment", "add", "--name", "Kort consult", "--price", "€ 40,-")
    assert treatment["price"] == "40.00" and treatment["vat_rate"] == "21"
    practice = cli.json("practice", "show")
    assert practice["payment_term"] == 14 and practice["number_pattern"] == "{year}-{seq:04d}"
    assert cli.json("client", "list") == [client]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["treatment", "add", "--name", "X", "--price", "6,5,0"], "price"),
        (["treatment", "add", "--name", "X", "--price", "65", "--vat", "121"], "VAT rate"),
        (["client", "add", "--name", "X", "--birth-date", "31-02-1980"], "date of birth"),
        (["client", "add", "--name", "X", "--email", "anna@"], "e-mail"),
        (["client", "add", "--name", "X", "--postcode", "12345"], "postcode"),
        (["practice", "set", "--iban", "NL91ABNA0417164301"], "IBAN"),
        (["practice", "set", "--vat-regime", "half"], "VAT regime"),
        (["practice", "set", "--number-pattern", "{year}"], "number pattern"),
        (["invoice", "show", "2026-0999"], "invoice"),
        (["session", "add", "--client", "7", "--treatment", "1"], "client"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(in_process: InProcess, args: list[str],
                                                field: str) -> None:
    cli = in_process
    cli.run("init")
    result = cli.run(*args, expect=1)
    assert result.stdout == ""
    assert result.stderr.startswith(f"solebook: {field}:"), result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_errors_exit_2(cli: Solebook) -> None:
    for args in (["client", "add"], ["session", "add", "--client", "x", "--treatment", "1"],
                 ["nonsense"], ["invoice", "pay", "2026-0001"]):
        result = cli.run(*args, expect=2)
        assert result.stdout == "" and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
