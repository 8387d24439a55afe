"""The reply's way from draft to release: co-handlers' sign-off, submission, the office's check and release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Assignment, User
from proposals.notifications import proposers_notify

from ..models import Reply, ReplyCategoryChange, ReplyEvent
from .common import co_handlers, locked_replyable
from .events import reply_event_add, reply_mark_submitted
from .matching import reply_mismatches_unresolved, unresolved_mismatches_error


def reply_signoffs_missing(*, reply: Reply) -> list[Assignment]:
    """Co-handling assignments that have neither signed off this draft nor been waived."""
    signed = reply.signoffs.values("assignment")
    return list(co_handlers(reply.assignment).exclude(pk__in=signed).select_related("department"))


@transaction.atomic
def reply_signoff(*, reply: Reply, assignment: Assignment, by: User, waive_reason: str = "") -> Reply:
    """会签: a co-handler signs off the lead's draft; staff may waive it instead, with a reason."""
    from ..models import ReplySignoff

    if reply.withdrawn_at is not None:
        raise ValidationError(_("该答复已撤回。"))
    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交，无需会签。"))
    if assignment.pk not in {a.pk for a in co_handlers(reply.assignment)}:
        raise ValidationError(_("该单位不是本%(proposal)s的会办单位。")
                              % {"proposal": reply.assignment.proposal.terms.noun})
    if reply.signoffs.filter(assignment=assignment).exists():
        raise ValidationError(_("该会办单位已会签。"))
    signoff = ReplySignoff(reply=reply, assignment=assignment, by=by, waived=bool(waive_reason.strip()),
                           note=waive_reason.strip())
    signoff.full_clean()
    signoff.save()
    return reply


def reply_submit_check(*, reply: Reply) -> None:
    """Raise what keeps this draft from being submitted, if anything; the confirm step asks it first."""
    if reply.withdrawn_at is not None:
        raise ValidationError(_("该答复已撤回，不能提交。"))
    if reply.assignment_id is None:
        raise ValidationError(_("该答复尚未归入交办。"))
    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交。"))
    if reply.file and reply.parse_status != Reply.ParseStatus.PARSED:
        raise ValidationError(_("答复文件尚未解析完成（%(status)s），解析完成后才能提交。")
                              % {"status": reply.get_parse_status_display()})
    unresolved = reply_mismatches_unresolved(reply=reply)
    if unresolved:
        raise unresolved_mismatches_error(unresolved)
    missing = reply_signoffs_missing(reply=reply)
    if missing:
        raise ValidationError(_("尚待会签：%(departments)s") % {"departments": "、".join(str(a.department)
                                                                                 for a in missing)})


@transaction.atomic
def reply_submit(*, reply: Reply, by: User) -> Reply:
    """The department submits its draft once it is parsed, every header mismatch is resolved and, for a lead
    department's draft, every co-handler has signed off or been waived; the assignment becomes 已答复 only now."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related(
        "assignment__proposal", "assignment__department").get(pk=reply.pk)
    reply_submit_check(reply=reply)
    assignment = locked_replyable(reply.assignment)
    reply_mark_submitted(reply, assignment, by=by)
    return reply


def reply_withdraw_check(*, reply: Reply, reason: str) -> None:
    """Raise what keeps this version from being withdrawn, if anything; the confirm step asks it first."""
    if reply.withdrawn_at is not None:
        raise ValidationError(_("该答复已撤回。"))
    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交，不能撤回。"))
    if not reason.strip():
        raise ValidationError(_("撤回答复须说明理由。"))


@transaction.atomic
def reply_withdraw(*, reply: Reply, reason: str, by: User) -> Reply:
    """Withdraw a version that is not yet submitted: it stays visible as 已撤回 with its reason and the next
    upload takes the next version number."""
    reply = Reply.objects.select_for_update(of=("self",)).get(pk=reply.pk)
    reply_withdraw_check(reply=reply, reason=reason)
    reply.withdrawn_at = timezone.now()
    reply.withdrawn_by = by
    reply.withdraw_reason = reason.strip()
    # no full_clean: a wrong file is withdrawn whatever its parsed header holds (a date before the proposal, say)
    reply.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    reply_event_add(reply, ReplyEvent.Kind.WITHDRAWN, by=by, note=reason.strip())
    return reply


def reply_category_setter(*, reply: Reply) -> User | None:
    """Who chose the reply's current category: the last recorded change, else whoever uploaded the reply
    (None: the category was read from the document, the department's own choice)."""
    change = reply.category_changes.select_related("by").order_by("-at", "-pk").first()
    return change.by if change else reply.uploaded_by


def reply_category_needs_reason(*, reply: Reply, by: User) -> bool:
    """A first choice needs no reason, nor does the office correcting its own choice; changing a category
    the department (or anyone outside the office) set does."""
    if not reply.category:
        return False
    setter = reply_category_setter(reply=reply)
    return not (setter is not None and setter.reads_by_committee and by.reads_by_committee)


def reply_category_check(*, reply: Reply, category: str, reason: str, by: User) -> None:
    """Raise what keeps this category from being set, if anything (an empty category changes nothing)."""
    if not category or category == reply.category:
        return
    if category not in Reply.Category.values:
        raise ValidationError(_("答复类别无效。"))
    if not reason.strip() and reply_category_needs_reason(reply=reply, by=by):
        raise ValidationError(_("调整他人设定的答复类别须说明理由。"))


@transaction.atomic
def reply_category_change(*, reply: Reply, category: str, reason: str, by: User) -> Reply:
    """Set or change a reply's category during the office's check; every change is kept with the old value and
    its reason (a first choice, or the office's correction of its own, may come without one)."""
    if category not in Reply.Category.values:
        raise ValidationError(_("答复类别无效。"))
    reply_category_check(reply=reply, category=category, reason=reason, by=by)
    if category == reply.category:
        return reply
    if reason.strip():
        note = reason.strip()
    elif reply.category:
        note = _("更正本办设定的类别")
    else:
        note = _("首次设定类别")
    ReplyCategoryChange.objects.create(reply=reply, old_category=reply.category, new_category=category,
                                       reason=note, by=by)
    reply.category = category
    reply.save(update_fields=["category"])
    return reply


def reply_pending_rows(*, reply: Reply) -> int:
    """Extracted rows (indicators and commitments) still 待审核."""
    from indicators.models import ReviewStatus

    return (reply.indicators.filter(review_status=ReviewStatus.PENDING).count()
            + reply.commitments.filter(review_status=ReviewStatus.PENDING).count())


@transaction.atomic
def reply_rows_settle(*, reply: Reply, by: User, accept: bool) -> int:
    """Accept (or reject) every extracted row still 待审核, each recorded in its history; returns how many."""
    from indicators.models import ReviewStatus
    from indicators.services import extracted_rows_review_bulk

    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.released_at is not None:
        raise ValidationError(_("该答复已审核发布。"))
    return extracted_rows_review_bulk(
        reply=reply, by=by, accept=accept, pending_only=True,
        indicator_ids=list(reply.indicators.filter(review_status=ReviewStatus.PENDING).values_list("pk", flat=True)),
        commitment_ids=list(reply.commitments.filter(review_status=ReviewStatus.PENDING).values_list("pk", flat=True)))


def reply_release_check(*, reply: Reply, pending_reason: str = "") -> int:
    """Raise what keeps this reply from being released, if anything; returns how many rows are still 待审核.
    The confirm step asks it first."""
    if reply.released_at is not None:
        raise ValidationError(_("该答复已审核发布。"))
    if reply.assignment_id is None:
        raise ValidationError(_("该答复尚未归入交办，不能发布。"))
    if reply.withdrawn_at is not None:
        raise ValidationError(_("该答复已撤回，不能发布。"))
    if reply.submitted_at is None:
        raise ValidationError(_("该答复尚未提交。"))
    unresolved = reply_mismatches_unresolved(reply=reply)
    if unresolved:
        raise unresolved_mismatches_error(unresolved)
    pending = reply_pending_rows(reply=reply)
    if pending and not pending_reason.strip():
        raise ValidationError(_("仍有 %(count)d 条提取内容待审核：请先审核，或全部采纳、全部驳回，"
                                "或说明仍要发布的理由。") % {"count": pending})
    return pending


@transaction.atomic
def reply_release(*, reply: Reply, by: User, pending_reason: str = "") -> Reply:
    """督办审核: the office has checked the reply and releases it; only now are the proposers told. Not while a
    header mismatch is unresolved, nor while rows are 待审核 unless a reason is given, which is kept."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related("assignment__proposal").get(pk=reply.pk)
    pending = reply_release_check(reply=reply, pending_reason=pending_reason)
    reply_event_add(reply, ReplyEvent.Kind.RELEASED, by=by, note=pending_reason.strip() if pending else "",
                    data={"pending": pending})
    reply.released_at = timezone.now()
    reply.released_by = by
    reply.save(update_fields=["released_at", "released_by"])
    proposal = reply.assignment.proposal
    rehandled = reply.assignment.reopened_on is not None
    proposers_notify(
        proposal=proposal, kind="rehandled_released" if rehandled else "reply_released",
        message=(_("您的%(proposal)s《%(title)s》（第%(number)d号）重新办理后，%(department)s的答复（%(doc)s）已发布，"
                   "请查看并评价。") if rehandled else
                 _("您的%(proposal)s《%(title)s》（第%(number)d号）已收到%(department)s的答复（%(doc)s），请查看并评价。"))
        % {"title": proposal.title, "number": proposal.number, "department": reply.assignment.department,
           "proposal": proposal.terms.noun,
           "doc": reply.doc_number or _("无文号")})
    return reply
