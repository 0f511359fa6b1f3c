"""Field labels that are named only where an :class:`~ledger.base.errors.InputError` is raised.

A label written as the first argument of ``InputError(...)`` cannot be marked with ``N_``
there (Babel would then miss the message template after it), so such labels are listed
here for extraction. A test checks that every literal label of an ``InputError`` in
``ledger`` and ``invoices`` has a Dutch translation.
"""

from __future__ import annotations

from ledger.base.errors import N_

RAISE_SITE_LABELS = (
    N_("channel"), N_("invoice"), N_("key"), N_("kind"), N_("line"), N_("lines"), N_("package"),
    N_("rate"), N_("statement"), N_("status"), N_("year"), N_("plan"), N_("every"),
    N_("days before"),
)
