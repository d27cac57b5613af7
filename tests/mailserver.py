"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests, and the app pointed at it."""

import socket
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield collector, controller.port
    finally:
        controller.stop()


@contextmanager
def mail_through(app, port: int):
    """Send the app's mail by SMTP to 127.0.0.1:port for the duration."""
    state = app.extensions["mailman"]
    saved = (state.backend, state.server, state.port, state.timeout, app.config["MAIL_BACKEND"])
    state.backend, state.server, state.port, state.timeout = "smtp", "127.0.0.1", port, 5
    app.config["MAIL_BACKEND"] = "smtp"
    try:
        yield
    finally:
        state.backend, state.server, state.port, state.timeout, app.config["MAIL_BACKEND"] = saved


def body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
