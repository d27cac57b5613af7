"""Equipment bookings: the time the item is needed, beside its collection and return.

A use outside the handover hours (a Sunday Speedwatch session) is one booking collected at the
last handover time before and returned at the first after; these columns keep the use itself.

Revision ID: 0011_booking_needed_times
Revises: 0010_feed_states
Create Date: 2026-12-03 06:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_booking_needed_times"
down_revision = "0010_feed_states"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: both engines do it in place, so the exclusion constraint is untouched.
    op.add_column("equipment_bookings", sa.Column("needed_from", sa.DateTime(timezone=True)))
    op.add_column("equipment_bookings", sa.Column("needed_until", sa.DateTime(timezone=True)))


def downgrade():
    with op.batch_alter_table("equipment_bookings") as batch_op:
        batch_op.drop_column("needed_until")
        batch_op.drop_column("needed_from")
