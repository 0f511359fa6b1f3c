"""What spans the books and the documents, in one place that both front ends call.

- :mod:`invoices.steps.issuing`: issue, credit, sell or cancel, then archive the PDF of
  what that issued (the action is stored even when archiving fails: that is a warning).
- :mod:`invoices.steps.statements`: a claim statement (a package's, or a client's year)
  written to a file.
- :mod:`invoices.steps.mail`: invoices, credit notes, statements and reminders by e-mail.

The command line (``tui.cli``) and the Textual app (``tui.screens``) call these and only
decide how to show the outcome; nothing here asks either of them anything.
"""
