"""The Dutch interface speaks Dutch: no English word on any screen, and a count of one in
the singular ("1 sessie", not "1 sessies").

Every screen and dialog of ``test_any_size.ROUTES`` (the demo practice) and
``EMPTY_ROUTES`` (the first start) is opened in Dutch by the keys a person uses, on the
same tour that checks it at every window size (``test_any_size.visit``): when it opens and
at each of the four sizes (a narrow window shows other columns), everything it can show is
collected, also what is scrolled out of view or cut
short: every text and label, button, table column title and cell (in full), field
placeholder and choice, border title and tooltip, the keys in the footer, what the
command palette offers there and the notifications. None of ``ENGLISH`` may appear as a
whole word. What the books store (names, addresses, treatments, bank lines, the values
the audit log recorded) is shown as stored, whatever the language: such a text is taken
out first, but only as a whole stored value, never a single word or a code such as
``paid``. A command to type (between backquotes) and a file path are not translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, select
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Static

from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.factories import NOW, PRACTICE, TODAY, make_client, make_treatment, record_session
from tests.tui.pilot import drive, notifications, screen_text, settle
from tests.tui.test_any_size import EMPTY_ROUTES, ROUTES, SIZES, fill_the_agenda, visit
from tui.widgets.fit_table import FitTable

# English words that are not also Dutch words ("open", "status", "week", "menu", "of",
# "help" are both, and so are key names such as "esc", "space", "Enter").
ENGLISH = (
    "the", "and", "to", "for", "with", "from", "not", "yes", "none", "this", "you", "your",
    "are", "has", "have", "will", "cannot", "when", "what", "which", "there", "here",
    "Save", "Close", "Cancel", "Search", "Back", "Add", "Edit", "Delete", "Sell", "Issue",
    "Refresh", "Quit", "Loading", "Select", "choose", "press", "button", "palette",
    "command", "until", "today", "day", "days", "hours", "year", "session", "sessions",
    "client", "clients", "package", "packages", "invoice", "invoices", "credit note",
    "credit notes", "line", "lines", "draft", "given", "paid", "due", "overdue", "amount",
    "date", "name", "total", "price", "payment", "payments", "reminder", "reminders",
    "treatment", "treatments", "settings", "overview", "costs", "cash", "statement",
    "proposal", "number", "new", "used", "left", "changes", "recorded", "issued",
    "received", "turnover", "expired", "cancelled", "active", "unsaved", "trip", "trips",
    "kilometres", "receipt", "supplier",
)
WORDS = re.compile(r"(?<![\w-])(" + "|".join(w.replace(" ", r"\s+") for w in ENGLISH)
                   + r")(?![\w-])", re.IGNORECASE)
NOT_TRANSLATED = re.compile(r"`[^`]*`|\S*/\S*")  # a command to type, a file path
CODE = re.compile(r"[a-z0-9_]*")  # a stored code (paid, given, insert) is never let off


def stored_texts(books: Books) -> list[str]:
    """Every text the books store as it was typed or made, and the audit log's
    record of values; longest first, so a longer text goes before a part of it."""
    from ledger.privacy.audit_log import count_entries, list_entries
    from ledger.store.models import Base

    found: set[str] = set()
    with books.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text):
                    found.update(v for v in conn.scalars(select(column).distinct())
                                 if isinstance(v, str))
    found.update(e.summary for e in list_entries(books, count_entries(books), 0))
    return sorted(found, key=len, reverse=True)


def everything_shown(pilot: Pilot[Any]) -> str:
    """All the text the current screen can show, in full (see the module's docstring)."""
    app, screen = pilot.app, pilot.app.screen
    parts = [str(w.render()) for w in screen.query(Static)]
    parts += [str(b.label) for b in screen.query(Button)]
    parts.append(notifications(pilot))
    for table in screen.query(DataTable):
        if isinstance(table, FitTable):  # its cells in full, not shortened to the column
            parts += [c.title for c in table.spec]
            parts += [" | ".join(map(str, cells)) for _key, cells in table._rows]
        else:
            parts += [str(c.label) for c in table.columns.values()]
    parts += [str(i.placeholder) for i in screen.query(Input)]
    for choice in screen.query(Select):
        parts += [str(text) for text, _value in choice._options]  # the prompt when blank
    for widget in screen.walk_children():
        parts += [str(t) for t in (widget.border_title, widget.border_subtitle,
                                   widget.tooltip) if t]
    for _node, binding, _enabled, tooltip in screen.active_bindings.values():
        if binding.show or binding.action.endswith("command_palette"):
            parts += [binding.description, tooltip]
    parts += [f"{c.title} {c.help}" for c in app.get_system_commands(screen)]
    return "\n".join(parts)


def english_in(text: str, stored: list[str]) -> list[str]:
    """The lines of ``text`` with an English word, the stored texts taken out first."""
    for value in stored:
        if len(value) >= 3 and not CODE.fullmatch(value):
            text = text.replace(value, " ")
    text = NOT_TRANSLATED.sub(" ", text)
    return [line.strip() for line in text.splitlines() if WORDS.search(line)]


def looking_for_english(stored: list[str]) -> Callable[[Pilot[Any], str], list[str]]:
    """What ``test_any_size.visit`` does on each screen at each size: the lines with
    English, each after where it was seen."""

    def look(pilot: Pilot[Any], where: str) -> list[str]:
        return [f"English in the Dutch interface: {where}: {line!r}"
                for line in english_in(everything_shown(pilot), stored)]

    return look


@pytest.mark.parametrize("half", [0, 1])
def test_every_screen_and_dialog_at_every_size_in_dutch(
        demo_books: Books, make_tui: Any, tmp_path: Path, report: Any, half: int) -> None:
    """Every other route in each half, so the test runner's workers share the routes."""
    from ledger.bank.importing import import_statement
    from tests.bank_samples import camt_08

    statement = tmp_path / "week.xml"
    statement.write_bytes(camt_08())
    import_statement(demo_books, statement)  # bank lines to review and correct
    fill_the_agenda(demo_books)  # an appointment to open, a series to plan
    stored = stored_texts(demo_books)
    routes = ROUTES[half::2]

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        return await visit(pilot, routes, looking_for_english(stored))

    assert drive(make_tui(demo_books), scenario) == []
    report(f"{len(routes)} of {len(ROUTES)} screens and dialogs resized through "
           f"{len(SIZES)} sizes, in Dutch, none with any of {len(ENGLISH)} English words")


def test_every_screen_of_the_first_start_at_every_size_in_dutch(tmp_path: Path,
                                                                make_tui: Any) -> None:
    books = Books.open(str(tmp_path / "empty.sqlite3"), clock=FixedClock(NOW),
                       interface="test")
    try:
        async def scenario(pilot: Pilot[Any]) -> list[str]:
            return await visit(pilot, EMPTY_ROUTES, looking_for_english(stored_texts(books)))

        assert drive(make_tui(books), scenario) == []
    finally:
        books.close()


def test_the_check_finds_an_english_word_and_lets_off_only_whole_stored_texts() -> None:
    """The check above can fail: an English word is found in an interface text, also in
    a sentence that holds a stored text, and a stored code is never let off."""
    stored = ["Foot reflexology for Siobhán", "no open invoice matches"]
    assert english_in("Nog te betalen · 3 sessions", stored) == [
        "Nog te betalen · 3 sessions"]
    assert english_in("Factuur 2026-0007 · Foot reflexology for Siobhán", stored) == []
    assert english_in("Regel 3: no open invoice matches", stored) == []
    assert english_in("Regel 3: no open invoice", stored) == ["Regel 3: no open invoice"]
    assert english_in("`solebook practice set --email-from ADRES` in /tmp/a/backups", []) == []
    assert english_in("1 creditfactuur, 2 Credit  Notes", []) == [
        "1 creditfactuur, 2 Credit  Notes"]
    assert english_in("Status: paid", ["paid"]) == ["Status: paid"]  # a code is no excuse
    assert english_in("Open · status · totaal · week · Enter · esc", []) == []


@pytest.mark.parametrize(("sessions", "shown", "wrong"), [
    (1, "· 1 sessie", "1 sessies"),
    (2, "· 2 sessies", "2 sessie\n"),
])
def test_a_clients_page_counts_her_sessions_in_singular_and_plural(
        demo_books: Books, make_tui: Any, sessions: int, shown: str, wrong: str) -> None:
    """The issue: "1 sessies" on the page of a client who came once."""
    from tui.screens.client_page import ClientScreen

    client = make_client(demo_books, "Wilma Kroes")
    treatment = make_treatment(demo_books, "Voetreflex kort", "45,00")
    for _ in range(sessions):
        record_session(demo_books, client.id, treatment.id, TODAY)

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.app.push_screen(ClientScreen(client.id))
        await settle(pilot)
        return screen_text(pilot)

    text = drive(make_tui(demo_books), scenario) + "\n"
    assert shown in text, text
    assert wrong not in text


@pytest.mark.parametrize(("clients", "shown"), [(1, "1 cliënt\n"), (2, "2 cliënten\n")])
def test_the_client_list_counts_in_singular_and_plural(
        tmp_path: Path, make_tui: Any, clients: int, shown: str) -> None:
    from ledger.practice.profile import update_practice

    books = Books.open(str(tmp_path / "few.sqlite3"), clock=FixedClock(NOW), interface="test")
    try:
        update_practice(books, dict(PRACTICE))
        for name in ("Anna de Vries", "Bram Jansen")[:clients]:
            make_client(books, name)

        async def scenario(pilot: Pilot[Any]) -> str:
            await pilot.press("2")
            await settle(pilot)
            return screen_text(pilot) + "\n"

        assert shown in drive(make_tui(books), scenario)
    finally:
        books.close()


def test_every_count_in_the_catalogue_has_a_dutch_singular_and_plural() -> None:
    """Each ``n_`` text: one form for 1, another for 2, both with the msgid's fields."""
    from babel.messages.pofile import read_po

    from tui.i18n import LOCALE_DIR

    with (LOCALE_DIR / "nl" / "LC_MESSAGES" / "solebook_tui.po").open("rb") as fh:
        plurals = [m for m in read_po(fh) if isinstance(m.id, tuple | list)]
    assert len(plurals) >= 15
    fields = re.compile(r"\{\w+\}")
    for message in plurals:
        one, many = message.string
        assert one != many, message.id
        assert sorted(fields.findall(one)) == sorted(fields.findall(message.id[0])), one
        assert sorted(fields.findall(many)) == sorted(fields.findall(message.id[1])), many


def test_the_notes_on_imported_bank_lines_are_dutch(demo_books: Books,
                                                     tmp_path: Path) -> None:
    """A bank line's note (why nothing was matched, what is left of it) is kept as its
    template and values: shown in Dutch, with Dutch amounts; --json keeps the English. A
    line stored before notes had one shows its note translated where it has no values."""
    from sqlalchemy import update

    from ledger.bank.booking import list_lines
    from ledger.bank.importing import import_statement
    from ledger.store.models.paid import BankLine
    from tests.bank_samples import WEEK, Tx, camt_08

    statement = tmp_path / "week.xml"
    odd = (Tx(WEEK[0].day, WEEK[0].amount + 1, "Iemand Anders", "NL02ABNA0123456789",
              "factuur 2026-0001", "E2E-9001"),
           Tx(WEEK[0].day, WEEK[0].amount + 2, "Nog Iemand", "NL02ABNA0123456780",
              "zomaar", "E2E-9002"))
    statement.write_bytes(camt_08(WEEK + odd))
    first = import_statement(demo_books, statement)
    again = import_statement(demo_books, statement)  # every line "imported before (...)"
    views = [*list_lines(demo_books, limit=None), *again.lines]
    shown = [(v.note, v.note_in("nl")) for v in views if v.note]
    assert len({english for english, _dutch in shown}) >= 4, shown
    assert [dutch for _english, dutch in shown if WORDS.search(dutch) or dutch == ""] == []
    assert all(v.note_in("en") == v.note for v in views)  # English as --json shows it
    assert any(v.status == "duplicate" for v in again.lines) and first.lines
    with demo_books.db.write() as session:  # as a line stored before migration 0013
        session.execute(update(BankLine).values(note_phrase=None, note="no open invoice matches"))
    old = list_lines(demo_books, limit=1)[0]
    assert old.note_in("nl") == "geen openstaande factuur past erbij"
