"""Faults on a real worker process, Redis and PostgreSQL: killed workers, hostile files, time limits.
Each test prints what it measured (pytest -s shows it)."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from replies.models import Reply
from replies.services import reply_requeue_stalled, reply_upload
from tests.corpus import REPLY_PDF as DEMO_PDF
from tests.corpus import REPLY_SCAN
from tests.replies import hostile

from .conftest import wait_for
from .test_reply_pipeline import assignment_135  # noqa: F401

LEASE = int(os.environ.get("FAULT_TEST_LEASE_SECONDS", "6"))  # seconds, worker and here; the default is 60


def _status(reply_id, *statuses):
    return Reply.objects.filter(pk=reply_id, parse_status__in=statuses).first()


def _finished(reply_id):
    return _status(reply_id, Reply.ParseStatus.PARSED, Reply.ParseStatus.FAILED)


def _beat(reply_id, *, until, timeout, worker, what):
    """What celery beat does every minute, done every second: requeue lost parses, until `until` holds."""
    def check():
        reply_requeue_stalled()
        return until(reply_id)
    return wait_for(check, timeout=timeout, worker=worker, what=what)


def _upload(assignment, path, name="r.pdf"):
    return reply_upload(assignment=assignment, uploaded_by=None,
                        file=SimpleUploadedFile(name, path.read_bytes() if hasattr(path, "read_bytes") else path))


@pytest.fixture
def lease(settings):
    settings.REPLY_PARSE_LEASE_SECONDS = LEASE
    return {"REPLY_PARSE_LEASE_SECONDS": str(LEASE), "CELERY_VISIBILITY_TIMEOUT": "3600"}


@pytest.mark.integration
def test_a_killed_worker_s_parse_is_requeued_by_its_lease_and_a_file_that_kills_twice_fails_for_good(
        celery_worker, assignment_135, lease):  # noqa: F811
    """The broker would redeliver only after an hour here: the lease and the requeue task bring it back."""
    celery_worker.stop()
    celery_worker.start(**lease)
    reply = _upload(assignment_135, REPLY_SCAN)
    wait_for(lambda: _status(reply.pk, Reply.ParseStatus.PARSING), timeout=60, worker=celery_worker,
             what="the parse to start")
    celery_worker.kill()
    killed_at = time.monotonic()
    celery_worker.start(**lease)
    reply = _beat(reply.pk, until=lambda pk: Reply.objects.filter(pk=pk, parse_crashes=1).first(), timeout=120,
                  worker=celery_worker, what="the parse taken over")
    taken_over = time.monotonic() - killed_at
    print(f"\nkilled mid-parse -> taken over by another worker after {taken_over:.1f}s (lease {LEASE}s)")
    assert taken_over < LEASE + 30

    celery_worker.kill()  # the second death of the same parse
    celery_worker.start(**lease)
    reply = _beat(reply.pk, until=_finished, timeout=120, worker=celery_worker, what="the reply to fail")
    assert reply.parse_status == Reply.ParseStatus.FAILED and reply.parse_error.startswith("文件无法安全解析")
    assert reply.parse_crashes == 2

    Reply.objects.filter(pk=reply.pk).update(withdrawn_at=reply.uploaded_at, withdraw_reason="unsafe")
    good = _upload(assignment_135, DEMO_PDF, "good.pdf")
    good = wait_for(lambda: _finished(good.pk), timeout=120, worker=celery_worker, what="the next parse")
    assert good.parse_status == Reply.ParseStatus.PARSED, good.parse_error
    assert Reply.objects.get(pk=reply.pk).parse_status == Reply.ParseStatus.FAILED  # never redelivered


@pytest.mark.integration
def test_a_killed_worker_s_parse_is_parsed_again_and_how_long_it_takes(celery_worker, assignment_135, lease):  # noqa: F811
    celery_worker.stop()
    celery_worker.start(**lease)
    reply = _upload(assignment_135, REPLY_SCAN)
    wait_for(lambda: _status(reply.pk, Reply.ParseStatus.PARSING), timeout=60, worker=celery_worker,
             what="the parse to start")
    celery_worker.kill()
    killed_at = time.monotonic()
    celery_worker.start(**lease)
    reply = _beat(reply.pk, until=_finished, timeout=300, worker=celery_worker, what="the parse after the kill")
    print(f"\nkilled mid-parse -> parsed again {time.monotonic() - killed_at:.1f}s after the kill "
          f"({reply.pages} OCR pages, lease {LEASE}s)")
    assert reply.parse_status == Reply.ParseStatus.PARSED, reply.parse_error
    assert reply.parse_crashes == 1 and reply.parse_lease_until is None
    spans = list(reply.indicators.values_list("start", "end"))
    assert len(spans) >= 40 and len(spans) == len(set(spans))


@pytest.mark.integration
def test_hostile_files_fail_with_a_reason_on_the_worker_and_it_goes_on(celery_worker, assignment_135, tmp_path):  # noqa: F811
    celery_worker.stop()
    celery_worker.start(REPLY_PARSE_MAX_MEMORY_MB="768", REPLY_PARSE_PAGE_SECONDS="5")
    outcomes = {}
    for name, data in (("bomb", hostile.bomb_pdf()), ("huge", hostile.huge_image_pdf()),
                       ("shared", hostile.shared_stream_pdf())):
        started = time.monotonic()
        reply = _upload(assignment_135, data, f"{name}.pdf")
        reply = wait_for(lambda pk=reply.pk: _finished(pk), timeout=120, worker=celery_worker, what=name)
        outcomes[name] = (reply.parse_status, reply.parse_error, time.monotonic() - started)
        Reply.objects.filter(pk=reply.pk).update(withdrawn_at=reply.uploaded_at, withdraw_reason="hostile")
    for name, (status, error, seconds) in outcomes.items():
        print(f"\n{name}: {status} after {seconds:.1f}s: {error}")
        assert status == Reply.ParseStatus.FAILED and seconds < 60
    assert outcomes["bomb"][1].startswith("文件无法安全解析")
    assert "40000×40000" in outcomes["huge"][1]
    assert "超过 5 秒" in outcomes["shared"][1]

    good = _upload(assignment_135, DEMO_PDF, "good.pdf")
    good = wait_for(lambda: _finished(good.pk), timeout=120, worker=celery_worker, what="a good file afterwards")
    assert good.parse_status == Reply.ParseStatus.PARSED, good.parse_error
    assert "WorkerLostError" not in celery_worker.output()


@pytest.mark.integration
def test_the_worker_s_own_time_limit_fails_the_reply_with_the_timeout_reason(celery_worker, assignment_135):  # noqa: F811
    """This process says 900 s; the worker was started with 8 s, and 8 s is what counts."""
    celery_worker.stop()
    celery_worker.start(REPLY_PARSE_SOFT_TIME_LIMIT="8", REPLY_PARSE_PAGE_SECONDS="300")
    started = time.monotonic()
    reply = _upload(assignment_135, hostile.shared_stream_pdf(), "slow.pdf")
    reply = wait_for(lambda: _finished(reply.pk), timeout=60, worker=celery_worker, what="the time limit")
    seconds = time.monotonic() - started
    print(f"\nsoft time limit 8s -> {reply.parse_status} after {seconds:.1f}s: {reply.parse_error}")
    assert reply.parse_status == Reply.ParseStatus.FAILED
    assert reply.parse_error.startswith("解析超时（超过 8 秒）")
    assert seconds < 30
