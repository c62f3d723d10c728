"""result reviews: a compiler's decision moves which version counts, as in reporting

Revision ID: c4d2e81f5a90
Revises: a895ba713be0
Create Date: 2026-12-06 20:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c4d2e81f5a90"
down_revision: str | Sequence[str] | None = "a895ba713be0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "result_reviews",
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("result_id", "version"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("result_reviews")
