"""The ``therapist`` group: the practice's therapists (a group practice has several).

``solebook --therapist ID COMMAND`` works as that therapist for one run; ``therapist use
ID`` stores who is working (SQLite); on PostgreSQL the connected role decides.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tui.cli.args import Commands, add_json, given, id_arg
from tui.cli.lang import _
from tui.cli.output import Out, fields_text

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books
    from ledger.practice.therapists import TherapistInfo

OPTIONS = {"name": "name", "agb": "agb_code", "association": "association",
           "membership": "membership_number", "register": "register_number",
           "email": "email", "login": "login"}  # option -> field


def register(commands: Commands) -> None:
    therapist = commands.group("therapist", "the practice's therapists")
    p = therapist.command("add", "add a therapist", cmd_add)
    _options(p, required_name=True)
    add_json(p)
    p = therapist.command("edit", "change a therapist's details", cmd_edit)
    p.add_argument("id", type=id_arg("therapist"))
    _options(p, required_name=False)
    add_json(p)
    p = therapist.command("list", "list the therapists", cmd_list)
    p.add_argument("--all", action="store_true", help="include archived therapists")
    add_json(p)
    p = therapist.command("show", "one therapist's details", cmd_show)
    p.add_argument("id", type=id_arg("therapist"))
    add_json(p)
    p = therapist.command("archive", "archive a therapist (sessions keep naming them)",
                          cmd_archive)
    p.add_argument("id", type=id_arg("therapist"))
    p.add_argument("--restore", action="store_true", help="make an archived therapist active")
    add_json(p)
    p = therapist.command("use", "store who is working from now on", cmd_use)
    p.add_argument("id", type=id_arg("therapist"))
    add_json(p)


def _options(p: argparse.ArgumentParser, *, required_name: bool) -> None:
    p.add_argument("--name", required=required_name)
    p.add_argument("--agb", metavar="CODE", help="the therapist's own AGB code (8 digits)")
    p.add_argument("--association", help="professional association (e.g. VNRT)")
    p.add_argument("--membership", metavar="NUMBER", help="membership number")
    p.add_argument("--register", metavar="NUMBER", help="register number (e.g. RBCZ)")
    p.add_argument("--email")
    p.add_argument("--login", metavar="ROLE",
                   help="the PostgreSQL role the therapist connects as (\"\" removes it)")
    p.add_argument("--create-login", action="store_true",
                   help="also create that role (PostgreSQL, run by an administrator)")


def _raw(args: argparse.Namespace) -> dict[str, str | None]:
    return {OPTIONS[key]: value for key, value in given(args, OPTIONS).items()}


def therapist_json(t: TherapistInfo) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "agb_code": t.agb_code, "association": t.association,
            "membership_number": t.membership_number, "register_number": t.register_number,
            "email": t.email, "login": t.login, "active": t.active}


def _labels() -> dict[str, str]:
    return {"id": _("id"), "name": _("name"), "agb_code": _("AGB code"),
            "association": _("association"), "membership_number": _("membership number"),
            "register_number": _("register number"), "email": _("e-mail"),
            "login": _("database login"), "active": _("active")}


def cmd_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import add_therapist

    info = add_therapist(books, _raw(args), create_login=args.create_login)
    Out(args).result(therapist_json(info), _("Therapist {id} added: {name}").format(
        id=info.id, name=info.name))


def cmd_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import update_therapist

    info = update_therapist(books, args.id, _raw(args), create_login=args.create_login)
    Out(args).result(therapist_json(info), _("Therapist {id} saved.").format(id=info.id))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import list_therapists, working_therapist_info

    rows = list_therapists(books, include_archived=args.all)
    working = working_therapist_info(books).id
    Out(args).table(
        [therapist_json(t) for t in rows],
        [(str(t.id), t.name + (" *" if t.id == working else ""), t.agb_code,
          " ".join(x for x in (t.association, t.membership_number) if x), t.login or "",
          "" if t.active else _("archived")) for t in rows],
        (_("id"), _("name"), _("AGB code"), _("association"), _("database login"), ""),
    )


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import get_therapist

    info = get_therapist(books, args.id)
    data = therapist_json(info)
    Out(args).result(data, fields_text(data, _labels()))


def cmd_archive(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import archive_therapist

    info = archive_therapist(books, args.id, archived=not args.restore)
    text = (_("Therapist {id} is active again.") if info.active
            else _("Therapist {id} archived.")).format(id=info.id)
    Out(args).result(therapist_json(info), text)


def cmd_use(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.therapists import use_therapist

    info = use_therapist(books, args.id)
    Out(args).result(therapist_json(info), _("{name} is working from now on.").format(
        name=info.name))
