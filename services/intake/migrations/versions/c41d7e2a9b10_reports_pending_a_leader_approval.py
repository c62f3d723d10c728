"""reports pending a leader approval

Revision ID: c41d7e2a9b10
Revises: 57c09ee5327a
Create Date: 2026-12-06 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c41d7e2a9b10"
down_revision: str | Sequence[str] | None = "57c09ee5327a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "pending_reports",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("period_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("plan_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sender_username", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("sender_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("report_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_reports_unit"), ["unit"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("pending_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_reports_unit"))
    op.drop_table("pending_reports")
