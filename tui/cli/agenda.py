"""The ``agenda`` group: the day or week ahead, the iCalendar file, publishing to CalDAV,
the reminders (for cron or a systemd timer) and the settings."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tui.cli import jsonout
from tui.cli.args import Commands, add_json, date_arg
from tui.cli.lang import _, day, money, number, status_word
from tui.cli.output import Out, fields_text

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

SETTINGS_OPTIONS = {
    "--late-hours": "agenda_late_hours", "--late-fee": "agenda_late_fee",
    "--hours": "agenda_hours", "--days": "agenda_days", "--folder": "agenda_folder",
    "--show": "agenda_show", "--confirm": "agenda_confirm",
    "--remind-hours": "agenda_remind_hours", "--caldav-url": "caldav_url",
    "--caldav-user": "caldav_user",
}


def _options(parser: argparse.ArgumentParser) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--day", type=date_arg("day"), metavar="DATE")
    when.add_argument("--week", type=date_arg("week"), metavar="DATE",
                      help="the week (Monday to Sunday) of this date")
    add_json(parser)


def register(commands: Commands) -> None:
    agenda = commands.group("agenda", "the appointments ahead (default: this week)",
                            cmd_agenda, _options)
    p = agenda.command("ics", "write the agenda as an iCalendar file", cmd_ics)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json(p)
    p = agenda.command("to-mark", "planned sessions whose time has come: mark each given, "
                       "no-show or cancelled", cmd_to_mark)
    add_json(p)
    p = agenda.command("publish", "bring the CalDAV calendar in step with the agenda",
                       cmd_publish)
    add_json(p)
    p = agenda.command("remind", "e-mail the reminders that are due (each once)", cmd_remind)
    p.add_argument("--dry-run", action="store_true", help="only show what would be sent")
    add_json(p)
    p = agenda.command("settings", "show or change the agenda's settings", cmd_settings)
    for option, key in SETTINGS_OPTIONS.items():
        p.add_argument(option, dest=key, metavar="VALUE")
    add_json(p)


def cmd_agenda(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import agenda

    if args.day is not None:
        start = end = args.day
    else:
        anchor = args.week or books.clock.today()
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
    _table(args, agenda(books, start, end, therapist_id=getattr(args, "therapist", None)))


def _table(args: argparse.Namespace, rows: list[Any]) -> None:
    Out(args).table(
        [jsonout.session(s) for s in rows],
        [(str(s.id), day(s.date), s.start_time.strftime("%H:%M") if s.start_time else "",
          str(s.duration_min), s.client_name, s.treatment_name, status_word(s.status))
         for s in rows],
        (_("id"), _("date"), _("time"), _("minutes"), _("client"), _("treatment"),
         _("status")),
    )


def cmd_to_mark(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import to_mark

    _table(args, to_mark(books, therapist_id=getattr(args, "therapist", None)))


def cmd_ics(args: argparse.Namespace, books: Books) -> None:
    from pathlib import Path

    from ledger.agenda.calendar import write_calendar
    from ledger.practice.therapists import working_therapist_info

    # whose agenda `agenda` lists: the one named, else the one working
    therapist_id = getattr(args, "therapist", None) or working_therapist_info(books).id
    path = write_calendar(books, Path(args.output), therapist_id=therapist_id)
    Out(args).result({"file": str(path)}, _("Agenda written to {file}.").format(file=path))


def cmd_publish(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.publish import publish

    done = publish(books)
    data = {"created": done.created, "updated": done.updated, "removed": done.removed,
            "unchanged": done.unchanged}
    Out(args).result(data, _("Published: {created} new, {updated} changed, {removed} removed, "
                             "{unchanged} unchanged.").format(
        created=len(done.created), updated=len(done.updated), removed=len(done.removed),
        unchanged=done.unchanged))


def cmd_remind(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.reminders import send_reminders

    results = send_reminders(books, dry_run=args.dry_run)
    out = Out(args)
    data = [{"session_id": r.session.id, "to": r.to, "sent": r.sent, "error": r.error or None,
             "date": r.session.date.isoformat(),
             "time": r.session.start_time.strftime("%H:%M") if r.session.start_time else None}
            for r in results]
    out.table(data, [(str(r.session.id), day(r.session.date), r.to,
                      (_("would be sent") if args.dry_run else
                       _("sent") if r.sent else r.error)) for r in results],
              (_("session"), _("date"), _("to"), _("result")))
    if any(not r.sent for r in results) and not args.dry_run:
        raise SystemExit(1)


def cmd_settings(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.settings import agenda_settings, update_agenda_settings

    raw = {key: getattr(args, key) for key in SETTINGS_OPTIONS.values()
           if getattr(args, key) is not None}
    settings = update_agenda_settings(books, raw) if raw else agenda_settings(books)
    data = settings.public()
    labels = {"late_hours": _("late cancellation within (hours)"),
              "late_fee": _("late cancellation fee"), "hours": _("working hours"),
              "days": _("working days (1 = Monday)"), "folder": _("calendar folder"),
              "show": _("client in the calendar"), "confirm": _("confirmations"),
              "remind_hours": _("reminder (hours before)"), "caldav_url": _("CalDAV calendar"),
              "caldav_user": _("CalDAV user")}
    fee = settings.late_fee
    shown = {**data, "late_fee": money(fee.amount) if fee.amount is not None
             else f"{number(fee.percent or 0)}%",
             "show": {"initials": _("initials"), "first_name": _("first name"),
                              "full_name": _("full name")}.get(data["show"], data["show"])}
    Out(args).result(data, fields_text(shown, labels))
