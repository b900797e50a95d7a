"""Index recruiters.updated_at: the name index checks the newest update on each fuzzy lookup.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recruiters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruiters_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recruiters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruiters_updated_at"))
