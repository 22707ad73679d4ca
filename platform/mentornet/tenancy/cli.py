"""``mentornet tenants ...``: load presets, export a tenant's settings, list tenants.

The tenants table is not tenant-owned, so none of these commands binds a tenant.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mentornet.extensions import db
from mentornet.tenancy.models import Tenant
from mentornet.tenancy.presets import PresetLoadError, export_settings, load_path

# Exit status for bad input, as click uses for usage errors.
EXIT_INVALID = 2

tenants_cli = AppGroup("tenants", help="Load, export and list tenants and their settings.")


@tenants_cli.command("load")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def load_command(path: Path) -> None:
    """Create or update tenants from a preset file or a directory of them.

    Every file is validated first; on any problem each one is printed and nothing is written.
    """
    try:
        results = load_path(path)
    except PresetLoadError as exc:
        db.session.rollback()
        for file, key, reason in exc.problems:
            click.echo(f"{file}: {key}: {reason}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    db.session.commit()
    for tenant, created in results:
        click.echo(f"{'created' if created else 'updated'} {tenant.slug}")


@tenants_cli.command("export")
@click.argument("slug")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the TOML to this file instead of standard output.",
)
def export_command(slug: str, output: Path | None) -> None:
    """Print a tenant's settings as preset TOML, ready for ``tenants load``."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        click.echo(f"no tenant with slug {slug!r}", err=True)
        raise SystemExit(EXIT_INVALID)
    text = export_settings(tenant)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"exported {slug} to {output}", err=True)


@tenants_cli.command("list")
def list_command() -> None:
    """One line per tenant: slug, status and name."""
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
    width = max((len(t.slug) for t in tenants), default=0)
    for tenant in tenants:
        click.echo(f"{tenant.slug:<{width}}  {tenant.status:<9}  {tenant.name}")
