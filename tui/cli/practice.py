"""``init``, ``demo`` and the ``practice`` group: the profile, the documents' logo and the
mail settings (shown by ``practice show``, never a password)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base import parse
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, given
from tui.cli.lang import _, language, n_
from tui.cli.output import Out, fields_text

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

PRACTICE_OPTIONS = {
    "--name": "name", "--address": "address", "--postcode": "postcode", "--city": "city",
    "--email": "email", "--phone": "phone", "--kvk": "kvk", "--vat-id": "vat_id",
    "--iban": "iban", "--account-holder": "account_holder",
    "--agb-therapist": "agb_therapist", "--agb-practice": "agb_practice",
    "--therapist-name": "therapist_name", "--association": "association",
    "--membership-number": "membership_number", "--register-number": "register_number",
    "--vat-regime": "vat_regime", "--exempt-text": "exempt_text", "--kor-text": "kor_text",
    "--payment-term": "payment_term", "--number-pattern": "number_pattern",
    "--language": "language", "--cancel-policy": "cancel_policy",
}
MAIL_OPTIONS = {"--smtp-host": "smtp_host", "--smtp-port": "smtp_port",
                "--smtp-security": "smtp_security", "--smtp-user": "smtp_user",
                "--email-from": "email_from"}
MAIL_HELP = ("mail server for sending documents", "its port (default 587, 465 with ssl)",
             "none, starttls (default) or ssl", "user name for the mail server (the password "
             "comes from $SOLEBOOK_SMTP_PASSWORD or the system keyring)",
             "the sender address of the e-mails")


def register(commands: Commands) -> None:
    p = commands.command("init", "create the database and show where it is", cmd_init)
    add_json(p)
    p = commands.command("demo", "fill an empty database with a fictional practice", cmd_demo)
    p.add_argument("--year", type=int, help="the year of sessions (default: this year)")
    p.add_argument("--clients", type=int, default=36, help="number of clients (default 36)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
    add_json(p)

    practice = commands.group("practice", "the practice profile")
    p = practice.command("show", "show the profile", cmd_practice_show)
    add_json(p)
    p = practice.command("set", "change any part of the profile", cmd_practice_set)
    for option, key in PRACTICE_OPTIONS.items():
        p.add_argument(option, dest=key, metavar="VALUE")
    add_json(p)
    p.add_argument("--logo", metavar="PATH",
                   help='a PNG or JPEG for the documents\' header ("" removes it)')
    for (option, key), help_ in zip(MAIL_OPTIONS.items(), MAIL_HELP, strict=True):
        p.add_argument(option, dest=key, metavar="VALUE", help=help_)
    p.add_argument("--bank-accounts", metavar="IBAN[,IBAN]",
                   help="the practice's other bank accounts besides --iban, whose statement "
                        "lines are matched (\"\" removes them)")


def cmd_init(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.profile import get_practice

    out = Out(args)
    info = get_practice(books)
    where = str(books.db.path or books.db.engine.url.render_as_string(hide_password=True))
    out.result({"database": where, "set_up": info.is_set_up},
               _("The books are ready at {where}.").format(where=where)
               + ("" if info.is_set_up else " " + _(
                   "Next: `solebook practice set --name ...` or `solebook demo`.")))


def cmd_demo(args: argparse.Namespace, books: Books) -> None:
    from ledger.demo import load_demo

    out = Out(args)
    summary = load_demo(books, year=args.year, clients=args.clients, seed=args.seed,
                        progress=out.progress)
    out.result(summary, _("Demo practice loaded: {made}.").format(made=", ".join(
        _made(key, value) for key, value in summary.items())))


def _made(key: str, n: int) -> str:
    """``36 clients``: what the demo made, counted in the run's language."""
    counted = {
        "clients": n_("{n} client", "{n} clients", n),
        "sessions": n_("{n} session", "{n} sessions", n),
        "packages": n_("{n} package", "{n} packages", n),
        "invoices": n_("{n} invoice", "{n} invoices", n),
        "payments": n_("{n} payment", "{n} payments", n),
        "credit_notes": n_("{n} credit note", "{n} credit notes", n),
    }
    return counted.get(key, "{n} " + key).format(n=n)


def cmd_practice_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.mail.smtp import get_mail_settings
    from ledger.practice.profile import get_practice

    info = get_practice(books)
    settings = get_mail_settings(books)
    Out(args).result({**jsonout.practice(info), **settings.public()},
                     _practice_text(info) + "\n" + _mail_text(settings))


def cmd_practice_set(args: argparse.Namespace, books: Books) -> None:
    """The profile, the logo and the mail settings: mail settings and profile values are
    checked before anything is saved; what is printed is the profile when it changed."""
    from ledger.practice.profile import update_practice

    profile = given(args, PRACTICE_OPTIONS.values())
    mail = given(args, MAIL_OPTIONS.values())
    if args.bank_accounts is not None:
        _save_accounts(args, books, profile, mail)
        if not (profile or mail or args.logo is not None):
            return
    if not (profile or mail or args.logo is not None):
        raise parse.InputError("practice",
                               _("give at least one option to change, e.g. --name"))
    settings = _save_mail(books, mail, profile) if mail else None
    stored = None
    if args.logo is not None:
        from invoices.logo import set_logo

        stored = set_logo(books, args.logo)
    out = Out(args)
    if profile:
        info = update_practice(books, profile)
        out.result(jsonout.practice(info),
                   _("Practice profile saved.") + "\n" + _practice_text(info))
    elif args.logo is not None:
        out.result({"logo": stored or None},
                   _("Logo saved as {file}.").format(file=stored) if stored
                   else _("Logo removed."))
    elif settings is not None:
        out.result(settings.public(), _("Mail settings saved.") + "\n" + _mail_text(settings))


def _save_accounts(args: argparse.Namespace, books: Books, profile: dict[str, str | None],
                   mail: dict[str, str | None]) -> None:
    from ledger.bank.accounts import parse_accounts, set_extra_accounts
    from ledger.base.forms import parse_form
    from ledger.mail.smtp import MAIL_FIELDS
    from ledger.practice.profile import PRACTICE_FIELDS

    parse_accounts(args.bank_accounts)  # refuse a bad IBAN before anything is saved
    parse_form(PRACTICE_FIELDS, profile)
    parse_form(MAIL_FIELDS, mail)
    accounts = set_extra_accounts(books, args.bank_accounts)
    if not (profile or mail or args.logo is not None):
        Out(args).result({"bank_accounts": accounts},
                         _("The practice's bank accounts: {accounts}.").format(
                             accounts=", ".join(accounts) or "-"))


def _save_mail(books: Books, mail: dict[str, str | None], profile: dict[str, str | None]) -> Any:
    from ledger.base.forms import parse_form
    from ledger.mail.smtp import MAIL_FIELDS, update_mail_settings
    from ledger.practice.profile import PRACTICE_FIELDS

    parse_form(MAIL_FIELDS, mail)  # refuse bad mail settings before anything is saved
    parse_form(PRACTICE_FIELDS, profile)  # and a bad profile value too
    return update_mail_settings(books, mail)


#: Settings whose value is a code, shown as a word.
WORDED = ("vat_regime", "cancel_policy")


def _practice_text(info: Any) -> str:
    from ledger.base.errors import translate
    from ledger.practice.profile import PRACTICE_FIELDS

    labels = {key: translate(field.label, language()) for key, field in PRACTICE_FIELDS.items()}
    labels["country"] = _("country")
    return fields_text({k: v for k, v in jsonout.practice(info).items() if k != "id"}, labels,
                       WORDED)


def _mail_text(settings: Any) -> str:
    from ledger.base.errors import translate
    from ledger.mail.smtp import MAIL_FIELDS

    labels = {key: translate(field.label, language()) for key, field in MAIL_FIELDS.items()}
    labels["smtp_password_source"] = _("password from")
    rows = settings.public()
    source = rows.get("smtp_password_source") or ""
    rows["smtp_password_source"] = {
        "environment": _("$SOLEBOOK_SMTP_PASSWORD"), "keyring": _("the system keyring"),
    }.get(source, _("nowhere yet (set $SOLEBOOK_SMTP_PASSWORD)") if source else "")
    return fields_text(rows, labels)
