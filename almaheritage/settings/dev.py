"""Local development: `make run`. SQLite, filesystem broker, emails printed to the console."""
import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403
