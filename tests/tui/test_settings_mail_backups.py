"""Settings for sending mail and the logo, the next invoice number, and backups made and
restored from the interface: keys only, the books checked afterwards."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ledger.billing.documents import logo_history
from ledger.books import Books
from ledger.costs.entries import add_cost, list_costs
from ledger.mail.smtp import get_mail_settings
from ledger.practice.profile import get_practice, last_numbers, next_number
from ledger.store.backup import list_backups
from tests.tui.pilot import drive, notifications, paste_text, screen_text, settle, type_text


async def keys(pilot: Pilot[Any], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


async def to_field(pilot: Pilot[Any], field_id: str) -> None:
    """Tab until the field has the focus (as she would: Tab, or Shift+Tab when that is
    the shorter way round the form)."""
    chain = [widget.id for widget in pilot.app.screen.focus_chain]
    assert field_id in chain, f"{field_id} cannot get the focus"
    focused = pilot.app.focused
    here = chain.index(focused.id) if focused is not None and focused.id in chain else -1
    ahead = (chain.index(field_id) - here) % len(chain)
    key = "tab" if ahead <= len(chain) - ahead else "shift+tab"
    for _ in range(60):
        focused = pilot.app.focused
        if focused is not None and focused.id == field_id:
            return
        await keys(pilot, key)
    raise AssertionError(f"{field_id} not reached")


def png(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "green").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_mail_settings_and_logo_are_stored_from_the_settings(demo_books: Books, make_tui: Any,
                                                             tmp_path: Path) -> None:
    logo = png(tmp_path / "voetje.png")

    async def scenario(pilot: Pilot[Any]) -> str:
        await keys(pilot, "6")
        shown = screen_text(pilot)
        await to_field(pilot, "field-smtp_host")
        await paste_text(pilot, "smtp.voetenpraktijk.nl")
        await to_field(pilot, "field-smtp_user")
        await type_text(pilot, "anna")
        await to_field(pilot, "field-email_from")
        await paste_text(pilot, "anna@voetenpraktijk.nl")
        await to_field(pilot, "field-logo")
        await pilot.press("end", "ctrl+u")
        await paste_text(pilot, str(logo))
        await keys(pilot, "ctrl+s")
        return shown + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    expected = next_number(get_practice(demo_books).number_pattern, 2026,
                           last_numbers(demo_books))
    assert f"Volgende factuur krijgt nummer {expected}" in shown
    mail = get_mail_settings(demo_books)
    assert (mail.host, mail.user, mail.sender, mail.security, mail.port) == (
        "smtp.voetenpraktijk.nl", "anna", "anna@voetenpraktijk.nl", "starttls", 587)
    latest = logo_history(demo_books)[-1]
    assert (demo_books.db.data_dir / latest.path).read_bytes() == logo.read_bytes()
    assert "SOLEBOOK_SMTP_PASSWORD" in shown


def test_a_wrong_logo_and_host_are_refused_and_nothing_is_stored(demo_books: Books,
                                                                make_tui: Any,
                                                                tmp_path: Path) -> None:
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("geen plaatje")
    before = logo_history(demo_books)

    async def scenario(pilot: Pilot[Any]) -> str:
        await keys(pilot, "6")
        await to_field(pilot, "field-smtp_host")
        await paste_text(pilot, "smtp.voetenpraktijk.nl")
        await to_field(pilot, "field-logo")
        await pilot.press("end", "ctrl+u")
        await paste_text(pilot, str(not_an_image))
        await keys(pilot, "ctrl+s")
        return screen_text(pilot) + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert "geen PNG- of JPEG" in shown or "PNG" in shown
    assert get_mail_settings(demo_books).host == ""
    assert logo_history(demo_books) == before


def test_the_number_example_follows_the_pattern_as_typed(demo_books: Books,
                                                        make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await keys(pilot, "6")
        await to_field(pilot, "field-number_pattern")
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "F{year}{seq:05d}")
        return screen_text(pilot)

    shown = drive(make_tui(demo_books), scenario)
    seq = last_numbers(demo_books).get("2026", 0) + 1
    assert f"F2026{seq:05d}" in shown


def test_a_backup_is_made_and_restored_from_the_interface(demo_books: Books, make_tui: Any) -> None:
    database = demo_books.db.path
    assert database is not None

    async def scenario(pilot: Pilot[Any]) -> tuple[list[Any], str, str]:
        await keys(pilot, "6", "ctrl+b", "b")
        made = list_backups(database)
        add_cost(pilot.app.books, {"date": "12-11-2026", "supplier": "Olie & Co",
                                   "category": "materials", "amount": "48,40"})
        await keys(pilot, "escape", "ctrl+b")
        listed = screen_text(pilot)
        await keys(pilot, "r", "enter")
        await settle(pilot)
        costs = list_costs(pilot.app.books, 2026)
        return made, listed, notifications(pilot) + repr(costs)

    made, listed, told = drive(make_tui(demo_books), scenario)
    [backup] = made
    assert backup.path.is_file() and not backup.daily
    assert backup.path.name in listed
    reopened = Books.open(str(database), clock=demo_books.clock, interface="test")
    try:
        assert list_costs(reopened, 2026) == []  # the cost made after the backup is gone
    finally:
        reopened.close()
    aside = [p for p in database.parent.iterdir() if ".replaced-" in p.name]
    assert len(aside) == 1
    assert "teruggezet" in told and told.endswith("[]")  # the app works on the restored books
