"""Cases: the legal track (police referral, prosecution, restitution), the recruiter
behind a case and the bond claims filed from it, and the escalations of missed deadlines.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

# ruff: noqa: E501  (generated constraint lists)
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SERVICES = "'psychosocial', 'medical', 'legal_aid', 'shelter', 'family_tracing', 'economic_reintegration', 'case_transfer'"


def upgrade() -> None:
    op.create_table(
        "case_escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("notify", sa.String(length=24), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_escalations_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_escalations")),
        sa.UniqueConstraint(
            "case_id", "state", "state_since", "level",
            name=op.f("uq_case_escalations_case_id_state_state_since_level"),
        ),
    )  # fmt: skip
    with op.batch_alter_table("case_escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_escalations_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("bond_claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_bond_claims_case_id"), ["case_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_bond_claims_case_id_cases"), "cases", ["case_id"], ["id"]
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recruiter_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("legal_stage", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("restitution", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("restitution_ordered_idr", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("restitution_paid_idr", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.create_index(batch_op.f("ix_cases_recruiter_id"), ["recruiter_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_recruiter_id_recruiters"), "recruiters", ["recruiter_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_cases_legal_stage"),
            "legal_stage IN ('referred_to_police', 'investigation', 'prosecution', 'convicted', 'acquitted', 'dropped')",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_cases_restitution"),
            "restitution IN ('requested', 'ordered', 'paid', 'refused')",
        )

    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_case_referrals_service"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_case_referrals_service"), f"service IN ({_SERVICES}, 'police')"
        )


def downgrade() -> None:
    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_case_referrals_service"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_case_referrals_service"), f"service IN ({_SERVICES})"
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_cases_restitution"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_cases_legal_stage"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_cases_recruiter_id_recruiters"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_recruiter_id"))
        batch_op.drop_column("restitution_paid_idr")
        batch_op.drop_column("restitution_ordered_idr")
        batch_op.drop_column("restitution")
        batch_op.drop_column("legal_stage")
        batch_op.drop_column("recruiter_id")

    with op.batch_alter_table("bond_claims", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bond_claims_case_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_bond_claims_case_id"))
        batch_op.drop_column("case_id")

    with op.batch_alter_table("case_escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_escalations_case_id"))
    op.drop_table("case_escalations")
