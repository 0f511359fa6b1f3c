"""The WIK scale for extrajudicial collection costs (Besluit vergoeding voor
buitengerechtelijke incassokosten), worked out by hand per row:

    principal      scale                                               costs
    € 65,00        15% = 9,75, below the minimum                       € 40,00
    € 266,66       15% = 39,999 -> 40,00                               € 40,00
    € 267,00       15% = 40,05                                         € 40,05
    € 2.500,00     15% of 2.500                                        € 375,00
    € 3.000,00     375 + 10% of 500                                    € 425,00
    € 10.000,00    375 + 250 + 5% of 5.000                             € 875,00
    € 200.000,00   875 + 1% of 190.000                                 € 2.775,00
    € 1.000.000    2.775 + 0,5% of 800.000                             € 6.775,00
    € 2.000.000    capped                                              € 6.775,00
"""

from __future__ import annotations

import pytest

from ledger.billing.reminders import WIK_MAXIMUM, WIK_MINIMUM, collection_costs


@pytest.mark.parametrize(("principal", "costs"), [
    (1, 40_00),
    (65_00, 40_00),
    (266_66, 40_00),  # 39,999 rounds half-up to 40,00
    (266_67, 40_00),  # 40,0005 -> 40,00
    (267_00, 40_05),
    (1_234_56, 185_18),  # 185,184
    (2_500_00, 375_00),
    (2_500_01, 375_00),  # 375,001
    (3_000_00, 425_00),
    (5_000_00, 625_00),
    (7_654_33, 757_72),  # 625 + 132,7165
    (10_000_00, 875_00),
    (200_000_00, 2_775_00),
    (1_000_000_00, 6_775_00),
    (2_000_000_00, 6_775_00),
])
def test_scale(principal: int, costs: int) -> None:
    assert collection_costs(principal) == costs


def test_half_cent_rounds_up() -> None:
    # 15% of 2.700,10 = 375 + 10% of 200,10 = 395,01; 15% of 270,03 = 40,5045 -> 40,50
    assert collection_costs(2_700_10) == 395_01
    assert collection_costs(270_03) == 40_50
    assert collection_costs(270_10) == 40_52  # 40,515 -> half-up


def test_bounds() -> None:
    assert collection_costs(0) == 0
    assert collection_costs(-500) == 0
    assert WIK_MINIMUM == 40_00 and WIK_MAXIMUM == 6_775_00
    with pytest.raises(TypeError):
        collection_costs(65.0)  # type: ignore[arg-type]
