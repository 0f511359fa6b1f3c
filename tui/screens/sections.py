"""The parts of the program, each a mode of the app with its own stack of screens: the seven
sections with a number key, and the reminders (key h, from anywhere).

Screens are imported when their part is first opened, so start-up imports only the
overview.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


def _home() -> Screen[None]:
    from tui.screens.home import HomeScreen

    return HomeScreen()


def _clients() -> Screen[None]:
    from tui.screens.clients import ClientsScreen

    return ClientsScreen()


def _packages() -> Screen[None]:
    from tui.screens.packages import PackagesScreen

    return PackagesScreen()


def _invoices() -> Screen[None]:
    from tui.screens.invoices import InvoicesScreen

    return InvoicesScreen()


def _year() -> Screen[None]:
    from tui.screens.year import YearScreen

    return YearScreen()


def _settings() -> Screen[None]:
    from tui.screens.settings import SettingsScreen

    return SettingsScreen()


def _agenda() -> Screen[None]:
    from tui.screens.agenda import AgendaScreen

    return AgendaScreen()


def _reminders() -> Screen[None]:
    from tui.screens.reminders import RemindersScreen

    return RemindersScreen()


FACTORIES: dict[str, Callable[[], Screen[None]]] = {
    "home": _home, "clients": _clients, "packages": _packages, "invoices": _invoices,
    "year": _year, "settings": _settings, "agenda": _agenda,
    "reminders": _reminders,
}
