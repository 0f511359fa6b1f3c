"""Narrow tables: names give way before amounts (a cut amount says nothing)."""

from __future__ import annotations

from tui.widgets.fit_table import MIN_WIDTH, Column, FitTable

COLUMNS = [Column("Rekening", 7), Column("Naam", 16, flex=2), Column("RGS-code", 10),
           Column("Beginsaldo", 12, right=True), Column("Debet", 12, right=True),
           Column("Credit", 12, right=True), Column("Eindsaldo", 12, right=True)]
ROWS = [("1100", ["1100", "Bank", "BLimBanRba", "€ 0,00", "€ 32.880,00", "€ 0,00",
                  "€ 32.880,00"]),
        ("8000", ["8000", "Omzet behandelingen 21 %", "WOmzNopOlv", "€ 0,00", "€ 194,22",
                  "€ 35.774,06", "€ -35.579,84"])]


def test_amounts_keep_their_width_while_names_can_give_way() -> None:
    table = FitTable(COLUMNS)
    widths = table.widths_for(78, ROWS)  # an 80-column terminal inside a panel's border
    assert widths[3:] == [12, 12, 12, 12]  # "€ -35.579,84" whole
    assert all(w >= MIN_WIDTH for w in widths[:3])
    wide = table.widths_for(160, ROWS)
    assert wide[1] >= len("Omzet behandelingen 21 %")  # spare room: the name in full


def test_amounts_give_way_only_when_no_name_can() -> None:
    widths = FitTable(COLUMNS).widths_for(40, ROWS)
    assert widths[:3] == [MIN_WIDTH] * 3 and min(widths[3:]) < 12
