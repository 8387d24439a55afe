"""Running the parser on a reply's file and storing what it found."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.textsearch import indexed_words

from ..models import Reply
from .matching import reply_match, reply_mismatches

PROGRESS_INTERVAL_SECONDS = 1.0

logger = logging.getLogger(__name__)


def parse_limits():
    """The parser's limits, from settings: the child's own deadline ends before the worker's soft time limit."""
    from replies.parsing.extract import Limits

    return Limits(max_bytes=settings.REPLY_MAX_BYTES, max_pages=settings.REPLY_MAX_PAGES,
                  timeout=max(settings.REPLY_PARSE_SOFT_TIME_LIMIT - 30, 10), ocr_engine=settings.REPLY_OCR_ENGINE)


def parse_sandbox():
    """What one parse may use in its child process, from settings."""
    from replies.parsing.isolated import Sandbox

    return Sandbox(memory_bytes=settings.REPLY_PARSE_MAX_MEMORY_MB * 2**20,
                   page_seconds=settings.REPLY_PARSE_PAGE_SECONDS,
                   heartbeat_seconds=max(settings.REPLY_PARSE_LEASE_SECONDS / 3, 1))


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.REPLY_PARSE_LEASE_SECONDS)


def _send_parse_task(reply_id: int) -> bool:
    """Put the parse task on the broker; when the broker is down, log it and leave the reply queued with no task
    (parse_task_sent_at empty), for reply_requeue_stalled to send once the broker is back. True if sent."""
    from ..tasks import reply_parse_task

    try:
        reply_parse_task.delay(reply_id)
    except Exception:  # kombu, redis and socket errors alike: the reply is saved, the task is sent later
        logger.warning("could not queue the parse of reply %s; the requeue task sends it later", reply_id,
                       exc_info=True)
        return False
    try:
        Reply.objects.filter(pk=reply_id).update(parse_task_sent_at=timezone.now())
    except (OperationalError, InterfaceError):
        logger.warning("could not record the parse task of reply %s as sent", reply_id, exc_info=True)
    return True


def queue_parse(reply: Reply) -> None:
    """Send the reply's parse task once the transaction commits; a broker outage never undoes the commit."""
    reply_id = reply.pk
    transaction.on_commit(lambda: _send_parse_task(reply_id))


@transaction.atomic
def reply_reparse(*, reply: Reply, force: bool = False) -> Reply:
    """Parse again (a retry, or after a parser upgrade); rows staff reviewed are kept. With force, a reply stuck
    in 排队中/解析中 longer than the threshold is queued again too (its task lost, its worker gone)."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if not reply.file:
        raise ValidationError(_("该答复没有上传文件，无法解析。"))
    if reply.parse_status in (Reply.ParseStatus.QUEUED, Reply.ParseStatus.PARSING):
        if not force:
            raise ValidationError(_("该答复正在排队或解析中。"))
        if not reply.parse_stuck:
            raise ValidationError(_("该答复排队或解析未满 %(minutes)d 分钟，请稍候再强制重试。")
                                  % {"minutes": settings.REPLY_FORCE_RETRY_AFTER_MINUTES})
    reply.parse_status = Reply.ParseStatus.QUEUED
    reply.parse_status_at = timezone.now()
    reply.parse_error = ""
    reply.pages_done = 0
    reply.parse_crashes = 0
    reply.parse_lease_until = None
    reply.parse_task_sent_at = None
    reply.save(update_fields=["parse_status", "parse_status_at", "parse_error", "pages_done", "parse_crashes",
                              "parse_lease_until", "parse_task_sent_at"])
    queue_parse(reply)
    return reply


def _mark_failed(reply_id: int, message: str) -> None:
    Reply.objects.filter(pk=reply_id).update(parse_status=Reply.ParseStatus.FAILED, parse_error=message[:2000],
                                             parse_status_at=timezone.now(), parse_lease_until=None)


class ParseLeaseHeld(Exception):
    """Another worker holds the reply's parse lease: this delivery is a duplicate; try again once it expires."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def _reply_parse_begin(reply_id: int) -> Reply | None:
    """Take the reply's parse lease; None when there is nothing (more) to do. A reply found 解析中 with its lease
    run out was being parsed by a worker that died: after REPLY_PARSE_MAX_CRASHES such deaths it fails for good,
    and a death past the time limit is a timeout, not a crash."""
    with transaction.atomic():
        reply = Reply.objects.select_for_update().filter(pk=reply_id).order_by().first()
        if reply is None or reply.parse_status in (Reply.ParseStatus.PARSED, Reply.ParseStatus.FAILED):
            return None  # parsed, or failed for a reason: only 重新解析 (which queues it again) parses it again
        now = timezone.now()
        if reply.parse_status == Reply.ParseStatus.PARSING:
            if reply.parse_lease_until and reply.parse_lease_until > now:
                raise ParseLeaseHeld((reply.parse_lease_until - now).total_seconds())
            last_seen = (reply.parse_lease_until - timedelta(seconds=settings.REPLY_PARSE_LEASE_SECONDS)
                         if reply.parse_lease_until else reply.parse_status_at)
            if last_seen - reply.parse_status_at >= timedelta(seconds=settings.REPLY_PARSE_SOFT_TIME_LIMIT):
                reply_parse_timed_out(reply_id=reply_id)  # alive until the time limit killed it
                return None
            reply.parse_crashes += 1
            if reply.parse_crashes >= settings.REPLY_PARSE_MAX_CRASHES:
                logger.error("reply %s: its parse ended its worker %d times; failed for good", reply_id,
                             reply.parse_crashes)
                Reply.objects.filter(pk=reply_id).update(parse_crashes=reply.parse_crashes)
                _mark_failed(reply_id, _("文件无法安全解析：解析进程已 %(count)d 次异常中止，请检查文件后重新上传。")
                             % {"count": reply.parse_crashes})
                return None
        reply.parse_status = Reply.ParseStatus.PARSING
        reply.parse_status_at = now
        reply.parse_error = ""
        reply.pages_done = 0
        reply.parse_lease_until = _lease_until()
        reply.save(update_fields=["parse_status", "parse_status_at", "parse_error", "pages_done", "parse_crashes",
                                  "parse_lease_until"])
    return reply


def reply_parse(*, reply_id: int) -> Reply | None:
    """Run the parser on a reply's file, in a child process under a memory ceiling and time budgets, and store
    the result. Safe to run twice: a reply already parsed is left alone, and storing replaces only rows nobody
    reviewed. Slow work runs outside any transaction; the lease on the row is renewed while it runs.
    Raises ParseLeaseHeld when another worker is parsing it, and database errors for the task to retry."""
    from celery.exceptions import SoftTimeLimitExceeded

    from replies.parsing import ParseError
    from replies.parsing.isolated import parse_file_isolated

    reply = _reply_parse_begin(reply_id)
    if reply is None:
        return Reply.objects.filter(pk=reply_id).first()

    reported_at = None

    def progress(done: int, total: int) -> None:
        # the page count at once, then at most one write a second: a text page takes milliseconds, and each
        # write is a commit the worker waits for; an OCR page takes seconds and is reported every time
        nonlocal reported_at
        now = time.monotonic()
        if reported_at is not None and now - reported_at < PROGRESS_INTERVAL_SECONDS:
            return
        reported_at = now
        Reply.objects.filter(pk=reply_id).update(pages_done=done, pages=total, parse_lease_until=_lease_until())

    def heartbeat() -> None:
        try:
            Reply.objects.filter(pk=reply_id, parse_status=Reply.ParseStatus.PARSING).update(
                parse_lease_until=_lease_until())
        except (OperationalError, InterfaceError):  # the database is away: the parse goes on, storing retries
            logger.warning("reply %s: could not renew its parse lease", reply_id, exc_info=True)

    try:
        result = parse_file_isolated(reply.file.path, limits=parse_limits(), sandbox=parse_sandbox(),
                                     progress=progress, heartbeat=heartbeat)
    except ParseError as error:
        _mark_failed(reply_id, str(error))
        return Reply.objects.get(pk=reply_id)
    except FileNotFoundError:
        _mark_failed(reply_id, _("答复文件丢失，请重新上传。"))
        return Reply.objects.get(pk=reply_id)
    except SoftTimeLimitExceeded:
        raise  # the task marks the reply 解析超时; the child is already killed
    except (OperationalError, InterfaceError):
        _release_lease(reply_id)
        raise  # transient: the task retries
    except Exception as error:  # a bug of ours must not leave the reply "parsing" forever
        logger.exception("parsing reply %s failed", reply_id)
        _mark_failed(reply_id, _("解析程序出错（%(error)s），请联系管理员。") % {"error": type(error).__name__})
        return Reply.objects.get(pk=reply_id)
    text_words = indexed_words(result.get("text") or "")  # segmenting a long reply takes a while: not in the lock
    try:
        return _reply_store_parse(reply_id=reply_id, result=result, text_words=text_words)
    except (OperationalError, InterfaceError):
        _release_lease(reply_id)
        raise


def _release_lease(reply_id: int) -> None:
    """Before a retry after a database error: back to 排队中, so the retry is not taken for a dead worker's.
    Best effort: the database may still be away, and then the retry finds the lease run out (one crash counted)."""
    try:
        Reply.objects.filter(pk=reply_id, parse_status=Reply.ParseStatus.PARSING).update(
            parse_status=Reply.ParseStatus.QUEUED, parse_lease_until=None)
    except (OperationalError, InterfaceError):
        pass


@transaction.atomic
def _reply_store_parse(*, reply_id: int, result: dict, text_words: str) -> Reply:
    from indicators.services import extracted_rows_replace_pending

    reply = Reply.objects.select_for_update(of=("self",)).select_related(
        "assignment__proposal__session", "assignment__department").get(pk=reply_id)
    header = result.get("header") or {}
    if not reply.doc_number and header.get("doc_number"):
        reply.doc_number = header["doc_number"][:100]
    if reply.reply_date is None and header.get("reply_date"):
        reply.reply_date = _iso_date(header["reply_date"])
    if not reply.category and header.get("category") in Reply.Category.values:
        reply.category = header["category"]
    reply.parsed_header = header
    reply.text = result.get("text") or ""
    reply.text_words = text_words
    reply.pages = result.get("pages") or reply.pages
    reply.pages_done = reply.pages or 0
    reply.ocr = bool(result.get("ocr"))
    reply.parse_status = Reply.ParseStatus.PARSED
    reply.parsed_at = reply.parse_status_at = timezone.now()
    reply.parse_lease_until = None
    if reply.assignment_id is not None:
        reply.mismatches = reply_mismatches(reply=reply)
    reply.save()
    extracted_rows_replace_pending(reply=reply, result=result)
    if reply.assignment_id is None:
        reply_match(reply=reply)
    return reply


def _iso_date(text) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def reply_parse_timed_out(*, reply_id: int) -> None:
    """The parse ran past the worker's time limit: the reply fails with a reason staff and the uploader can read."""
    seconds = settings.REPLY_PARSE_SOFT_TIME_LIMIT
    limit = (_("%(minutes)d 分钟") % {"minutes": seconds // 60} if seconds >= 120
             else _("%(seconds)d 秒") % {"seconds": seconds})
    _mark_failed(reply_id, _("解析超时（超过 %(limit)s），请检查文件或稍后重试。") % {"limit": limit})


def parse_queue_backlog() -> int | None:
    """How many tasks wait in the parse queue on the broker; None when there is no broker to ask (tasks run
    in-process) or it does not answer."""
    from config.celery import app

    if app.conf.task_always_eager:
        return None
    try:
        with app.connection_for_read() as connection:
            return connection.default_channel.queue_declare(queue=app.conf.task_default_queue).message_count
    except Exception:  # kombu, redis and socket errors alike: the broker cannot say
        logger.warning("could not read the parse queue's length", exc_info=True)
        return None


def reply_requeue_stalled() -> int:
    """Send again the parse task of every reply whose task was lost: queued with no task sent (the broker was
    down), queued with a task for longer than REPLY_REQUEUE_AFTER_MINUTES, or REPLY_REQUEUE_LOST_SECONDS when
    nothing waits in the parse queue (a broker restart or flush lost it), or 解析中 with its lease run out (its
    worker died). Parsing is idempotent and a duplicate waits for the lease, so a task that was only slow does no
    harm. Returns how many were sent; database errors propagate for the task to retry."""
    now = timezone.now()
    queued_for = (timedelta(seconds=settings.REPLY_REQUEUE_LOST_SECONDS) if parse_queue_backlog() == 0
                  else timedelta(minutes=settings.REPLY_REQUEUE_AFTER_MINUTES))
    stalled = list(Reply.objects.stalled(
        now=now, queued_for=queued_for,
        unsent_for=timedelta(seconds=settings.REPLY_REQUEUE_UNSENT_SECONDS),
        lease=timedelta(seconds=settings.REPLY_PARSE_LEASE_SECONDS)).values_list("pk", "parse_status"))
    sent = 0
    for reply_id, status in stalled:
        if status == Reply.ParseStatus.QUEUED:
            Reply.objects.filter(pk=reply_id).update(parse_status_at=now)
        # the task finds the lease run out and takes over at once; sending it stamps parse_task_sent_at, so the
        # next requeue of the same reply comes only a lease later, if this task is lost too
        sent += _send_parse_task(reply_id)
    return sent
