"""The terminal: every command is one call of ``shotrelay.api`` plus presentation.

Importing the command modules registers their commands on the one typer app, in the order
``--help`` lists them: the project, running it, what it made.
"""

# isort: skip_file
from shotrelay._cli.app import app
from shotrelay._cli import project
from shotrelay._cli import running
from shotrelay._cli import deliver
from shotrelay._cli import judging
from shotrelay._cli import serve
from shotrelay._cli import agent
from shotrelay._cli import catalog

__all__ = ["app", "main"]

# imported for their @app.command registrations
_COMMANDS = (project, running, deliver, judging, serve, agent, catalog)


def main() -> None:
    """Console-script entry point."""
    app()
