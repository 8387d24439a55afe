"""A Redis cache that a Redis outage cannot turn into a 500: a read misses, a write is dropped, and after a failure
the cache is skipped for a few seconds so that pages do not each wait on a dead server. The cache only ever holds
what can be computed again (the dashboard), so losing it costs time, never data."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


class TolerantRedisCache(RedisCache):
    _down_until = 0.0

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except Exception as error:  # redis-py's ConnectionError, TimeoutError, ReadOnlyError, OSError...
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache unavailable (%s: %s); going without it for %gs", type(error).__name__, error,
                           RETRY_AFTER_SECONDS)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def add(self, key, value, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        return self._call("add", False, key, value, DEFAULT_TIMEOUT if timeout is ... else timeout, version)

    def set(self, key, value, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        return self._call("set", None, key, value, DEFAULT_TIMEOUT if timeout is ... else timeout, version)

    def touch(self, key, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        return self._call("touch", False, key, DEFAULT_TIMEOUT if timeout is ... else timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set_many(self, data, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        return self._call("set_many", list(data), data, DEFAULT_TIMEOUT if timeout is ... else timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
