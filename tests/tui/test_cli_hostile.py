"""Hostile input through every option of every command.

The parser is walked, so a new command or option is covered without editing this file.
Each option gets nasty values (empty, 10,000 characters, control characters, a NUL,
right-to-left text and a bidi override, markup, huge numbers, impossible dates, bytes that
are not UTF-8); the command runs in-process (a few through a real subprocess). A refusal
must be exit 1 or 2 with exactly one line on stderr naming the field, no traceback, and
the database untouched (row counts of every table and the last audit-log id).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.books import Books
from tests.factories import (
    ENGLISH,
    PRACTICE,
    cli_env,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)

HOSTILE = [
    "", "   ", "x" * 10_000, "a\x00b", "\x1b[31mrood\x1b[0m", "\u202egnp.exe",
    "שלום עולם", "مرحبا بالعالم", "<b>Jansen & Zn</b><img src='http://x/'>", "-1",
    "99999999999999999999", "31-02-2026", "NL00ABNA0000000000", "\udcff", "1\n2",
    "€ 1.234,567", "NaN", "../../../etc/passwd",
]
PER_OPTION = 4  # values per option, rotating through HOSTILE so every value is used
CONTROL = ("\x00", "\x1b", "\u202e", "\udcff")
PATH_DESTS = {"out", "output", "path", "file", "receipt", "logo", "body_file", "pdf"}
SKIP_COMMANDS = {"demo"}  # fills a whole practice: covered by its own tests

# Valid values for what a command needs besides the option under attack.
POSITIONAL = {"id": "1", "number": "2026-0001", "year": "2026", "key": "software",
              "kind": "invoice", "line": "1", "amount": "0,23"}
DRAFT_COMMANDS = {("invoice", "add-line"), ("invoice", "issue"), ("invoice", "delete")}
REQUIRED = {"--name": "Anna", "--client": "1", "--treatment": "1", "--plan": "1",
            "--price": "65", "--sessions": "5", "--amount": "10", "--description": "iets",
            "--year": "2026", "--date": "24-11-2026", "--supplier": "Winkel",
            "--category": "other", "--km": "12"}
EXTRA = {("invoice", "pdf", "output"): ["2026-0001"], ("invoice", "pdf", "out"): ["--year=2026"]}
ALIASES = {
    "vat": ["vat"], "birth_date": ["date of birth"], "email": ["e-mail"],
    "email_from": ["sender address"], "code": ["performance code"], "start": ["from"],
    "end": ["to"], "exempt_text": ["exemption text"], "kor_text": ["kor text"],
    "agb_practice": ["agb"], "agb_therapist": ["agb"], "id": ["client", "package",
    "treatment", "session", "invoice", "plan", "cost", "category"],
    "number": ["invoice"], "line": ["line", "bank"], "path": ["backup", "restore"],
    "out": ["out", "output"], "output": ["out", "output", "pdf"], "amount": ["rate", "amount"],
    "payment_term": ["payment term"], "smtp_security": ["smtp security"],
    "entity_id": ["--id", "id"], "body_file": ["body"], "to": ["to", "e-mail"],
    "file": ["file", "bank"],
    # agenda settings: labelled as the forms show them
    "agenda_late_hours": ["late cancellation hours"], "agenda_late_fee": ["late cancellation fee"],
    "agenda_hours": ["working hours"], "agenda_days": ["working days"],
    "agenda_folder": ["agenda folder"], "agenda_show": ["client in the calendar"],
    "agenda_confirm": ["confirmations"], "agenda_remind_hours": ["reminder hours"],
    "caldav_url": ["caldav address"], "caldav_user": ["caldav user"],
}


def _labels(action: argparse.Action) -> list[str]:
    names = [action.dest.replace("_", " ")]
    names += [o.lstrip("-").replace("-", " ") for o in action.option_strings]
    return [_plain(n) for n in names + ALIASES.get(action.dest, [])]


def _plain(message: str) -> str:
    return message.lower().replace("-", " ").replace("_", " ")


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
        return
    for name, sub in subs[0].choices.items():
        yield from _commands(sub, (*prefix, name))


def _valued(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)
            and a.dest not in ("db", "lang") and a.nargs != 0]


def _fingerprint(db: Path) -> tuple[Any, ...]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'table' ORDER BY name")]
        counts = tuple(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                       for t in tables)
        return counts, conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice with a client, a package, an issued invoice (2026-0001...) and a draft."""
    from ledger.billing.sessions import create_invoice
    from ledger.practice.profile import update_practice

    path = tmp_path_factory.mktemp("hostile") / "template.sqlite3"
    books = Books.open(str(path), interface="test")
    update_practice(books, dict(PRACTICE))
    client = make_client(books, email="anna@example.nl")
    treatment = make_treatment(books)
    sell_package(books, client.id, make_plan(books, treatment.id).id)
    record_session(books, client.id, treatment.id, package="none")
    create_invoice(books, client.id)
    books.close()
    return path


@pytest.fixture(scope="module")
def parser() -> argparse.ArgumentParser:
    from tui.cli.main import build_parser

    return build_parser()


@pytest.fixture
def run_cli(parser: argparse.ArgumentParser, monkeypatch: pytest.MonkeyPatch
            ) -> Callable[[list[str]], tuple[int, str, str]]:
    """The real entry point, in-process, with the parser built once (for speed)."""
    import tui.cli.main
    import tui.cli.safety

    monkeypatch.setattr(tui.cli.main, "build_parser", lambda: parser)
    monkeypatch.setattr(tui.cli.safety, "daily_backup_at_start", lambda books: None)

    def run(argv: list[str]) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                tui.cli.main.main([*ENGLISH, *argv])
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
        return code, out.getvalue(), err.getvalue()

    return run


def _argv(db: Path, prefix: tuple[str, ...], actions: list[argparse.Action],
          target: argparse.Action | None, value: str, work: Path) -> list[str]:
    options, positionals = [], []
    for action in actions:
        if action is target:
            given = value
        elif action.option_strings and action.required:
            opt = action.option_strings[-1]
            given = REQUIRED.get(opt, str(work / "out") if action.dest in PATH_DESTS else "1")
        elif not action.option_strings and action.nargs != "?":
            given = ("2" if prefix in DRAFT_COMMANDS and action.dest == "id"
                     else str(work / "in") if action.dest in PATH_DESTS
                     else POSITIONAL.get(action.dest, "1"))
        else:
            continue
        if action.option_strings:
            options.append(f"{action.option_strings[-1]}={given}")
        else:
            positionals.append(given)
    extra = EXTRA.get((*prefix, target.dest if target else ""), [])
    return ["--db", str(db), *prefix, *options, *extra,
            *(["--", *positionals] if positionals else [])]


def _problems(code: int, err: str, target: argparse.Action, value: str,
              baseline: str | None, changed: bool) -> list[str]:
    found = []
    lines = [line for line in err.splitlines() if line.strip()]
    if code not in (0, 1, 2):
        found.append(f"exit code {code}")
    if "Traceback" in err or "unexpected error" in err:
        found.append("a bug escaped: " + (lines[0][:200] if lines else ""))
    if code == 0:
        if any(c in value for c in CONTROL) and target.dest not in PATH_DESTS:
            found.append("a control character was accepted")
        return found
    if len(lines) != 1:
        found.append(f"{len(lines)} lines on stderr")
    elif not any(label in _plain(lines[0]) for label in _labels(target)) and (
            baseline is None or lines[0] != baseline):
        found.append(f"does not name the field: {lines[0][:160]}")
    if changed:
        found.append("the database changed")
    return found


def _command_ids() -> list[tuple[str, ...]]:
    from tui.cli.main import build_parser

    return [p for p, _ in _commands(build_parser()) if p[0] not in SKIP_COMMANDS]


@pytest.mark.parametrize("command", _command_ids(), ids=" ".join)
def test_every_option_refuses_hostile_input_cleanly(
        command: tuple[str, ...], parser: argparse.ArgumentParser, template: Path,
        run_cli: Callable[[list[str]], tuple[int, str, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # whatever a hostile path creates stays in here
    db = tmp_path / "books.sqlite3"

    def fresh() -> tuple[Any, ...]:
        for extra in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db}{extra}")
        shutil.copy(template, db)
        return _fingerprint(db)

    actions = _valued(dict(_commands(parser))[command])
    base = fresh()
    code, _, err = run_cli(_argv(db, command, actions, None, "", work))
    baseline = err.strip() if code else None
    base = fresh()  # (a failed e-mail is logged, so even a failing baseline may write)
    problems = []
    offset = sum(map(ord, " ".join(command)))
    for index, target in enumerate(actions):
        for n in range(PER_OPTION):
            value = HOSTILE[(offset + index * PER_OPTION + n) % len(HOSTILE)]
            code, _out, err = run_cli(_argv(db, command, actions, target, value, work))
            changed = code != 0 and _fingerprint(db) != base
            for problem in _problems(code, err, target, value, baseline, changed):
                problems.append(f"{target.dest}={value[:30]!r}: {problem}")
            if code == 0 or changed:
                base = fresh()
    assert not problems, "\n".join(problems)


def _output_targets() -> list[tuple[tuple[str, ...], str]]:
    from tui.cli.main import build_parser

    found = []
    for prefix, sub in _commands(build_parser()):
        for action in _valued(sub):
            if action.dest in ("out", "output") or prefix == ("backup",):
                found.append((prefix, action.dest))
    return found


def _output_cases() -> list[tuple[tuple[str, ...], str, str]]:
    # `export year --out DIR` names a folder it creates, so only "under a file" applies
    return [(command, dest, where) for command, dest in _output_targets()
            for where in ("missing folder", "under a file")
            if not (command == ("export", "year") and where == "missing folder")]


@pytest.mark.parametrize(("command", "dest", "where"), _output_cases(),
                         ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_output_into_a_missing_folder_or_under_a_file(
        command: tuple[str, ...], dest: str, where: str, parser: argparse.ArgumentParser,
        template: Path, run_cli: Callable[[list[str]], tuple[int, str, str]],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even as root (who may write in read-only folders) a path whose parent is a regular
    file, or does not exist, cannot be written: one line, exit 1, nothing changed."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "books.sqlite3"
    shutil.copy(template, db)
    (tmp_path / "a-file").write_text("x")
    target = tmp_path / ("nowhere/deeper" if where == "missing folder" else "a-file")
    actions = _valued(dict(_commands(parser))[command])
    action = next(a for a in actions if a.dest == dest)
    before = _fingerprint(db)
    code, _, err = run_cli(_argv(db, command, actions, action, str(target / "x.out"),
                                 tmp_path))
    lines = err.strip().splitlines()
    assert code in (1, 2) and len(lines) == 1, err
    assert "Traceback" not in err and "unexpected" not in err, err
    assert ("does not exist" in err or "not a folder" in err or "no invoice" in err
            or "cannot" in err), err
    assert _fingerprint(db) == before
    assert (tmp_path / "a-file").read_text() == "x" and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(("args", "field"), [
    ([b"client", b"add", b"--name", b"Anna\xff"], b"name"),
    ([b"client", b"add", b"--name", b"\x1b[2J\x1b[31mAnna"], b"name"),
    ([b"invoice", b"pay", b"2026-0001", b"--amount", "€ 1.234,567".encode()], b"amount"),
    ([b"client", b"add", b"--name", b"x" * 10_000], b"name"),
    ([b"audit", b"export", b"-o", b"/etc/passwd/x.csv"], b"out"),
])
def test_real_processes_refuse_hostile_bytes(template: Path, tmp_path: Path,
                                             args: list[bytes], field: bytes) -> None:
    db = tmp_path / "books.sqlite3"
    shutil.copy(template, db)
    before = _fingerprint(db)
    result = subprocess.run([sys.executable, "-m", "tui.cli.main", *ENGLISH, *args],
                            env=cli_env(str(db)), capture_output=True, check=False)
    lines = result.stderr.splitlines()
    assert result.returncode in (1, 2) and len(lines) == 1, result.stderr
    assert field in lines[0] and b"Traceback" not in result.stderr
    assert b"\x1b" not in result.stderr  # no terminal escape reaches the screen
    assert _fingerprint(db) == before
