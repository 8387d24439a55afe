"""Which assignment a reply belongs to: its header checked against the assignment, imported replies matched."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Assignment, Department, Proposal, Session, User

from ..models import Reply
from .common import REPLYABLE_STATUSES, assignment_mark_replied, next_version


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
    reply.version = next_version(assignment)
    reply.match_status = Reply.Match.MATCHED
    reply.submitted_at = reply.submitted_at or timezone.now()
    reply.mismatches = reply_mismatches(reply=reply)
    reply.save(update_fields=["assignment", "version", "match_status", "submitted_at", "mismatches"])
    if assignment.status in REPLYABLE_STATUSES:
        assignment_mark_replied(assignment, by=by, version=reply.version)
    return reply
