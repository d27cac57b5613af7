"""A register of erasures kept outside the database, so a restored backup can honour them.

A backup taken before an erasure still holds the resident's details. Restoring it would
bring them back; `flask restore` reads this register and erases them again. Each line names
a referral by its id and creation time only (no resident detail), so an unrelated referral
that later reuses the id is never touched.
"""

from datetime import datetime
from pathlib import Path

REGISTER_NAME = "erased-referrals.txt"


def register_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / REGISTER_NAME


def remember(instance_path: str | Path, referral_id: int, created_at: datetime) -> None:
    path = register_path(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as register:
        register.write(f"{referral_id} {created_at.isoformat()}\n")


def remembered(instance_path: str | Path) -> set[tuple[int, str]]:
    """(referral id, creation time in ISO format) of every erasure on record."""
    path = register_path(instance_path)
    if not path.exists():
        return set()
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        referral_id, _, created = line.strip().partition(" ")
        if referral_id.isascii() and referral_id.isdigit() and created:
            entries.add((int(referral_id), created))
    return entries
