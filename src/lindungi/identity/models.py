"""The person index: which agency records are one person, why, and what officers said."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lindungi.db import Base, UtcDateTime, utcnow

VERDICTS = ("same", "different")
METHODS = ("model", "judgement", "alone")


class Person(Base):
    """One person as the hub knows them: the records linked to them say who they are."""

    __tablename__ = "identity_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Membership(Base):
    """A record's place in the index: its person, and the link that put it there."""

    __tablename__ = "identity_members"
    __table_args__ = (CheckConstraint("method IN ('model', 'judgement', 'alone')", name="method"),)

    record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("identity_persons.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    via_record_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id"))
    probability: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    linked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class MatchKey(Base):
    """A key under which a record is found when a new record arrives (incremental linking)."""

    __tablename__ = "identity_keys"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("person_records.id"), primary_key=True, index=True
    )


class Judgement(Base):
    """An officer's decision that two records are, or are not, one person. Never edited:
    a later judgement on the same pair is a new row, and the latest one holds."""

    __tablename__ = "identity_judgements"
    __table_args__ = (
        CheckConstraint("verdict IN ('same', 'different')", name="verdict"),
        CheckConstraint("record_a < record_b", name="ordered"),
        Index("ix_identity_judgements_pair", "record_a", "record_b"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_a: Mapped[int] = mapped_column(ForeignKey("person_records.id"))
    record_b: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(9))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))  # username, or "cli"
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class LinkageModel(Base):
    """A trained linkage model (Splink's JSON), kept so every link can be re-explained."""

    __tablename__ = "identity_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trained_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    records: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float] = mapped_column(Float)
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
