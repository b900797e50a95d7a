"""The recruiter registry: recruiters, licences and their history, identifiers,
bonds and claims, sanctions, complaints.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recruiters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('company', 'branch', 'agent')", name=op.f("ck_recruiters_kind")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["recruiters.id"], name=op.f("fk_recruiters_parent_id_recruiters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruiters")),
    )
    with op.batch_alter_table("recruiters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruiters_name_key"), ["name_key"], unique=False)

    op.create_table(
        "bonds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("amount_idr", sa.BigInteger(), nullable=False),
        sa.Column("balance_idr", sa.BigInteger(), nullable=False),
        sa.Column("guarantor", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('held', 'exhausted', 'released')", name=op.f("ck_bonds_status")
        ),
        sa.CheckConstraint(
            "balance_idr >= 0 AND balance_idr <= amount_idr", name=op.f("ck_bonds_balance")
        ),
        sa.ForeignKeyConstraint(
            ["recruiter_id"], ["recruiters.id"], name=op.f("fk_bonds_recruiter_id_recruiters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bonds")),
    )
    with op.batch_alter_table("bonds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bonds_recruiter_id"), ["recruiter_id"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("case_ref", sa.String(length=100), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recruiter_id"], ["recruiters.id"], name=op.f("fk_complaints_recruiter_id_recruiters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_recruiter_id"), ["recruiter_id"], unique=False
        )

    op.create_table(
        "licences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("number_key", sa.String(length=100), nullable=False),
        sa.Column("format_known", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'suspended', 'revoked', 'expired')",
            name=op.f("ck_licences_status"),
        ),
        sa.ForeignKeyConstraint(
            ["recruiter_id"], ["recruiters.id"], name=op.f("fk_licences_recruiter_id_recruiters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licences")),
        sa.UniqueConstraint("number", name=op.f("uq_licences_number")),
    )
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licences_number_key"), ["number_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_licences_recruiter_id"), ["recruiter_id"], unique=False
        )

    op.create_table(
        "recruiter_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("display", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('phone', 'address', 'director', 'bank_account', 'social', 'employer')",
            name=op.f("ck_recruiter_identifiers_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["recruiter_id"],
            ["recruiters.id"],
            name=op.f("fk_recruiter_identifiers_recruiter_id_recruiters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruiter_identifiers")),
        sa.UniqueConstraint(
            "recruiter_id",
            "kind",
            "value",
            name=op.f("uq_recruiter_identifiers_recruiter_id_kind_value"),
        ),
    )
    with op.batch_alter_table("recruiter_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recruiter_identifiers_kind_value", ["kind", "value"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recruiter_identifiers_recruiter_id"), ["recruiter_id"], unique=False
        )

    op.create_table(
        "sanctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("imposed_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recruiter_id"], ["recruiters.id"], name=op.f("fk_sanctions_recruiter_id_recruiters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions")),
    )
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sanctions_recruiter_id"), ["recruiter_id"], unique=False
        )

    op.create_table(
        "bond_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bond_id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(length=100), nullable=False),
        sa.Column("amount_idr", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("filed_by", sa.String(length=100), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('filed', 'verified', 'paid', 'rejected')",
            name=op.f("ck_bond_claims_status"),
        ),
        sa.CheckConstraint("amount_idr > 0", name=op.f("ck_bond_claims_amount")),
        sa.ForeignKeyConstraint(
            ["bond_id"], ["bonds.id"], name=op.f("fk_bond_claims_bond_id_bonds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bond_claims")),
    )
    with op.batch_alter_table("bond_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bond_claims_bond_id"), ["bond_id"], unique=False)

    op.create_table(
        "licence_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["licence_id"], ["licences.id"], name=op.f("fk_licence_events_licence_id_licences")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licence_events")),
    )
    with op.batch_alter_table("licence_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_licence_events_licence_id"), ["licence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("licence_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_events_licence_id"))

    op.drop_table("licence_events")
    with op.batch_alter_table("bond_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bond_claims_bond_id"))

    op.drop_table("bond_claims")
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_recruiter_id"))

    op.drop_table("sanctions")
    with op.batch_alter_table("recruiter_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruiter_identifiers_recruiter_id"))
        batch_op.drop_index("ix_recruiter_identifiers_kind_value")

    op.drop_table("recruiter_identifiers")
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licences_recruiter_id"))
        batch_op.drop_index(batch_op.f("ix_licences_number_key"))

    op.drop_table("licences")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_recruiter_id"))

    op.drop_table("complaints")
    with op.batch_alter_table("bonds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bonds_recruiter_id"))

    op.drop_table("bonds")
    with op.batch_alter_table("recruiters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruiters_name_key"))

    op.drop_table("recruiters")
