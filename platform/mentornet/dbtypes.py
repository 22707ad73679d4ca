"""Column types and helpers shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer

# BIGINT on PostgreSQL; SQLite only autoincrements a column declared INTEGER.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """Aware UTC now; stored naive-UTC-compatible by SQLAlchemy's DateTime(timezone=True)."""
    return datetime.now(UTC)
