"""Fixtures shared by the app tests. Imports are inside fixtures so that tests/parsing runs without Django."""

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder for the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_user(db):
    from proposals.models import User

    from .factories import UserFactory

    return UserFactory(role=User.Role.STAFF, is_staff=True)


@pytest.fixture
def supervisor_user(db):
    from proposals.models import User

    from .factories import UserFactory

    return UserFactory(role=User.Role.SUPERVISOR, is_staff=True)


@pytest.fixture
def department(db):
    from .factories import DepartmentFactory

    return DepartmentFactory()


@pytest.fixture
def department_user(department):
    from .factories import DepartmentUserFactory

    return DepartmentUserFactory(department=department)


@pytest.fixture
def other_department_user(db):
    from .factories import DepartmentUserFactory

    return DepartmentUserFactory()


def pytest_configure(config):
    """Under bin/test (and so in CI) the suite must run on PostgreSQL and Redis, never fall back."""
    import os

    if os.environ.get("REQUIRE_REAL_SERVICES") != "1":
        return
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError(f"REQUIRE_REAL_SERVICES is set but DATABASE_URL is not PostgreSQL: {database_url!r}")
    import socket
    from urllib.parse import urlsplit

    for name in ("DATABASE_URL", "REDIS_URL"):
        url = urlsplit(os.environ.get(name, ""))
        try:
            socket.create_connection((url.hostname or "127.0.0.1", url.port or 0), timeout=5).close()
        except OSError as error:
            raise pytest.UsageError(f"{name} {url.geturl()!r} cannot be reached: {error}") from error


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request in another language must not leak into the next test."""
    from django.conf import settings

    if not settings.configured:  # tests/parsing may run without Django
        yield
        return
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
