from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, BrokerError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.REPLY_PARSE_SOFT_TIME_LIMIT,
    time_limit=settings.REPLY_PARSE_SOFT_TIME_LIMIT + 60,
)
def reply_parse_task(reply_id: int) -> None:
    from replies.services import reply_parse, reply_parse_timed_out

    try:
        reply_parse(reply_id=reply_id)
    except SoftTimeLimitExceeded:
        reply_parse_timed_out(reply_id=reply_id)


@shared_task(acks_late=True)
def reply_requeue_stalled_task() -> int:
    from replies.services import reply_requeue_stalled

    return reply_requeue_stalled()
