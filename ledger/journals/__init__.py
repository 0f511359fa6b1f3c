"""The books as double-entry journals: the chart of accounts, the projection of every
invoice, series, session, payment, cost and trip onto it, and the trial balance."""
