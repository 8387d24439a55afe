"""Limits on what one user may ask of the worker: retries of a failed parse, and uploads per minute."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from proposals.models import User
from proposals.vocabulary import terms_for

from ..models import Reply


def reply_department_retries(reply: Reply) -> int:
    """How many times a department requeued this reply's parse: each retry is a change to 排队中 by a department
    user with a new status time (the upload's own saves keep the upload's time)."""
    history = reply.history.all()
    created = history.filter(history_type="+").values_list("parse_status_at", flat=True).first()
    retries = history.filter(history_type="~", parse_status=Reply.ParseStatus.QUEUED,
                             history_user__role=User.Role.DEPARTMENT)
    if created is not None:
        retries = retries.exclude(parse_status_at=created)
    return len(set(retries.values_list("parse_status_at", flat=True)))


def reply_retry_check(*, reply: Reply, by: User) -> None:
    """A department may retry its own failed parse REPLY_RETRY_LIMIT times; the office as often as it likes."""
    if by.is_office_staff:
        return
    limit = settings.REPLY_RETRY_LIMIT
    if reply_department_retries(reply) >= limit:
        desk = reply.assignment.proposal.terms.desk if reply.assignment else terms_for(None).desk
        raise ValidationError(_("该答复已重试解析 %(limit)d 次，不能再重试。请检查文件后重新上传，或联系%(desk)s处理。")
                              % {"limit": limit, "desk": desk})


def upload_rate_check(*, user: User) -> None:
    """At most UPLOAD_RATE_LIMIT uploads per user in UPLOAD_RATE_WINDOW seconds, counted in the cache."""
    limit, window = settings.UPLOAD_RATE_LIMIT, settings.UPLOAD_RATE_WINDOW
    if limit <= 0 or window <= 0:
        return
    key = f"upload-rate:{user.pk}"
    try:
        # the window opens with the first upload and closes `window` seconds later: incr keeps the expiry
        cache.add(key, 0, timeout=window)
        count = cache.incr(key)
    except Exception:  # no cache (Redis down, or the dummy cache): an upload is never refused for that
        return
    if count > limit:
        raise ValidationError(_("上传过于频繁：每 %(window)d 秒最多上传 %(limit)d 个文件，请稍后再试。")
                              % {"window": window, "limit": limit})
