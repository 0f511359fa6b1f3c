"""Figures kept in step with the books in the same transaction (month sums, the settlement
of every invoice, unbilled sessions), so a year costs the same however long the history."""
