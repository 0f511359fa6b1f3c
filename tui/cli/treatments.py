"""The ``treatment`` group: the catalogue (past sessions keep the price they had)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ledger.base.money import format_rate
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, id_arg
from tui.cli.lang import _, language, money
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    treatment = commands.group("treatment", "the treatment catalogue")
    p = treatment.command("add", "add a treatment", cmd_add)
    p.add_argument("--name", required=True)
    _treatment_options(p, required_price=True)
    add_json(p)
    p = treatment.command("edit", "change a treatment (past sessions keep their price)",
                          cmd_edit)
    p.add_argument("id", type=id_arg("treatment"))
    p.add_argument("--name")
    _treatment_options(p, required_price=False)
    p.add_argument("--inactive", action="store_true", help="no longer offered")
    add_json(p)
    p = treatment.command("list", "list treatments", cmd_list)
    p.add_argument("--all", action="store_true", help="include ones no longer offered")
    add_json(p)


def _treatment_options(p: argparse.ArgumentParser, *, required_price: bool) -> None:
    p.add_argument("--price", required=required_price, metavar="AMOUNT",
                   help="price including VAT")
    p.add_argument("--vat", metavar="RATE", help="VAT rate in percent (default 21)")
    p.add_argument("--code", metavar="CODE", help="insurance performance code (prestatiecode)")
    p.add_argument("--duration", metavar="MINUTES", help="default 60")


def _treatment_raw(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        key: value for key, value in {
            "name": args.name, "price": args.price, "vat_rate": args.vat,
            "performance_code": args.code, "duration_min": args.duration,
        }.items() if value is not None
    }


def cmd_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import add_treatment

    info = add_treatment(books, _treatment_raw(args))
    Out(args).result(jsonout.treatment(info),
                     _("Treatment {id} added: {name}, {price}").format(
                         id=info.id, name=info.name, price=money(info.price)))


def cmd_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import update_treatment

    info = update_treatment(books, args.id, _treatment_raw(args),
                            active=False if args.inactive else None)
    Out(args).result(jsonout.treatment(info), _("Treatment {id} saved.").format(id=info.id))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import list_treatments

    rows = list_treatments(books, include_inactive=args.all)
    Out(args).table(
        [jsonout.treatment(t) for t in rows],
        [(str(t.id), t.name, f"{t.duration_min} min", money(t.price),
          format_rate(t.vat_rate, language()), t.performance_code) for t in rows],
        (_("id"), _("name"), _("duration"), _("price"), _("VAT"), _("code")),
    )
