"""Tests: fast hashing; the database and broker come from DATABASE_URL and REDIS_URL like everywhere else."""

import os
import uuid

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Unit tests run tasks in-process; the integration tests start a real worker and switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = True
# No test sees what another cached (the dashboard); bench/settings.py puts a real cache back.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# A queue of this test run's own, so no other worker on the same Redis takes its tasks.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default=f"tests-{uuid.uuid4().hex[:12]}")  # noqa: F405
# The SIGKILL test restarts a worker and needs the lost message back within seconds, not minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2),  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
