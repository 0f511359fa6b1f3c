"""Money: integer cents, computed with ``Decimal``, shown through Babel.

An amount of money is a plain ``int`` of euro cents everywhere in solebook. Arithmetic
that needs fractions (VAT, shares) goes through :class:`decimal.Decimal`, and rounding to
the cent happens in exactly one place, :func:`round_cents` (half-up, i.e. half away from
zero). A ``float`` (or ``bool``) is refused with :class:`TypeError` by every function here.

All euros shown to a person go through :func:`format_money` (or :func:`format_amount` for
table columns without the sign); JSON output uses :func:`json_amount`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, format_percent

__all__ = [
    "LOCALES",
    "ROUNDING",
    "allocate",
    "babel_locale",
    "cents",
    "format_amount",
    "format_money",
    "format_rate",
    "json_amount",
    "round_cents",
    "split_gross",
    "to_decimal",
    "vat_from_gross",
]

ROUNDING = ROUND_HALF_UP

#: Babel (CLDR) locale used for each language solebook speaks. en_IE is English as used
#: in a euro country: ``€1,234.56``.
LOCALES: dict[str, str] = {"nl": "nl_NL", "en": "en_IE"}

_EURO_STRING = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?", re.ASCII)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def babel_locale(locale: str) -> str:
    """The Babel locale for a solebook language code (``"nl"`` or ``"en"``)."""
    try:
        return LOCALES[locale]
    except (KeyError, TypeError):
        raise ValueError(
            f"unsupported locale {locale!r}; expected one of {sorted(LOCALES)}"
        ) from None


def _require_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int cents, not {type(value).__name__}")
    return value


def _require_decimal(value: object, name: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name} must be finite, not {value}")
    return value


def round_cents(value: Decimal) -> int:
    """Round an amount of euros to whole cents, half-up (half away from zero).

    This is the one rounding function of solebook.
    """
    value = _require_decimal(value, "value")
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    with localcontext() as ctx:
        # Enough precision that scaling and quantizing are exact for any finite value.
        ctx.prec = len(digits) + max(exponent, 0) + 4
        ctx.rounding = ROUNDING
        return int(value.scaleb(2).quantize(Decimal(1), rounding=ROUNDING))


def cents(value: int | Decimal | str) -> int:
    """Convert euros to cents, exactly.

    A ``Decimal`` or a plain decimal string (``"65.00"``, ``"-12.5"``) is read as euros;
    an ``int`` as whole euros. More than two decimals raise :class:`ValueError` (round
    explicitly with :func:`round_cents`). This is not a parser for typed input: use
    :func:`ledger.base.parse.parse_amount` for that.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"cents() refuses {type(value).__name__}; use Decimal or str")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, str):
        if not _EURO_STRING.fullmatch(value):
            raise ValueError(f"not a plain euro amount: {value[:40]!r}")
        value = Decimal(value)
    value = _require_decimal(value, "value")
    result = round_cents(value)
    if to_decimal(result) != value:
        raise ValueError(f"{value} has more than two decimals; round with round_cents()")
    return result


def to_decimal(c: int) -> Decimal:
    """Cents as a ``Decimal`` of euros with two places: ``30000 -> Decimal("300.00")``."""
    c = _require_int(c, "amount")
    return Decimal(f"{c}E-2")


def json_amount(c: int) -> str:
    """Cents as a JSON string of euros: ``"300.00"``, ``"-12.50"``, ``"0.00"``."""
    return f"{to_decimal(c):f}"


def _require_rate(rate: Decimal | int) -> Decimal:
    if isinstance(rate, bool) or not isinstance(rate, (Decimal, int)):
        raise TypeError(f"rate must be a Decimal, not {type(rate).__name__}")
    rate = _require_decimal(Decimal(rate), "rate")
    if not 0 <= rate <= 100:
        raise ValueError(f"VAT rate must be between 0 and 100, not {rate}")
    return rate


def vat_from_gross(gross: int, rate: Decimal | int) -> int:
    """The VAT (in cents) included in ``gross`` cents at ``rate`` percent.

    ``gross * rate / (100 + rate)``, rounded half-up to the cent: 30000 at 21% -> 5207.
    """
    gross = _require_int(gross, "gross")
    rate = _require_rate(rate)
    with localcontext() as ctx:
        # The quotient is inexact; keep far more digits than the cents need so that only
        # an exact half can round up (the rounding itself happens in round_cents).
        ctx.prec = len(str(abs(gross))) + 40
        ctx.rounding = ROUNDING
        vat_euros = to_decimal(gross) * rate / (100 + rate)
    return round_cents(vat_euros)


def split_gross(gross: int, rate: Decimal | int) -> tuple[int, int]:
    """Split a gross amount into ``(net, vat)`` cents; ``net + vat == gross`` always."""
    vat = vat_from_gross(gross, rate)
    return gross - vat, vat


def allocate(total: int, parts: int) -> list[int]:
    """Split ``total`` cents into ``parts`` shares that add up exactly.

    Shares differ by at most one cent, larger (in absolute value) first:
    ``allocate(10000, 3) == [3334, 3333, 3333]``; a negative total mirrors that.
    """
    total = _require_int(total, "total")
    parts = _require_int(parts, "parts")
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    quotient, remainder = divmod(abs(total), parts)
    shares = [quotient + 1] * remainder + [quotient] * (parts - remainder)
    return [-share for share in shares] if total < 0 else shares


def format_money(c: int, locale: str = "nl") -> str:
    """Cents for people: ``€ 1.234,56`` / ``€ -12,00`` (nl), ``€1,234.56`` (en).

    Babel (CLDR) does the work, never the C library; non-breaking spaces become plain
    spaces so that screens, PDFs and tests see the same text.
    """
    return _format_money(_require_int(c, "amount"), locale)


class Amount:
    """An amount as a parameter of a message (``ledger.base.errors``, a bank line's note):
    written in the language the message is shown in (``str()``: English)."""

    __slots__ = ("cents",)

    def __init__(self, cents: int) -> None:
        self.cents = cents

    def text(self, language: str) -> str:
        return format_money(self.cents, language)

    def __str__(self) -> str:
        return format_money(self.cents, "en")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Amount) and other.cents == self.cents

    def __hash__(self) -> int:
        return hash(("Amount", self.cents))


@lru_cache(maxsize=4096)
def _format_money(c: int, locale: str) -> str:
    # Babel's formatting is the slow part of a document's table (~0.4 ms an invoice);
    # the same few amounts come back on every line, so they are remembered.
    text = format_currency(to_decimal(c), "EUR", locale=babel_locale(locale))
    return text.translate(_SPACES)


def format_amount(c: int, locale: str = "nl") -> str:
    """Cents without the currency sign, for table columns: ``1.234,56`` (nl)."""
    text = format_decimal(to_decimal(c), format="#,##0.00", locale=babel_locale(locale))
    return text.translate(_SPACES)


def format_quantity(value: Decimal | int, locale: str = "nl") -> str:
    """A quantity that is not money (hours, kilometres) with two decimals: ``671,25`` (nl),
    ``671.25`` (en); refuses a float like the amounts do."""
    number = (Decimal(_require_int(value, "quantity")) if isinstance(value, int)
              else _require_decimal(value, "quantity"))
    text = format_decimal(number, format="#,##0.00", locale=babel_locale(locale))
    return text.translate(_SPACES)


def format_number(value: Decimal | int, locale: str = "nl", *, grouping: bool = True) -> str:
    """A plain number with as many decimals as it has (a distance): ``1.212,5`` (nl),
    ``1,212.5`` (en); without ``grouping`` as a person types it back (``1212,5``); refuses a
    float."""
    number = (Decimal(_require_int(value, "number")) if isinstance(value, int)
              else _require_decimal(value, "number"))
    pattern = "#,##0.##########" if grouping else "0.##########"
    text = format_decimal(number, format=pattern, locale=babel_locale(locale))
    return text.translate(_SPACES)


def format_rate(rate: Decimal | int, locale: str = "nl") -> str:
    """A VAT rate in percent: ``21%``, ``0%``, ``5,5%`` (nl) / ``5.5%`` (en)."""
    return _format_rate(_require_rate(rate), locale)


@lru_cache(maxsize=256)
def _format_rate(rate: Decimal, locale: str) -> str:
    text = format_percent(rate.scaleb(-2), format="#,##0.##%", locale=babel_locale(locale))
    return text.translate(_SPACES)
