"""The ``cost`` and ``km`` groups: practice costs with their receipts, business kilometres."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base import parse
from ledger.base.money import json_amount
from tui.cli.args import Commands, add_json
from tui.cli.lang import _, day, money, number
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    cost = commands.group("cost", "practice costs with their receipts")
    p = cost.command("add", "record a cost (amount including VAT)", cmd_cost_add)
    p.add_argument("--date", required=True, metavar="DATE")
    p.add_argument("--supplier", required=True)
    p.add_argument("--description", default="")
    p.add_argument("--category", required=True, help="key or name (see `cost categories`)")
    p.add_argument("--amount", required=True, metavar="AMOUNT", help="including VAT")
    vat = p.add_mutually_exclusive_group()
    vat.add_argument("--vat", metavar="AMOUNT", help="the VAT on the receipt")
    vat.add_argument("--vat-rate", metavar="RATE", help="or the rate: the VAT is computed")
    p.add_argument("--method", default="bank", metavar="bank|pin|card|cash|other")
    p.add_argument("--receipt", metavar="FILE", help="receipt to attach (copied, SHA-256 kept)")
    add_json(p)
    p = cost.command("list", "list costs", cmd_cost_list)
    p.add_argument("--year", type=int)
    add_json(p)
    p = cost.command("categories", "the cost categories", cmd_cost_categories)
    add_json(p)
    p = cost.command("category", "rename a category, or add one", cmd_cost_category)
    p.add_argument("key", help="short English key, e.g. software")
    p.add_argument("--name", required=True, help="the (Dutch) name shown")
    p.add_argument("--inactive", action="store_true", help="no longer offered for new costs")
    add_json(p)

    km = commands.group("km", "business kilometres")
    p = km.command("add", "log a business trip", cmd_km_add)
    p.add_argument("--date", required=True, metavar="DATE")
    p.add_argument("--km", required=True, metavar="N", help="distance, e.g. 12 or 12,5")
    p.add_argument("--description", required=True, help="route or purpose")
    add_json(p)
    p = km.command("list", "list trips", cmd_km_list)
    p.add_argument("--year", type=int)
    add_json(p)
    p = km.command("rate", "show or set the rate per km", cmd_km_rate)
    p.add_argument("amount", nargs="?", metavar="AMOUNT", help="e.g. 0,23")
    add_json(p)


def _rate(value: Any) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def cost_json(c: Any) -> dict[str, Any]:
    return {
        "id": c.id, "date": c.date.isoformat(), "supplier": c.supplier,
        "description": c.description, "category": c.category_key,
        "category_name": c.category_name, "amount": json_amount(c.amount),
        "vat": json_amount(c.vat), "net": json_amount(c.net), "vat_rate": _rate(c.vat_rate),
        "method": c.method, "receipt": c.receipt_path, "receipt_sha256": c.receipt_sha256,
    }


def trip_json(t: Any) -> dict[str, Any]:
    return {"id": t.id, "date": t.date.isoformat(), "km": str(t.km),
            "description": t.description, "rate": json_amount(t.rate),
            "amount": json_amount(t.amount)}


def cmd_cost_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import add_cost

    info = add_cost(books, {
        "date": args.date, "supplier": args.supplier, "description": args.description,
        "category": args.category, "amount": args.amount, "vat": args.vat,
        "vat_rate": args.vat_rate, "method": args.method, "receipt": args.receipt,
    })
    Out(args).result(cost_json(info),
                     (_("Cost {id} recorded: {date}, {supplier}, {amount} (VAT {vat}), "
                        "{category}; receipt kept") if info.receipt_path else
                      _("Cost {id} recorded: {date}, {supplier}, {amount} (VAT {vat}), "
                        "{category}")).format(
                         id=info.id, date=day(info.date, "long"), supplier=info.supplier,
                         amount=money(info.amount), vat=money(info.vat),
                         category=info.category_name))


def cmd_cost_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import list_costs

    rows = list_costs(books, args.year)
    Out(args).table(
        [cost_json(c) for c in rows],
        [(str(c.id), day(c.date), c.supplier, c.category_name, money(c.amount), money(c.vat),
          _("yes") if c.receipt_path else "") for c in rows],
        (_("id"), _("date"), _("supplier"), _("category"), _("amount"), _("VAT"), _("receipt")),
    )


def cmd_cost_categories(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import list_categories

    rows = list_categories(books, include_inactive=True)
    Out(args).table(
        [{"id": c.id, "key": c.key, "name": c.name, "active": c.active} for c in rows],
        [(c.key, c.name, "" if c.active else _("(inactive)")) for c in rows],
        (_("key"), _("name"), ""),
    )


def cmd_cost_category(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import save_category

    c = save_category(books, args.key, args.name, active=not args.inactive)
    Out(args).result({"id": c.id, "key": c.key, "name": c.name, "active": c.active},
                     _("Category {key}: {name}").format(key=c.key, name=c.name)
                     + ("" if c.active else " " + _("(inactive)")))


def cmd_km_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import add_trip, parse_km

    on = parse.parse_date(args.date, "date", today=books.clock.today())
    trip = add_trip(books, on, parse_km(args.km), args.description)
    Out(args).result(trip_json(trip),
                     _("Trip {id}: {date}, {km} km at {rate} = {amount}").format(
                         id=trip.id, date=day(trip.date, "long"), km=number(trip.km),
                         rate=money(trip.rate), amount=money(trip.amount)))


def cmd_km_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import list_trips

    rows = list_trips(books, args.year)
    Out(args).table(
        [trip_json(t) for t in rows],
        [(str(t.id), day(t.date), number(t.km), t.description, money(t.amount)) for t in rows],
        (_("id"), _("date"), _("km"), _("description"), _("amount")),
    )


def cmd_km_rate(args: argparse.Namespace, books: Books) -> None:
    from ledger.costs.entries import get_km_rate, set_km_rate

    if args.amount is not None:
        set_km_rate(books, parse.parse_amount(args.amount, "rate"))
    rate = get_km_rate(books)
    Out(args).result({"rate": json_amount(rate)},
                     _("Rate per km: {rate}").format(rate=money(rate)))
