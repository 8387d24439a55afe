"""The benchmark's settings: the test settings (DEBUG off, static files without a manifest, the broker from
REDIS_URL), with a cache in the process as production has one in Redis."""

from config.settings.test import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
