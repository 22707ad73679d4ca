"""WSGI entry point for gunicorn: ``gunicorn mentornet.wsgi:app``."""

from mentornet import create_app

app = create_app()
