"""Taking reply files in: checking them, and recording uploads and archive imports as reply versions."""

from __future__ import annotations

import errno
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from proposals.models import Assignment, User

from ..models import Reply
from .common import co_handlers, locked_replyable, next_version
from .events import reply_mark_submitted
from .parsing import parse_limits, queue_parse

logger = logging.getLogger(__name__)


def file_sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


# Pictures a file may be where pictures=True: PNG, JPEG, GIF, WebP (RIFF....WEBP), told by their first bytes.
PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _is_picture(head: bytes) -> bool:
    return head.startswith(PICTURE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def reply_file_check(file, *, pictures: bool = False) -> int:
    """Refuse a file that is not a readable PDF, .docx or .ofd within the limits (or, with pictures=True, a PNG,
    JPEG, GIF or WebP picture, counted as one page), judged by its content, before anything is saved; returns its
    pages."""
    from replies.parsing import ParseError
    from replies.parsing.extract import inspect_reply

    size = getattr(file, "size", None)
    if size is not None and size > settings.REPLY_MAX_BYTES:
        raise ValidationError(_("文件过大：%(size).1f MB，上限为 %(limit).0f MB。")
                              % {"size": size / 2**20, "limit": settings.REPLY_MAX_BYTES / 2**20}, code="file")
    file.seek(0)
    data = file.read(settings.REPLY_MAX_BYTES + 1)
    file.seek(0)
    if pictures and _is_picture(data[:16]) and len(data) <= settings.REPLY_MAX_BYTES:
        return 1
    try:
        return inspect_reply(data, limits=parse_limits(), name=getattr(file, "name", "") or "")
    except ParseError as error:
        if pictures and not data.startswith((b"%PDF-", b"PK\x03\x04")):  # else: a PDF or DOCX, but unreadable
            raise ValidationError(_("附件须为 PDF、DOCX、OFD 文件或图片（PNG、JPEG、GIF、WebP）。"),
                                  code="file") from error
        raise ValidationError(str(error), code="file") from error


def _save_with_file(reply: Reply, file) -> None:
    """Store the file under the name upload_to gives it, then save the reply. A full disk or read-only media
    refuses the upload with a message, after removing what was partly written; if the row cannot be written, the
    stored file is removed again. Only the stored path is ever deleted, never one named after the client's file."""
    field = reply._meta.get_field("file")
    storage = field.storage
    name = storage.get_available_name(field.generate_filename(reply, getattr(file, "name", "") or "reply.pdf"),
                                      max_length=field.max_length)
    try:
        stored = storage.save(name, file, max_length=field.max_length)
    except OSError as error:
        logger.error("storing reply file %s failed: %s", name, error)
        try:
            if storage.exists(name):
                storage.delete(name)
        except OSError:
            logger.exception("could not remove the partly written %s", name)
        raise ValidationError(_("服务器存储空间不足或不可写入，文件未保存，请稍后重试或联系管理员。")
                              + f"（{errno.errorcode.get(error.errno, error.errno) if error.errno else error}）",
                              code="storage") from error
    reply.file = stored
    try:
        with transaction.atomic():
            reply.save()
    except BaseException:
        storage.delete(stored)
        raise


@transaction.atomic
def reply_create(*, assignment: Assignment, uploaded_by: User | None, file=None, original_name: str = "",
                 doc_number: str = "", reply_date=None, category: str = "") -> Reply:
    """Record a reply as the assignment's next version; recording it also signs for (签收) an assignment not yet
    signed. A reply with a file is a draft, queued for parsing once the transaction commits, that its department
    submits once parsed and checked; one entered without a file is submitted at once, unless it is a lead
    department's draft that its co-handlers must sign off first."""
    from proposals.services import assignment_sign

    assignment = locked_replyable(assignment)
    draft = assignment.replies.drafts().order_by("version").first()
    if draft is not None:
        # one draft at a time: a second one would be left behind once the first is submitted
        raise ValidationError(_("第%(version)d版尚未提交：请先提交或撤回它，再上传新版本。") % {"version": draft.version})
    if assignment.status == Assignment.Status.ASSIGNED:
        assignment_sign(assignment=assignment, by=uploaded_by)
    version = next_version(assignment)
    needs_signoff = assignment.role == Assignment.Role.LEAD and co_handlers(assignment).exists()
    reply = Reply(assignment=assignment, version=version, uploaded_by=uploaded_by, original_name=original_name[:255],
                  doc_number=doc_number, reply_date=reply_date, category=category)
    reply.full_clean(exclude=["file"])
    if file is not None:
        reply.sha256 = file_sha256(file)
        _save_with_file(reply, file)
        queue_parse(reply)
    else:
        reply.parse_status = Reply.ParseStatus.PARSED
        reply.save()
    if file is None and not needs_signoff:
        reply_mark_submitted(reply, assignment, by=uploaded_by)
    return reply


def reply_upload(*, assignment: Assignment, file, uploaded_by: User, doc_number: str = "", reply_date=None,
                 category: str = "") -> Reply:
    """Check an uploaded reply (PDF, .docx or .ofd) and record it; a bad file is refused with nothing saved."""
    pages = reply_file_check(file)
    with transaction.atomic():
        # the assignment is locked first, so the same file uploaded twice at once is checked one after the other:
        # the second sees the first's version (the constraint reply_unique_file_per_assignment backs this up)
        list(Assignment.objects.select_for_update().filter(pk=assignment.pk).values_list("pk"))
        # a withdrawn version's file may come again (withdrawn for a wrong date or category, say)
        previous = Reply.objects.current().filter(assignment=assignment, sha256=file_sha256(file)).first()
        if previous:
            raise ValidationError(_("该文件已作为第%(version)d版上传过。") % {"version": previous.version})
        try:
            reply = reply_create(assignment=assignment, uploaded_by=uploaded_by, file=file,
                                 original_name=Path(getattr(file, "name", "") or "").name, doc_number=doc_number,
                                 reply_date=reply_date, category=category)
        except IntegrityError as error:  # its stored file is already removed (_save_with_file)
            if "reply_unique_file_per_assignment" not in str(error):
                raise
            raise ValidationError(_("该文件已上传过。")) from error
        Reply.objects.filter(pk=reply.pk).update(pages=pages)
        reply.pages = pages
    return reply


@transaction.atomic
def reply_import(*, path: Path, uploaded_by: User | None = None) -> tuple[Reply | None, str]:
    """Take a PDF from an archive as a reply not yet matched to an assignment; the parse matches it.
    Returns (reply, "") or (None, why it was refused)."""
    with path.open("rb") as handle:
        file = File(handle, name=path.name)
        file.size = path.stat().st_size
        try:
            pages = reply_file_check(file)
        except ValidationError as error:
            return None, " ".join(error.messages)
        sha = file_sha256(file)
        duplicate = Reply.objects.filter(sha256=sha).first()
        if duplicate:
            return None, _("已导入过（答复 #%(id)d）。") % {"id": duplicate.pk}
        reply = Reply(assignment=None, uploaded_by=uploaded_by, original_name=path.name[:255], sha256=sha,
                      pages=pages)
        try:
            _save_with_file(reply, file)
        except ValidationError as error:
            return None, " ".join(error.messages)
    queue_parse(reply)
    return reply, ""
