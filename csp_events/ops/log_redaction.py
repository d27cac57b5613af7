"""Secrets in addresses (feed tokens, invitation, password-reset and email stop links) never
reach the access log."""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/feeds/u/)[^/?\s\"]+")
LINK_TOKEN_IN_PATH = re.compile(r"(/invite/|/password/reset/|/emails/stop/)[^/?\s\"]+")
TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]+")


def redact(text: str) -> str:
    text = TOKEN_IN_PATH.sub(r"\1[redacted].ics", text)
    text = LINK_TOKEN_IN_PATH.sub(r"\1[redacted]", text)
    return TOKEN_IN_QUERY.sub(r"\1[redacted]", text)


class RedactFeedTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):  # gunicorn's access log passes its atoms as a dict
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        elif record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


def install_log_redaction() -> None:
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFeedTokens) for f in logger.filters):
            logger.addFilter(RedactFeedTokens())
