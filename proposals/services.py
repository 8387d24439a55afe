"""Every write to proposals, assignments and accounts goes through one of these functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .deadlines import compute_deadlines
from .models import (
    Assignment,
    AssignmentEvent,
    Committee,
    CoOpinion,
    Department,
    Extension,
    Member,
    Proposal,
    ProposalAttachment,
    Proposer,
    Reminder,
    Session,
    User,
)
from .notifications import proposers_notify
from .querysets import ANSWERED_ASSIGNMENT_STATUSES
from .vocabulary import terms_for_bodies


def _require_status(obj, allowed: Sequence[str], action: str) -> None:
    if obj.status not in allowed:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能%(action)s。") % {"status": obj.get_status_display(), "action": action}
        )


@transaction.atomic
def proposal_create(
    *,
    session: Session,
    number: int,
    title: str,
    submitted_on: date,
    proposers: Sequence[Member],
    category: str = Proposal.Category.OTHER,
    made_at: str = Proposal.MadeAt.PLENARY,
    body: str = "",
    is_key: bool = False,
    attachments: Sequence[File] = (),
    by: User | None = None,
) -> Proposal:
    """Log a proposal; its number must be new in its session and its first proposer is the lead."""
    _check_proposers(proposers, terms=session.terms)
    proposal = Proposal(session=session, number=number, title=title, submitted_on=submitted_on,
                        category=category, made_at=made_at, body=body, is_key=is_key)
    proposal.full_clean()
    proposal.save()
    Proposer.objects.bulk_create(
        Proposer(proposal=proposal, member=member, position=position)
        for position, member in enumerate(proposers, start=1)
    )
    for file in attachments:
        proposal_attachment_add(proposal=proposal, file=file, by=by)
    return proposal


def _check_proposers(proposers: Sequence[Member], *, terms) -> None:
    if not proposers:
        raise ValidationError(_("%(proposal)s至少需要一位%(proposers)s。")
                              % {"proposal": terms.noun, "proposers": terms.proposers})
    seen = set()
    for member in proposers:
        if member.pk in seen:
            raise ValidationError(_("%(proposers)s“%(name)s”重复。") % {"proposers": terms.proposers, "name": member.name})
        seen.add(member.pk)


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    session: Session,
    number: int,
    title: str,
    submitted_on: date,
    proposers: Sequence[Member],
    category: str,
    made_at: str,
    body: str = "",
    is_key: bool = False,
    attachments: Sequence[File] = (),
    remove_attachments: Sequence[int] = (),
    by: User | None = None,
) -> Proposal:
    """Correct a logged proposal before it is registered; after 立案 its number and proposers are fixed."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require_status(proposal, [Proposal.Status.SUBMITTED], _("修改"))
    _check_proposers(proposers, terms=session.terms)
    proposal.session, proposal.number, proposal.title, proposal.submitted_on = session, number, title, submitted_on
    proposal.category, proposal.made_at, proposal.body, proposal.is_key = category, made_at, body, is_key
    proposal.full_clean()
    proposal.save()
    if [link.member_id for link in proposal.proposer_links.order_by("position")] != [m.pk for m in proposers]:
        proposal.proposer_links.all().delete()
        Proposer.objects.bulk_create(
            Proposer(proposal=proposal, member=member, position=position)
            for position, member in enumerate(proposers, start=1)
        )
    for attachment in proposal.attachments.filter(pk__in=list(remove_attachments)):
        attachment.file.delete(save=False)
        attachment.delete()
    for file in attachments:
        proposal_attachment_add(proposal=proposal, file=file, by=by)
    return proposal


PROPOSAL_ATTACHMENT_TYPES = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt")
PROPOSAL_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def proposal_attachment_check(*, name: str, size: int) -> None:
    """An attachment is a document or a picture of at most 20 MB."""
    if not name.lower().endswith(PROPOSAL_ATTACHMENT_TYPES):
        raise ValidationError(_("附件“%(name)s”的类型不支持（可上传 %(types)s）。")
                              % {"name": name, "types": " ".join(PROPOSAL_ATTACHMENT_TYPES)})
    if size > PROPOSAL_ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("附件“%(name)s”过大（上限 20 MB）。") % {"name": name})
    if size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name})


@transaction.atomic
def proposal_attachment_add(*, proposal: Proposal, file: File, by: User | None = None) -> ProposalAttachment:
    """Keep a file with the proposal, under a generated name; the original name is kept as data."""
    from pathlib import PurePath

    original = PurePath(file.name or "").name[:255]
    proposal_attachment_check(name=original, size=file.size)
    attachment = ProposalAttachment(proposal=proposal, original_name=original, size=file.size, uploaded_by=by)
    attachment.file.save(original, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def members_resolve(*, entries: Sequence[tuple[str, str]], committee: Committee | None = None) -> list[Member]:
    """The members named by (name, kind) rows, in order, among the committee's proposers if given: an existing
    member of that name and kind, else the only one of that name, else a new member of that kind (a collective
    proposer is a member of its kind) of that committee."""
    members = []
    known = Member.objects.of_committee(committee) if committee is not None else Member.objects.all()
    for name, kind in entries:
        name = name.strip()
        if kind not in Member.Kind.values:
            raise ValidationError(_("提案人类型无效。"))
        same_name = list(known.filter(name=name).order_by("pk"))
        member = next((m for m in same_name if m.kind == kind), None) or (same_name[0] if len(same_name) == 1
                                                                          else None)
        if member is None:
            member = Member(name=name, kind=kind, committee=committee)
            member.full_clean()
            member.save()
        members.append(member)
    return members


@transaction.atomic
def proposal_register(*, proposal: Proposal) -> Proposal:
    """立案: a submitted proposal is accepted for handling."""
    _require_status(proposal, [Proposal.Status.SUBMITTED], _("立案"))
    proposal.status = Proposal.Status.REGISTERED
    proposal.save(update_fields=["status", "updated_at"])
    proposers_notify(proposal=proposal, kind="registered",
                     message=_("您的%(proposal)s《%(title)s》已立案，%(number_label)s第%(number)d号。")
                     % {"title": proposal.title, "number": proposal.number, **_words(proposal)})
    return proposal


@transaction.atomic
def proposal_refuse(*, proposal: Proposal, reason: str) -> Proposal:
    """不予立案, with the reason given to the member."""
    _require_status(proposal, [Proposal.Status.SUBMITTED], _("不予立案"))
    if not reason.strip():
        raise ValidationError(_("请填写不予立案的理由。"))
    proposal.status = Proposal.Status.NOT_REGISTERED
    proposal.not_registered_reason = reason.strip()
    proposal.save(update_fields=["status", "not_registered_reason", "updated_at"])
    proposers_notify(proposal=proposal, kind="not_registered",
                     message=_("您的%(proposal)s《%(title)s》不予立案。理由：%(reason)s")
                     % {"title": proposal.title, "reason": proposal.not_registered_reason, **_words(proposal)})
    return proposal


@transaction.atomic
def proposal_merge(*, proposal: Proposal, into: Proposal) -> Proposal:
    """并案: the proposal is handled as part of another one of the same session."""
    _require_status(proposal, [Proposal.Status.SUBMITTED, Proposal.Status.REGISTERED], _("并案"))
    if into.pk == proposal.pk or into.session_id != proposal.session_id:
        raise ValidationError(_("只能并入同一届次会议的另一件%(proposal)s。") % _words(proposal))
    if into.status in (Proposal.Status.MERGED, Proposal.Status.NOT_REGISTERED):
        raise ValidationError(_("不能并入已并案或不予立案的%(proposal)s。") % _words(proposal))
    proposal.status = Proposal.Status.MERGED
    proposal.merged_into = into
    proposal.save(update_fields=["status", "merged_into", "updated_at"])
    proposers_notify(proposal=proposal, kind="merged",
                     message=_("您的%(proposal)s《%(title)s》已并入第%(number)d号%(proposal)s《%(into)s》一并办理。")
                     % {"title": proposal.title, "number": into.number, "into": into.title, **_words(proposal)})
    return proposal


def assignment_note_answer(*, assignment: Assignment, at=None) -> Assignment:
    """The department has answered (a reply submitted, or a co-handler's opinion sent): the day of its first
    answer is kept for the dashboard; later versions do not move it."""
    if assignment.first_replied_on is None:
        assignment.first_replied_on = timezone.localdate(at) if at else timezone.localdate()
        assignment.save(update_fields=["first_replied_on"])
    return assignment


@transaction.atomic
def proposal_mark_replied(*, proposal: Proposal) -> Proposal:
    """已答复: once the lead and every 分办 department have answered (each for its own part), the proposal is."""
    answering = Assignment.objects.answering().filter(proposal=proposal)
    if (proposal.status == Proposal.Status.ASSIGNED and answering.exists()
            and not answering.exclude(status__in=ANSWERED_ASSIGNMENT_STATUSES).exists()):
        proposal.status = Proposal.Status.REPLIED
        proposal.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def proposal_close(*, proposal: Proposal, by: User | None = None) -> Proposal:
    """办结: handling is finished; open assignments are closed with it."""
    _require_status(proposal, [Proposal.Status.REPLIED, Proposal.Status.EVALUATED], _("办结"))
    for assignment in proposal.assignments.exclude(status=Assignment.Status.RETURNED).select_for_update():
        assignment.status = Assignment.Status.CLOSED
        assignment.save(update_fields=["status"])
        AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.CLOSED, by=by)
    proposal.status = Proposal.Status.CLOSED
    proposal.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def assignment_create(
    *,
    proposal: Proposal,
    department: Department,
    role: str = Assignment.Role.LEAD,
    assigned_on: date | None = None,
    by: User | None = None,
) -> Assignment:
    """交办: the due dates are computed here, once, from the session's handling rule; a committee assigns only
    to the departments of its place (or of no place)."""
    _require_status(proposal, [Proposal.Status.REGISTERED, Proposal.Status.ASSIGNED], _("交办"))
    if department.region_id not in (None, proposal.session.committee.region_id):
        raise ValidationError(_("%(department)s不是%(committee)s所在行政区的承办单位。")
                              % {"department": department, "committee": proposal.session.committee})
    assigned_on = assigned_on or timezone.localdate()
    proposal.validate_not_before_start(assigned_on, label=_("交办日期"))
    deadlines = compute_deadlines(session=proposal.session, made_at=proposal.made_at, role=role,
                                  assigned_on=assigned_on)
    assignment = Assignment(proposal=proposal, department=department, role=role, assigned_on=assigned_on,
                            due_on=deadlines.due_on, hard_due_on=deadlines.hard_due_on)
    assignment.full_clean()
    assignment.save()
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.ASSIGNED, by=by)
    if proposal.status == Proposal.Status.REGISTERED:
        proposal.status = Proposal.Status.ASSIGNED
        proposal.save(update_fields=["status", "updated_at"])
    proposers_notify(proposal=proposal, kind="assigned",
                     message=_("您的%(proposal)s《%(title)s》已交由%(department)s%(role)s，办理期限 %(due)s。")
                     % {"title": proposal.title, "department": department, "role": assignment.get_role_display(),
                        "due": assignment.due_on.isoformat(), **_words(proposal)})
    return assignment


@transaction.atomic
def proposals_assign(*, proposals: Sequence[Proposal], department: Department, by: User | None = None
                     ) -> list[Assignment]:
    """Bulk 交办: each registered proposal to one lead department, all or none."""
    if not proposals:
        raise ValidationError(_("请先勾选要交办的已立案提案。"))
    for proposal in proposals:
        if proposal.status != Proposal.Status.REGISTERED:
            raise ValidationError(_("第%(n)s号不是待交办的已立案%(proposal)s，未交办任何%(proposal)s。")
                                  % {"n": proposal.number, **_words(proposal)})
    return [assignment_create(proposal=proposal, department=department, by=by) for proposal in proposals]


@transaction.atomic
def assignment_sign(*, assignment: Assignment, by: User | None = None, on: date | None = None) -> Assignment:
    """签收: the department acknowledges the assignment."""
    _require_status(assignment, [Assignment.Status.ASSIGNED], _("签收"))
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_on = on or timezone.localdate()
    assignment.save(update_fields=["status", "signed_on"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.SIGNED, by=by)
    return assignment


@transaction.atomic
def assignment_set_due(*, assignment: Assignment, due_on: date, reason: str, by: User | None = None) -> Assignment:
    """Change a due date by hand; the reason is kept with the assignment and in its timeline."""
    if not reason.strip():
        raise ValidationError(_("调整办理期限须说明理由。"))
    assignment.proposal.validate_not_before_start(due_on, label=_("办理期限"))
    _require_within_hard_cap(assignment, due_on)
    old = assignment.due_on
    assignment.due_on = due_on
    assignment.due_override_reason = reason.strip()
    assignment.full_clean()
    assignment.save(update_fields=["due_on", "due_override_reason"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.DUE_CHANGED, by=by,
                                   note=f"{old} → {due_on}: {reason.strip()}")
    return assignment


def _require_within_hard_cap(assignment: Assignment, due_on: date) -> None:
    if due_on > assignment.hard_due_on:
        raise ValidationError(_("%(due)s 晚于最长期限 %(cap)s：须先调整最长期限并说明理由。")
                              % {"due": due_on.isoformat(), "cap": assignment.hard_due_on.isoformat()})


@transaction.atomic
def assignment_set_hard_cap(*, assignment: Assignment, hard_due_on: date, reason: str,
                            by: User | None = None) -> Assignment:
    """Change the hard cap (最长期限): only by this explicit step, with a reason kept in the timeline; no
    extension or due-date change moves it."""
    if not reason.strip():
        raise ValidationError(_("调整最长期限须说明理由。"))
    assignment.proposal.validate_not_before_start(hard_due_on, label=_("最长期限"))
    if hard_due_on < assignment.due_on:
        raise ValidationError(_("最长期限不能早于办理期限 %(due)s。") % {"due": assignment.due_on.isoformat()})
    old = assignment.hard_due_on
    assignment.hard_due_on = hard_due_on
    assignment.due_override_reason = reason.strip()
    assignment.full_clean()
    assignment.save(update_fields=["hard_due_on", "due_override_reason"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.HARD_CAP_CHANGED, by=by,
                                   note=f"{old} → {hard_due_on}: {reason.strip()}")
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, reason: str, by: User | None = None) -> Assignment:
    """退回: the department gives the assignment back for reassignment, with a reason."""
    _require_status(assignment, [Assignment.Status.ASSIGNED, Assignment.Status.SIGNED], _("退回"))
    if not reason.strip():
        raise ValidationError(_("请填写退回理由。"))
    assignment.status = Assignment.Status.RETURNED
    assignment.return_reason = reason.strip()
    assignment.returned_on = timezone.localdate()
    assignment.save(update_fields=["status", "return_reason", "returned_on"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.RETURNED, by=by,
                                   note=assignment.return_reason)
    return assignment


@transaction.atomic
def assignment_request_return(*, assignment: Assignment, reason: str, by: User | None = None,
                              on: date | None = None) -> Assignment:
    """退回申请: the department asks to give back a wrong assignment, only within the return window."""
    from django.conf import settings

    _require_status(assignment, [Assignment.Status.ASSIGNED, Assignment.Status.SIGNED], _("申请退回"))
    on = on or timezone.localdate()
    last_day = assignment.return_last_day
    if on > last_day:
        raise ValidationError(_("交办后 %(days)d 日内才能申请退回（截至 %(last)s）。")
                              % {"days": settings.RETURN_WINDOW_DAYS, "last": last_day})
    if assignment.return_requested_on:
        raise ValidationError(_("已申请退回，请等待%(desk)s处理。") % {"desk": assignment.proposal.terms.desk})
    if not reason.strip():
        raise ValidationError(_("请填写退回理由。"))
    assignment.return_requested_on = on
    assignment.return_request_reason = reason.strip()
    assignment.save(update_fields=["return_requested_on", "return_request_reason"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.RETURN_REQUESTED, by=by,
                                   note=assignment.return_request_reason)
    return assignment


@transaction.atomic
def assignment_return_decide(*, assignment: Assignment, accept: bool, by: User | None = None,
                             note: str = "") -> Assignment:
    """The office accepts a return request (the assignment is returned, to be reassigned) or refuses it."""
    if not assignment.return_requested_on:
        raise ValidationError(_("该交办没有待处理的退回申请。"))
    if accept:
        assignment = assignment_return(assignment=assignment, reason=assignment.return_request_reason, by=by)
    else:
        AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.RETURN_REFUSED, by=by,
                                       note=note)
    assignment.return_requested_on = None
    assignment.save(update_fields=["return_requested_on"])
    return assignment


def co_opinion_send(*, assignment: Assignment, text: str, by: User, attachment: File | None = None) -> CoOpinion:
    """会办意见: a co-handling department sends its opinion to the lead department, with an optional attachment
    (PDF, DOCX, OFD or a picture, checked like a reply upload before anything is saved)."""
    from pathlib import PurePath

    from replies.services import reply_file_check

    if assignment.role != Assignment.Role.CO:
        raise ValidationError(_("只有会办单位提交会办意见。"))
    _require_status(assignment, list(Assignment.OPEN_STATUSES), _("提交会办意见"))
    if not text.strip():
        raise ValidationError(_("请填写会办意见。"))
    opinion = CoOpinion(assignment=assignment, text=text.strip(), sent_by=by)
    if attachment is not None:
        reply_file_check(attachment, pictures=True)
        opinion.attachment_name = PurePath(attachment.name or "").name[:255]
        opinion.attachment.save(opinion.attachment_name, attachment, save=False)
    try:
        with transaction.atomic():
            opinion.save()
            assignment.status = Assignment.Status.REPLIED
            assignment.save(update_fields=["status"])
            assignment_note_answer(assignment=assignment, at=opinion.sent_at)
            AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.CO_OPINION, by=by,
                                           note=opinion.text[:200])
    except BaseException:
        if opinion.attachment.name:  # the stored file goes with the row that was not written
            opinion.attachment.storage.delete(opinion.attachment.name)
        raise
    return opinion


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, on: date | None = None, by: User | None = None,
                      note: str = "") -> Assignment:
    """重新办理: the reply did not satisfy; the assignment is open again with a new due date."""
    _require_status(assignment, [Assignment.Status.REPLIED], _("重新办理"))
    on = on or timezone.localdate()
    proposal = assignment.proposal
    deadlines = compute_deadlines(session=proposal.session, made_at=proposal.made_at, role=assignment.role,
                                  assigned_on=on)
    assignment.status = Assignment.Status.REOPENED
    assignment.reopened_on = on
    assignment.due_on = deadlines.due_on
    assignment.hard_due_on = max(assignment.hard_due_on, deadlines.hard_due_on)
    assignment.save(update_fields=["status", "reopened_on", "due_on", "hard_due_on"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REOPENED, by=by, note=note)
    if proposal.status in (Proposal.Status.REPLIED, Proposal.Status.EVALUATED):
        proposal.status = Proposal.Status.ASSIGNED
        proposal.save(update_fields=["status", "updated_at"])
    return assignment


ROLE_GROUPS = {
    User.Role.STAFF: "提案办工作人员",
    User.Role.DEPARTMENT: "承办单位用户",
    User.Role.SUPERVISOR: "督办人员",
}


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    department: Department | None = None,
    first_name: str = "",
    email: str = "",
    committees=(),
    all_committees: bool = False,
) -> User:
    """An account in its role's group; department users belong to one department, others to none; staff and
    supervisors work for the given committees, or for all of them."""
    user = User(username=username, role=role, department=department, first_name=first_name, email=email,
                all_committees=all_committees)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.committees.set(committees)
    user_role_apply(user)
    return user


def user_role_apply(user: User) -> None:
    """What an account's role gives it, however the account was made or changed (here or in the admin): staff and
    supervisors reach the admin (is_staff; a superuser keeps it), every role is in its own group and in no other
    role's."""
    user.is_staff = user.is_superuser or user.role in (User.Role.STAFF, User.Role.SUPERVISOR)
    user.save(update_fields=["is_staff"])
    own = ROLE_GROUPS.get(user.role)
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()).exclude(name=own))
    if own:
        user.groups.add(Group.objects.get(name=own))


@transaction.atomic
def proposal_catalogue_import(*, rows, by: User | None = None) -> list[Proposal]:
    """Save the checked rows of a catalogue: each proposal registered and, where the row names departments,
    assigned. Rows with errors are skipped; proposers not yet known are added as members."""
    created = []
    for row in rows:
        if not row.ok:
            continue
        committee = row.session.committee
        members = []
        for name in row.proposers:
            member = (Member.objects.of_committee(committee).filter(name=name).order_by("pk").first()
                      or Member.objects.create(name=name, committee=committee))
            members.append(member)
        proposal = proposal_create(session=row.session, number=row.number, title=row.title,
                                   submitted_on=row.submitted_on or row.session.opened_on, proposers=members,
                                   category=row.category, made_at=row.made_at, body=row.body, is_key=row.is_key)
        proposal_register(proposal=proposal)
        for department, role in [(row.lead, Assignment.Role.LEAD)] + [(d, Assignment.Role.CO) for d in row.co]:
            if department is not None:
                assignment_create(proposal=proposal, department=department, role=role,
                                  assigned_on=row.assigned_on, by=by)
        created.append(proposal)
    return created


@transaction.atomic
def extension_request(*, assignment: Assignment, requested_due_on: date, reason: str, by: User) -> Extension:
    """延期申请: the department asks to move its due date, with a reason."""
    _require_status(assignment, list(Assignment.OPEN_STATUSES), _("申请延期"))
    assignment.proposal.validate_not_before_start(requested_due_on, label=_("申请延至日期"))
    if requested_due_on <= assignment.due_on:
        raise ValidationError(_("延期后的日期须晚于现办理期限 %(due)s。") % {"due": assignment.due_on})
    if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError(_("已有待审批的延期申请。"))
    extension = Extension(assignment=assignment, requested_due_on=requested_due_on, reason=reason.strip(),
                          requested_by=by)
    extension.full_clean()
    extension.save()
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.EXTENSION_REQUESTED, by=by,
                                   note=f"{requested_due_on}: {extension.reason}")
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, grant: bool, by: User, note: str = "",
                     hard_due_on: date | None = None, hard_cap_reason: str = "") -> Extension:
    """Grant an extension (the due date moves to the requested date; the hard cap 最长期限 does not) or refuse
    it. A date past the hard cap is granted only with an explicit new hard cap and its reason."""
    if extension.status != Extension.Status.PENDING:
        raise ValidationError(_("该延期申请已处理。"))
    assignment = Assignment.objects.select_for_update().select_related("proposal__session").get(
        pk=extension.assignment_id)
    if grant and hard_due_on is not None:
        assignment_set_hard_cap(assignment=assignment, hard_due_on=hard_due_on, reason=hard_cap_reason, by=by)
    if grant:
        _require_within_hard_cap(assignment, extension.requested_due_on)
    extension.status = Extension.Status.GRANTED if grant else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note
    extension.save()
    if grant:
        assignment.due_on = extension.requested_due_on
        assignment.due_override_reason = _("延期：%(reason)s") % {"reason": extension.reason}
        assignment.save(update_fields=["due_on", "due_override_reason"])
    AssignmentEvent.objects.create(
        assignment=assignment, by=by, note=note,
        kind=AssignmentEvent.Kind.EXTENSION_GRANTED if grant else AssignmentEvent.Kind.EXTENSION_REFUSED)
    return extension


def assignment_deadlines(assignment: Assignment):
    """What the session's rule gives this assignment now, from its start (assignment or reopening)."""
    proposal = assignment.proposal
    return compute_deadlines(session=proposal.session, made_at=proposal.made_at, role=assignment.role,
                             assigned_on=assignment.deadline_start)


@transaction.atomic
def deadlines_recompute(*, session: Session | None = None) -> int:
    """After a rule or the holiday calendar changes: open assignments get the dates the rule now gives.
    Closed ones, and dates set by hand or by a granted extension, keep theirs. Returns how many changed."""
    assignments = Assignment.objects.open().filter(due_override_reason="").select_related("proposal__session")
    if session is not None:
        assignments = assignments.filter(proposal__session=session)
    changed = []
    for assignment in assignments.select_for_update(of=("self",)):
        deadlines = assignment_deadlines(assignment)
        if (assignment.due_on, assignment.hard_due_on) != (deadlines.due_on, deadlines.hard_due_on):
            assignment.due_on, assignment.hard_due_on = deadlines.due_on, deadlines.hard_due_on
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["due_on", "hard_due_on"])
    if changed:
        from .selectors import dashboard_invalidate

        dashboard_invalidate()  # bulk_update sends no post_save
    return len(changed)


@transaction.atomic
def session_rule_update(*, session: Session, **rule) -> int:
    """Change a session's handling rule and recompute its open assignments. Returns how many changed."""
    for name, value in rule.items():
        setattr(session, name, value)
    session.full_clean()
    session.save()
    return deadlines_recompute(session=session)


def _tier_assignments(today: date):
    base = Assignment.objects.select_related("proposal__session__committee", "department")
    return {
        Reminder.Tier.VERY_OVERDUE: base.very_overdue(on=today),
        Reminder.Tier.OVERDUE: base.overdue(on=today).exclude(hard_due_on__lt=today),
        Reminder.Tier.DUE_SOON: base.due_within(7, on=today),
    }


def _words(proposal: Proposal) -> dict:
    """The body's words a message about the proposal is written in: 提案/建议 (one, in a sentence) and its number's
    name."""
    return {"proposal": proposal.terms.noun, "number_label": proposal.terms.number}


def _reminder_line(tier: str, assignment: Assignment) -> str:
    """【已超期】省人大十四届二次会议 第12号建议《…》 办理期限 2026-05-01"""
    proposal = assignment.proposal
    return (_("【%(tier)s】%(session)s 第%(number)s号%(proposal)s《%(title)s》 办理期限 %(due)s")
            % {"tier": tier, "session": proposal.session, "number": proposal.number, "title": proposal.title,
               "due": assignment.due_on, "proposal": proposal.terms.noun})


def _department_recipients(department: Department) -> list[str]:
    return sorted({c.email for c in department.contacts.all() if c.email}
                  | {u.email for u in department.users.filter(is_active=True) if u.email})


@transaction.atomic
def assignment_remind(*, assignment: Assignment, by: User, today: date | None = None) -> Reminder:
    """催办 now: an overdue assignment's department hears of it at once; the daily reminders then skip it, as they
    skip anything reminded in the same tier and due date. A second 催办 of the same tier and due date is refused."""
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    tier = assignment.tier(today)
    if tier not in (Reminder.Tier.OVERDUE, Reminder.Tier.VERY_OVERDUE):
        raise ValidationError(_("只能催办已超期、尚未答复的交办。"))
    reminder, created = Reminder.objects.get_or_create(assignment=assignment, tier=tier, due_on=assignment.due_on)
    if not created:
        raise ValidationError(_("已于 %(at)s 催办过，办理期限未变，不再重复发送。")
                              % {"at": timezone.localtime(reminder.sent_at).strftime("%Y-%m-%d %H:%M")})
    recipients = _department_recipients(assignment.department)
    proposal = assignment.proposal
    line = _reminder_line(reminder.get_tier_display(), assignment)
    if recipients:
        send_mail(subject=_("%(proposal)s催办：%(title)s") % {"title": proposal.title, **_words(proposal)},
                  message=line, from_email=None,
                  recipient_list=recipients, fail_silently=True)
    reminder.recipients = "、".join(recipients)
    reminder.save(update_fields=["recipients"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REMINDED, by=by,
                                   note=reminder.get_tier_display())
    return reminder


def reminders_send(*, today: date | None = None) -> int:
    """The daily reminders: each department's contacts hear of its assignments due within 7 days, overdue and
    past the hard cap; each office account gets a digest of those of the committees it works for. Each assignment
    is reminded once per tier and due date."""
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    fresh: dict[int, list[tuple[str, Assignment, Reminder]]] = {}
    with transaction.atomic():
        for tier, assignments in _tier_assignments(today).items():
            for assignment in assignments:
                reminder, created = Reminder.objects.get_or_create(assignment=assignment, tier=tier,
                                                                   due_on=assignment.due_on)
                if created:
                    fresh.setdefault(assignment.department_id, []).append((tier, assignment, reminder))
    labels = dict(Reminder.Tier.choices)
    digest = []  # (department, [(committee id, line)])
    for items in fresh.values():
        department = items[0][1].department
        recipients = _department_recipients(department)
        lines = [_reminder_line(labels[tier], a) for tier, a, _ in items]
        digest.append((department, [(a.proposal.session.committee_id, line)
                                    for (_tier, a, _), line in zip(items, lines, strict=True)]))
        if recipients:
            kinds = terms_for_bodies(a.proposal.session.committee.body for _, a, _ in items)
            send_mail(subject=_("%(proposal)s办理提醒：%(n)d 件") % {"n": len(items), "proposal": kinds.nouns},
                      message="\n".join(lines),
                      from_email=None, recipient_list=recipients, fail_silently=True)
        Reminder.objects.filter(pk__in=[r.pk for _, _, r in items]).update(recipients="、".join(recipients))
    for user in User.objects.filter(role=User.Role.STAFF, is_active=True).exclude(email="") if digest else ():
        worked = set(Committee.objects.worked_by(user).values_list("pk", flat=True))
        parts = [(department, [line for committee, line in lines if committee in worked])
                 for department, lines in digest]
        message = "\n\n".join(f"{department}：\n" + "\n".join(lines) for department, lines in parts if lines)
        if message:
            send_mail(subject=_("办理提醒汇总（%(day)s）") % {"day": today}, message=message,
                      from_email=None, recipient_list=[user.email], fail_silently=True)
    return sum(len(items) for items in fresh.values())
