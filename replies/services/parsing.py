"""Running the parser on a reply's file and storing what it found."""

from __future__ import annotations

import logging
import time
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Reply
from .matching import reply_match, reply_mismatches

PROGRESS_INTERVAL_SECONDS = 1.0

logger = logging.getLogger(__name__)


def parse_limits():
    """The parser's limits, from settings."""
    from replies.parsing.extract import Limits

    return Limits(max_bytes=settings.REPLY_MAX_BYTES, max_pages=settings.REPLY_MAX_PAGES)


def queue_parse(reply: Reply) -> None:
    from ..tasks import reply_parse_task

    reply_id = reply.pk
    transaction.on_commit(lambda: reply_parse_task.delay(reply_id))


@transaction.atomic
def reply_reparse(*, reply: Reply) -> Reply:
    """Parse again (a retry, or after a parser upgrade); rows staff reviewed are kept."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if not reply.file:
        raise ValidationError(_("该答复没有上传文件，无法解析。"))
    if reply.parse_status in (Reply.ParseStatus.QUEUED, Reply.ParseStatus.PARSING):
        raise ValidationError(_("该答复正在排队或解析中。"))
    reply.parse_status = Reply.ParseStatus.QUEUED
    reply.parse_status_at = timezone.now()
    reply.parse_error = ""
    reply.pages_done = 0
    reply.save(update_fields=["parse_status", "parse_status_at", "parse_error", "pages_done"])
    queue_parse(reply)
    return reply


def _mark_failed(reply_id: int, message: str) -> None:
    Reply.objects.filter(pk=reply_id).update(parse_status=Reply.ParseStatus.FAILED, parse_error=message[:2000],
                                             parse_status_at=timezone.now())


def reply_parse(*, reply_id: int) -> Reply | None:
    """Run the parser on a reply's file and store the result. Safe to run twice: a reply already parsed
    is left alone, and storing replaces only rows nobody reviewed. Slow work runs outside any transaction."""
    from replies.parsing import ParseError, parse_file

    with transaction.atomic():
        reply = Reply.objects.select_for_update().filter(pk=reply_id).order_by().first()
        if reply is None or reply.parse_status == Reply.ParseStatus.PARSED:
            return reply
        reply.parse_status = Reply.ParseStatus.PARSING
        reply.parse_status_at = timezone.now()
        reply.parse_error = ""
        reply.pages_done = 0
        reply.save(update_fields=["parse_status", "parse_status_at", "parse_error", "pages_done"])

    reported_at = None

    def progress(done: int, total: int) -> None:
        # the page count at once, then at most one write a second: a text page takes milliseconds, and each
        # write is a commit the worker waits for; an OCR page takes seconds and is reported every time
        nonlocal reported_at
        now = time.monotonic()
        if reported_at is not None and now - reported_at < PROGRESS_INTERVAL_SECONDS:
            return
        reported_at = now
        Reply.objects.filter(pk=reply_id).update(pages_done=done, pages=total)

    try:
        result = parse_file(reply.file.path, limits=parse_limits(), progress=progress).to_dict()
    except ParseError as error:
        _mark_failed(reply_id, str(error))
        return Reply.objects.get(pk=reply_id)
    except FileNotFoundError:
        _mark_failed(reply_id, _("答复文件丢失，请重新上传。"))
        return Reply.objects.get(pk=reply_id)
    except (OperationalError, InterfaceError):
        raise  # transient: the task retries
    except Exception as error:  # a parser bug must not leave the reply "parsing" forever
        logger.exception("parsing reply %s failed", reply_id)
        _mark_failed(reply_id, _("解析程序出错（%(error)s），请联系管理员。") % {"error": type(error).__name__})
        return Reply.objects.get(pk=reply_id)
    return _reply_store_parse(reply_id=reply_id, result=result)


@transaction.atomic
def _reply_store_parse(*, reply_id: int, result: dict) -> Reply:
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
    reply.pages = result.get("pages") or reply.pages
    reply.pages_done = reply.pages or 0
    reply.ocr = bool(result.get("ocr"))
    reply.parse_status = Reply.ParseStatus.PARSED
    reply.parsed_at = reply.parse_status_at = timezone.now()
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
    """The parse ran past its time limit: the reply fails with a reason staff and the uploader can read."""
    _mark_failed(reply_id, _("解析超时（超过 %(minutes)d 分钟），请检查文件或稍后重试。")
                 % {"minutes": settings.REPLY_PARSE_SOFT_TIME_LIMIT // 60})


def reply_requeue_stalled() -> int:
    """Queue again every reply whose parse task was lost (a broker restart, a worker gone for good);
    parsing is idempotent, so a task that was only slow does no harm. Returns how many were queued."""
    from datetime import timedelta

    from ..tasks import reply_parse_task

    stalled = list(Reply.objects.stalled(
        now=timezone.now(), queued_for=timedelta(minutes=settings.REPLY_REQUEUE_AFTER_MINUTES),
        parsing_for=timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)).values_list("pk", flat=True))
    for reply_id in stalled:
        Reply.objects.filter(pk=reply_id).update(parse_status_at=timezone.now())
        reply_parse_task.delay(reply_id)
    return len(stalled)
