"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

from trainer import create_app

app = create_app()
