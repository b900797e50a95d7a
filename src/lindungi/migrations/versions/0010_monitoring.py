"""Monitoring: enrolments with their consent, zones, raw check-ins and the batches they
arrived in (idempotency keys), where each worker is and the zone events, alerts with their
history, and the notification outbox.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_batches")),
        sa.UniqueConstraint("source", "key", name=op.f("uq_monitoring_batches_source_key")),
    )
    op.create_table(
        "monitoring_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("collected", sa.JSON(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("withdrawal", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_consents")),
    )
    with op.batch_alter_table("monitoring_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_consents_enrolment_id"), ["enrolment_id"], unique=False
        )

    op.create_table(
        "monitoring_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("passport_no", sa.String(length=16), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("visa", sa.String(length=24), nullable=False),
        sa.Column("sponsor", sa.String(length=200), nullable=False),
        sa.Column("sponsor_contact", sa.String(length=200), nullable=True),
        sa.Column("recruiter_id", sa.Integer(), nullable=True),
        sa.Column("embassy", sa.String(length=100), nullable=False),
        sa.Column("emergency_contacts", sa.JSON(), nullable=False),
        sa.Column("every_minutes", sa.Integer(), nullable=False),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        sa.Column("last_checkin_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("agency", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'withdrawn', 'ended')",
            name=op.f("ck_monitoring_enrolments_status"),
        ),
        sa.CheckConstraint(
            "every_minutes > 0 AND grace_minutes >= 0",
            name=op.f("ck_monitoring_enrolments_schedule"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["monitoring_consents.id"],
            name=op.f("fk_monitoring_enrolments_consent_id_monitoring_consents"),
        ),
        sa.ForeignKeyConstraint(
            ["recruiter_id"],
            ["recruiters.id"],
            name=op.f("fk_monitoring_enrolments_recruiter_id_recruiters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_enrolments")),
        sa.UniqueConstraint("subject", name=op.f("uq_monitoring_enrolments_subject")),
    )
    with op.batch_alter_table("monitoring_enrolments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_enrolments_status"), ["status"], unique=False
        )

    op.create_table(
        "monitoring_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('checkin', 'sos')", name=op.f("ck_monitoring_checkins_kind")),
        sa.CheckConstraint(
            "lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180",
            name=op.f("ck_monitoring_checkins_place"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["monitoring_batches.id"],
            name=op.f("fk_monitoring_checkins_batch_id_monitoring_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["monitoring_enrolments.id"],
            name=op.f("fk_monitoring_checkins_enrolment_id_monitoring_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_checkins")),
        sa.UniqueConstraint(
            "enrolment_id", "kind", "at", name=op.f("uq_monitoring_checkins_enrolment_id_kind_at")
        ),
    )
    with op.batch_alter_table("monitoring_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_checkins_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_monitoring_checkins_enrolment_id"), ["enrolment_id"], unique=False
        )

    op.create_table(
        "monitoring_presence",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.String(length=100), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["monitoring_enrolments.id"],
            name=op.f("fk_monitoring_presence_enrolment_id_monitoring_enrolments"),
        ),
        sa.PrimaryKeyConstraint("enrolment_id", "zone_id", name=op.f("pk_monitoring_presence")),
    )
    op.create_table(
        "monitoring_zone_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.String(length=100), nullable=False),
        sa.Column("event", sa.String(length=5), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "event IN ('enter', 'exit')", name=op.f("ck_monitoring_zone_events_event")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["monitoring_enrolments.id"],
            name=op.f("fk_monitoring_zone_events_enrolment_id_monitoring_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_zone_events")),
    )
    with op.batch_alter_table("monitoring_zone_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_zone_events_enrolment_id"), ["enrolment_id"], unique=False
        )

    op.create_table(
        "monitoring_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=False),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('work', 'high_risk', 'other')", name=op.f("ck_monitoring_zones_kind")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["monitoring_enrolments.id"],
            name=op.f("fk_monitoring_zones_enrolment_id_monitoring_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_zones")),
        sa.UniqueConstraint("zone_id", name=op.f("uq_monitoring_zones_zone_id")),
    )
    with op.batch_alter_table("monitoring_zones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_zones_kind"), ["kind"], unique=False)

    op.create_table(
        "monitoring_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("zone_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("steps_taken", sa.Integer(), nullable=False),
        sa.Column("next_step_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('sos', 'missed_checkin', 'left_work_zone', 'entered_high_risk')",
            name=op.f("ck_monitoring_alerts_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')",
            name=op.f("ck_monitoring_alerts_status"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_monitoring_alerts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["monitoring_enrolments.id"],
            name=op.f("fk_monitoring_alerts_enrolment_id_monitoring_enrolments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alerts")),
    )
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_alerts_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_alerts_next_step_at"), ["next_step_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_status"), ["status"], unique=False)

    op.create_table(
        "monitoring_alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["monitoring_alerts.id"],
            name=op.f("fk_monitoring_alert_events_alert_id_monitoring_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alert_events")),
    )
    with op.batch_alter_table("monitoring_alert_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_alert_events_alert_id"), ["alert_id"], unique=False
        )

    op.create_table(
        "monitoring_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')",
            name=op.f("ck_monitoring_notifications_status"),
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["monitoring_alerts.id"],
            name=op.f("fk_monitoring_notifications_alert_id_monitoring_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_notifications")),
        sa.UniqueConstraint("key", name=op.f("uq_monitoring_notifications_key")),
    )
    with op.batch_alter_table("monitoring_notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_notifications_alert_id"), ["alert_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_notifications_status"), ["status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("monitoring_notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_notifications_status"))
        batch_op.drop_index(batch_op.f("ix_monitoring_notifications_alert_id"))

    op.drop_table("monitoring_notifications")
    with op.batch_alter_table("monitoring_alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alert_events_alert_id"))

    op.drop_table("monitoring_alert_events")
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_status"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_next_step_at"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_enrolment_id"))

    op.drop_table("monitoring_alerts")
    with op.batch_alter_table("monitoring_zones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_zones_kind"))

    op.drop_table("monitoring_zones")
    with op.batch_alter_table("monitoring_zone_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_zone_events_enrolment_id"))

    op.drop_table("monitoring_zone_events")
    op.drop_table("monitoring_presence")
    with op.batch_alter_table("monitoring_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_checkins_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_checkins_at"))

    op.drop_table("monitoring_checkins")
    with op.batch_alter_table("monitoring_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_enrolments_status"))

    op.drop_table("monitoring_enrolments")
    with op.batch_alter_table("monitoring_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_consents_enrolment_id"))

    op.drop_table("monitoring_consents")
    op.drop_table("monitoring_batches")
