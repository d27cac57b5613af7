"""Command-line tasks: the first coordinator, and the Brentwood demo data."""

import click
from flask import Flask

from .errors import DomainError


def register_cli(app: Flask) -> None:
    @app.cli.command("create-coordinator")
    @click.option("--name", prompt="Full name")
    @click.option("--email", prompt="Email address")
    @click.password_option("--password", prompt="Password (at least 8 characters)")
    def create_coordinator_command(name: str, email: str, password: str) -> None:
        """Create a coordinator account (the coordinator then invites everyone else)."""
        from .auth.services import create_coordinator

        try:
            user = create_coordinator(name, email, password)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Coordinator {user.email} created. Sign in at /login.")

    @app.cli.command("load-demo")
    def load_demo_command() -> None:
        """Load the Brentwood demo data into an empty database (does nothing otherwise)."""
        from .demo.data import DEMO_LOGINS, database_is_empty, load_demo

        if not database_is_empty():
            click.echo("The database already has data: demo data not loaded.")
            return
        load_demo()
        click.echo("Brentwood demo data loaded.")
        for role, (email, password) in DEMO_LOGINS.items():
            click.echo(f"  {role:<12} {email}  password: {password}")
