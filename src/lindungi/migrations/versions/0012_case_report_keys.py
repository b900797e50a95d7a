"""case report keys

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 17:06:12.080615
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("report_digest", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_cases_created_by_report_key"), ["created_by", "report_key"]
        )


def downgrade() -> None:

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cases_created_by_report_key"), type_="unique")
        batch_op.drop_column("report_digest")
        batch_op.drop_column("report_key")
