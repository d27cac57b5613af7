"""Entry point for `flask` and WSGI servers."""

from csp_events import create_app

app = create_app()
