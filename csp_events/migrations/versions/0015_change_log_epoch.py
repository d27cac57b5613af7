"""The change log's epoch: a random value per database, carried in every feed version.

Revision ID: 0015_change_log_epoch
Revises: 0014_public_listing
Create Date: 2026-12-03 09:20:00

"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_change_log_epoch"
down_revision = "0014_public_listing"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "change_log_epoch",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log_epoch")),
    )
    # A new database has its own epoch from the start (the first read would make one anyway).
    op.bulk_insert(table, [{"id": 1, "value": secrets.token_hex(8), "made_at": datetime.now(UTC)}])


def downgrade():
    op.drop_table("change_log_epoch")
