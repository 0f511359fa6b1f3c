"""The agenda's settings: working hours and days, the late-cancellation hours and fee,
the calendar folder and what its events show, confirmations and reminders by mail, and
the CalDAV calendar (address and user; the password is never typed here). The fields are
the books' own (``ledger.agenda.settings.AGENDA_FIELDS``), saved all or nothing."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from ledger.agenda.settings import AGENDA_FIELDS, AgendaSettings
from ledger.books import Books
from tui.i18n import N_, _
from tui.screens.form_screen import FormScreen, SaveCall
from tui.widgets.form import FieldForm, form_field

LABELS = {
    "agenda_hours": N_("Working hours (09:00-17:00)"),
    "agenda_days": N_("Working days (1 = Monday ... 7; 1-5)"),
    "agenda_late_hours": N_("Late cancellation: hours before the start"),
    "agenda_late_fee": N_("Fee for a late cancellation (50% or 25,00)"),
    "agenda_folder": N_("Calendar folder (to sync to the phone)"),
    "agenda_show": N_("Client in the calendar"),
    "agenda_confirm": N_("Confirmation mail when booked or moved"),
    "agenda_remind_hours": N_("Reminder mail: hours before (0 = none)"),
    "caldav_url": N_("CalDAV calendar address"),
    "caldav_user": N_("CalDAV user name"),
}
GROUPS = (
    (N_("Agenda"), ("agenda_hours", "agenda_days", "agenda_late_hours", "agenda_late_fee")),
    (N_("Calendar and mail"), ("agenda_folder", "agenda_show", "agenda_confirm",
                               "agenda_remind_hours", "caldav_url", "caldav_user")),
)
SHOW = ((N_("Initials"), "initials"), (N_("First name"), "first_name"),
        (N_("Full name"), "full_name"))
YES_NO = ((N_("Yes"), "yes"), (N_("No"), "no"))
OPTIONAL = ("agenda_folder", "caldav_url", "caldav_user")


def values_of(settings: AgendaSettings) -> dict[str, str]:
    public = settings.public()
    return {"agenda_hours": public["hours"], "agenda_days": public["days"],
            "agenda_late_hours": str(settings.late_hours),
            "agenda_late_fee": public["late_fee"].replace(".", ","),
            "agenda_folder": public["folder"], "agenda_show": settings.show,
            "agenda_confirm": "yes" if settings.confirm else "no",
            "agenda_remind_hours": str(settings.remind_hours),
            "caldav_url": settings.caldav_url, "caldav_user": settings.caldav_user}


class AgendaSettingsScreen(FormScreen[AgendaSettings]):
    CSS_PATH = "agenda.tcss"

    def compose(self) -> ComposeResult:
        yield Static(_("Agenda settings"), classes="form-title")
        with VerticalScroll(classes="form-scroll"):
            yield Static(_("Loading…"), id="agenda-settings-note", classes="hint")
            with FieldForm(id="agenda-settings-form"), Horizontal(classes="form-columns"):
                for title, keys in GROUPS:
                    with Vertical():
                        yield Label(_(title), classes="section-title")
                        for key in keys:
                            options = {"agenda_show": SHOW, "agenda_confirm": YES_NO}.get(key)
                            yield form_field(
                                key, _(LABELS[key]), AGENDA_FIELDS[key],
                                choices=[(_(t), v) for t, v in options] if options else None,
                                optional=key in OPTIONAL)
        with Horizontal(classes="buttons"):
            yield Button(_("Save"), id="save", variant="primary")
            yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def on_mount(self) -> None:
        self.reload()

    def fetch(self, books: Books) -> AgendaSettings:
        from ledger.agenda.settings import agenda_settings

        return agenda_settings(books)

    def show(self, data: AgendaSettings) -> None:
        for key, value in values_of(data).items():
            item = self.form.field(key)
            item.value = item.initial = value
        self.query_one("#agenda-settings-note", Static).update(_(
            "The CalDAV password is never stored by solebook: it is taken from the system "
            "keyring (service solebook-caldav) or from SOLEBOOK_CALDAV_PASSWORD."))

    def save_call(self) -> SaveCall | None:
        from ledger.agenda.settings import update_agenda_settings

        changed = self.form.values(changed_only=True)
        if not changed:
            self.notify(_("Nothing changed."))
            return None
        return update_agenda_settings, (self.books, changed)

    def saved_text(self, result: Any) -> str:
        return _("Agenda settings saved.")
