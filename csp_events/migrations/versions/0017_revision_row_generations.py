"""Each feed revision row names the generation that wrote it last, so a worker holding an
audience's revisions as of one generation reads only the rows written since.

Revision ID: 0017_revision_row_generations
Revises: 0016_revision_generations
Create Date: 2026-12-04 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_revision_row_generations"
down_revision = "0016_revision_generations"
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before this have generation 0: no process holds revisions from before the
    # upgrade (it restarts every worker), so each reads them all once.
    with op.batch_alter_table("feed_item_revisions") as batch:
        batch.add_column(sa.Column("generation", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("feed_item_revisions") as batch:
        batch.alter_column("generation", server_default=None)
        batch.create_index("ix_feed_item_revisions_audience_generation", ["audience", "generation"])


def downgrade():
    with op.batch_alter_table("feed_item_revisions") as batch:
        batch.drop_index("ix_feed_item_revisions_audience_generation")
        batch.drop_column("generation")
