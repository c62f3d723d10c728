"""people signed in to the dashboard

Revision ID: b7d2e9f4a613
Revises: 5575216bdfcc
Create Date: 2026-12-06 23:15:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b7d2e9f4a613"
down_revision: str | Sequence[str] | None = "5575216bdfcc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("dashboard_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("person_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("handover_nonce", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_dashboard_sessions_handover_nonce"), ["handover_nonce"], unique=True
        )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reviewer_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("reviewer_name")
    with op.batch_alter_table("dashboard_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dashboard_sessions_handover_nonce"))
        batch_op.drop_column("handover_nonce")
        batch_op.drop_column("role")
        batch_op.drop_column("unit")
        batch_op.drop_column("person_name")
