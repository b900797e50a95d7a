"""Person records as an agency source holds them, with their provenance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow


class PersonRecord(Base):
    """One person as one source knows them.

    Facts keep their provenance: the source, the record's id there, and when the
    hub first and last saw it. Linking records into one person is the identity
    package's job; a record is never merged in place.
    """

    __tablename__ = "person_records"
    __table_args__ = (
        UniqueConstraint("source", "source_record_id"),
        CheckConstraint("sex IN ('M', 'F')", name="sex"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_record_id: Mapped[str] = mapped_column(String(128))
    full_name: Mapped[str] = mapped_column(String(200))  # "" when the source has no name
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    nik: Mapped[str | None] = mapped_column(String(32), index=True)  # as written, cleaned
    passport_no: Mapped[str | None] = mapped_column(String(16), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(16))
    province_code: Mapped[str | None] = mapped_column(String(2))
    seen_on: Mapped[dt.date | None] = mapped_column(Date)  # when the source saw the person
    outcome: Mapped[str | None] = mapped_column(String(32))  # e.g. refused, departed
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
