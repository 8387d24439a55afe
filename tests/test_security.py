import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k not in ("SECURE_SSL_REDIRECT", "DJANGO_DEBUG", "DEBUG",
                                                                     "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env = {**inherited, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}", "DJANGO_ALLOWED_HOSTS": "tracker.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_wsgi_application_starts_under_production_settings_with_start_up_objects_frozen(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'wsgi.sqlite3'}"}
    probe = ("import gc, sys, config.wsgi; print(callable(config.wsgi.application), gc.get_freeze_count() > 10000,"
             " sys.modules['jieba'].dt.initialized, 'proposals.views' in sys.modules, gc.get_threshold()[0])")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True", "True", "10000"], result.stderr


def test_production_refuses_to_start_without_a_database_url():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "SECRET_KEY")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production", "DATABASE_URL": "sqlite:///x.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_secure_headers(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("proposals:list"), secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:import"), {}, secure=True)
    assert response.status_code == 403
