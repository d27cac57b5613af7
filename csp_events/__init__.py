"""csp-events: scheduling, equipment and calendars for a Community Safety Partnership."""


def create_app(overrides: dict | None = None):
    """Build the Flask app (imported lazily so the pure rule modules stay free of Flask)."""
    from .factory import create_app as build

    return build(overrides)
