"""Agencies (seeded), users, roles, API tokens and person records.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
    )
    agencies = sa.table(
        "agencies",
        sa.column("code", sa.String),
        sa.column("name_id", sa.String),
        sa.column("name_en", sa.String),
    )
    # Frozen copy of lindungi.auth.agencies at this revision: migrations never import live code.
    op.bulk_insert(
        agencies,
        [
            {
                "code": "imigrasi",
                "name_id": "Direktorat Jenderal Imigrasi",
                "name_en": "Directorate General of Immigration",
            },
            {
                "code": "kemnaker",
                "name_id": "Kementerian Ketenagakerjaan",
                "name_en": "Ministry of Manpower",
            },
            {
                "code": "bp2mi",
                "name_id": "Badan Pelindungan Pekerja Migran Indonesia (BP2MI/KP2MI)",
                "name_en": "Indonesian Migrant Workers Protection Agency (BP2MI/KP2MI)",
            },
            {
                "code": "kemlu",
                "name_id": "Kementerian Luar Negeri dan Perwakilan RI",
                "name_en": "Ministry of Foreign Affairs and Indonesian missions abroad",
            },
            {
                "code": "polri",
                "name_id": "Kepolisian Negara Republik Indonesia (Unit TPPO)",
                "name_en": "Indonesian National Police (anti-trafficking units)",
            },
        ],
    )
    op.create_table(
        "person_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("passport_no", sa.String(length=16), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.CheckConstraint("sex IN ('M', 'F')", name=op.f("ck_person_records_sex")),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_records")),
        sa.UniqueConstraint(
            "source", "source_record_id", name=op.f("uq_person_records_source_source_record_id")
        ),
    )
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_records_nik"), ["nik"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_records_passport_no"), ["passport_no"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_records_phone"), ["phone"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_users_agency_code_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_agency_code"), ["agency_code"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )


def downgrade() -> None:
    op.drop_table("user_roles")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_agency_code"))

    op.drop_table("users")
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_records_phone"))
        batch_op.drop_index(batch_op.f("ix_person_records_passport_no"))
        batch_op.drop_index(batch_op.f("ix_person_records_nik"))

    op.drop_table("person_records")
    op.drop_table("agencies")
