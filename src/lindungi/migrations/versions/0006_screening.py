"""Screening: desk screenings with decisions and contests, referrals to BP2MI, and job
offers shared with consent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_shared_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("rulebook", sa.String(length=32), nullable=False),
        sa.Column("consent", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_shared_offers")),
    )
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("rulebook", sa.String(length=32), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("screened_by", sa.String(length=64), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contest", sa.Text(), nullable=True),
        sa.Column("contested_by", sa.String(length=64), nullable=True),
        sa.Column("contested_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("band IN ('low', 'medium', 'high')", name=op.f("ck_screenings_band")),
        sa.CheckConstraint(
            "decision IN ('proceed', 'interview', 'refer', 'refuse')",
            name=op.f("ck_screenings_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screenings_agency"), ["agency"], unique=False)
        batch_op.create_index(batch_op.f("ix_screenings_band"), ["band"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_screenings_screened_at"), ["screened_at"], unique=False
        )

    op.create_table(
        "screening_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("to_agency", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("from_agency", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined')", name=op.f("ck_screening_referrals_status")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screenings.id"],
            name=op.f("fk_screening_referrals_screening_id_screenings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_referrals")),
        sa.UniqueConstraint("screening_id", name=op.f("uq_screening_referrals_screening_id")),
    )
    with op.batch_alter_table("screening_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_referrals_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_screening_referrals_to_agency"), ["to_agency"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("screening_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_referrals_to_agency"))
        batch_op.drop_index(batch_op.f("ix_screening_referrals_status"))

    op.drop_table("screening_referrals")
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screenings_screened_at"))
        batch_op.drop_index(batch_op.f("ix_screenings_band"))
        batch_op.drop_index(batch_op.f("ix_screenings_agency"))

    op.drop_table("screenings")
    op.drop_table("screening_shared_offers")
