from __future__ import annotations

from django.db import models

from proposals.querysets import sees_nothing


class ReplyQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReplyQuerySet:
        """Staff and supervisors see every reply; a department user only its department's."""
        if sees_nothing(user):
            return self.none()
        if user.sees_everything:
            return self
        from proposals.models import Assignment

        co_handled = Assignment.objects.filter(department=user.department_id, role="co").exclude(
            status="returned").values("proposal")
        # a co-handler reads (and signs off) the lead department's reply to the proposal it co-handles
        return self.filter(models.Q(assignment__department=user.department_id)
                           | models.Q(assignment__role="lead", assignment__proposal__in=co_handled))

    def stalled(self, *, now, queued_for, parsing_for) -> ReplyQuerySet:
        """Queued or parsing for longer than any healthy parse takes: its task was lost."""
        return self.filter(
            models.Q(parse_status="queued", parse_status_at__lt=now - queued_for)
            | models.Q(parse_status="parsing", parse_status_at__lt=now - parsing_for)
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


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> FeedbackQuerySet:
        """Feedback follows the visibility of the reply it rates."""
        if sees_nothing(user):
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(reply__assignment__department=user.department_id)
