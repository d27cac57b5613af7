"""Development mail: each message written to instance/outbox/ as one .eml file, nothing lost."""

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend

SAFE_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9]{6}-[A-Za-z0-9_-]{8,16}\.eml$")


class EmailBackend(BaseEmailBackend):
    """Flask-Mailman backend: one file per message, written whole then renamed into place."""

    def __init__(self, *args, file_path: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = Path(file_path or self.mailman.file_path)

    def send_messages(self, email_messages) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%S-%f}-{secrets.token_urlsafe(8)}.eml"
            partial = self.path / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
            os.replace(partial, self.path / name)
            sent += 1
        return sent


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    written_at: datetime
    to: str
    subject: str


def _parse(file: Path) -> ParsedMessage:
    with file.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _written_at(name: str) -> datetime:
    return datetime.strptime(name[:22], "%Y%m%dT%H%M%S-%f").replace(tzinfo=UTC)


def entries(folder: Path, limit: int = 200) -> list[OutboxEntry]:
    """The newest messages first."""
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if SAFE_NAME.match(p.name)), reverse=True)
    listed = []
    for name in names[:limit]:
        message = _parse(folder / name)
        listed.append(
            OutboxEntry(name, _written_at(name), str(message["To"]), str(message["Subject"]))
        )
    return listed


def count(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if SAFE_NAME.match(p.name)) if folder.is_dir() else 0


def read(folder: Path, name: str) -> ParsedMessage | None:
    """One message by its file name; anything that is not a name we wrote is refused."""
    if not SAFE_NAME.match(name) or not (folder / name).is_file():
        return None
    return _parse(folder / name)
