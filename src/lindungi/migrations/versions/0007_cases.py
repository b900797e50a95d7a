"""Cases: the case with its protected fields, its append-only timeline, and victim
identification determinations.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

# ruff: noqa: E501  (generated constraint lists)
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_no", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("determination", sa.String(length=20), nullable=True),
        sa.Column("close_reason", sa.String(length=20), nullable=True),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nik", sa.String(length=32), nullable=True),
        sa.Column("passport_no", sa.String(length=16), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("health", sa.Text(), nullable=True),
        sa.Column("reporter_name", sa.String(length=200), nullable=True),
        sa.Column("reporter_contact", sa.String(length=200), nullable=True),
        sa.Column("screening_referral_id", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('hotline', 'family', 'sos', 'alert', 'screening_referral', 'ngo', 'foreign_authority', 'walk_in')",
            name=op.f("ck_cases_channel"),
        ),
        sa.CheckConstraint(
            "close_reason IN ('reintegrated', 'declined_services', 'overstay', 'unfounded', 'duplicate', 'deceased')",
            name=op.f("ck_cases_close_reason"),
        ),
        sa.CheckConstraint(
            "determination IN ('potential_victim', 'not_victim', 'undetermined')",
            name=op.f("ck_cases_determination"),
        ),
        sa.CheckConstraint(
            "state IN ('reported', 'verified', 'located', 'rescue_coordinated', 'in_shelter', 'repatriation_arranged', 'deportation', 'arrived', 'rehabilitation', 'reintegration', 'closed')",
            name=op.f("ck_cases_state"),
        ),
        sa.ForeignKeyConstraint(
            ["screening_referral_id"],
            ["screening_referrals.id"],
            name=op.f("fk_cases_screening_referral_id_screening_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("tracking_no", name=op.f("uq_cases_tracking_no")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_agency"), ["agency"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_state"), ["state"], unique=False)

    op.create_table(
        "case_determinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("determination", sa.String(length=20), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("suggested", sa.String(length=20), nullable=False),
        sa.Column("suggestion_reasons", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "determination IN ('potential_victim', 'not_victim', 'undetermined')",
            name=op.f("ck_case_determinations_value"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_determinations_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_determinations")),
    )
    with op.batch_alter_table("case_determinations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_determinations_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("case_determinations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_determinations_case_id"))

    op.drop_table("case_determinations")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_state"))
        batch_op.drop_index(batch_op.f("ix_cases_agency"))

    op.drop_table("cases")
