"""Settings: the practice profile, VAT regime, numbering, insurance identifiers, languages.

The fields are the books' own (``ledger.practice.profile.PRACTICE_FIELDS``), checked as you leave
each one; ctrl+s stores what changed in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from ledger.base.identifiers import format_iban
from ledger.base.views import PracticeInfo
from ledger.books import Books
from ledger.practice.profile import PRACTICE_FIELDS
from tui.i18n import LANGUAGES, N_, _
from tui.labels import CANCEL_POLICIES, LANGUAGE_NAMES, REGIMES, choices
from tui.screens.base import BooksScreen
from tui.widgets.form import FieldForm, form_field
from tui.widgets.navbar import NavBar

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Practice"), ("name", "address", "postcode", "city", "email", "phone", "kvk", "vat_id",
                      "iban", "account_holder")),
    (N_("Therapist and insurers"), ("therapist_name", "agb_therapist", "agb_practice",
                                    "association", "membership_number", "register_number")),
    (N_("Invoices"), ("vat_regime", "payment_term", "number_pattern", "cancel_policy",
                      "language", "exempt_text", "kor_text")),
)
LABELS = {
    "name": N_("Practice name"), "address": N_("Address"), "postcode": N_("Postcode"),
    "city": N_("City"), "email": N_("E-mail"), "phone": N_("Phone"),
    "kvk": N_("KvK number"), "vat_id": N_("VAT id (btw-id)"), "iban": N_("IBAN"),
    "account_holder": N_("Account holder"), "therapist_name": N_("Therapist"),
    "agb_therapist": N_("AGB code therapist"), "agb_practice": N_("AGB code practice"),
    "association": N_("Professional association"),
    "membership_number": N_("Membership number"), "register_number": N_("Register number"),
    "vat_regime": N_("VAT regime"), "payment_term": N_("Payment term (days)"),
    "number_pattern": N_("Invoice numbers"), "cancel_policy": N_("Refund on cancelling"),
    "language": N_("Language of documents"), "exempt_text": N_("Exemption text"),
    "kor_text": N_("KOR text"),
}
INTERFACE = "interface_language"


@dataclass(frozen=True)
class SettingsData:
    practice: PracticeInfo
    interface: str


def read_settings(books: Books) -> SettingsData:
    from ledger.practice.profile import get_practice, get_setting
    from tui.app import LANGUAGE_SETTING
    from tui.i18n import language

    with books.db.read() as session:
        interface = get_setting(session, LANGUAGE_SETTING, "") or language()
    return SettingsData(get_practice(books), interface)


def save_settings(books: Books, practice: dict[str, str | None], interface: str | None
                  ) -> PracticeInfo:
    from ledger.practice.profile import get_practice, set_setting, update_practice
    from tui.app import LANGUAGE_SETTING

    info = update_practice(books, practice) if practice else get_practice(books)
    if interface:
        set_setting(books, LANGUAGE_SETTING, interface)
    return info


def text_value(info: PracticeInfo, key: str) -> str:
    value = getattr(info, key)
    if key == "iban" and value:
        return format_iban(value)
    return str(value)


class SettingsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("ctrl+l", "audit", N_("Audit log"), priority=True),
        Binding("ctrl+t", "treatments", N_("Treatments and series"), priority=True),
    ]

    data: SettingsData | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("settings")
        with VerticalScroll(classes="form-scroll"):
            yield Static(_("Loading…"), id="settings-note", classes="hint")
        with Horizontal(classes="buttons"):
            yield Button(_("Save"), id="save", variant="primary", disabled=True)
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")  # one column on a small terminal

    def on_screen_resume(self) -> None:
        if self.data is None or not self.form.dirty:
            self.reload()

    @property
    def form(self) -> FieldForm:
        return self.query_one(FieldForm)

    @property
    def dirty(self) -> bool:
        return self.data is not None and self.form.dirty

    def fetch(self, books: Books) -> SettingsData:
        return read_settings(books)

    def show(self, data: SettingsData) -> None:
        first = self.data is None
        self.data = data
        if not first:
            for item in self.form.form_fields:
                item.value = item.initial = self._value(data, item.key)
            return
        self.query_one("#settings-note", Static).update(
            _("Changes apply to invoices issued from now on; issued invoices keep what they "
              "said."))
        scroll = self.query_one(VerticalScroll)
        form = FieldForm(id="settings-form")
        scroll.mount(form)
        columns = Horizontal(classes="form-columns")
        form.mount(columns)
        column = Vertical()
        for title, keys in GROUPS:
            column = Vertical()
            columns.mount(column)
            column.mount(Label(_(title), classes="section-title"))
            column.mount_all([self._field(data, key) for key in keys])
        column.mount(form_field(
            INTERFACE, _("Language of this program"), None, data.interface,
            choices=[(LANGUAGE_NAMES[c], c) for c in LANGUAGES]))
        self.query_one("#save", Button).disabled = False

    def _value(self, data: SettingsData, key: str) -> str:
        return data.interface if key == INTERFACE else text_value(data.practice, key)

    def _field(self, data: SettingsData, key: str) -> Any:
        value = text_value(data.practice, key)
        options = {"vat_regime": choices(REGIMES), "cancel_policy": choices(CANCEL_POLICIES),
                   "language": [(LANGUAGE_NAMES[c], c) for c in LANGUAGES]}.get(key)
        return form_field(key, _(LABELS[key]), PRACTICE_FIELDS[key], value, choices=options)

    def action_treatments(self) -> None:
        from tui.screens.treatments import TreatmentsScreen

        self.app.push_screen(TreatmentsScreen())

    def action_audit(self) -> None:
        from tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.data is None:
            return
        problems = self.form.problems()
        if problems:
            self.form.first_problem_focus(list(problems))
            self.notify(_("Please correct the marked fields."), severity="warning")
            return
        changed = self.form.values(changed_only=True)
        interface = changed.pop(INTERFACE, None)
        if not changed and not interface:
            self.notify(_("Nothing changed."))
            return
        self.query_one("#save", Button).disabled = True
        self.act("saved", save_settings, self.books, changed, interface)

    def done_saved(self, info: PracticeInfo) -> None:
        assert self.data is not None
        interface = self.form.field(INTERFACE).value
        language_changed = interface != self.data.interface
        self.data = SettingsData(info, interface)
        self.form.mark_saved()
        self.query_one("#save", Button).disabled = False
        self.notify(_("Settings saved."))
        if language_changed:
            self.solebook.change_language(interface)

    def worker_failed(self, worker: Any) -> None:
        self.query_one("#save", Button).disabled = False
