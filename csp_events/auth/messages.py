"""What happens to accounts, published on the change bus for the areas that react to it."""

from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class AccountDeactivated:
    """Someone can no longer sign in: what they could reach by a link must stop too."""

    user: User
