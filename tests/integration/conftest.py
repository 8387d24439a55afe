"""A real Celery worker process on the real Redis broker, reading the test database on PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """`celery -A config worker` in its own process group, consuming a queue of its own."""

    def __init__(self, *, env: dict, queue: str, log: Path):
        self.env, self.queue, self.log = env, queue, log
        self.process: subprocess.Popen | None = None

    def start(self, **extra_env) -> "WorkerProcess":
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", self.queue, "--concurrency=1",
                   "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                   f"--hostname=test-{uuid.uuid4().hex[:8]}@%h"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **extra_env}, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no chance to ack or requeue."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _database_url(settings_dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, media_root, tmp_path):
    """Tasks go through Redis to a worker process for the length of one test."""
    from django.conf import settings
    from django.db import connection

    from config.celery import app

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.fail("integration tests need DATABASE_URL on PostgreSQL and REDIS_URL (run them through bin/test)")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": _database_url(connection.settings_dict), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "CELERY_TASK_DEFAULT_QUEUE": queue}
    worker = WorkerProcess(env=env, queue=queue, log=tmp_path / "worker.log").start()
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.stop()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)


def wait_for(predicate, *, timeout: float, worker: WorkerProcess, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout}s waiting for {what}; worker log:\n{worker.output()[-4000:]}")
