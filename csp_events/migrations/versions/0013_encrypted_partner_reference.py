"""The referrer's own reference is encrypted like the resident's details (it leads to them).

Revision ID: 0013_encrypted_partner_reference
Revises: 0012_availability
Create Date: 2026-12-03 06:40:00

Needs the resident-data key (RESIDENT_DATA_KEY or instance/resident_data.key), as the app does:
run it with `flask db upgrade`.
"""

import sqlalchemy as sa
from alembic import op

from csp_events.visits.keyring import keyring

# revision identifiers, used by Alembic.
revision = "0013_encrypted_partner_reference"
down_revision = "0012_availability"
branch_labels = None
depends_on = None

referrals = sa.table(
    "referrals", sa.column("id", sa.Integer()), sa.column("partner_reference", sa.Text())
)


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(referrals.c.id, referrals.c.partner_reference)).all()
    for referral_id, value in rows:
        connection.execute(
            referrals.update()
            .where(referrals.c.id == referral_id)
            .values(partner_reference=change(value or ""))
        )


def upgrade():
    with op.batch_alter_table("referrals") as batch:
        batch.alter_column("partner_reference", type_=sa.Text(), existing_type=sa.String(length=40))
    _rewrite(keyring().encrypt)


def downgrade():
    _rewrite(keyring().decrypt)
    with op.batch_alter_table("referrals") as batch:
        batch.alter_column("partner_reference", type_=sa.String(length=40), existing_type=sa.Text())
