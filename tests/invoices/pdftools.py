"""Reading solebook's PDFs back, as an insurer's clerk or a bank app would."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def pages(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def text(data: bytes) -> str:
    return " ".join(pages(data))


def fonts(data: bytes) -> set[str]:
    """The base font names used on any page (subset prefix removed)."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def images(data: bytes) -> int:
    """How many image XObjects the pages use."""
    reader = PdfReader(io.BytesIO(data))
    count = 0
    for page in reader.pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def qr_codes(data: bytes, page: int = 0, scale: float = 4.0) -> list[str]:
    """The QR codes on a page, decoded from a rendering of it (pdfium + zxing-cpp)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(io.BytesIO(data))
    image: Any = document[page].render(scale=scale).to_pil().convert("L")
    # The payload as the bytes a banking app reads (UTF-8, as line 3 of the payload says).
    return [r.bytes.decode("utf-8") for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def unembedded_fonts(data: bytes) -> set[str]:
    """The fonts any page declares without embedding their program (what ``pdffonts``
    lists with "emb no"): a viewer would substitute them."""
    reader = PdfReader(io.BytesIO(data))
    missing = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font["/BaseFont"]).lstrip("/"))
    return missing
