"""Every write to replies and feedback goes through one of these functions."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Assignment, AssignmentEvent, Department, Member, Proposal, Session, User
from proposals.services import assignment_reopen

from .models import Feedback, Reply, ReplyCategoryChange

PROGRESS_INTERVAL_SECONDS = 1.0

logger = logging.getLogger(__name__)

REPLYABLE_STATUSES = (Assignment.Status.ASSIGNED, Assignment.Status.SIGNED, Assignment.Status.REOPENED)


def parse_limits():
    """The parser's limits, from settings."""
    from replies.parsing.extract import Limits

    return Limits(max_bytes=settings.REPLY_MAX_BYTES, max_pages=settings.REPLY_MAX_PAGES)


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def reply_file_check(file) -> int:
    """Refuse a file that is not a readable PDF within the limits, before anything is saved; returns its pages."""
    from replies.parsing import ParseError
    from replies.parsing.extract import inspect_pdf

    size = getattr(file, "size", None)
    if size is not None and size > settings.REPLY_MAX_BYTES:
        raise ValidationError(_("文件过大：%(size).1f MB，上限为 %(limit).0f MB。")
                              % {"size": size / 2**20, "limit": settings.REPLY_MAX_BYTES / 2**20})
    file.seek(0)
    data = file.read(settings.REPLY_MAX_BYTES + 1)
    file.seek(0)
    try:
        return inspect_pdf(data, limits=parse_limits())
    except ParseError as error:
        raise ValidationError(str(error)) from error


def _assignment_mark_replied(assignment: Assignment, *, by: User | None, version: int) -> None:
    assignment.status = Assignment.Status.REPLIED
    assignment.save(update_fields=["status"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REPLIED, by=by,
                                   note=_("第%(version)d版") % {"version": version})
    proposal = assignment.proposal
    if assignment.role == Assignment.Role.LEAD and proposal.status == Proposal.Status.ASSIGNED:
        proposal.status = Proposal.Status.REPLIED
        proposal.save(update_fields=["status", "updated_at"])


def _locked_replyable(assignment: Assignment) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=assignment.pk)
    if assignment.status not in REPLYABLE_STATUSES:
        raise ValidationError(_("该交办当前为“%(status)s”，不能提交答复。") % {"status": assignment.get_status_display()})
    return assignment


def _next_version(assignment: Assignment) -> int:
    return (assignment.replies.aggregate(v=Max("version"))["v"] or 0) + 1


def _save_with_file(reply: Reply) -> None:
    """Save a reply whose file is new; if the row cannot be written, the stored file is removed again."""
    try:
        with transaction.atomic():
            reply.save()
    except BaseException:
        if reply.file.name:
            reply.file.storage.delete(reply.file.name)
        raise


def _co_handlers(assignment: Assignment):
    """The co-handling assignments whose sign-off a lead department's reply waits for."""
    return Assignment.objects.filter(proposal=assignment.proposal_id, role=Assignment.Role.CO).exclude(
        status=Assignment.Status.RETURNED)


@transaction.atomic
def reply_create(*, assignment: Assignment, uploaded_by: User | None, file=None, original_name: str = "",
                 doc_number: str = "", reply_date=None, category: str = "", is_public: bool = True) -> Reply:
    """Record a reply as the assignment's next version. It is submitted at once, unless it is a lead
    department's draft that its co-handlers must sign off first. A reply with a file is queued for parsing
    once the transaction commits."""
    assignment = _locked_replyable(assignment)
    version = _next_version(assignment)
    needs_signoff = assignment.role == Assignment.Role.LEAD and _co_handlers(assignment).exists()
    reply = Reply(assignment=assignment, version=version, uploaded_by=uploaded_by, original_name=original_name[:255],
                  doc_number=doc_number, reply_date=reply_date, category=category, is_public=is_public,
                  submitted_at=None if needs_signoff else timezone.now())
    reply.full_clean(exclude=["file"])
    if file is not None:
        reply.sha256 = _sha256(file)
        reply.file = file
        _save_with_file(reply)
        _queue_parse(reply)
    else:
        reply.parse_status = Reply.ParseStatus.PARSED
        reply.save()
    if not needs_signoff:
        _assignment_mark_replied(assignment, by=uploaded_by, version=version)
    return reply


def reply_signoffs_missing(*, reply: Reply) -> list[Assignment]:
    """Co-handling assignments that have neither signed off this draft nor been waived."""
    signed = reply.signoffs.values("assignment")
    return list(_co_handlers(reply.assignment).exclude(pk__in=signed).select_related("department"))


@transaction.atomic
def reply_signoff(*, reply: Reply, assignment: Assignment, by: User, waive_reason: str = "") -> Reply:
    """会签: a co-handler signs off the lead's draft; staff may waive it instead, with a reason."""
    from .models import ReplySignoff

    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交，无需会签。"))
    if assignment.pk not in {a.pk for a in _co_handlers(reply.assignment)}:
        raise ValidationError(_("该单位不是本提案的会办单位。"))
    if reply.signoffs.filter(assignment=assignment).exists():
        raise ValidationError(_("该会办单位已会签。"))
    signoff = ReplySignoff(reply=reply, assignment=assignment, by=by, waived=bool(waive_reason.strip()),
                           note=waive_reason.strip())
    signoff.full_clean()
    signoff.save()
    return reply


@transaction.atomic
def reply_submit(*, reply: Reply, by: User) -> Reply:
    """The lead department submits its draft once every co-handler has signed off or been waived."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related("assignment__proposal").get(pk=reply.pk)
    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交。"))
    missing = reply_signoffs_missing(reply=reply)
    if missing:
        raise ValidationError(_("尚待会签：%(departments)s") % {"departments": "、".join(str(a.department)
                                                                                 for a in missing)})
    assignment = _locked_replyable(reply.assignment)
    reply.submitted_at = timezone.now()
    reply.save(update_fields=["submitted_at"])
    _assignment_mark_replied(assignment, by=by, version=reply.version)
    return reply


def reply_upload(*, assignment: Assignment, file, uploaded_by: User, doc_number: str = "", reply_date=None,
                 category: str = "", is_public: bool = True) -> Reply:
    """Check an uploaded reply PDF and record it; a bad file is refused with nothing saved."""
    pages = reply_file_check(file)
    with transaction.atomic():
        previous = Reply.objects.filter(assignment=assignment, sha256=_sha256(file)).first()
        if previous:
            raise ValidationError(_("该文件已作为第%(version)d版上传过。") % {"version": previous.version})
        reply = reply_create(assignment=assignment, uploaded_by=uploaded_by, file=file,
                             original_name=Path(getattr(file, "name", "") or "").name, doc_number=doc_number,
                             reply_date=reply_date, category=category, is_public=is_public)
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
        sha = _sha256(file)
        duplicate = Reply.objects.filter(sha256=sha).first()
        if duplicate:
            return None, _("已导入过（答复 #%(id)d）。") % {"id": duplicate.pk}
        reply = Reply(assignment=None, uploaded_by=uploaded_by, original_name=path.name[:255], sha256=sha,
                      pages=pages, file=file)
        _save_with_file(reply)
    _queue_parse(reply)
    return reply, ""


def _queue_parse(reply: Reply) -> None:
    from .tasks import reply_parse_task

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
    _queue_parse(reply)
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


def _session_key(name: str | None) -> str:
    return re.sub(r"[\s第]", "", name or "")


def reply_mismatches(*, reply: Reply) -> list[dict]:
    """Where the parsed header contradicts the assignment it was uploaded for: flagged for staff, never overwritten."""
    header, assignment = reply.parsed_header or {}, reply.assignment
    proposal, department = assignment.proposal, assignment.department
    found = []
    number = (header.get("proposal_number") or "").lstrip("0")
    if number and number != str(proposal.number):
        found.append({"field": "proposal_number", "parsed": header["proposal_number"],
                      "expected": str(proposal.number), "message": _("答复中的提案号与交办的提案不一致")})
    session = header.get("session")
    if session and _session_key(session) != _session_key(proposal.session.name):
        found.append({"field": "session", "parsed": session, "expected": proposal.session.name,
                      "message": _("答复中的届次与提案不一致")})
    named = header.get("department") or ""
    if named and named not in (department.name, department.short_name):
        found.append({"field": "department", "parsed": named, "expected": department.name,
                      "message": _("答复署名单位与承办单位不一致")})
    doc_number = header.get("doc_number") or ""
    if doc_number and department.doc_prefixes and not any(doc_number.startswith(p) for p in department.doc_prefixes):
        found.append({"field": "doc_number", "parsed": doc_number, "expected": "、".join(department.doc_prefixes),
                      "message": _("文号前缀不属于承办单位")})
    return found


@transaction.atomic
def reply_match(*, reply: Reply) -> Reply:
    """Match an imported reply to its assignment from its parsed header (session and number; department by
    name or document-number prefix). Ambiguous and unmatched replies wait for staff to assign them by hand."""
    header = reply.parsed_header or {}
    number = (header.get("proposal_number") or "").lstrip("0")
    departments = Department.objects.matching(name=header.get("department"), doc_number=header.get("doc_number"))
    proposals = Proposal.objects.filter(number=int(number)) if number.isdigit() and len(number) < 10 else \
        Proposal.objects.none()
    if header.get("session"):
        key = _session_key(header["session"])
        sessions = [s.pk for s in Session.objects.all() if _session_key(s.name) == key]
        proposals = proposals.filter(session__in=sessions)
    candidates = list(Assignment.objects.filter(proposal__in=proposals, department__in=departments)
                      .exclude(status=Assignment.Status.RETURNED).select_related("proposal"))
    if len(candidates) == 1:
        assignment = candidates[0]
        try:
            reply_attach(reply=reply, assignment=assignment, by=None)
        except ValidationError as error:
            return _match_result(reply, Reply.Match.AMBIGUOUS, f"{assignment}: {' '.join(error.messages)}")
        return _match_result(reply, Reply.Match.MATCHED, str(assignment))
    if candidates:
        return _match_result(reply, Reply.Match.AMBIGUOUS, "；".join(str(a) for a in candidates))
    if not proposals.exists():
        note = _("未找到提案：%(session)s 第%(number)s号") % {"session": header.get("session") or "?",
                                                       "number": number or "?"}
    elif not departments:
        note = _("未找到承办单位：%(name)s %(doc)s") % {"name": header.get("department") or "?",
                                                  "doc": header.get("doc_number") or ""}
    else:
        note = _("该提案未交办给 %(departments)s") % {"departments": "、".join(d.name for d in departments)}
    return _match_result(reply, Reply.Match.UNMATCHED, note)


def _match_result(reply: Reply, status: str, note: str) -> Reply:
    reply.match_status = status
    reply.match_note = note[:2000]
    reply.save(update_fields=["match_status", "match_note"])
    return reply


@transaction.atomic
def reply_attach(*, reply: Reply, assignment: Assignment, by: User | None) -> Reply:
    """Give an unassigned (imported) reply to an assignment, as its next version; an archive may hold
    several versions of one reply, so an assignment already answered takes it too."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.assignment_id is not None:
        raise ValidationError(_("该答复已属于一项交办。"))
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=assignment.pk)
    if assignment.status == Assignment.Status.RETURNED:
        raise ValidationError(_("该交办已退回，不能归入答复。"))
    reply.assignment = assignment
    reply.version = _next_version(assignment)
    reply.match_status = Reply.Match.MATCHED
    reply.submitted_at = reply.submitted_at or timezone.now()
    reply.mismatches = reply_mismatches(reply=reply)
    reply.save(update_fields=["assignment", "version", "match_status", "submitted_at", "mismatches"])
    if assignment.status in REPLYABLE_STATUSES:
        _assignment_mark_replied(assignment, by=by, version=reply.version)
    return reply


@transaction.atomic
def reply_category_change(*, reply: Reply, category: str, reason: str, by: User) -> Reply:
    """Change a reply's category during the office's check; the old value and the reason are kept."""
    if category not in Reply.Category.values:
        raise ValidationError(_("答复类别无效。"))
    if not reason.strip():
        raise ValidationError(_("调整答复类别须说明理由。"))
    if category == reply.category:
        return reply
    ReplyCategoryChange.objects.create(reply=reply, old_category=reply.category, new_category=category,
                                       reason=reason.strip(), by=by)
    reply.category = category
    reply.save(update_fields=["category"])
    return reply


@transaction.atomic
def reply_release(*, reply: Reply, by: User) -> Reply:
    """督办审核: the office has checked the reply and releases it; only now are the proposers told."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related("assignment__proposal").get(pk=reply.pk)
    if reply.released_at is not None:
        raise ValidationError(_("该答复已审核发布。"))
    if reply.assignment_id is None:
        raise ValidationError(_("该答复尚未归入交办，不能发布。"))
    if reply.submitted_at is None:
        raise ValidationError(_("该答复尚未提交（等待会签）。"))
    reply.released_at = timezone.now()
    reply.released_by = by
    reply.save(update_fields=["released_at", "released_by"])
    proposal = reply.assignment.proposal
    recipients = [m.email for m in proposal.proposers.all() if m.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(
            subject=_("您的提案（第%(number)d号）已收到答复") % {"number": proposal.number},
            message=_("《%(title)s》的答复已由%(department)s作出（%(doc)s），请登录查看并填写征询意见表。")
            % {"title": proposal.title, "department": reply.assignment.department, "doc": reply.doc_number},
            from_email=None, recipient_list=recipients, fail_silently=True))
    return reply


@transaction.atomic
def feedback_record(*, reply: Reply, member: Member, rating: str, by: User | None = None,
                    handling_rating: str = "", outcome_rating: str = "", comment: str = "") -> Feedback:
    """Record a proposer's rating; 不满意 reopens the assignment for re-handling with a new due date."""
    reply = Reply.objects.select_related("assignment__proposal").get(pk=reply.pk)
    proposal = reply.assignment.proposal
    if not proposal.proposer_links.filter(member=member).exists():
        raise ValidationError(_("%(member)s 不是该提案的提案人。") % {"member": member})
    if reply.released_at is None:
        raise ValidationError(_("答复尚未审核发布，不能征询意见。"))
    feedback = Feedback(reply=reply, member=member, rating=rating, handling_rating=handling_rating,
                        outcome_rating=outcome_rating, comment=comment, recorded_by=by)
    feedback.full_clean()
    feedback.save()
    if rating == Feedback.Rating.UNSATISFIED:
        assignment = Assignment.objects.select_for_update().get(pk=reply.assignment_id)
        if assignment.status == Assignment.Status.REPLIED:
            assignment_reopen(assignment=assignment, by=by, note=comment)
    elif proposal.status == Proposal.Status.REPLIED:
        proposal.status = Proposal.Status.EVALUATED
        proposal.save(update_fields=["status", "updated_at"])
    return feedback


def reply_parse_timed_out(*, reply_id: int) -> None:
    """The parse ran past its time limit: the reply fails with a reason staff and the uploader can read."""
    _mark_failed(reply_id, _("解析超时（超过 %(minutes)d 分钟），请检查文件或稍后重试。")
                 % {"minutes": settings.REPLY_PARSE_SOFT_TIME_LIMIT // 60})


def reply_requeue_stalled() -> int:
    """Queue again every reply whose parse task was lost (a broker restart, a worker gone for good);
    parsing is idempotent, so a task that was only slow does no harm. Returns how many were queued."""
    from datetime import timedelta

    from .tasks import reply_parse_task

    stalled = list(Reply.objects.stalled(
        now=timezone.now(), queued_for=timedelta(minutes=settings.REPLY_REQUEUE_AFTER_MINUTES),
        parsing_for=timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)).values_list("pk", flat=True))
    for reply_id in stalled:
        Reply.objects.filter(pk=reply_id).update(parse_status_at=timezone.now())
        reply_parse_task.delay(reply_id)
    return len(stalled)
