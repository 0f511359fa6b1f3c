"""What is owed and paid: sessions and what pays for them, packages (sale, redemption,
cancellation), invoices (drafts, issuing with gapless numbers, credit notes, payments,
status), reminders, the lists of the overview, archived-document records."""
