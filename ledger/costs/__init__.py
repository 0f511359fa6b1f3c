"""Practice costs with their receipts, and the business kilometres."""
