"""webhook secrets encrypted at rest: room for a Fernet token

Revision ID: c3d1f0a2b7e4
Revises: e51c831e1b58
Create Date: 2026-12-06 20:20:00

The rows themselves are encrypted by notify at start-up and by `dondoc notify-secrets reencrypt`
(services/notify/channels/secrets_at_rest.py), which have the keys; a migration has none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d1f0a2b7e4"
down_revision: str | Sequence[str] | None = "e51c831e1b58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "webhook_secret",
            existing_type=sa.String(length=200),
            type_=sa.String(length=1000),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "webhook_secret",
            existing_type=sa.String(length=1000),
            type_=sa.String(length=200),
            existing_nullable=True,
        )
