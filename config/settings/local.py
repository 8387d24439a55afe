"""Development: DEBUG on, plain cookies over http, SQLite and eager Celery unless the environment says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403
