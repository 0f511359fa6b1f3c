"""Bank statements: reading the formats (one module per family), matching lines to open
invoices, booking the confirmed payments."""
