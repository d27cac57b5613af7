"""Work a feed request leaves for after its answer has been sent (sharing a build with the
other workers): a calendar waiting for the answer does not wait for it too."""

from collections.abc import Callable

from flask import g, has_request_context

from ..mail.delivery import after_response

# The tasks a request left for after its answer, run at its teardown instead if it failed.
UNSENT = "csp_events.feeds.unsent"


def after_answer(task: Callable[[], None]) -> None:
    """Once the answer has gone when there is one to send, else now; at the request's end if
    it failed (run_unsent): it runs once either way."""
    if not has_request_context():
        task()
        return
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            task()

    after_response(once)
    g.setdefault(UNSENT, []).append(once)


def run_unsent(error: BaseException | None) -> None:
    """At a failed request's end: its answer may never be sent or closed, and a build's claim
    would keep every other worker waiting."""
    if error is not None:
        for task in g.pop(UNSENT, []):
            task()
