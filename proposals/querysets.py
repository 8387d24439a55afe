from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, models
from django.db.models import BooleanField, Exists, OuterRef
from django.db.models.expressions import Expression

TERMINAL_PROPOSAL_STATUSES = ("closed", "not_registered", "merged")
OPEN_ASSIGNMENT_STATUSES = ("assigned", "signed", "reopened")
ANSWERED_ASSIGNMENT_STATUSES = ("replied", "closed")


def sees_nothing(user) -> bool:
    """Anonymous and deactivated users are scoped to nothing."""
    return not getattr(user, "is_authenticated", False) or not user.is_active


class HasWords(Expression):
    """The queried table's `search_vector`, a stored tsvector of jieba words (proposals.textsearch) with a GIN
    index, holds every one of `words` (PostgreSQL only). The column is named through the query's own alias for
    its table, so the condition also holds inside a subquery (where Django renames the table U0)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, words: list[str], *, weights: str = ""):
        super().__init__()
        self.words, self.weights = words, weights

    def as_sql(self, compiler, connection):
        from .textsearch import tsquery_all

        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return (f"{table}.search_vector @@ to_tsquery('simple', %s)",
                [tsquery_all(self.words, weights=self.weights)])


class CommitteeQuerySet(models.QuerySet):
    def worked_by(self, user) -> CommitteeQuerySet:
        """The committees whose work a staff or supervisor account does (reads, and for staff writes): those it
        belongs to, or all of them for an all-committee account or a superuser; none for other roles."""
        if sees_nothing(user) or not (user.is_superuser or user.role in ("staff", "supervisor")):
            return self.none()
        if user.is_superuser or user.all_committees:
            return self
        return self.filter(accounts=user)

    def readable_by(self, user) -> CommitteeQuerySet:
        """`worked_by`, plus, for an account given read access below, the same body's committees of the places
        under its committees' places (two levels: province → city → county)."""
        worked = self.worked_by(user)
        if sees_nothing(user) or user.is_superuser or user.all_committees or not user.reads_lower_committees:
            return worked
        own = self.model.objects.filter(accounts=user)
        below = models.Q()
        for body, region in own.values_list("body", "region"):
            below |= models.Q(body=body) & (models.Q(region__parent=region) | models.Q(region__parent__parent=region))
        return self.filter(models.Q(pk__in=own.values("pk")) | below) if below else worked


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Staff and supervisors see every proposal; a department user only those assigned to it; a member account
        only those its member is a proposer of (lead or co-signer)."""
        if sees_nothing(user):
            return self.none()
        if user.sees_everything:
            return self
        from .models import Assignment

        if user.role == "member":
            return self.of_member(user.member_id)

        return self.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), department=user.department_id)))

    def with_title_words(self, words: list[str]) -> ProposalQuerySet:
        """Titles holding every one of `words` (jieba words): the title part (weight A) of the stored
        search_vector on PostgreSQL, a substring match elsewhere."""
        if connection.vendor != "postgresql":
            return self.filter(*[models.Q(title__icontains=word) for word in words])
        return self.filter(HasWords(words, weights="A"))

    def of_member(self, member) -> ProposalQuerySet:
        """Proposals a member (an instance or its id) is a proposer of, as lead or co-signer."""
        from .models import Proposer

        return self.filter(Exists(Proposer.objects.filter(proposal=OuterRef("pk"), member=member)))

    def in_handling(self) -> ProposalQuerySet:
        """Not closed, not refused registration and not merged into another proposal."""
        return self.exclude(status__in=TERMINAL_PROPOSAL_STATUSES)

    def overdue(self, *, on: date) -> ProposalQuerySet:
        """In handling with an open assignment whose due date is before `on` (due on `on` is not overdue)."""
        from .models import Assignment

        late = Assignment.objects.open().filter(proposal=OuterRef("pk"), due_on__lt=on)
        return self.in_handling().filter(Exists(late))

    def unresolved(self, *, assignments: models.QuerySet | None = None) -> ProposalQuerySet:
        """In handling, and not every answering assignment (主办, 分办) has a released reply and stays answered
        (不满意 reopens it); among `assignments` only, if given (those a user may see)."""
        from .models import Assignment

        assignments = Assignment.objects.all() if assignments is None else assignments
        answering = assignments.answering().filter(proposal=OuterRef("pk"))
        # through the reverse relation by name: the proposals app never imports replies, whose models depend on it
        waiting = answering.exclude(status__in=ANSWERED_ASSIGNMENT_STATUSES, replies__released_at__isnull=False)
        return self.in_handling().filter(~Exists(answering) | Exists(waiting))


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssignmentQuerySet:
        """Staff and supervisors see every assignment; a department user only its department's; a member account
        the assignments of its own proposals (which departments, due dates), never another's."""
        if sees_nothing(user):
            return self.none()
        if user.sees_everything:
            return self
        if user.role == "member":
            from .models import Proposal

            return self.filter(proposal__in=Proposal.objects.visible_to(user))
        return self.for_department(user.department_id)

    def for_department(self, department) -> AssignmentQuerySet:
        """Assignments handled by one department (an instance or its id)."""
        return self.filter(department=department)

    def lead(self) -> AssignmentQuerySet:
        """The lead department's (主办) assignment, not counting one it returned."""
        return self.filter(role="lead").exclude(status="returned")

    def answering(self) -> AssignmentQuerySet:
        """The assignments whose replies answer the proposal: the lead's and each 分办 department's for its own
        part (a co-handler's opinion goes to the lead), not counting returned ones."""
        return self.filter(role__in=("lead", "separate")).exclude(status="returned")

    def open(self) -> AssignmentQuerySet:
        """Awaiting signature, being handled, or reopened for re-handling."""
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)

    def overdue(self, *, on: date) -> AssignmentQuerySet:
        """Open and past the due date."""
        return self.open().filter(due_on__lt=on)

    def very_overdue(self, *, on: date) -> AssignmentQuerySet:
        """Open and past the hard cap (最长期限)."""
        return self.open().filter(hard_due_on__lt=on)

    def due_within(self, days: int, *, on: date | None = None) -> AssignmentQuerySet:
        """Open and due between `on` (default today) and `days` days later, both included."""
        from django.utils import timezone

        start = on or timezone.localdate()
        return self.open().filter(due_on__gte=start, due_on__lte=start + timedelta(days=days))


class DepartmentQuerySet(models.QuerySet):
    def matching(self, *, name: str | None = None, doc_number: str | None = None) -> list:
        """Departments a reply names (full or short name) or whose document-number prefix its 文号 starts with;
        the longest prefix wins when only the 文号 decides."""
        name = (name or "").strip()
        if name:
            by_name = list(self.filter(models.Q(name=name) | models.Q(short_name=name)))
            if by_name:
                return by_name
        doc_number = (doc_number or "").strip()
        if not doc_number:
            return []
        best, matches = 0, []
        for department in self.exclude(doc_prefixes=[]):
            length = max((len(p) for p in department.doc_prefixes if p and doc_number.startswith(p)), default=0)
            if length > best:
                best, matches = length, [department]
            elif length and length == best:
                matches.append(department)
        return matches


class ProposalDraftQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalDraftQuerySet:
        """A draft is its lead proposer's and invited co-signers' alone; nobody else, staff included, reads it
        before it is submitted (then the office reads the proposal it became)."""
        if sees_nothing(user) or user.role != "member":
            return self.none()
        return self.filter(models.Q(lead=user.member_id) | models.Q(cosigners__member=user.member_id)).distinct()

    def editable_by(self, user) -> ProposalDraftQuerySet:
        """Drafts not yet submitted whose lead proposer the account acts for."""
        if sees_nothing(user) or user.role != "member":
            return self.none()
        return self.filter(lead=user.member_id, status="draft")
