"""The books of the practice, headless: the rules, their storage, the figures and exports.

Areas, each a subpackage (imports point downwards, checked by import-linter):
``base`` (money, dates, parsing, errors, codes) <- ``store`` (database, migrations, models,
files, backup) <- ``derived`` (sums kept in step) <- ``books`` (an open set of books) <-
``practice`` (profile, clients, catalogue) <- ``billing`` / ``costs`` <- ``bank``, ``mail``,
``yearend``, ``privacy`` <- ``demo``.
"""
