"""Case referrals: services and transfers with consent or an override, and the receiver's
decision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

# ruff: noqa: E501  (generated constraint lists)
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=24), nullable=False),
        sa.Column("to_agency", sa.String(length=16), nullable=True),
        sa.Column("to_organisation", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("consent_note", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("referred_by", sa.String(length=64), nullable=False),
        sa.Column("from_agency", sa.String(length=16), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "basis IN ('consent', 'override')", name=op.f("ck_case_referrals_basis")
        ),
        sa.CheckConstraint(
            "service IN ('psychosocial', 'medical', 'legal_aid', 'shelter', 'family_tracing', 'economic_reintegration', 'case_transfer')",
            name=op.f("ck_case_referrals_service"),
        ),
        sa.CheckConstraint(
            "status IN ('referred', 'accepted', 'rejected', 'delivered')",
            name=op.f("ck_case_referrals_status"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_referrals_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_referrals")),
    )
    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_referrals_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_referrals_case_id"))

    op.drop_table("case_referrals")
