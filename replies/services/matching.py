"""Which assignment a reply belongs to: its header checked against the assignment, imported replies matched."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from proposals.models import Assignment, AssignmentEvent, Committee, Department, Proposal, Session, User
from proposals.vocabulary import terms_for_bodies

from ..models import Reply, ReplyEvent
from .common import next_version
from .events import reply_event_add, reply_mark_submitted, reply_unmark_submitted

# how a reply names the body it answers for (省人大, 吉林省政协) and whom it addresses (代表, 委员)
BODY_WORDS = {Committee.Body.NPC: "人大", Committee.Body.CPPCC: "政协"}
ROLE_BODIES = {"代表": Committee.Body.NPC, "委员": Committee.Body.CPPCC}


def reply_mismatches(*, reply: Reply) -> list[dict]:
    """Where the parsed header contradicts the assignment it was uploaded for: flagged for staff, never overwritten."""
    header, assignment = reply.parsed_header or {}, reply.assignment
    proposal, department = assignment.proposal, assignment.department
    committee, terms = proposal.session.committee, proposal.terms
    found = []
    named_committee = header.get("committee") or ""
    named_body = next((body for body, word in BODY_WORDS.items() if word in named_committee), None)
    if named_body and named_body != committee.body:
        found.append({"field": "committee", "parsed": named_committee, "expected": committee.name,
                      "message": _("答复所称的机构与%(proposal)s所属的%(body)s不一致")
                      % {"proposal": terms.noun, "body": committee.get_body_display()}})
    role = header.get("addressee_role") or ""
    if role in ROLE_BODIES and ROLE_BODIES[role] != committee.body:
        found.append({"field": "addressee_role", "parsed": role, "expected": str(terms.member),
                      "message": _("答复称收件人为“%(role)s”，而本件是%(kind)s")
                      % {"role": role, "kind": terms.kind}})
    number = (header.get("proposal_number") or "").lstrip("0")
    if number and number != str(proposal.number):
        found.append({"field": "proposal_number", "parsed": header["proposal_number"],
                      "expected": str(proposal.number),
                      "message": _("答复中的%(number)s与交办的%(proposal)s不一致")
                      % {"number": terms.number, "proposal": terms.noun}})
    session = header.get("session")
    if session and Session.name_key(session) != Session.name_key(proposal.session.name):
        found.append({"field": "session", "parsed": session, "expected": proposal.session.name,
                      "message": _("答复中的届次与%(proposal)s不一致") % {"proposal": terms.noun}})
    named = header.get("department") or ""
    if named and named not in (department.name, department.short_name):
        found.append({"field": "department", "parsed": named, "expected": department.name,
                      "message": _("答复署名单位与承办单位不一致")})
    doc_number = header.get("doc_number") or ""
    if doc_number and department.doc_prefixes and not any(doc_number.startswith(p) for p in department.doc_prefixes):
        found.append({"field": "doc_number", "parsed": doc_number, "expected": "、".join(department.doc_prefixes),
                      "message": _("文号前缀不属于承办单位")})
    return found


def reply_mismatch_states(*, reply: Reply) -> list[dict]:
    """Each header mismatch with the event that confirmed it (who, when, why) or None while it is unresolved."""
    return reply.mismatch_states(reply.events.filter(kind=ReplyEvent.Kind.MISMATCH_CONFIRMED).select_related("by"))


def reply_mismatches_unresolved(*, reply: Reply) -> list[dict]:
    """Header mismatches nobody has confirmed: they block submission and release."""
    return [m for m in reply_mismatch_states(reply=reply) if m["confirmed"] is None]


def unresolved_mismatches_error(open_mismatches: list[dict]) -> ValidationError:
    return ValidationError(_("答复文头与交办不一致，须先逐项确认（说明理由）或将答复移出该交办：%(items)s")
                           % {"items": "；".join(f"{m['message']}（{m['parsed']}）" for m in open_mismatches)})


def _locked_open(reply: Reply) -> Reply:
    reply = Reply.objects.select_for_update(of=("self",)).select_related(
        "assignment__proposal", "assignment__department").get(pk=reply.pk)
    if reply.assignment_id is None:
        raise ValidationError(_("该答复尚未归入交办。"))
    if reply.released_at is not None:
        raise ValidationError(_("该答复已审核发布。"))
    if reply.withdrawn_at is not None:
        raise ValidationError(_("该答复已撤回。"))
    return reply


@transaction.atomic
def reply_mismatch_confirm(*, reply: Reply, field: str, reason: str, by: User) -> ReplyEvent:
    """Confirm that the reply belongs to its assignment despite one header mismatch; who, when and why are kept."""
    reply = _locked_open(reply)
    if not reason.strip():
        raise ValidationError(_("确认文头不一致须说明理由。"))
    mismatch = next((m for m in reply_mismatches_unresolved(reply=reply) if m.get("field") == field), None)
    if mismatch is None:
        raise ValidationError(_("没有待确认的这项不一致。"))
    return reply_event_add(reply, ReplyEvent.Kind.MISMATCH_CONFIRMED, by=by, note=reason.strip(),
                           data={"field": field, "parsed": mismatch.get("parsed"), "expected": mismatch.get("expected")})


@transaction.atomic
def reply_detach(*, reply: Reply, reason: str, by: User) -> Reply:
    """Take a reply off the assignment it does not belong to: it waits among the unmatched imports, and an
    assignment it had marked 已答复 goes back to its earlier status."""
    reply = _locked_open(reply)
    if not reason.strip():
        raise ValidationError(_("移出交办须说明理由。"))
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=reply.assignment_id)
    if reply.submitted_at is not None:
        reply_unmark_submitted(reply, assignment)
    reply.assignment = None
    reply.submitted_at = None
    reply.mismatches = []
    reply.match_status = Reply.Match.UNMATCHED
    reply.match_note = (_("已从 %(assignment)s 移出：%(reason)s") % {"assignment": assignment,
                                                                  "reason": reason.strip()})[:2000]
    reply.save(update_fields=["assignment", "submitted_at", "mismatches", "match_status", "match_note"])
    reply_event_add(reply, ReplyEvent.Kind.DETACHED, by=by, note=reason.strip(),
                    data={"assignment": assignment.pk, "label": str(assignment)})
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REPLY_DETACHED, by=by,
                                   note=_("第%(version)d版：%(reason)s") % {"version": reply.version,
                                                                        "reason": reason.strip()})
    return reply


@transaction.atomic
def reply_match(*, reply: Reply) -> Reply:
    """Match an imported reply to its assignment from its parsed header (session and number; department by
    name or document-number prefix), among the assignments its importer may act on (those of the committees it
    works for). Ambiguous and unmatched replies wait for staff to assign them by hand."""
    header = reply.parsed_header or {}
    number = (header.get("proposal_number") or "").lstrip("0")
    departments = Department.objects.matching(name=header.get("department"), doc_number=header.get("doc_number"))
    proposals = Proposal.objects.filter(number=int(number)) if number.isdigit() and len(number) < 10 else \
        Proposal.objects.none()
    if header.get("session"):
        key = Session.name_key(header["session"])
        sessions = [s.pk for s in Session.objects.all() if Session.name_key(s.name) == key]
        proposals = proposals.filter(session__in=sessions)
    reachable = Assignment.objects.workable_by(reply.uploaded_by) if reply.uploaded_by_id else Assignment.objects
    candidates = list(reachable.filter(proposal__in=proposals, department__in=departments)
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
        note = _("该%(proposal)s未交办给 %(departments)s") % {
            "departments": "、".join(d.name for d in departments),
            "proposal": terms_for_bodies(proposals.values_list("session__committee__body", flat=True)).proposal}
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
    same = assignment.replies.current().filter(sha256=reply.sha256).exclude(sha256="").first()
    if same is not None and reply.withdrawn_at is None:
        raise ValidationError(_("该文件已作为第%(version)d版上传过。") % {"version": same.version})
    reply.assignment = assignment
    reply.version = next_version(assignment)
    reply.match_status = Reply.Match.MATCHED
    if by is not None:  # attached by hand: what the parse's match said no longer holds
        reply.match_note = _("由 %(user)s 归入 %(assignment)s") % {
            "user": by.get_full_name() or by.username, "assignment": assignment}
    reply.mismatches = reply_mismatches(reply=reply)
    reply.save(update_fields=["assignment", "version", "match_status", "match_note", "mismatches"])
    # an archive's reply was sent long ago: it is submitted as soon as it is attached; its mismatches still
    # block its release until resolved
    reply_mark_submitted(reply, assignment, by=by)
    return reply
