"""Page reads: each starts from visible_to(user) and fetches what its page shows in a fixed number of queries."""

import uuid
from datetime import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Assignment, Proposal, Proposer


def proposal_list(*, user) -> QuerySet[Proposal]:
    """Proposals the user may see, with session, proposers, the user's visible assignments and their replies,
    and the lead department's due date (办理期限 of the list and the export; blank without a lead)."""
    from replies.models import Reply

    visible_assignments = Assignment.objects.visible_among_proposals_to(user)
    lead_due = visible_assignments.lead().filter(proposal=OuterRef("pk")).values("due_on")[:1]
    return (
        Proposal.objects.visible_to(user)
        .select_related("session__committee")
        .annotate(lead_due_on=Subquery(lead_due))
        .prefetch_related(
            Prefetch("proposer_links", queryset=Proposer.objects.select_related("member")),
            Prefetch("assignments", queryset=visible_assignments.select_related("department").order_by("role", "id")
                     .prefetch_related(Prefetch("replies", queryset=Reply.objects.order_by("-version")
                                                .defer("text", "parsed_header", "mismatches")))),
        )
        # newest session first: sessions are created as they open, so their ids follow the calendar, and
        # proposal_session_desc_number gives the first page without sorting 100 000 rows by a joined date
        .order_by("-session_id", "number")
    )


def proposal_get(*, user, pk: int) -> Proposal:
    """One proposal the user may see, with what its page shows, or Proposal.DoesNotExist."""
    return proposal_list(user=user).prefetch_related(
        "assignments__events__by", "assignments__replies__feedback__member",
        "assignments__replies__feedback__recorded_by",
        "assignments__extensions", "attachments").get(pk=pk)


def proposal_co_opinions(*, user, proposal: Proposal) -> QuerySet:
    """The 会办意见 on a proposal the user may read (the co-handler's own, the lead's, or all for the office)."""
    from .models import CoOpinion

    return (CoOpinion.objects.visible_to(user).filter(assignment__proposal=proposal)
            .select_related("assignment__department").order_by("sent_at", "pk"))


def proposal_timeline(proposal: Proposal) -> list[dict]:
    """What happened to a proposal, oldest first: submitted, assignment events, replies, releases, feedback."""
    from datetime import time


    def at_day(day):
        return timezone.make_aware(datetime.combine(day, time(0, 0)))

    entries = [{"at": at_day(proposal.submitted_on), "what": Proposal.Status.SUBMITTED.label, "who": "",
                "note": ""}]
    for assignment in proposal.assignments.all():
        for event in assignment.events.all():
            entries.append({"at": event.at, "what": f"{event.get_kind_display()} · {assignment.department}",
                            "who": event.by or "", "note": event.note})
        for reply in assignment.replies.all():
            if reply.released_at:
                entries.append({"at": reply.released_at, "what": _("审核发布 · %(reply)s") % {
                                "reply": reply.doc_number or reply},
                                "who": reply.released_by or "", "note": ""})
            for feedback in reply.feedback.all():
                entries.append({"at": feedback.recorded_at, "what": _("征询意见 · %(rating)s") % {
                                "rating": feedback.get_rating_display()},
                                "who": feedback.member, "note": feedback.comment})
    return sorted(entries, key=lambda entry: entry["at"])


def department_dashboard(*, user, today, session=None, year=None) -> list[dict]:
    """Per department: assigned, answered and answered on time (办复率), overdue, satisfaction (满意率),
    commitments kept (办成率) and median days to the first answer; over the assignments the user may see.

    An assignment is answered once its department submitted a reply (a lead's draft waiting for 会签 is not) or,
    for a co-handler, sent its opinion (会办意见): Assignment.first_replied_on. A 分办 department's reply counts for
    its own assignment. Three grouped queries and the departments, whatever the number of assignments."""
    from datetime import timedelta

    from django.db.models import Count, DurationField, F, Q

    from indicators.models import Commitment
    from replies.models import Feedback

    from .aggregates import Median
    from .models import Committee, Department

    counted_statuses = [status for status in Assignment.Status.values if status != Assignment.Status.RETURNED]

    def scoped(queryset, path=""):
        """`queryset` narrowed to the assignments counted, reached through `path` (joins, not an IN list)."""
        queryset = queryset.filter(**{f"{path}status__in": counted_statuses})
        if session is not None:
            queryset = queryset.filter(**{f"{path}proposal__session": session})
        if year:
            queryset = queryset.filter(**{f"{path}proposal__session__year": year})
        if not user.reads_by_committee:
            queryset = queryset.filter(**{f"{path}pk__in": Assignment.objects.visible_to(user).values("pk")})
        elif not user.sees_all_committees:
            queryset = queryset.filter(**{f"{path}proposal__session__committee__in":
                                          Committee.objects.readable_by(user)})
        return queryset

    # counts of status, not of id: assignment_dashboard holds every column this query reads, so PostgreSQL reads
    # that index alone, not the table
    counts = {row["department_id"]: row for row in scoped(Assignment.objects.all())
              .values("department_id").annotate(
        assigned=Count("status"),
        overdue=Count("status", filter=Q(status__in=Assignment.OPEN_STATUSES, due_on__lt=today)),
        very_overdue=Count("status", filter=Q(status__in=Assignment.OPEN_STATUSES, hard_due_on__lt=today)),
        replied=Count("first_replied_on"), on_time=Count("status", filter=Q(first_replied_on__lte=F("due_on"))),
        median_days=Median(F("first_replied_on") - F("assigned_on"), output_field=DurationField()),
    ).order_by()}
    feedback = {row["reply__assignment__department_id"]: row for row in scoped(
        Feedback.objects.all(), "reply__assignment__").values("reply__assignment__department_id").annotate(
        total=Count("id"), satisfied=Count("id", filter=Q(rating__in=["satisfied", "basically"]))).order_by()}
    commitments = {row["reply__assignment__department_id"]: row for row in scoped(
        Commitment.objects.followed(), "reply__assignment__").values("reply__assignment__department_id").annotate(
        total=Count("id"), kept=Count("id", filter=Q(follow_up_status="kept"))).order_by()}

    def rate(part, whole):
        return round(100 * part / whole, 1) if whole else None

    rows = []
    for department in Department.objects.filter(pk__in=counts).order_by("name"):
        count = counts[department.pk]
        rated = feedback.get(department.pk, {"total": 0, "satisfied": 0})
        promised = commitments.get(department.pk, {"total": 0, "kept": 0})
        median = count["median_days"]
        rows.append({
            "department": department,
            **{k: count[k] for k in ("assigned", "overdue", "very_overdue", "replied", "on_time")},
            "reply_rate": rate(count["replied"], count["assigned"]),
            "on_time_rate": rate(count["on_time"], count["assigned"]),
            "rated": rated["total"], "satisfied": rated["satisfied"],
            "satisfaction_rate": rate(rated["satisfied"], rated["total"]),
            "commitments": promised["total"], "kept": promised["kept"],
            "kept_rate": rate(promised["kept"], promised["total"]),
            "median_days": None if median is None else median / timedelta(days=1),
        })
    return rows


def dashboard_totals(rows: list[dict]) -> dict:
    """The figures over every department shown, rates computed from the sums (not averaged per department)."""
    totals = {key: sum(row[key] for row in rows)
              for key in ("assigned", "replied", "on_time", "overdue", "very_overdue", "rated", "satisfied",
                          "commitments", "kept")}

    def rate(part, whole):
        return round(100 * totals[part] / totals[whole], 1) if totals[whole] else None

    totals.update(reply_rate=rate("replied", "assigned"), on_time_rate=rate("on_time", "assigned"),
                  satisfaction_rate=rate("satisfied", "rated"), kept_rate=rate("kept", "commitments"))
    return totals


def assignment_queue(*, user, body: str = "") -> dict[str, list[Assignment]]:
    """A department user's assignments by what they call for; for the office, the requests waiting on it. With a
    body (cppcc, npc) a department sees only that body's: its 政协提案 or its 人大代表建议."""
    from replies.models import Reply

    from .models import Extension

    # the office's requests are those of the committees it works for; a department's, its own from every committee
    assignments = Assignment.objects.workable_by(user)
    replies = Reply.objects.visible_to(user)
    if body:
        assignments = assignments.filter(proposal__session__committee__body=body)
        replies = replies.filter(assignment__proposal__session__committee__body=body)
    base = assignments.select_related(
        "proposal__session__committee", "department").prefetch_related(
        Prefetch("replies", queryset=Reply.objects.order_by("-version")), "co_opinions",
        Prefetch("extensions", queryset=Extension.objects.filter(status=Extension.Status.PENDING),
                 to_attr="pending_extensions"))
    if user.reads_by_committee:
        return {
            "return_requests": list(base.filter(return_requested_on__isnull=False).order_by("return_requested_on")),
            "extensions": list(base.filter(extensions__status="pending").distinct().order_by("due_on")),
            "drafts": list(Reply.objects.workable_by(user).drafts()
                           .select_related("assignment__proposal", "assignment__department").order_by("uploaded_at")),
        }
    return {
        "to_sign": list(base.filter(status=Assignment.Status.ASSIGNED).order_by("due_on")),
        "open": list(base.filter(status__in=[Assignment.Status.SIGNED, Assignment.Status.REOPENED]).order_by("due_on")),
        "drafts_to_sign_off": list(replies.drafts().filter(assignment__role="lead")
            .exclude(assignment__department=user.department_id)
            .exclude(signoffs__assignment__department=user.department_id)
            .select_related("assignment__proposal", "assignment__department")),
        "extensions": list(base.filter(extensions__status="pending").distinct()),
        "replied": list(base.filter(status__in=[Assignment.Status.REPLIED, Assignment.Status.CLOSED])
                        .order_by("-due_on")[:50]),
        "returned": list(base.filter(status=Assignment.Status.RETURNED).order_by("-returned_on")[:20]),
    }


def proposal_history(proposal: Proposal, *, user, limit: int = 100) -> list:
    """Recorded changes to a proposal and its assignments, newest first, with who made them and what changed.
    A department user sees its own assignments' records only while they were its own, and the proposal's from the
    day it was first assigned to the department: never another department's assignment, deadline or handler."""
    from django.db.models import Min

    from .history import history_entries

    proposal_records = Proposal.history.filter(id=proposal.pk)
    assignment_records = Assignment.history.filter(proposal_id=proposal.pk)
    if not user.reads_by_committee:
        assignment_records = assignment_records.filter(
            id__in=Assignment.objects.visible_to(user).filter(proposal=proposal).values("pk"),
            department_id=user.department_id)
        since = assignment_records.aggregate(since=Min("history_date"))["since"]
        proposal_records = proposal_records.filter(history_date__gte=since) if since else proposal_records.none()
    return history_entries([proposal_records, assignment_records], limit=limit, terms=proposal.terms)


DASHBOARD_VERSION_KEY = "dashboard:version"


def dashboard_version() -> str:
    """The cache's name for the current state of everything the dashboard counts; a write that changes it
    draws a new one (proposals.signals), so a figure computed before that write is never read again."""
    from django.core.cache import cache

    version = cache.get(DASHBOARD_VERSION_KEY)
    if version is None:
        cache.add(DASHBOARD_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(DASHBOARD_VERSION_KEY)
    return version or ""


def _dashboard_bump() -> None:
    from django.core.cache import cache

    cache.set(DASHBOARD_VERSION_KEY, uuid.uuid4().hex, None)


def dashboard_invalidate() -> None:
    """Every cached dashboard figure is out of date: now, and again once the current transaction commits (a
    request that read the version in between computed from rows without this write). One bump per transaction."""
    from django.db import connection, transaction

    _dashboard_bump()
    if connection.in_atomic_block and any(item[1] is _dashboard_bump for item in connection.run_on_commit):
        return
    transaction.on_commit(_dashboard_bump)


def _dashboard_key(*, user, today, session=None, year=None) -> str:
    """Per set of committees read: accounts reading the same committees share their figures."""
    from .models import Committee

    committees = "all" if user.sees_all_committees else ",".join(
        str(pk) for pk in Committee.objects.readable_by(user).order_by("pk").values_list("pk", flat=True))
    return f"dashboard:3:{dashboard_version()}:{committees}:{today}:{session.pk if session else ''}:{year or ''}"


def department_dashboard_cached(*, user, today, session=None, year=None) -> tuple[list[dict], datetime]:
    """department_dashboard and when it was computed. For the office's accounts it is cached, per set of
    committees read, under the current dashboard_version(), so it is never older than the last write that affects
    it; a department's own figures are computed on each request."""
    from django.core.cache import cache

    if not user.reads_by_committee:
        return department_dashboard(user=user, today=today, session=session, year=year), timezone.now()
    cached = cache.get(_dashboard_key(user=user, today=today, session=session, year=year))
    return cached or _dashboard_compute_and_cache(user=user, today=today, session=session, year=year)


def _dashboard_compute_and_cache(*, user, today, session=None, year=None) -> tuple[list[dict], datetime]:
    from django.conf import settings
    from django.core.cache import cache

    # the version before reading, never after
    key = _dashboard_key(user=user, today=today, session=session, year=year)
    computed = department_dashboard(user=user, today=today, session=session, year=year), timezone.now()
    cache.set(key, computed, settings.DASHBOARD_CACHE_SECONDS)
    return computed


def dashboard_refresh() -> None:
    """Compute the staff dashboard (all sessions, and the current year) into the cache before a request needs it."""
    from .models import User

    today = timezone.localdate()
    everyone = User(role=User.Role.SUPERVISOR, is_active=True, all_committees=True)  # never saved
    for year in (None, today.year):
        _dashboard_compute_and_cache(user=everyone, today=today, year=year)


def session_next_numbers() -> dict[int, int]:
    """For each session, the number after its highest proposal number (1 for a session with none): the number
    a new proposal is offered. One grouped query."""
    from django.db.models import Max

    from .models import Session

    highest = dict(Proposal.objects.order_by().values_list("session").annotate(Max("number")))
    return {pk: (highest.get(pk) or 0) + 1 for pk in Session.objects.values_list("pk", flat=True)}


def member_choices(*, user) -> list[tuple[str, str]]:
    """Proposers of the committees the user works for as (name, kind label), for the proposer rows' suggestions."""
    from .models import Member
    from .vocabulary import terms_for

    labels = dict(Member.Kind.choices)
    rows = Member.objects.workable_by(user).order_by("name", "kind").values_list("name", "kind", "committee__body")
    # a person is a 委员 of a 政协 and a 代表 of a 人大
    return list(dict.fromkeys(
        (name, terms_for(body).person_kind if kind == Member.Kind.PERSON else labels.get(kind, ""))
        for name, kind, body in rows.distinct()))


STAFF_TODO_LIMIT = 200


def staff_todo(*, user) -> dict:
    """What waits for the proposal office (of the committees the user works for), each list with its count: proposals members submitted online, waiting
    for 立案 review; submitted replies to review (with their
    pending rows) and to release, extension and return requests, and imported replies matched to nothing or to
    several assignments. A fixed number of queries, however long the lists."""
    from django.db.models import Count, IntegerField, Q
    from django.db.models.functions import Coalesce

    from indicators.models import Commitment, Indicator
    from replies.models import Reply, ReplyEvent

    from .models import Extension

    def pending_rows(model):
        rows = model.objects.filter(reply=OuterRef("pk"), review_status="pending").order_by().values("reply")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField())

    waiting = Reply.objects.workable_by(user).filter(assignment__isnull=False, submitted_at__isnull=False,
                                                    released_at__isnull=True)
    confirmations = Prefetch("events", queryset=ReplyEvent.objects.filter(kind=ReplyEvent.Kind.MISMATCH_CONFIRMED))
    submitted = list(
        waiting.defer("text", "parsed_header").select_related("assignment__proposal__session__committee",
                                                              "assignment__department")
        .annotate(pending_indicators=pending_rows(Indicator), pending_commitments=pending_rows(Commitment))
        .prefetch_related(confirmations).order_by("submitted_at", "pk")[:STAFF_TODO_LIMIT])
    for reply in submitted:
        reply.pending_rows = reply.pending_indicators + reply.pending_commitments
        reply.open_mismatches = [m for m in reply.mismatch_states() if m["confirmed"] is None]
    to_review = [r for r in submitted
                 if r.pending_rows or r.open_mismatches or r.parse_status != Reply.ParseStatus.PARSED]
    reviewing = {r.pk for r in to_review}
    to_release = [r for r in submitted if r.pk not in reviewing]

    extensions = (Extension.objects.filter(status=Extension.Status.PENDING,
                                          assignment__in=Assignment.objects.workable_by(user))
                  .select_related("assignment__proposal__session__committee", "assignment__department", "requested_by")
                  .order_by("requested_at"))
    return_requests = (Assignment.objects.workable_by(user).filter(return_requested_on__isnull=False)
                       .exclude(status=Assignment.Status.RETURNED)
                       .select_related("proposal__session__committee", "department")
                       .order_by("return_requested_on", "pk"))
    unmatched = (Reply.objects.workable_by(user).filter(assignment__isnull=True)
                 .filter(Q(match_status__in=[Reply.Match.UNMATCHED, Reply.Match.AMBIGUOUS])
                         | Q(parse_status=Reply.ParseStatus.FAILED)).defer("text").order_by("uploaded_at", "pk"))
    unmatched_list = list(unmatched[:STAFF_TODO_LIMIT])
    _attach_guesses(unmatched_list)
    online = (Proposal.objects.workable_by(user).filter(status=Proposal.Status.SUBMITTED, draft__isnull=False)
              .select_related("session__committee").prefetch_related(
                  Prefetch("proposer_links", queryset=Proposer.objects.select_related("member")))
              .order_by("submitted_on", "pk"))
    return {
        "online": list(online[:STAFF_TODO_LIMIT]), "online_count": online.count(),
        "to_review": to_review, "to_release": to_release,
        "submitted_count": waiting.count() if len(submitted) == STAFF_TODO_LIMIT else len(submitted),
        "extensions": list(extensions[:STAFF_TODO_LIMIT]), "extensions_count": extensions.count(),
        "return_requests": list(return_requests[:STAFF_TODO_LIMIT]), "return_requests_count": return_requests.count(),
        "unmatched": unmatched_list,
        "unmatched_count": unmatched.count() if len(unmatched_list) == STAFF_TODO_LIMIT else len(unmatched_list),
        "limit": STAFF_TODO_LIMIT,
    }


def _attach_guesses(replies) -> None:
    """Prefill each unattached reply's attach form from its parsed header: the session named, the number."""
    from django.db.models import Q

    from .models import Department, Session

    sessions = {Session.name_key(s.name): s.pk for s in Session.objects.only("pk", "name")}
    named = {(r.parsed_header or {}).get("department") for r in replies} - {None, ""}
    departments = {}
    for department in Department.objects.filter(Q(name__in=named) | Q(short_name__in=named)).only("name", "short_name"):
        departments[department.name] = departments[department.short_name] = department.name
    for reply in replies:
        header = reply.parsed_header or {}
        reply.guess_session = sessions.get(Session.name_key(header.get("session")))
        number = (header.get("proposal_number") or "").lstrip("0")
        reply.guess_number = int(number) if number.isdigit() and len(number) < 9 else None
        # only a department this office knows: a name it does not know would only be refused
        reply.guess_department = departments.get(header.get("department") or "", "")


def assignment_find(*, user, session, number: int, department=None) -> list[Assignment]:
    """The active (not returned) assignments of proposal `number` of `session` that the user may act on, of one
    department if given."""
    found = (Assignment.objects.workable_by(user).filter(proposal__session=session, proposal__number=number)
             .exclude(status=Assignment.Status.RETURNED).select_related("proposal__session", "department"))
    if department is not None:
        found = found.filter(department=department)
    return list(found.order_by("role", "pk"))


def member_proposal_list(*, user) -> QuerySet[Proposal]:
    """A member account's own proposals (lead or co-signer), newest first, with session and proposers."""
    return (Proposal.objects.visible_to(user).select_related("session__committee", "merged_into")
            .prefetch_related(Prefetch("proposer_links", queryset=Proposer.objects.select_related("member")))
            .order_by("-submitted_on", "-pk"))


def member_proposal_get(*, user, pk: int) -> Proposal:
    """One of the member's proposals with what its page shows: assignments (not returned ones), released replies
    only, and every proposer's feedback on them; or Proposal.DoesNotExist."""
    from replies.models import Feedback, Reply

    replies = (Reply.objects.visible_to(user).defer("text", "parsed_header", "mismatches").order_by("version")
               .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.select_related("member",
                                                                                              "recorded_by"))))
    assignments = (Assignment.objects.visible_to(user).exclude(status=Assignment.Status.RETURNED)
                   .select_related("department").order_by("role", "id")
                   .prefetch_related(Prefetch("replies", queryset=replies), "events"))
    return member_proposal_list(user=user).prefetch_related(
        Prefetch("assignments", queryset=assignments), "attachments").get(pk=pk)


MEMBER_TIMELINE_EVENTS = ("assigned", "reopened", "closed")
# the proposal's own steps; 已交办 and 已评价 show as their assignment and rating entries instead
MEMBER_TIMELINE_STATUSES = ("submitted", "registered", "not_registered", "merged", "replied", "closed")


def member_timeline(proposal: Proposal) -> list[dict]:
    """What a proposer is shown happened, oldest first: each change of the proposal's status, each assignment
    (department, due date) and re-handling, each released reply and each rating; nothing of the departments'
    internal steps. Reads the prefetched assignments of member_proposal_get."""
    entries, last = [], None
    for version in proposal.history.order_by("history_date", "history_id").only("status", "history_date"):
        if version.status != last and version.status in MEMBER_TIMELINE_STATUSES:
            entries.append({"at": version.history_date, "what": Proposal.Status(version.status).label, "note": ""})
        last = version.status
    refusal = [e for e in entries if e["what"] == Proposal.Status.NOT_REGISTERED.label]
    if refusal:
        refusal[-1]["note"] = proposal.not_registered_reason
    for assignment in proposal.assignments.all():
        for event in assignment.events.all():
            if event.kind in MEMBER_TIMELINE_EVENTS:
                entries.append({"at": event.at, "what": f"{event.get_kind_display()} · {assignment.department}"
                                f"（{assignment.get_role_display()}）", "note": event.note if event.kind == "reopened"
                                else ""})
        for reply in assignment.replies.all():
            entries.append({"at": reply.released_at, "what": _("答复发布 · %(department)s %(doc)s") % {
                "department": assignment.department, "doc": reply.doc_number}, "note": ""})
            for feedback in reply.feedback.all():
                entries.append({"at": feedback.recorded_at, "what": _("评价 · %(member)s：%(rating)s") % {
                    "member": feedback.member, "rating": feedback.get_rating_display()}, "note": feedback.comment})
    return sorted(entries, key=lambda entry: entry["at"])


def member_home(*, user) -> dict:
    """A member's start page: own proposals, own and co-signed drafts, invitations waiting for an answer, and
    the number of unread notifications."""
    from .models import Cosigner, Notification, ProposalDraft

    drafts = (ProposalDraft.objects.visible_to(user).filter(status=ProposalDraft.Status.DRAFT)
              .select_related("session__committee", "lead").prefetch_related("cosigners__member"))
    invitations = (Cosigner.objects.filter(member=user.member_id, status=Cosigner.Status.INVITED,
                                           draft__status=ProposalDraft.Status.DRAFT)
                   .select_related("draft__lead", "draft__session"))
    return {"proposals": member_proposal_list(user=user), "drafts": drafts, "invitations": invitations,
            "unread": Notification.objects.filter(user=user, read_at__isnull=True).count()}
