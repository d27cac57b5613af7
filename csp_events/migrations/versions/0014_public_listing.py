"""Venues for the public "What's on": accessibility notes and coordinates for a map link.

Revision ID: 0014_public_listing
Revises: 0013_encrypted_partner_reference
Create Date: 2026-12-03 07:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_public_listing"
down_revision = "0013_encrypted_partner_reference"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("accessibility", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
        batch_op.drop_column("accessibility")
