"""Add or change a client. Each field is checked as you leave it (postcode, e-mail, date of
birth...) by the same parsers the books use; nothing is stored until all are right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from ledger.base.views import ClientInfo
from ledger.practice.clients import CLIENT_FIELDS
from tui.i18n import N_, _, day
from tui.labels import LANGUAGE_NAMES
from tui.screens.form_screen import FormScreen, SaveCall
from tui.widgets.form import FieldForm, form_field

LABELS = {
    "name": N_("Name"), "address": N_("Address"), "postcode": N_("Postcode"),
    "city": N_("City"), "email": N_("E-mail"), "phone": N_("Phone"),
    "birth_date": N_("Date of birth"), "language": N_("Language of documents"),
    "notes": N_("New private note (never on a document)"),
    "salutation": N_("Greeting in letters"),
    "formal_name": N_("Surname in a formal greeting"),
}
SALUTATION_CHOICES = (
    (N_("By first name"), "first_name"), (N_("Formally, as Ms"), "mrs"),
    (N_("Formally, as Mr"), "mr"),
)


def label_for(key: str) -> str:
    return _(LABELS[key])


def initial_values(client: ClientInfo | None) -> dict[str, str]:
    if client is None:
        return {}
    return {
        "name": client.name, "address": client.address, "postcode": client.postcode,
        "city": client.city, "email": client.email, "phone": client.phone,
        "birth_date": day(client.birth_date), "language": client.language or "",
        "salutation": client.salutation, "formal_name": client.formal_name,
    }


class ClientFormScreen(FormScreen[ClientInfo]):
    def __init__(self, client: ClientInfo | None, name: str = "") -> None:
        super().__init__()
        self.client = client
        self.name_typed = name  # a new client's name as typed in a search

    def compose(self) -> ComposeResult:
        values = initial_values(self.client) or {"name": self.name_typed}
        title = _("New client") if self.client is None else _("Change {name}").format(
            name=self.client.name)
        languages = [(_("As the practice"), "")] + [(n, c) for c, n in LANGUAGE_NAMES.items()]
        yield Static(title, classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="client-form"):
            yield form_field("name", label_for("name"), CLIENT_FIELDS["name"],
                             values.get("name", ""))
            with Horizontal(classes="form-columns"):
                yield form_field("address", label_for("address"), CLIENT_FIELDS["address"],
                                 values.get("address", ""))
                yield form_field("postcode", label_for("postcode"), CLIENT_FIELDS["postcode"],
                                 values.get("postcode", ""))
            with Horizontal(classes="form-columns"):
                yield form_field("city", label_for("city"), CLIENT_FIELDS["city"],
                                 values.get("city", ""))
                yield form_field("phone", label_for("phone"), CLIENT_FIELDS["phone"],
                                 values.get("phone", ""))
            with Horizontal(classes="form-columns"):
                yield form_field("email", label_for("email"), CLIENT_FIELDS["email"],
                                 values.get("email", ""))
                yield form_field("birth_date", label_for("birth_date"),
                                 CLIENT_FIELDS["birth_date"], values.get("birth_date", ""),
                                 optional=True, placeholder="dd-mm-jjjj")
            yield form_field("language", label_for("language"), None,
                             values.get("language", ""), choices=languages, optional=True)
            with Horizontal(classes="form-columns"):
                yield form_field("salutation", label_for("salutation"), None,
                                 values.get("salutation", "first_name"),
                                 choices=[(_(label), code) for label, code in
                                          SALUTATION_CHOICES])
                yield form_field("formal_name", label_for("formal_name"),
                                 CLIENT_FIELDS["formal_name"], values.get("formal_name", ""),
                                 optional=True, placeholder=_("from the name"))
            yield form_field("notes", label_for("notes"), CLIENT_FIELDS["notes"],
                             optional=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def save_call(self) -> SaveCall:
        from ledger.practice.clients import add_client, update_client

        if self.client is None:
            return add_client, (self.books, self.form.values())
        return update_client, (self.books, self.client.id, self.form.values(changed_only=True))

    def saved_text(self, result: ClientInfo) -> str:
        return _("{name} saved.").format(name=result.name)
