"""`solebook session edit` corrects a session on no invoice yet; a session after today
cannot be given, at the command line as in the books."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.tui.test_cli_worked_example import InProcess


def test_edit_and_the_day_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    cli = InProcess(tmp_path / "books.sqlite3", monkeypatch, capsys)
    cli.run("init")
    client = cli.json("client", "add", "--name", "Anna de Vries")
    treatment = cli.json("treatment", "add", "--name", "Voetreflexmassage", "--price", "65,00",
                         "--vat", "21")
    ahead = (date.today() + timedelta(days=3)).isoformat()
    refused = cli.run("session", "add", "--client", str(client["id"]), "--treatment",
                      str(treatment["id"]), "--date", ahead, expect=1)
    assert refused.stderr == ("solebook: date: a session after today cannot be given yet; "
                              "record it on the day\n")
    assert cli.json("session", "list") == []
    recorded = cli.json("session", "add", "--client", str(client["id"]), "--treatment",
                        str(treatment["id"]), "--package", "none")
    sid = str(recorded["id"])
    cli.run("session", "edit", sid, "--date", ahead, expect=1)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    changed = cli.real.json("session", "edit", sid, "--date", yesterday, "--time", "9:30",
                       "--price", "55")
    assert (changed["date"], changed["billable"]) == (yesterday, "55.00")
    missed = cli.json("session", "edit", sid, "--status", "no_show", "--fee", "32,50")
    assert (missed["status"], missed["billable"]) == ("no_show", "32.50")
    bad = cli.run("session", "edit", sid, "--price", "veel", expect=1)
    assert bad.stderr.startswith("solebook: price: ") and bad.stderr.count("\n") == 1
    cli.json("invoice", "create", "--client", str(client["id"]))
    billed = cli.run("session", "edit", sid, "--price", "10", expect=1)
    assert "billed on invoice" in billed.stderr
    [stored] = cli.json("session", "list")
    assert (stored["date"], stored["billable"], stored["status"]) == (
        yesterday, "32.50", "no_show")
