"""The key that encrypts resident details, held outside the database, and the column type using it.

Keys come from RESIDENT_DATA_KEY (comma-separated Fernet keys, the first encrypts) or from
instance/resident_data.key (one key per line, the first encrypts; created on first run).
Older keys after the first still decrypt, which is what lets a key be rotated safely.
"""

import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

KEY_FILE_NAME = "resident_data.key"
ENV_NAME = "RESIDENT_DATA_KEY"


class KeyProblem(Exception):
    """The resident-data key is missing or cannot read what the database holds."""


class ResidentKeyring:
    def __init__(self, keys: list[str], source: str):
        if not keys:
            raise KeyProblem("No resident-data key is configured.")
        try:
            self.fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as error:
            raise KeyProblem(f"The resident-data key in {source} is not a valid key.") from error
        self.keys = keys
        self.source = source

    def encrypt(self, plain: str) -> str:
        return self.fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise KeyProblem(
                "Resident details cannot be decrypted with the configured key "
                f"({self.source}). Restore the key that was used when they were saved."
            ) from error

    def rotate(self, token: str) -> str:
        """Re-encrypt with the first key whatever older key encrypted it."""
        try:
            return self.fernet.rotate(token.encode()).decode()
        except InvalidToken as error:
            raise KeyProblem(
                f"A stored value cannot be decrypted with any key in {self.source}; nothing "
                "was changed. Add the key it was written with and run this again."
            ) from error


def key_file(instance_path: str | Path) -> Path:
    return Path(instance_path) / KEY_FILE_NAME


def read_key_file(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def _staged_key_file(path: Path, keys: list[str]) -> Path:
    """A complete key file beside `path` under a name no other process uses, mode 600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    with os.fdopen(handle, "w") as staged:
        staged.write("".join(f"{key}\n" for key in keys))
        staged.flush()
        os.fsync(staged.fileno())
    return Path(staging)


def write_key_file(path: Path, keys: list[str]) -> None:
    """Replace the key file in one step, readable only by its owner."""
    _staged_key_file(path, keys).replace(path)


def create_key_file_once(path: Path) -> None:
    """Create the key file unless another process got there first.

    Several workers may start together on a fresh install; a hard link either creates the
    file whole or fails because it exists, so they all end up using the same key.
    """
    staging = _staged_key_file(path, [Fernet.generate_key().decode()])
    try:
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        staging.unlink()


def load_keyring(instance_path: str | Path, configured: str | None = None) -> ResidentKeyring:
    configured = configured if configured is not None else os.environ.get(ENV_NAME, "")
    if configured.strip():
        keys = [key.strip() for key in configured.split(",") if key.strip()]
        return ResidentKeyring(keys, f"the {ENV_NAME} environment variable")
    path = key_file(instance_path)
    if not path.exists():
        create_key_file_once(path)
    return ResidentKeyring(read_key_file(path), str(path))


def register_keyring(app: Flask) -> None:
    app.extensions["resident_keyring"] = load_keyring(
        app.instance_path, app.config.get("RESIDENT_DATA_KEY")
    )


def keyring() -> ResidentKeyring:
    return current_app.extensions["resident_keyring"]


class EncryptedText(TypeDecorator):
    """Text encrypted with the resident-data key before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else keyring().decrypt(value)
