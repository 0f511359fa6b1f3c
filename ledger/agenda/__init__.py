"""The agenda: appointments ahead, series planned to a date, the calendar, reminders."""
