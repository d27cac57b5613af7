"""Each feed audience's revision generation: one more for every transaction that writes its
revisions, so a worker can keep them between builds and know when to read them again.

Revision ID: 0016_revision_generations
Revises: 0015_change_log_epoch
Create Date: 2026-12-04 04:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_revision_generations"
down_revision = "0015_change_log_epoch"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_revision_generations",
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("audience", name=op.f("pk_feed_revision_generations")),
    )


def downgrade():
    op.drop_table("feed_revision_generations")
