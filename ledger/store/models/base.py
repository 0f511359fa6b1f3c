"""Storage: the declarative base, the naming convention and the exact VAT-rate column type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    MetaData,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Rate(TypeDecorator[Decimal]):
    """A VAT percentage stored exactly as an integer number of hundredths (21% -> 2100)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal | int):
            raise TypeError("a VAT rate is a Decimal")
        return int((Decimal(value) * 100).to_integral_exact())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).normalize() if value % 100 else Decimal(value // 100)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
