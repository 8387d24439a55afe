from __future__ import annotations

from django.db import models

from proposals.querysets import sees_nothing


class ExtractedRowQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExtractedRowQuerySet:
        """Rows follow the visibility of their reply."""
        from replies.models import Reply

        if sees_nothing(user):
            return self.none()
        if user.sees_everything:
            return self
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

    def due_for_follow_up(self, *, on) -> CommitmentQuerySet:
        """Followed, still open, and at or past their follow-up date."""
        return self.followed().filter(follow_up_status__in=["pending", "in_progress", "partly_kept"],
                                      follow_up_on__lte=on)
