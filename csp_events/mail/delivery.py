"""Mail sent after the response has gone, so how long the mail server takes shows nowhere.

Used where timing must not tell anything (a reset link for an address that may not exist).
"""

import logging

from flask import Response, after_this_request, current_app, request

from .services import Mail, MailNotSent, deliver

log = logging.getLogger(__name__)


def after_response(task) -> None:
    """Run `task` once the response has gone, so its time shows nowhere. It runs in a request
    context at this request's address, so the links it builds are the ones it would now."""
    # current_app is a LocalProxy; Flask types it as the Flask it stands for.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base_url = request.host_url

    def run() -> None:
        # POST: on SQLite a writing request takes the write lock up front (see database.py).
        with app.test_request_context("/", base_url=base_url, method="POST"):
            task()

    @after_this_request
    def _run_on_close(response: Response) -> Response:
        response.call_on_close(run)
        return response


def deliver_after_response(mail: Mail) -> None:
    after_response(lambda: send_quietly(mail))


def send_quietly(mail: Mail) -> None:
    """Deliver, logging (not raising) a refusal: nobody is waiting for the answer."""
    try:
        deliver(mail)
    except MailNotSent:
        log.warning("a password reset email could not be sent")
