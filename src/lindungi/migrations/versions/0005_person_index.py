"""The person index: persons, memberships with their evidence, match keys, officers'
judgements and trained models; person records gain postcode, seen_on and outcome, and room
for national ids that are not NIKs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_models")),
    )
    op.create_table(
        "identity_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_persons")),
    )
    op.create_table(
        "identity_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a", sa.Integer(), nullable=False),
        sa.Column("record_b", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=9), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('same', 'different')", name=op.f("ck_identity_judgements_verdict")
        ),
        sa.CheckConstraint("record_a < record_b", name=op.f("ck_identity_judgements_ordered")),
        sa.ForeignKeyConstraint(
            ["record_a"],
            ["person_records.id"],
            name=op.f("fk_identity_judgements_record_a_person_records"),
        ),
        sa.ForeignKeyConstraint(
            ["record_b"],
            ["person_records.id"],
            name=op.f("fk_identity_judgements_record_b_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_judgements")),
    )
    with op.batch_alter_table("identity_judgements", schema=None) as batch_op:
        batch_op.create_index("ix_identity_judgements_pair", ["record_a", "record_b"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identity_judgements_record_b"), ["record_b"], unique=False
        )

    op.create_table(
        "identity_keys",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["person_records.id"],
            name=op.f("fk_identity_keys_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("key", "record_id", name=op.f("pk_identity_keys")),
    )
    with op.batch_alter_table("identity_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_keys_record_id"), ["record_id"], unique=False)

    op.create_table(
        "identity_members",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("via_record_id", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method IN ('model', 'judgement', 'alone')", name=op.f("ck_identity_members_method")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["identity_persons.id"],
            name=op.f("fk_identity_members_person_id_identity_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["person_records.id"],
            name=op.f("fk_identity_members_record_id_person_records"),
        ),
        sa.ForeignKeyConstraint(
            ["via_record_id"],
            ["person_records.id"],
            name=op.f("fk_identity_members_via_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_identity_members")),
    )
    with op.batch_alter_table("identity_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_members_person_id"), ["person_id"], unique=False
        )

    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("postcode", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("seen_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
        batch_op.alter_column(
            "nik",
            existing_type=sa.VARCHAR(length=16),
            type_=sa.String(length=32),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.alter_column(
            "nik",
            existing_type=sa.String(length=32),
            type_=sa.VARCHAR(length=16),
            existing_nullable=True,
        )
        batch_op.drop_column("outcome")
        batch_op.drop_column("seen_on")
        batch_op.drop_column("postcode")

    with op.batch_alter_table("identity_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_members_person_id"))

    op.drop_table("identity_members")
    with op.batch_alter_table("identity_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_keys_record_id"))

    op.drop_table("identity_keys")
    with op.batch_alter_table("identity_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_judgements_record_b"))
        batch_op.drop_index("ix_identity_judgements_pair")

    op.drop_table("identity_judgements")
    op.drop_table("identity_persons")
    op.drop_table("identity_models")
