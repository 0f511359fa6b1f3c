"""Storage: the tables of the books (SQLAlchemy 2.0 typed models).

These rows are storage, not the whole domain: services in the other ``ledger`` modules
apply the rules and hand out small frozen values (``ledger.base.views``). Amounts are integer
cents in ``*_cents`` columns; VAT rates are stored as hundredths of a percent and come
back as ``Decimal``. Health notes live in their own table, apart from everything financial.
"""

from ledger.store.models import agenda, costs, derived, paid  # noqa: F401  (their tables register)
from ledger.store.models.base import NAMING, Base, Rate
from ledger.store.models.billing import (
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Package,
    Payment,
    TreatmentSession,
)
from ledger.store.models.practice import (
    Client,
    HealthNote,
    PackagePlan,
    Practice,
    Setting,
    Therapist,
    Treatment,
)
from ledger.store.models.records import AuditEntry, Document

__all__ = [
    "NAMING", "AuditEntry", "Base", "Client", "Document", "HealthNote", "Invoice", "InvoiceLine",
    "InvoiceSequence", "Package", "PackagePlan", "Payment", "Practice", "Rate", "Setting",
    "Therapist", "Treatment", "TreatmentSession",
]
