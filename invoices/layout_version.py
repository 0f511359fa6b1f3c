"""The version of the invoice layout, recorded with every archived invoice PDF.

An issued invoice re-renders to the same bytes only with the layout that drew it, so
``invoice verify`` re-renders (and a missing archive file is re-made) only for documents of
the current layout; older ones are checked by their SHA-256. Raise this number with any
change to :mod:`invoices.invoice_pdf` (or what it draws with) that changes the output.

1. platypus (Paragraphs and Tables), until November 2026.
2. drawn straight on the canvas (:mod:`invoices.draw`), with shared font subsets.
3. December 2026: no date of birth in the address block, a series sale marked as a
   prepayment without a performance code, amounts/IBAN/numbers never broken over lines,
   payment and insurer values in one column, creation date with the Dutch UTC offset.
4. December 2026: the client's address inside a window envelope's window (DIN 5008 form
   B) with the practice's return address above it, the references right of the window,
   the body below it (:mod:`invoices.letterhead`).
"""

LAYOUT = 4
