"""The reply's way from draft to release: co-handlers' sign-off, submission, the office's check and release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Assignment, User

from ..models import Reply, ReplyCategoryChange
from .common import assignment_mark_replied, co_handlers, locked_replyable


def reply_signoffs_missing(*, reply: Reply) -> list[Assignment]:
    """Co-handling assignments that have neither signed off this draft nor been waived."""
    signed = reply.signoffs.values("assignment")
    return list(co_handlers(reply.assignment).exclude(pk__in=signed).select_related("department"))


@transaction.atomic
def reply_signoff(*, reply: Reply, assignment: Assignment, by: User, waive_reason: str = "") -> Reply:
    """会签: a co-handler signs off the lead's draft; staff may waive it instead, with a reason."""
    from ..models import ReplySignoff

    if reply.submitted_at is not None:
        raise ValidationError(_("该答复已提交，无需会签。"))
    if assignment.pk not in {a.pk for a in co_handlers(reply.assignment)}:
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
    assignment = locked_replyable(reply.assignment)
    reply.submitted_at = timezone.now()
    reply.save(update_fields=["submitted_at"])
    assignment_mark_replied(assignment, by=by, version=reply.version)
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
