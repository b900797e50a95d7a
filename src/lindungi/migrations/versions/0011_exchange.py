"""exchange

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 15:36:04.384301
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "exchange_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("source_agency", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_exchange_events_event_id")),
    )
    with op.batch_alter_table("exchange_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_events_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_events_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "exchange_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("transport", sa.String(length=8), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("secret", sa.String(length=100), nullable=True),
        sa.Column("grants", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "transport <> 'webhook' OR url IS NOT NULL",
            name=op.f("ck_exchange_subscriptions_webhook_url"),
        ),
        sa.CheckConstraint(
            "transport IN ('webhook', 'nats')", name=op.f("ck_exchange_subscriptions_transport")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_subscriptions")),
    )
    with op.batch_alter_table("exchange_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_subscriptions_agency"), ["agency"], unique=False
        )

    op.create_table(
        "exchange_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replays", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'dead')", name=op.f("ck_exchange_deliveries_status")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["exchange_events.id"],
            name=op.f("fk_exchange_deliveries_event_id_exchange_events"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["exchange_subscriptions.id"],
            name=op.f("fk_exchange_deliveries_subscription_id_exchange_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_deliveries")),
        sa.UniqueConstraint(
            "event_id",
            "subscription_id",
            name=op.f("uq_exchange_deliveries_event_id_subscription_id"),
        ),
    )
    with op.batch_alter_table("exchange_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_deliveries_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_deliveries_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_deliveries_subscription_id"), ["subscription_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("exchange_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_deliveries_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_deliveries_event_id"))
        batch_op.drop_index("ix_exchange_deliveries_due")

    op.drop_table("exchange_deliveries")
    with op.batch_alter_table("exchange_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_subscriptions_agency"))

    op.drop_table("exchange_subscriptions")
    with op.batch_alter_table("exchange_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_exchange_events_kind"))

    op.drop_table("exchange_events")
