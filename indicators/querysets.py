from __future__ import annotations

from django.db import models

from proposals.querysets import CommitteeScopedQuerySet, sees_nothing


class ExtractedRowQuerySet(CommitteeScopedQuerySet):
    def of_committees(self, committees, *, user) -> ExtractedRowQuerySet:
        """Rows of these committees' replies (an unmatched import's rows are its importer's committees')."""
        from replies.models import Reply

        return self.filter(reply__in=Reply.objects.of_committees(committees, user=user))

    def visible_to(self, user) -> ExtractedRowQuerySet:
        """Rows follow the visibility of their reply; a member account sees none (they are the office's review of
        the reply, not part of it)."""
        from replies.models import Reply

        if sees_nothing(user) or user.role == "member":
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        return self.filter(reply__in=Reply.objects.visible_to(user))

    def pending(self) -> ExtractedRowQuerySet:
        """Not yet reviewed: a re-parse may replace these."""
        return self.filter(review_status="pending")

    def reviewed(self) -> ExtractedRowQuerySet:
        """Accepted, edited or rejected by staff: a re-parse keeps these."""
        return self.exclude(review_status="pending")


class CommitmentQuerySet(ExtractedRowQuerySet):
    def followed(self) -> CommitmentQuerySet:
        """Accepted or corrected by staff: the commitments that are followed until kept."""
        return self.filter(review_status__in=["accepted", "edited"])

    def in_follow_up(self) -> CommitmentQuerySet:
        """What 承诺跟踪 shows: followed commitments, and the unreviewed ones of released replies, which show as
        未审核 rather than drop out of sight. Rejected ones are not followed."""
        return self.filter(models.Q(review_status__in=["accepted", "edited"])
                           | models.Q(review_status="pending", reply__released_at__isnull=False))

    def reportable_by(self, user) -> CommitmentQuerySet:
        """Followed commitments of the user's own department's assignments: the ones it reports progress on."""
        if sees_nothing(user) or not user.department_id:
            return self.none()
        return self.followed().filter(reply__assignment__department=user.department_id)

    def open(self) -> CommitmentQuerySet:
        """Not yet found kept or lapsed."""
        return self.exclude(follow_up_status__in=["kept", "lapsed"])

    def due_for_follow_up(self, *, on) -> CommitmentQuerySet:
        """Followed, still open, and at or past their follow-up date."""
        return self.followed().filter(follow_up_status__in=["pending", "in_progress", "partly_kept", "reported"],
                                      follow_up_on__lte=on)


class CommitmentReportQuerySet(CommitteeScopedQuerySet):
    committee_path = "commitment__reply__assignment__proposal__session__committee"

    def visible_to(self, user) -> CommitmentReportQuerySet:
        """A commitment's history follows the visibility of the commitment."""
        from .models import Commitment

        if sees_nothing(user):
            return self.none()
        if user.reads_by_committee:
            return self.readable_by_committee(user)
        return self.filter(commitment__in=Commitment.objects.visible_to(user))
