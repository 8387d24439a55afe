"""Page reads: each starts from visible_to(user) and fetches what its page shows in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from .models import Assignment, Proposal, Proposer


def proposal_list(*, user) -> QuerySet[Proposal]:
    """Proposals the user may see, with session, proposers and assignments fetched alongside."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("session__committee")
        .prefetch_related(
            Prefetch("proposer_links", queryset=Proposer.objects.select_related("member")),
            Prefetch("assignments", queryset=Assignment.objects.visible_to(user).select_related("department")),
        )
        .order_by("session", "number")
    )


def proposal_get(*, user, pk: int) -> Proposal:
    """One proposal the user may see, with the replies of the assignments the user may see, or DoesNotExist."""
    from replies.models import Reply

    return proposal_list(user=user).prefetch_related(
        Prefetch("assignments__replies", queryset=Reply.objects.order_by("-version"))).get(pk=pk)
