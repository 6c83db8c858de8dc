"""index reminder_state.snoozed_until

The Today agenda looks up the snoozes that ended lately among years of done states.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_state", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_state_snoozed_until"), ["snoozed_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_state_snoozed_until"))
