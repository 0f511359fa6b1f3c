"""Figures that tests measured, printed at the end of the run whatever ``-s`` says.

A test asks for the ``report`` fixture and calls ``report("crash test: 200 kills, ...")``;
the line appears in the "solebook figures" section of pytest's terminal summary (so it is
visible in CI output), and on stdout at once.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

_LINES: list[str] = []


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Callable[[str], None]:
    def add(line: str) -> None:
        _LINES.append(f"{request.node.nodeid}: {line}")
        print(line)

    return add


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _LINES:
        terminalreporter.section("solebook figures")
        for line in _LINES:
            terminalreporter.write_line(line)
