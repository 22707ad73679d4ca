"""Mentornet: one service, many mentor networks, each tenant in its own space."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask stays out of the core modules (matching, cycles) that import us
    from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration from the environment, then ``config`` on top."""
    from flask import Flask

    from mentornet import settings

    instance_path = os.environ.get("MENTORNET_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=False)
    app.config.update(settings.from_environment(instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(
                app.config["SQLALCHEMY_DATABASE_URI"]
            )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(instance_path).mkdir(parents=True, exist_ok=True)

    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)

    from mentornet.cli import register_commands
    from mentornet.errors import register_error_handlers
    from mentornet.i18n import register_template_helpers
    from mentornet.tenancy.resolution import install_tenant_resolution

    install_tenant_resolution(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from mentornet import models  # noqa: F401  (every table on the metadata)
    from mentornet.extensions import babel, csrf, db, migrate
    from mentornet.i18n import select_locale, select_timezone, translation_directories

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from mentornet.accounts.sso_views import bp as sso_bp
    from mentornet.accounts.views import bp as accounts_bp
    from mentornet.admin.views import bp as admin_bp
    from mentornet.api import bp as api_bp
    from mentornet.billing.views import bp as billing_bp
    from mentornet.cycles.views import bp as cycles_bp
    from mentornet.health import bp as health_bp
    from mentornet.home.views import bp as home_bp
    from mentornet.mail.views import bp as mail_bp
    from mentornet.matching.views import bp as matching_bp
    from mentornet.onboarding.views import bp as onboarding_bp
    from mentornet.people.views import bp as people_bp
    from mentornet.reports.views import bp as reports_bp
    from mentornet.tenancy.views import bp as settings_bp

    for blueprint in (
        health_bp,
        home_bp,
        accounts_bp,
        sso_bp,
        people_bp,
        matching_bp,
        cycles_bp,
        reports_bp,
        settings_bp,
        billing_bp,
        onboarding_bp,
        mail_bp,
        admin_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
