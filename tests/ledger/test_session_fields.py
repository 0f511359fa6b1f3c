"""A session as typed is parsed by one table (ledger.billing.session_fields) that the
command line and the interface's session form both read."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from ledger.base.codes import SessionStatus
from ledger.base.errors import InputError
from ledger.billing.session_fields import read_session, session_fields

TODAY = date(2026, 11, 24)


def test_what_a_dutch_therapist_types() -> None:
    typed = read_session({"date": "gisteren", "time": "9.30", "price": "€ 65,-",
                          "status": "niet verschenen", "fee": "32,50", "duration": "45",
                          "package": " Auto ", "notes": "  rechterhiel  "}, TODAY)
    assert typed == {"on": date(2026, 11, 23), "start_time": time(9, 30), "price": 6500,
                     "status": SessionStatus.NO_SHOW, "fee": 3250, "duration_min": 45,
                     "package": "auto", "notes": "rechterhiel"}


@pytest.mark.parametrize(("raw", "field"), [
    ({"price": "vijfenzestig"}, "price"), ({"package": "0"}, "package"),
    ({"status": "ziek"}, "status"), ({"duration": "601"}, "duration"),
    ({"time": "25:00"}, "time"), ({"price": ""}, "price"),
])
def test_bad_input_names_its_field(raw: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as refused:
        read_session(raw, TODAY)
    assert refused.value.message.startswith(f"{field}:")


def test_absent_fields_are_not_given() -> None:
    assert read_session({"price": None, "time": None}, TODAY) == {}
    assert read_session({"package": "none"}, TODAY) == {"package": "none"}


def test_the_form_reads_the_same_table() -> None:
    """The session form's fields are the table's (same parsing functions)."""
    from tui.screens import session_form

    source = session_form.__file__
    text = Path(source).read_text(encoding="utf-8")
    assert "session_fields(" in text and "read_session(" in text
    assert "parse_amount" not in text and "parse_time" not in text
    assert session_fields(TODAY)["price"].parse.__name__ == "parse_amount"


def test_the_command_line_refuses_as_the_form_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "b.sqlite3"
    run = [sys.executable, "-m", "tui.entry", "--db", str(db)]
    subprocess.run([*run, "demo", "--clients", "4"], check=True, capture_output=True)
    done = subprocess.run([*run, "session", "add", "--client", "1", "--treatment", "1",
                           "--price", "vijfenzestig"], capture_output=True, text=True)
    assert done.returncode == 1
    with pytest.raises(InputError) as refused:
        read_session({"price": "vijfenzestig"}, TODAY)
    assert done.stderr.strip() == f"solebook: {refused.value.text('nl')}"  # a Dutch practice
