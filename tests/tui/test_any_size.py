"""Every screen and dialog lays out at any window size and survives being resized.

One app goes through every screen and dialog of the demo practice, opening each by the
keys a person uses, and resizes it through 60x20, 80x24, 120x35 and 200x60 and back; a
second app does the same on an empty practice (the first start). Nothing may fail, the
screen must stay the one opened, and every table's columns must fit its width.

The tour itself (``visit``) runs in ``test_dutch_everywhere.py``, which on the same pass
also looks for English on each screen at each size: opening every screen once for both
checks halves what the two cost. ``ROUTES`` and ``EMPTY_ROUTES`` are here: a new screen
or dialog gets its route here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Button

from ledger.books import Books
from tests.tui.pilot import drive, settle
from tui.widgets.fit_table import MIN_WIDTH, SCROLLBAR, FitTable

SIZES = ((60, 20), (80, 24), (120, 35), (200, 60))

# (keys from the overview, the screen or dialog they open)
ROUTES = (
    ("1", "HomeScreen"), ("2", "ClientsScreen"), ("3", "PackagesScreen"),
    ("4", "InvoicesScreen"), ("5", "YearScreen"), ("6", "SettingsScreen"),
    ("h", "RemindersScreen"), ("n", "SessionScreen"),
    ("2 enter", "ClientScreen"), ("2 a", "ClientFormScreen"),
    ("2 enter e", "ClientFormScreen"), ("2 enter v", "SellDialog"),
    ("4 enter", "InvoiceScreen"), ("4 down enter b", "PaymentDialog"),
    ("4 down enter c", "CreditLinesDialog"),
    ("4 down enter c enter", "ConfirmDialog"), ("4 d", "PickClientDialog"),
    ("4 k", "BankScreen"), ("4 k i", "ImportDialog"), ("4 k e", "CorrectDialog"),
    ("5 c", "CostsScreen"), ("5 c a", "CostFormScreen"), ("5 e", "ExportDialog"),
    ("3 v", "SellDialog"), ("3 p", "TreatmentsScreen"), ("3 p a", "TreatmentFormScreen"),
    ("3 p p", "PlanFormScreen"), ("6 ctrl+l", "AuditScreen"),
    ("5 g", "TrialBalanceScreen"), ("5 g down enter", "AccountCardScreen"),
    ("5 g e", "AccountDialog"),
    ("5 c k", "KilometresScreen"), ("5 c k a", "TripFormScreen"), ("6 ctrl+b", "BackupsScreen"),
    ("h l", "ReminderDialog"), ("2 enter tab enter", "SessionScreen"),
    ("2 enter p", "NotesScreen"), ("2 enter p a", "NoteDialog"),
    ("6 ctrl+g", "TherapistsScreen"), ("6 ctrl+g a", "TherapistFormScreen"),
    ("6 ctrl+g enter", "TherapistFormScreen"), ("5 t", "TherapistYearScreen"),
    ("7", "AgendaScreen"), ("7 w", "AgendaScreen"), ("7 n", "BookDialog"),
    ("7 enter", "AppointmentDialog"), ("7 enter v", "MoveDialog"), ("7 m", "ToMarkScreen"),
    ("7 i", "AgendaSettingsScreen"), ("3 a", "SeriesPlanDialog"),
)
EMPTY_ROUTES = (
    ("", "StartScreen"), ("escape 1", "HomeScreen"), ("escape 2", "ClientsScreen"),
    ("escape 3", "PackagesScreen"), ("escape 4", "InvoicesScreen"),
    ("escape 5", "YearScreen"), ("escape 6", "SettingsScreen"), ("escape h", "RemindersScreen"),
    ("escape n", "SessionScreen"), ("escape 2 a", "ClientFormScreen"),
    ("escape 7", "AgendaScreen"),
)


def fill_the_agenda(books: Books) -> None:
    """A series sold to the first client and an appointment of hers at 09:00 today
    (passed at 10:00: to mark), for the agenda's screens and dialogs."""
    from ledger.agenda.planning import plan_session
    from ledger.practice.catalogue import list_plans, list_treatments
    from ledger.practice.clients import list_clients
    from tests.factories import NOW, sell_package

    first = list_clients(books)[0]
    # sold in January: its invoice sorts below the ones the invoice routes open
    sell_package(books, first.id, list_plans(books)[0].id, date(NOW.year, 1, 2))
    plan_session(books, first.id, list_treatments(books)[0].id, NOW.date(), time(9, 0),
                 package="none")


def problems_after_resizing(pilot: Pilot[Any], route: str) -> list[str]:
    """What is wrong with the current screen at the current size."""
    app = pilot.app
    width, height = app.size
    found = [f"{route}: {type(e).__name__}: {e}" for e in app.unexpected_errors]
    if app.screen.size != (width, height) and not app.screen.is_modal:
        found.append(f"{route}: screen {app.screen.size} in a {width}x{height} window")
    if app.screen.is_modal and app.screen.children and app.screen.size == (width, height):
        # the dialog is in the window and every button of it in the dialog (its fields
        # may scroll); a screen not laid out for this size yet is left for the next look
        box, window = app.screen.children[0].region, Region(0, 0, width, height)
        if not window.contains_region(box):
            found.append(f"{route}: the dialog at {box} is not in {width}x{height}")
        for button in app.screen.query(Button):
            if button.display and not box.contains_region(button.region):
                found.append(f"{route}: button #{button.id} at {button.region} outside "
                             f"the dialog at {box} in {width}x{height}")
    for table in app.screen.query(FitTable):
        room = table.size.width
        if room and table._widths:
            used = sum(table._widths) + 2 * table.cell_padding * len(table._widths)
            if used > room - SCROLLBAR and max(table._widths) > MIN_WIDTH:
                found.append(f"{route}: #{table.id} {used} columns wide in {room}")
    return found


Look = Callable[[Pilot[Any], str], list[str]]


async def visit(pilot: Pilot[Any], routes: tuple[tuple[str, str], ...],
                look: Look | None = None) -> list[str]:
    """Open each route, resize it through every size and back; the problems found, and
    what ``look(pilot, route)`` finds on each screen when it opens and at every size."""
    app = pilot.app
    found: list[str] = []
    for number, (route, expected) in enumerate(routes):
        turn = number % len(SIZES)  # each route opens at another size, then goes round
        start = SIZES[turn]
        await pilot.resize_terminal(*start)
        await settle(pilot)
        for key in route.split():
            await pilot.press(key)
            await settle(pilot)
        opened = app.screen
        if type(opened).__name__ != expected:
            found.append(f"{route}: opened {type(opened).__name__}, not {expected}")
            continue
        if look is not None:
            found += look(pilot, f"{route} ({expected}) at {start[0]}x{start[1]}")
        for size in (*SIZES[turn + 1:], *SIZES[:turn + 1]):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            if app.screen.is_modal:  # a dialog over a dialog is laid out a refresh later
                await pilot.pause()
            if app.screen is not opened:
                found.append(f"{route}: {expected} left at {size}")
                break
            found += problems_after_resizing(pilot, route)
            if look is not None and size != start:  # at the start it looked already
                found += look(pilot, f"{route} ({expected}) at {size[0]}x{size[1]}")
        while len(app.screen_stack) > 1:
            app.pop_screen()
        await app.switch_mode("home")
        await settle(pilot)
    return found


def test_resizing_the_overview_keeps_the_program_running(demo_books: Books,
                                                          make_tui: Any) -> None:
    """The issue's blocker: 80x24 to 120x35 and back raised ValueError in FitTable."""

    async def scenario(pilot: Pilot[Any]) -> str:
        for width, height in ((120, 35), (80, 24), (120, 35)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
        return type(pilot.app.screen).__name__

    assert drive(make_tui(demo_books), scenario, size=(80, 24)) == "HomeScreen"
