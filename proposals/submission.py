"""A member's online proposal (网上提案): write a draft, invite co-signers who confirm from their own accounts,
submit it within the session's window; it then waits in the office's inbox for 立案."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cosigner, DraftAttachment, Member, Notification, Proposal, ProposalDraft, Proposer, Session, User
from .notifications import members_notify
from .services import proposal_attachment_check


def _require_draft(draft: ProposalDraft) -> None:
    if draft.status != ProposalDraft.Status.DRAFT:
        raise ValidationError(_("%(proposal)s已提交，不能再修改。") % {"proposal": draft.session.terms.noun})


@transaction.atomic
def draft_save(*, by: User, session: Session, title: str, body: str, category: str,
               draft: ProposalDraft | None = None, attachments: Sequence[File] = (),
               remove_attachments: Sequence[int] = ()) -> ProposalDraft:
    """Write or correct a draft; the account's member is its lead proposer."""
    if draft is None:
        draft = ProposalDraft(lead=by.member, written_by=by)
    else:
        draft = ProposalDraft.objects.select_for_update().get(pk=draft.pk)
        _require_draft(draft)
    draft.session, draft.title, draft.body, draft.category = session, title.strip(), body.strip(), category
    draft.full_clean()
    draft.save()
    for attachment in draft.attachments.filter(pk__in=list(remove_attachments)):
        attachment.file.delete(save=False)
        attachment.delete()
    for file in attachments:
        draft_attachment_add(draft=draft, file=file)
    return draft


def draft_attachment_add(*, draft: ProposalDraft, file: File) -> DraftAttachment:
    """Keep a file with the draft under a generated name, checked like any proposal attachment."""
    from pathlib import PurePath

    original = PurePath(file.name or "").name[:255]
    proposal_attachment_check(name=original, size=file.size)
    attachment = DraftAttachment(draft=draft, original_name=original, size=file.size)
    attachment.file.save(original, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def cosigner_invite(*, draft: ProposalDraft, member: Member, by: User) -> Cosigner:
    """Invite a member to co-sign (联名); they are told, and confirm or decline from their own account."""
    _require_draft(draft)
    if member.pk == draft.lead_id:
        raise ValidationError(_("%(lead)s无需邀请自己联名。") % {"lead": draft.session.terms.lead_proposer})
    if draft.cosigners.filter(member=member).exists():
        raise ValidationError(_("已邀请过 %(member)s。") % {"member": member})
    cosigner = Cosigner.objects.create(draft=draft, member=member)
    members_notify(members=[member], kind=Notification.Kind.COSIGN_INVITED, draft=draft,
                   message=_("%(lead)s 邀请您联名提出%(proposal)s《%(title)s》，请登录确认或谢绝。")
                   % {"lead": draft.lead, "title": draft.title, "proposal": draft.session.terms.noun})
    return cosigner


@transaction.atomic
def cosigner_withdraw(*, cosigner: Cosigner) -> None:
    """The lead proposer takes back an invitation before submitting."""
    _require_draft(cosigner.draft)
    cosigner.delete()


@transaction.atomic
def cosigner_answer(*, cosigner: Cosigner, by: User, confirm: bool) -> Cosigner:
    """The invited member confirms (确认联名) or declines, from an account acting for that member."""
    cosigner = Cosigner.objects.select_for_update().select_related("draft").get(pk=cosigner.pk)
    if by.member_id != cosigner.member_id:
        raise ValidationError(_("只能由受邀的%(member)s本人确认联名。") % {"member": cosigner.draft.session.terms.member})
    _require_draft(cosigner.draft)
    cosigner.status = Cosigner.Status.CONFIRMED if confirm else Cosigner.Status.DECLINED
    cosigner.answered_at, cosigner.answered_by = timezone.now(), by
    cosigner.save(update_fields=["status", "answered_at", "answered_by"])
    return cosigner


def draft_submit_check(*, draft: ProposalDraft, on=None) -> None:
    """Raise what keeps the draft from being submitted: the session's window, an unanswered invitation."""
    on = on or timezone.localdate()
    _require_draft(draft)
    session = draft.session
    if not session.accepts_submissions(on):
        if session.submission_opens_on and session.submission_closes_on:
            raise ValidationError(_("%(session)s的网上提交时间为 %(start)s 至 %(end)s，当前不在此期间。")
                                  % {"session": session.name, "start": session.submission_opens_on,
                                     "end": session.submission_closes_on})
        raise ValidationError(_("%(session)s未开放网上提交%(proposal)s。")
                              % {"session": session.name, "proposal": session.terms.nouns})
    waiting = [str(c.member) for c in draft.cosigners.filter(status=Cosigner.Status.INVITED).select_related("member")]
    if waiting:
        raise ValidationError(_("联名人 %(names)s 尚未确认：请等待确认，或撤回邀请后再提交。")
                              % {"names": "、".join(waiting)})


@transaction.atomic
def draft_submit(*, draft: ProposalDraft, by: User, on=None) -> Proposal:
    """Submit the draft: it becomes a proposal (the session's next number, status 已提交) with the lead and the
    confirmed co-signers as proposers and the draft's files as attachments, waiting for the office's 立案."""
    from .models import ProposalAttachment

    on = on or timezone.localdate()
    session = Session.objects.select_for_update().get(pk=draft.session_id)  # one number per submission at a time
    draft = ProposalDraft.objects.select_for_update().get(pk=draft.pk)
    if by.member_id != draft.lead_id:
        raise ValidationError(_("只有%(lead)s可以提交。") % {"lead": session.terms.lead_proposer})
    draft_submit_check(draft=draft, on=on)
    number = (Proposal.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0) + 1
    proposal = Proposal(session=session, number=number, title=draft.title, body=draft.body, category=draft.category,
                        submitted_on=on, made_at=Proposal.MadeAt.PLENARY, status=Proposal.Status.SUBMITTED)
    proposal.full_clean()
    proposal.save()
    cosigners = draft.cosigners.filter(status=Cosigner.Status.CONFIRMED).order_by("answered_at", "pk")
    Proposer.objects.bulk_create(
        Proposer(proposal=proposal, member_id=member_id, position=position) for position, member_id in
        enumerate([draft.lead_id, *cosigners.values_list("member_id", flat=True)], start=1))
    ProposalAttachment.objects.bulk_create(
        ProposalAttachment(proposal=proposal, file=a.file.name, original_name=a.original_name, size=a.size,
                           uploaded_by=by) for a in draft.attachments.all())
    draft.status, draft.proposal = ProposalDraft.Status.SUBMITTED, proposal
    draft.save(update_fields=["status", "proposal", "updated_at"])
    return proposal
