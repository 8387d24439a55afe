from __future__ import annotations

from django.db import connection, models

from proposals.querysets import CommitteeScopedQuerySet, HasWords, sees_nothing


class ReplyQuerySet(CommitteeScopedQuerySet):
    committee_path = "assignment__proposal__session__committee"

    def of_committees(self, committees, *, user) -> ReplyQuerySet:
        """Replies to these committees' assignments; an import not yet matched to an assignment belongs to the
        committees its importer works for (and to the importer)."""
        from proposals.models import User

        importer_works_for = User.committees.through.objects.filter(user=models.OuterRef("uploaded_by"),
                                                                    committee__in=committees)
        return self.filter(models.Q(assignment__proposal__session__committee__in=committees)
                           | models.Q(assignment__isnull=True) & (models.Q(uploaded_by=user)
                                                                  | models.Exists(importer_works_for)))

    def visible_to(self, user) -> ReplyQuerySet:
        """Staff and supervisors see the replies of the committees they read; a department user only its
        department's; a member account only released, not withdrawn replies to its own proposals."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        from proposals.models import Assignment, Proposal

        if user.role == "member":
            return self.released().current().filter(assignment__proposal__in=Proposal.objects.visible_to(user))

        co_handled = Assignment.objects.filter(department=user.department_id, role="co").exclude(
            status="returned").values("proposal")
        # a co-handler reads (and signs off) the lead department's reply to the proposal it co-handles. A union of
        # the few assignment ids, not an OR over the joined assignment: the OR made PostgreSQL scan all 150 000
        # assignments and every reply holding a searched word (535 ms for 教育 at scale; 100 ms this way)
        readable = Assignment.objects.order_by().filter(department=user.department_id).values("pk").union(
            Assignment.objects.order_by().filter(role="lead", proposal__in=co_handled).values("pk"))
        return self.filter(assignment__in=readable)

    def with_words(self, words: list[str]) -> ReplyQuerySet:
        """Replies whose text holds every one of `words` (jieba words): the stored search_vector on PostgreSQL
        (GIN index reply_search_vector), a substring match elsewhere."""
        if connection.vendor != "postgresql":
            return self.filter(*[models.Q(text__icontains=word) for word in words])
        return self.filter(HasWords(words))

    def stalled(self, *, now, queued_for, unsent_for, lease) -> ReplyQuerySet:
        """Replies whose parse task was lost: queued with no task sent for unsent_for (the broker was down),
        queued with a task for queued_for, or parsing with the lease run out (its worker died) and no task
        sent again within a lease."""
        lease_over = (models.Q(parse_lease_until__lt=now)
                      | models.Q(parse_lease_until__isnull=True, parse_status_at__lt=now - lease))
        not_just_sent = models.Q(parse_task_sent_at__isnull=True) | models.Q(parse_task_sent_at__lt=now - lease)
        return self.filter(
            models.Q(parse_status="queued", parse_task_sent_at__isnull=True, parse_status_at__lt=now - unsent_for)
            | models.Q(parse_status="queued", parse_task_sent_at__isnull=False, parse_status_at__lt=now - queued_for)
            | (models.Q(parse_status="parsing") & lease_over & not_just_sent)
        ).exclude(file="")

    def current(self) -> ReplyQuerySet:
        """Not withdrawn: a withdrawn version is shown but never submitted, released or counted."""
        return self.filter(withdrawn_at__isnull=True)

    def drafts(self) -> ReplyQuerySet:
        """Attached to an assignment, neither submitted nor withdrawn."""
        return self.filter(submitted_at__isnull=True, withdrawn_at__isnull=True, assignment__isnull=False)

    def released(self) -> ReplyQuerySet:
        """Checked by the proposal office and released to the member."""
        return self.filter(released_at__isnull=False)

    def published(self) -> ReplyQuerySet:
        """Marked 公开 by the office after its redactions were reviewed: the only replies the public pages show."""
        return self.filter(is_public=True, released_at__isnull=False, public_decided_at__isnull=False,
                           withdrawn_at__isnull=True, assignment__isnull=False)


class FeedbackQuerySet(CommitteeScopedQuerySet):
    committee_path = "reply__assignment__proposal__session__committee"

    def visible_to(self, user) -> FeedbackQuerySet:
        """Feedback follows the visibility of the reply it rates."""
        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        if user.role == "member":
            from .models import Reply

            return self.filter(reply__in=Reply.objects.visible_to(user))
        return self.filter(reply__assignment__department=user.department_id)
