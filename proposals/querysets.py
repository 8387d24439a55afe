from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import UserManager as DjangoUserManager
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
    """The queried table's `search_vector` (or another stored tsvector `column`) of jieba words
    (proposals.textsearch) with a GIN index holds every one of `words` (PostgreSQL only). The column is named
    through the query's own alias for its table, so the condition also holds inside a subquery (where Django
    renames the table U0)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, words: list[str], *, weights: str = "", column: str = "search_vector"):
        super().__init__()
        self.words, self.weights, self.column = words, weights, column

    def as_sql(self, compiler, connection):
        from .textsearch import tsquery_all

        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return (f"{table}.{self.column} @@ to_tsquery('simple', %s)",
                [tsquery_all(self.words, weights=self.weights)])


class IdAmong(Expression):
    """The queried row's id is among those `ids` (a values() queryset of one column) returns, as
    `id = ANY(ARRAY(subquery))` (PostgreSQL only): the subquery runs once and its ids are looked up in the primary
    key's index, so an OR of this with other indexed conditions stays a bitmap OR, where `id IN (subquery)` makes
    PostgreSQL test the subquery against every row of the table."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, ids: models.QuerySet):
        super().__init__()
        self.ids = ids

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        sql, params = self.ids.query.get_compiler(connection=connection).as_sql()
        return f"{table}.id = ANY(ARRAY({sql}))", params


class CommitteeQuerySet(models.QuerySet):
    def worked_by(self, user) -> CommitteeQuerySet:
        """The committees whose work a staff or supervisor account does (reads, and for staff writes): those it
        belongs to, or all of them for an all-committee account or a superuser; none for other roles."""
        if sees_nothing(user) or not user.reads_by_committee:
            return self.none()
        if user.sees_all_committees:
            return self
        return self.filter(accounts=user)

    def readable_by(self, user) -> CommitteeQuerySet:
        """`worked_by`, plus, for an account given read access below, the same body's committees of the places
        under its committees' places (two levels: province → city → county)."""
        worked = self.worked_by(user)
        if sees_nothing(user) or user.sees_all_committees or not user.reads_lower_committees:
            return worked
        own = self.model.objects.filter(accounts=user)
        below = models.Q()
        for body, region in own.values_list("body", "region"):
            below |= models.Q(body=body) & (models.Q(region__parent=region) | models.Q(region__parent__parent=region))
        return self.filter(models.Q(pk__in=own.values("pk")) | below) if below else worked


class CommitteeScopedQuerySet(models.QuerySet):
    """Rows that belong to one committee, reached through `committee_path`. An account that reads by committee
    (staff, supervisors) sees the rows of the committees it reads, and may change only those of the committees it
    works for: a committee read below (reads_lower_committees) is read only. Subclasses define visible_to(user)."""

    committee_path = "session__committee"

    def of_committees(self, committees, *, user) -> CommitteeScopedQuerySet:
        """Rows of these committees (a Committee queryset)."""
        return self.filter(**{f"{self.committee_path}__in": committees})

    def readable_by_committee(self, user) -> CommitteeScopedQuerySet:
        """For an account that reads by committee: the rows of the committees it reads."""
        from .models import Committee

        return self if user.sees_all_committees else self.of_committees(Committee.objects.readable_by(user),
                                                                        user=user)

    def workable_by(self, user) -> CommitteeScopedQuerySet:
        """The rows the user may act on: those it sees, and for an account that reads by committee only those of
        the committees it works for. Every write view fetches its object from here, never from visible_to."""
        from .models import Committee

        visible = self.visible_to(user)
        if sees_nothing(user) or not user.reads_by_committee or user.sees_all_committees:
            return visible
        return visible.of_committees(Committee.objects.worked_by(user), user=user)


class SessionQuerySet(CommitteeScopedQuerySet):
    committee_path = "committee"

    def visible_to(self, user) -> SessionQuerySet:
        """The office's accounts see the sessions of the committees they read, a member account those of its
        member's committee; departments, whose rows are scoped by assignment, choose among every session."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        if user.role == "member" and user.member.committee_id is not None:
            return self.filter(committee=user.member.committee_id)
        return self


class MemberQuerySet(CommitteeScopedQuerySet):
    committee_path = "committee"

    def of_committees(self, committees, *, user) -> MemberQuerySet:
        """A committee's members, and proposers of no committee (collectives known to every committee)."""
        return self.filter(models.Q(committee__in=committees) | models.Q(committee__isnull=True))

    def of_committee(self, committee) -> MemberQuerySet:
        """The proposers one committee's proposals may name: its members, and those of no committee."""
        return self.filter(models.Q(committee=committee) | models.Q(committee__isnull=True))

    def visible_to(self, user) -> MemberQuerySet:
        """The office's accounts see the members of the committees they read."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        return self


class ProposalQuerySet(CommitteeScopedQuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Staff and supervisors see the proposals of the committees they read; a department user only those
        assigned to it (by any committee); a member account only those its member is a proposer of."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
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


class AssignmentQuerySet(CommitteeScopedQuerySet):
    committee_path = "proposal__session__committee"

    def visible_to(self, user) -> AssignmentQuerySet:
        """Staff and supervisors see the assignments of the committees they read; a department user only its
        department's, from every committee; a member account the assignments of its own proposals (which
        departments, due dates), never another's."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        if user.role == "member":
            from .models import Proposal

            return self.filter(proposal__in=Proposal.objects.visible_to(user))
        return self.for_department(user.department_id)

    def visible_among_proposals_to(self, user) -> AssignmentQuerySet:
        """visible_to, for a query that already holds only proposals the user sees (a list's rows, a subquery on
        them): an office account sees every assignment of those (an assignment's committee is its proposal's), so
        its committees are not joined again for each one; other roles see only some of a proposal's."""
        if not sees_nothing(user) and user.reads_by_committee:
            return self.all()
        return self.visible_to(user)

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
    def serving(self, committee) -> DepartmentQuerySet:
        """The departments a committee assigns to: those of its place, and those of no place."""
        return self.filter(models.Q(region=committee.region_id) | models.Q(region__isnull=True))

    def serving_any(self, committees) -> DepartmentQuerySet:
        """The departments any of these committees (a Committee queryset) assigns to."""
        return self.filter(models.Q(region__in=committees.values("region")) | models.Q(region__isnull=True))

    def served_only_by(self, committees) -> DepartmentQuerySet:
        """The departments no committee but these (a Committee queryset) assigns to: of their places, where no
        other committee sits; never one of no place, which every committee assigns to."""
        from .models import Committee

        another = Committee.objects.filter(region=OuterRef("region")).exclude(pk__in=committees.values("pk"))
        return self.filter(region__in=committees.values("region")).exclude(Exists(another))

    def visible_to(self, user) -> DepartmentQuerySet:
        """The departments a user's pages offer to choose: for the office's accounts, those serving the committees
        they read; every department otherwise (a department's rows are scoped by assignment)."""
        from .models import Committee

        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee and not user.sees_all_committees:
            return self.serving_any(Committee.objects.readable_by(user))
        return self

    def workable_by(self, user) -> DepartmentQuerySet:
        """The departments an office account may change (in the admin): those serving the committees it works for,
        every one for an all-committee account; none for other roles."""
        from .models import Committee

        if sees_nothing(user) or not user.reads_by_committee:
            return self.none()
        if user.sees_all_committees:
            return self
        return self.serving_any(Committee.objects.worked_by(user))

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


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """A member account reads its own notifications; an office or supervisor account those about the proposals
        (or drafts) of the committees it reads, and those about neither sent to an account it sees."""
        from .models import Proposal, Session, User

        if sees_nothing(user):
            return self.none()
        if user.is_member_user:
            return self.filter(user=user)
        if not user.reads_by_committee:
            return self.none()
        if user.sees_all_committees:
            return self
        return self.filter(models.Q(proposal__in=Proposal.objects.visible_to(user))
                           | models.Q(proposal=None, draft__session__in=Session.objects.visible_to(user))
                           | models.Q(proposal=None, draft=None, user__in=User.objects.visible_to(user)))


class UserQuerySet(models.QuerySet):
    """Accounts as the admin and the login-lock page show them to an office or supervisor account."""

    def visible_to(self, user) -> UserQuerySet:
        """Every account for an all-committee account; otherwise those it may change (workable_by) and the users
        of every department serving the committees it works for; none for other roles."""
        from .models import Committee, Department

        if sees_nothing(user) or not user.reads_by_committee:
            return self.none()
        if user.sees_all_committees:
            return self
        worked = Committee.objects.worked_by(user)
        serving = models.Q(role="department", department__in=Department.objects.serving_any(worked))
        return self.filter(self._reaching_only(worked, user=user) | serving, is_superuser=False)

    def workable_by(self, user) -> UserQuerySet:
        """The accounts a staff account may change (password included: that is acting as the account) and whose
        login locks it lifts: every one for an all-committee account; otherwise those that reach no committee it
        does not work for. A department shared with another committee (of its place, or of no place) is not."""
        from .models import Committee

        if sees_nothing(user) or not user.reads_by_committee:
            return self.none()
        if user.sees_all_committees:
            return self
        return self.filter(self._reaching_only(Committee.objects.worked_by(user), user=user), is_superuser=False)

    def _reaching_only(self, worked, *, user) -> models.Q:
        """Staff and supervisors of `worked` and no other (not all-committee, nor reading below unless `user` does;
        one of no committee yet is the all-committee accounts' to give one),
        users of departments only `worked` assign to, accounts of `worked`'s members."""
        from .models import Department

        memberships = self.model.committees.through.objects.filter(user=OuterRef("pk"))
        office = (models.Q(role__in=("staff", "supervisor"), all_committees=False)
                  & Exists(memberships) & ~Exists(memberships.exclude(committee__in=worked)))
        if not user.reads_lower_committees:
            office &= models.Q(reads_lower_committees=False)
        department = models.Q(role="department", department__in=Department.objects.served_only_by(worked))
        member = models.Q(role="member", member__committee__in=worked)
        return office | department | member


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class CoOpinionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CoOpinionQuerySet:
        """A 会办意见 is read by the co-handler that sent it, the lead department it went to, and the office (each
        through the assignments it sees); never by a member account: it is internal to the handling."""
        from .models import Assignment

        if sees_nothing(user) or user.role == "member":
            return self.none()
        seen = Assignment.objects.visible_to(user)
        to_its_lead = Exists(seen.lead().filter(proposal=OuterRef("assignment__proposal")))
        return self.filter(models.Q(assignment__in=seen) | to_its_lead)


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
