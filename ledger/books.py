"""The books: one open database plus the clock, handed to every service function."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.base.dates import Clock, SystemClock
from ledger.derived import sums as _sums  # noqa: F401  (its flush hook keeps the derived tables)
from ledger.store.db import Database, open_database


@dataclass(frozen=True)
class Books:
    """What a service needs: where the books are, what time it is, who is asking."""

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    interface: str = "cli"

    def __post_init__(self) -> None:
        self.db.context.update(interface=self.interface, clock=self.clock)

    @classmethod
    def open(
        cls, db: str | None = None, *, clock: Clock | None = None, interface: str = "cli"
    ) -> Books:
        return cls(open_database(db), clock or SystemClock(), interface)

    def close(self) -> None:
        self.db.close()
