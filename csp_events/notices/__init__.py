"""Notices: people told at once when something they are part of changes (an outbox of email)."""
