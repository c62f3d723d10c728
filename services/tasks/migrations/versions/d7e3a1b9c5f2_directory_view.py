"""directory view: the newest unit directory intake published, so a restart keeps following it

Revision ID: d7e3a1b9c5f2
Revises: c4d2e81f5a90
Create Date: 2026-12-06 21:45:00.000000

"""

from collections.abc import Sequence

from dondoc.platform.base_schema import create_directory_view, drop_directory_view

# revision identifiers, used by Alembic.
revision: str = "d7e3a1b9c5f2"
down_revision: str | Sequence[str] | None = "c4d2e81f5a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    create_directory_view()


def downgrade() -> None:
    """Downgrade schema."""
    drop_directory_view()
