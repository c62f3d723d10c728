"""when a report deadline was set: the newest announced deadline wins

Revision ID: 5e1f0c2d7a41
Revises: 0af4a338ed63
Create Date: 2026-12-06 20:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5e1f0c2d7a41"
down_revision: str | Sequence[str] | None = "0af4a338ed63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("expected_report_view", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline_set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("expected_report_view", schema=None) as batch_op:
        batch_op.drop_column("deadline_set_at")
