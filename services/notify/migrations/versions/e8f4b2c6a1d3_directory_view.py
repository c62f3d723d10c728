"""directory view: the newest unit directory intake published, so a restart keeps following it

Revision ID: e8f4b2c6a1d3
Revises: c3d1f0a2b7e4
Create Date: 2026-12-06 21:45:00.000000

"""

from collections.abc import Sequence

from dondoc.platform.base_schema import create_directory_view, drop_directory_view

# revision identifiers, used by Alembic.
revision: str = "e8f4b2c6a1d3"
down_revision: str | Sequence[str] | None = "c3d1f0a2b7e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    create_directory_view()


def downgrade() -> None:
    """Downgrade schema."""
    drop_directory_view()
