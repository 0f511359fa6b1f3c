"""What a restore reports, what a database must hold to be taken back, and where server
backups go: shared by the SQLite copies (:mod:`ledger.store.backup`) and ``pg_dump``
(:mod:`ledger.store.pgdump`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REQUIRED_TABLES = frozenset({"practice", "client", "invoice", "invoice_line",
                             "invoice_sequence", "treatment_session", "package", "payment"})


@dataclass(frozen=True)
class Restored:
    """What a restore did: which file came in, where the old database went."""

    source: Path
    database: str
    replaced: Path | None
    revision: str


def default_server_backups() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("solebook", appauthor=False)) / "backups"
