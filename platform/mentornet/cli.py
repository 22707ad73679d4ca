"""The ``mentornet`` command: Flask's CLI with every domain's command groups.

``flask --app mentornet`` reaches the same commands, since ``create_app`` registers them.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def register_commands(app) -> None:
    from mentornet.accounts.cli import tokens_cli, users_cli
    from mentornet.billing.cli import billing_cli
    from mentornet.demo import demo_cli
    from mentornet.jobs.cli import jobs_cli
    from mentornet.matching.cli import matching_cli
    from mentornet.tenancy.cli import tenants_cli

    for group in (
        tenants_cli,
        users_cli,
        tokens_cli,
        demo_cli,
        matching_cli,
        billing_cli,
        jobs_cli,
    ):
        app.cli.add_command(group)


def _create_app():
    from mentornet import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Mentornet: run and administer the mentor network platform."""
