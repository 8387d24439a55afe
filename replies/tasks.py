import logging
import time

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.worker.request import Request
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# Database and broker errors are retried with capped exponential backoff, no jitter: 5, 10, 20, 40, 80, 120...
# seconds, so the retries of one task outlast a 5-minute PostgreSQL outage (tests/replies/test_outages.py).
DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, BrokerError),
    "retry_backoff": settings.TASK_DB_RETRY_BACKOFF,
    "retry_backoff_max": settings.TASK_DB_RETRY_BACKOFF_MAX,
    "retry_jitter": False,
    "max_retries": settings.TASK_DB_MAX_RETRIES,
}


class ParseRequest(Request):
    """The worker's view of one parse task: a hard time limit (the pool child killed) fails the reply with
    解析超时, like the soft one, instead of leaving it 解析中."""

    def on_timeout(self, soft, timeout):
        super().on_timeout(soft, timeout)
        if not soft and self.args:
            from replies.services import reply_parse_timed_out

            try:
                reply_parse_timed_out(reply_id=self.args[0])
            except (OperationalError, InterfaceError):  # the lease runs out; the requeue task settles it
                logger.exception("reply %s: could not record its hard time limit", self.args[0])


class WorkerTimeLimitsTask(Task):
    """A task sent with no time limits in its message: the worker's own settings (CELERY_TASK_SOFT_TIME_LIMIT,
    CELERY_TASK_TIME_LIMIT) decide, not whatever the web process that sent it was configured with."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None,
                    shadow=None, **options):
        options["time_limit"] = options["soft_time_limit"] = None
        return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)


class ReplyParseTask(WorkerTimeLimitsTask):
    Request = ParseRequest


@shared_task(base=ReplyParseTask, acks_late=True, reject_on_worker_lost=True, **DB_RETRY)
def reply_parse_task(reply_id: int) -> None:
    from replies.services import reply_parse, reply_parse_timed_out
    from replies.services.parsing import ParseLeaseHeld

    # A delivery that finds another worker's lease waits for it to run out once: a worker that died is then
    # taken over at once; one still renewing its lease is alive and finishes the parse, so this copy is dropped
    # (should that worker die later, the requeue task sends the parse again).
    waited = False
    while True:
        try:
            reply_parse(reply_id=reply_id)
        except SoftTimeLimitExceeded:
            reply_parse_timed_out(reply_id=reply_id)
        except ParseLeaseHeld as held:
            if waited:
                logger.info("reply %s is being parsed by a live worker; duplicate delivery dropped", reply_id)
                return
            waited = True
            time.sleep(held.seconds + 0.5)
            continue
        return


@shared_task(base=WorkerTimeLimitsTask, acks_late=True, **DB_RETRY)
def reply_requeue_stalled_task() -> int:
    from replies.services import reply_requeue_stalled

    return reply_requeue_stalled()
