"""Settings: the practice profile, VAT regime, numbering, insurance identifiers, languages,
the mail server and the documents' logo.

The fields are the books' own (``ledger.practice.profile.PRACTICE_FIELDS``,
``ledger.mail.smtp.MAIL_FIELDS``, the logo checked by ``invoices.logo.read_logo``), checked
as you leave each one; ctrl+s checks every changed value and then stores them, as
``solebook practice set`` does. The number pattern shows the number the next invoice gets
(``ledger.practice.profile.next_number``). The mail password is never typed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Static

from ledger.base.errors import InputError
from ledger.base.forms import Field
from ledger.base.identifiers import format_iban
from ledger.base.views import PracticeInfo
from ledger.books import Books
from ledger.mail.smtp import MAIL_FIELDS, MailSettings
from ledger.practice.profile import PRACTICE_FIELDS
from tui.i18n import LANGUAGES, N_, _
from tui.labels import CANCEL_POLICIES, LANGUAGE_NAMES, REGIMES, VOICES, choices
from tui.screens.base import BooksScreen
from tui.widgets.form import FieldForm, form_field
from tui.widgets.navbar import NavBar

MAIL_KEYS = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "email_from")
LOGO = "logo"
ACCOUNTS = "bank_accounts"  # the practice's other bank accounts (ledger.bank.accounts)
COLUMNS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    ((N_("Practice"), ("name", "address", "postcode", "city", "email", "phone", "kvk",
                       "vat_id", "iban", "account_holder", ACCOUNTS)),),
    ((N_("Therapist and insurers"), ("therapist_name", "agb_therapist", "agb_practice",
                                     "association", "membership_number", "register_number")),
     (N_("Sending e-mail"), MAIL_KEYS)),
    ((N_("Invoices"), ("vat_regime", "payment_term", "number_pattern", "cancel_policy",
                       "language", "voice", "exempt_text", "kor_text", LOGO)),),
)
SECURITY = (("STARTTLS", "starttls"), ("SSL/TLS", "ssl"), (N_("none"), "none"))
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
    "kor_text": N_("KOR text"), "voice": N_("Letters speak as"),
    "smtp_host": N_("Mail server (SMTP)"), "smtp_port": N_("Port"),
    "smtp_security": N_("Security"), "smtp_user": N_("User name"),
    "email_from": N_("Sender address"), LOGO: N_("Logo on documents (PNG or JPEG file)"),
    ACCOUNTS: N_("Other bank accounts (IBANs, comma-separated)"),
}
INTERFACE = "interface_language"


def _logo(raw: str, label: str) -> str:
    from invoices.logo import read_logo

    read_logo(raw, label)  # a readable PNG or JPEG, the same check as `practice set --logo`
    return raw.strip()


LOGO_FIELD = Field(N_("logo"), _logo)


@dataclass(frozen=True)
class SettingsData:
    practice: PracticeInfo
    interface: str
    mail: MailSettings
    logo: str  # the file of the logo in force ("" for none)
    last_numbers: dict[str, int]
    year: int
    bank_accounts: tuple[str, ...] = ()  # besides the IBAN: lines of these are matched too


def read_settings(books: Books) -> SettingsData:
    from ledger.billing.documents import logo_history
    from ledger.mail.smtp import get_mail_settings
    from ledger.practice.profile import get_practice, get_setting, last_numbers
    from tui.app import LANGUAGE_SETTING
    from tui.i18n import language

    with books.db.read() as session:
        interface = get_setting(session, LANGUAGE_SETTING, "") or language()
    history = logo_history(books)
    logo = history[-1].path if history else ""
    from ledger.bank.accounts import extra_accounts

    with books.db.read() as session:
        accounts = tuple(extra_accounts(session))
    return SettingsData(get_practice(books), interface, get_mail_settings(books),
                        str(books.db.data_dir / logo) if logo else "", last_numbers(books),
                        books.clock.today().year, accounts)


def save_settings(books: Books, changed: dict[str, str | None]) -> SettingsData:
    """Store the changed values: all are checked first, then mail settings, logo, profile
    and the interface's language are saved (as ``solebook practice set`` does)."""
    from ledger.bank.accounts import ACCOUNTS_FIELD, set_extra_accounts
    from ledger.base.forms import parse_form
    from ledger.mail.smtp import MAIL_FIELDS, update_mail_settings
    from ledger.practice.profile import set_setting, update_practice
    from tui.app import LANGUAGE_SETTING

    changed = dict(changed)
    interface = changed.pop(INTERFACE, None)
    logo = changed.pop(LOGO, None)
    accounts = changed.pop(ACCOUNTS, None)
    mail = {k: changed.pop(k) for k in MAIL_KEYS if k in changed}
    parse_form(MAIL_FIELDS, mail)
    parse_form(PRACTICE_FIELDS, changed)
    if accounts is not None:
        ACCOUNTS_FIELD.read(accounts)
    if logo:
        LOGO_FIELD.read(logo)
    if mail:
        update_mail_settings(books, mail)
    if logo is not None:
        from invoices.logo import set_logo

        set_logo(books, logo)
    if changed:
        update_practice(books, changed)
    if accounts is not None:
        set_extra_accounts(books, accounts)
    if interface:
        set_setting(books, LANGUAGE_SETTING, interface)
    return read_settings(books)


def text_value(data: SettingsData, key: str) -> str:
    if key == INTERFACE:
        return data.interface
    if key == LOGO:
        return data.logo
    if key == ACCOUNTS:
        return ", ".join(data.bank_accounts)
    if key in MAIL_KEYS:
        port = str(data.mail.port) if data.mail.host else ""
        return {"smtp_host": data.mail.host, "smtp_port": port,
                "smtp_security": data.mail.security, "smtp_user": data.mail.user,
                "email_from": data.mail.sender}[key]
    value = getattr(data.practice, key)
    if key == "iban" and value:
        return format_iban(value)
    return str(value)


def number_example(data: SettingsData, pattern: str) -> str:
    """"the next invoice gets 2026-0042" for a pattern as typed (blank when it is wrong)."""
    from ledger.practice.profile import next_number, parse_number_pattern

    try:
        number = next_number(parse_number_pattern(pattern), data.year, data.last_numbers)
    except InputError:
        return ""
    return _("The next invoice gets number {number}.").format(number=number)


class SettingsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("ctrl+l", "audit", N_("Audit log"), priority=True),
        Binding("ctrl+t", "treatments", N_("Treatments and series"), priority=True),
        Binding("ctrl+b", "backups", N_("Backups"), priority=True),
        Binding("ctrl+g", "therapists", N_("Therapists"), priority=True),
        Binding("ctrl+k", "agenda", N_("Agenda settings"), priority=True),
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
                item.value = item.initial = text_value(data, item.key)
            self._show_example()
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
        for groups in COLUMNS:
            column = Vertical()
            columns.mount(column)
            for title, keys in groups:
                column.mount(Label(_(title), classes="section-title"))
                column.mount_all([self._field(data, key) for key in keys])
                if "number_pattern" in keys:
                    column.mount(Static("", id="number-example", classes="hint"),
                                 after="#form-number_pattern")
                if "smtp_host" in keys:
                    column.mount(Static(_(
                        "The mail server's password is never stored by solebook: it is taken "
                        "from the system keyring (service solebook-smtp, your user name) or "
                        "from SOLEBOOK_SMTP_PASSWORD."), classes="hint"))
        column.mount(form_field(
            INTERFACE, _("Language of this program"), None, data.interface,
            choices=[(LANGUAGE_NAMES[c], c) for c in LANGUAGES]))
        self.query_one("#save", Button).disabled = False
        self.call_after_refresh(self._show_example)

    def _field(self, data: SettingsData, key: str) -> Any:
        value = text_value(data, key)
        options = {"vat_regime": choices(REGIMES), "cancel_policy": choices(CANCEL_POLICIES),
                   "voice": choices(VOICES),
                   "language": [(LANGUAGE_NAMES[c], c) for c in LANGUAGES],
                   "smtp_security": [(_(label), c) for label, c in SECURITY]}.get(key)
        from ledger.bank.accounts import ACCOUNTS_FIELD

        field = (LOGO_FIELD if key == LOGO else ACCOUNTS_FIELD if key == ACCOUNTS
                 else MAIL_FIELDS.get(key) or PRACTICE_FIELDS[key])
        optional = key in (LOGO, ACCOUNTS) or key in MAIL_KEYS
        placeholder = {LOGO: "~/Pictures/logo.png", "smtp_host": "smtp.example.nl",
                       ACCOUNTS: "NL91 ABNA 0417 1643 00"}.get(key, "")
        return form_field(key, _(LABELS[key]), field, value, choices=options,
                          optional=optional, placeholder=placeholder)

    @on(Input.Changed, "#field-number_pattern")
    def _show_example(self, event: Input.Changed | None = None) -> None:
        if self.data is not None and self.query("#number-example"):
            pattern = event.value if event is not None else self.data.practice.number_pattern
            self.query_one("#number-example", Static).update(number_example(self.data, pattern))

    def action_backups(self) -> None:
        from tui.screens.backups import BackupsScreen

        self.app.push_screen(BackupsScreen())

    def action_therapists(self) -> None:
        from tui.screens.therapists import TherapistsScreen

        self.app.push_screen(TherapistsScreen())

    def action_treatments(self) -> None:
        from tui.screens.treatments import TreatmentsScreen

        self.app.push_screen(TreatmentsScreen())

    def action_agenda(self) -> None:
        from tui.screens.agenda_settings import AgendaSettingsScreen

        self.app.push_screen(AgendaSettingsScreen())

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
        if not changed:
            self.notify(_("Nothing changed."))
            return
        self.query_one("#save", Button).disabled = True
        self.act("saved", save_settings, self.books, changed)

    def done_saved(self, data: SettingsData) -> None:
        assert self.data is not None
        interface = self.form.field(INTERFACE).value
        language_changed = interface != self.data.interface
        self.data = data
        self.form.mark_saved()
        self._show_example()
        self.query_one("#save", Button).disabled = False
        self.notify(_("Settings saved."))
        if language_changed:
            self.solebook.change_language(interface)

    def worker_failed(self, worker: Any) -> None:
        self.query_one("#save", Button).disabled = False
