"""Production: secrets required, no defaults; everything else varies through the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or SECRET_KEY) in production.")
if not env("DATABASE_URL", default=""):  # base.py's database, without its SQLite default
    raise ImproperlyConfigured("Set DATABASE_URL in production.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
