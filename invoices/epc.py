"""The EPC ("GiroCode") payment QR code: payload per EPC069-12 and its drawing.

:func:`epc_payload` is pure and tested field by field. The payload (version 002, UTF-8,
SEPA credit transfer) has these lines, separated by LF:

1. ``BCD`` service tag        2. ``002`` version          3. ``1`` character set (UTF-8)
4. ``SCT`` identification     5. BIC (optional in 002)    6. beneficiary name (<= 70)
7. IBAN                       8. ``EUR`` + amount, e.g. ``EUR300.00`` (0.01 .. 999999999.99)
9. purpose code (empty)       10. structured reference (empty: we use the text)
11. unstructured remittance text (<= 140): the invoice number

Trailing empty lines are left out, and the whole payload stays within 331 bytes. zxing-cpp
makes the code (:func:`qr_modules`); ``invoices.draw.draw_qr`` draws it as vector squares,
so it is sharp at any zoom and byte-identical on every render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.base.money import json_amount

MAX_AMOUNT = 99_999_999_999  # cents: EUR 999,999,999.99
MAX_BYTES = 331
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")


def epc_payload(*, name: str, iban: str, amount: int, text: str, bic: str = "") -> str:
    """The EPC069-12 payload for a transfer of ``amount`` cents to ``iban`` quoting ``text``.

    Raises ValueError when a field cannot be encoded (the caller then prints no QR code;
    the IBAN and reference are always printed as text anyway).
    """
    name = " ".join(name.split())
    iban = iban.replace(" ", "").upper()
    bic = bic.replace(" ", "").upper()
    text = " ".join(text.split())
    if not 0 < len(name) <= 70:
        raise ValueError("EPC QR: the beneficiary name must be 1 to 70 characters")
    if not _IBAN.fullmatch(iban):
        raise ValueError("EPC QR: not an IBAN")
    if bic and not _BIC.fullmatch(bic):
        raise ValueError("EPC QR: not a BIC")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValueError("EPC QR: the amount must be between EUR 0.01 and EUR 999999999.99")
    if len(text) > 140:
        raise ValueError("EPC QR: the remittance text is longer than 140 characters")
    fields = ["BCD", "002", "1", "SCT", bic, name, iban, "EUR" + json_amount(amount), "", "",
              text]
    while fields and fields[-1] == "":
        fields.pop()
    payload = "\n".join(fields)
    if len(payload.encode("utf-8")) > MAX_BYTES:
        raise ValueError("EPC QR: the payload is longer than 331 bytes")
    return payload


@dataclass(frozen=True)
class QrModules:
    """A QR code ready to draw: ``size`` modules a side (quiet zone included) and the
    horizontal runs of dark modules as (row, first column, length), row 0 at the top."""

    size: int
    runs: tuple[tuple[int, int, int], ...]

    def dark(self, row: int, column: int) -> bool:
        return any(r == row and start <= column < start + length
                   for r, start, length in self.runs)


_DARK_RUN = re.compile(rb"\x01+")


def qr_modules(payload: str, border: int = 4) -> QrModules:
    """The QR code for ``payload``, with a quiet zone of ``border`` modules.

    Error correction level M, as the standard asks; the payload is encoded as UTF-8 bytes
    (byte mode, no ECI), as character set 1 in the payload promises. Made with segno. The
    data mask is fixed (pattern 2) instead of trying all eight: every mask is valid and
    every reader decodes it (a test decodes the rendered page with zxing-cpp), and the
    search would cost some 7 ms per invoice in pure Python.
    """
    import segno

    code = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False, mask=2)
    runs = tuple((row + border, match.start() + border, match.end() - match.start())
                 for row, modules in enumerate(code.matrix)
                 for match in _DARK_RUN.finditer(bytes(modules)))
    return QrModules(len(code.matrix) + 2 * border, runs)
