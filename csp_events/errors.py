"""Domain errors: services raise them, views turn them into messages."""


class DomainError(Exception):
    """A refused action. `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass
