"""The terminal interface: one app, built by :func:`make_app` for the program and the tests.

The first screen paints at once; the books are opened in a worker behind it (so SQLAlchemy
and the migrations never hold up the first paint), and each screen loads its own data in
a worker when it comes into view. ReportLab is imported only when a document is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui import i18n
from tui.failures import Guarded
from tui.i18n import N_, _
from tui.screens.splash import SplashScreen

if TYPE_CHECKING:
    from ledger.base.dates import Clock
    from ledger.books import Books
    from ledger.store.quickfigures import OverviewFigures
    from tui.early import EarlyFigures

# (mode, key, title); the title is translated where it is shown.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("home", "1", N_("Overview")),
    ("clients", "2", N_("Clients")),
    ("packages", "3", N_("Packages")),
    ("invoices", "4", N_("Invoices")),
    ("year", "5", N_("Year")),
    ("settings", "6", N_("Settings")),
    ("agenda", "7", N_("Agenda")),
)
LANGUAGE_SETTING = "tui.language"


# Textual's own binding for the command palette (shown in every footer), translated with
# the app's bindings by ``translate_bindings``.
PALETTE_TEXTS = (N_("palette"), N_("Open the command palette"))


class SolebookApp(Guarded, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "solebook"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"section('{mode}')", title, show=False) for mode, key, title in SECTIONS),
        Binding("n", "new_session", N_("New session"), show=False),
        Binding("h", "section('reminders')", N_("Reminders"), show=False),
    ]

    class BooksReady(Message):
        def __init__(self, books: Books, empty: bool, language: str) -> None:
            super().__init__()
            self.books = books
            self.empty = empty
            self.language = language

    class FiguresReady(Message):
        """The overview's figures, read before the books are open (:mod:`tui.early`)."""

        def __init__(self, figures: OverviewFigures) -> None:
            super().__init__()
            self.figures = figures

    def __init__(self, books: Books | None, db: str | None, clock: Clock,
                 language: str | None, *, owns_books: bool | None = None) -> None:
        super().__init__()
        self.books: Books | None = None
        self.clock = clock
        self._given = books
        self._db = db
        self._language = language
        self._owns_books = books is None if owns_books is None else owns_books
        self.early: EarlyFigures | None = None  # the figures being read for the overview
        self.viewer_override: Callable[[Path], bool] | None = None
        self.exit_code = 0  # 1 when the books could not be opened
        self.log_dir: Path | None = None  # None: the platform's log folder
        self.unexpected_errors: list[BaseException] = []
        self.fail_loudly = False  # tests: a fault in a handler still fails the test
        self.came_from = "home"  # the section the current one was opened from
        i18n.set_language(language or "nl")
        i18n.translate_bindings(self)

    def viewer(self, path: Path) -> bool:
        """Open a document in the system's viewer (tests put a recorder in its place)."""
        if self.viewer_override is not None:
            return self.viewer_override(path)
        from tui.viewer import open_in_viewer

        return open_in_viewer(path)

    def get_default_screen(self) -> Screen[Any]:
        return SplashScreen(id="splash")

    def on_mount(self) -> None:
        """Paint the overview at once (in the language asked for, Dutch by default) and
        open the books behind it; the overview fills in when they are open."""
        self.install_sections()
        self.switch_mode("home")
        if self.early is not None:
            self.run_worker(self._early_figures, thread=True, group="figures",
                            exit_on_error=False)
        # Only after the first paint: importing SQLAlchemy in a thread meanwhile would
        # compete with the painting for the interpreter and slow both down.
        self.call_after_refresh(self.open_books)

    # ------------------------------------------------------------------ opening
    def _early_figures(self) -> None:
        assert self.early is not None
        figures = self.early.wait()
        if figures is not None:
            self.post_message(self.FiguresReady(figures))

    @on(FiguresReady)
    def _figures_ready(self, message: FiguresReady) -> None:
        """Show the figures on the overview while the books open, unless the books came
        first, the books are empty (the set-up comes) or the interface is about to change
        to the stored language."""
        figures = message.figures
        if self.books is not None or not figures.has_clients or (
                self._language is None and figures.language != i18n.language()):
            return
        show = getattr(self.screen, "show_figures", None)
        if show is not None:
            show(figures)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_books(self) -> None:
        from ledger.books import Books
        from ledger.demo import is_empty
        from ledger.practice.profile import get_practice, get_setting

        books = self._given or Books.open(self._db, clock=self.clock, interface="tui")
        empty = is_empty(books)
        language = self._language
        if language is None:
            with books.db.read() as session:
                language = get_setting(session, LANGUAGE_SETTING, "")
            language = language if language in i18n.LANGUAGES else get_practice(books).language
        self.post_message(self.BooksReady(books, empty, language or "nl"))
        if self._owns_books:  # the day's first start copies the books (a failure: notified)
            from ledger.store.backup import daily_backup

            daily_backup(books.db, books.clock.today())

    @on(BooksReady)
    def _books_ready(self, message: BooksReady) -> None:
        self.books = message.books
        self.refresh_bindings()
        if message.language != i18n.language():
            self.change_language(message.language)  # the one stored in the settings
        else:
            reload = getattr(self.screen, "reload", None)
            if reload is not None:
                reload()
        if message.empty:
            from tui.screens.start import StartScreen

            self.push_screen(StartScreen())
        self.call_after_refresh(self.tell_read_only)

    def tell_read_only(self) -> None:
        """Books on read-only storage are shown, not changed: said once at the start (and
        each change is refused with the same reason)."""
        reason = self.books.db.read_only if self.books is not None else None
        if reason is not None:
            self.notify(_("The books are on read-only storage ({reason}): you can look at "
                          "everything, but not change anything; no daily backup is made.")
                        .format(reason=reason.text(i18n.language())),
                        title=_("Read-only"), severity="warning", timeout=30)

    def install_sections(self) -> None:
        from tui.screens import sections

        for mode, factory in sections.FACTORIES.items():
            if mode not in self._modes:
                self.add_mode(mode, factory)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "open":
            problem = self.describe_error(event.worker.error)
            if not _is_expected(event.worker.error):
                self.unexpected_errors.append(event.worker.error)  # type: ignore[arg-type]
                self._write_log(event.worker.error)  # type: ignore[arg-type]
            self.exit_code = 1
            self.push_screen(SplashScreen(problem + "\n\n" + _("Press ctrl+q to quit.")))
        else:
            self.report_error(event.worker.error)

    # ------------------------------------------------------------------ errors
    @staticmethod
    def describe_error(error: BaseException | None) -> str:
        from ledger.base.errors import SolebookError

        if isinstance(error, SolebookError):
            return error.text(i18n.language())
        name = type(error).__name__ if error is not None else "?"
        detail = str(error).splitlines()[0] if error is not None and str(error) else ""
        return _("Unexpected error ({name}: {detail}); nothing was changed.").format(
            name=name, detail=detail)

    def report_error(self, error: BaseException | None) -> None:
        """Every failure in a worker ends here: a notification, never a crash."""
        if error is not None and not _is_expected(error):
            self.report_unexpected(error)
            return
        self.notify(self.describe_error(error), title=_("Not done"), severity="error",
                    timeout=8)

    def report_unexpected(self, error: BaseException) -> None:
        """A fault nobody foresaw, in a worker or a handler: logged (code, not contents)
        and shown in one line; the program goes on."""
        from tui.failures import summary, unwrap

        error = unwrap(error)
        self.unexpected_errors.append(error)
        path = self._write_log(error)
        what = summary(error)
        text = (_("Something went wrong: {what}. Details are in {path}.").format(
            what=what, path=path) if path is not None else
            _("Something went wrong: {what}.").format(what=what))
        self.notify(text, title=_("Unexpected error"), severity="error", timeout=12,
                    markup=False)

    def _write_log(self, error: BaseException) -> Path | None:
        from tui.failures import write_log

        try:
            return write_log(error, self.log_dir)
        except OSError as problem:  # a full disk must not turn one fault into two
            self.log.error(repr(error), repr(problem))
            return None

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (it would close the app with a traceback): once the app
        runs, a notification and a log line instead. Only pumps that are not
        :class:`~tui.failures.Guarded` get here, and only their own handling stops."""
        if not self.is_running or self._exit:
            super()._handle_exception(error)
            return
        self.report_unexpected(error)
        if self.fail_loudly and self._exception is None:
            self._exception = error  # run_test raises it when the test ends

    # ------------------------------------------------------------------ navigation
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Section keys and n do nothing in a form or dialog (its fields take the keys)."""
        if action in ("section", "new_session"):
            screen = self.screen
            return self.books is not None and not getattr(screen, "FORM", False) and not (
                isinstance(screen, ModalScreen))
        return True

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field in the interface's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"),
                                            id="--command-palette"))

    def action_section(self, mode: str) -> None:
        if self.books is None or mode not in self._modes:
            return
        if mode != self.current_mode:
            self.came_from = self.current_mode  # where Escape in the reminders goes back to
        self.switch_mode(mode)

    def action_new_session(self, client_id: int | None = None) -> None:
        if self.books is None:
            return
        from tui.screens.session_form import SessionScreen

        self.push_screen(SessionScreen(client_id=client_id))

    def replace_books(self, books: Books) -> None:
        """After a restore: work on ``books`` from now on, every part of the program built
        anew on them (the old connections were closed by the restore)."""
        self.books = books
        self._owns_books = True
        self.change_language(i18n.language())

    def change_language(self, language: str) -> None:
        """Show the interface in another language at once (every part is rebuilt)."""
        self.run_worker(self._relanguage(language), exclusive=True, group="language")

    async def _relanguage(self, language: str) -> None:
        from tui.screens.sections import FACTORIES

        i18n.set_language(language)
        self._bindings = self._merged_bindings.copy() if self._merged_bindings else self._bindings
        i18n.translate_bindings(self)
        back = self.current_mode
        self.add_mode("relanguage", SplashScreen)
        await self.switch_mode("relanguage")
        for mode in FACTORIES:
            if mode in self._modes:
                await self.remove_mode(mode)
        self.install_sections()
        await self.switch_mode(back)
        await self.remove_mode("relanguage")

    def unsaved_forms(self) -> list[Screen[Any]]:
        """Screens, in any part of the program, with changes not yet saved."""
        return [screen for stack in self._screen_stacks.values() for screen in stack
                if getattr(screen, "dirty", False)]

    async def action_quit(self) -> None:
        if not self.unsaved_forms():
            self.exit(return_code=self.exit_code)
            return
        from tui.widgets.dialogs import ConfirmDialog

        def answer(leave: bool | None) -> None:
            if leave:
                self.exit(return_code=self.exit_code)

        self.push_screen(ConfirmDialog(
            _("Quit without saving?"),
            _("A form has changes that are not saved yet. Quit and lose them?"),
            _("Quit"), cancel=_("Keep editing"), danger=True), answer)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every section and every key binding of the screen."""
        if self.books is not None:
            for mode, key, title in SECTIONS:
                yield SystemCommand(_(title), _("Go to {section} (key {key})").format(
                    section=_(title), key=key), partial(self.action_section, mode))
            yield SystemCommand(_("New session"), _("Record a session (key n)"),
                                self.action_new_session)
            yield SystemCommand(_("Reminders"), _("Overdue invoices and reminders (key h)"),
                                partial(self.action_section, "reminders"))
        seen = {"n", "h", *(key for _mode, key, _title in SECTIONS)}
        ours = {b.key for cls in type(screen).__mro__ if cls.__module__.startswith("tui.")
                for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", []))}
        for key, binding in screen._bindings:
            action = binding.action.split("(")[0]
            if (key in seen or key not in ours or not binding.description
                    or not screen.check_action(action, ())):
                continue
            seen.add(key)
            yield SystemCommand(binding.description, _("Key: {key}").format(
                key=self.get_key_display(binding)), partial(screen.run_action, binding.action))
        yield SystemCommand(_("Quit"), _("Close solebook (ctrl+q)"), self.action_quit)
        yield SystemCommand(_("Keys"), _("Show the keys of this screen"),
                            self.action_show_help_panel)
        yield SystemCommand(_("Theme"), _("Change the colours"), self.action_change_theme)

    def on_unmount(self) -> None:
        if self._owns_books and self.books is not None:
            self.books.close()


def _is_expected(error: BaseException | None) -> bool:
    """A refusal the books explain themselves (a SolebookError), not a fault."""
    from ledger.base.errors import SolebookError

    return error is None or isinstance(error, SolebookError)


def make_app(books_or_db: Books | str | None, clock: Clock | None = None,
             language: str | None = None) -> SolebookApp:
    """The app on open books (tests) or on a database path/URL (``None``: the default)."""
    if clock is None:
        from ledger.base.dates import SystemClock

        clock = SystemClock()
    if isinstance(books_or_db, str) or books_or_db is None:
        return SolebookApp(None, books_or_db, clock, language)
    return SolebookApp(books_or_db, None, clock, language)


def run_app(db: str | None = None, lang: str | None = None,
            early: EarlyFigures | None = None, books: Books | None = None) -> int:
    """``solebook`` without a command: run the interface until the person quits (with
    ``early``, the overview shows its figures before the books are open; with ``books``,
    on those books, already open with the therapist chosen, which the app closes)."""
    if books is not None:
        from ledger.base.dates import SystemClock

        app = SolebookApp(books, None, SystemClock(), lang, owns_books=True)
    else:
        app = make_app(db, language=lang)
    app.early = early
    app.run()
    return app.return_code or 0
