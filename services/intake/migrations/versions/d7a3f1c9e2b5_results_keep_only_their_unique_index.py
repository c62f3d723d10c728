"""results keep only their unique index

Revision ID: d7a3f1c9e2b5
Revises: c41d7e2a9b10
Create Date: 2026-12-07 15:45:00.000000

The indexes of `results.assignment_id`, `results.unit` and `periodic_reports.unit` alone served no query:
each table's unique constraint leads with those columns and answers their look-ups. Every result paid two
more b-tree inserts (and WAL pages) for them (issue 19, ADR 0124).
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d7a3f1c9e2b5"
down_revision: str | Sequence[str] | None = "c41d7e2a9b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_unit"))
        batch_op.drop_index(batch_op.f("ix_results_assignment_id"))
    with op.batch_alter_table("periodic_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_periodic_reports_unit"))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("periodic_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_periodic_reports_unit"), ["unit"], unique=False)
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_results_assignment_id"), ["assignment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_results_unit"), ["unit"], unique=False)
