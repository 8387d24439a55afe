"""The yearly account of the handling work (提案办理情况报告): the dashboard's figures, and what only a report needs.

Per-department figures and their totals come from the dashboard's own selectors (`department_dashboard`,
`dashboard_totals`), so the report and the dashboard can never disagree.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count

from .models import Assignment, Proposal
from .selectors import dashboard_totals, department_dashboard
from .vocabulary import terms_for_bodies


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _share_rows(counts: Counter, choices) -> list[dict]:
    whole = sum(counts.values())
    return [{"key": key, "label": label, "count": counts.get(key, 0), "share": _rate(counts.get(key, 0), whole)}
            for key, label in choices]


def handling_report(*, user, today, session=None, year=None) -> dict:
    """Every figure of the report for the proposals of `session` or `year` (or all) that `user` may see."""
    from indicators.models import Commitment
    from replies.models import Feedback, Reply

    proposals = Proposal.objects.visible_to(user)
    if session is not None:
        proposals = proposals.filter(session=session)
    if year:
        proposals = proposals.filter(session__year=year)

    # a 人大 session's report is a 建议办理情况报告; a year spanning both bodies speaks of 提案和建议
    terms = session.terms if session is not None else terms_for_bodies(
        proposals.order_by().values_list("session__committee__body", flat=True).distinct())
    statuses = dict(proposals.values_list("status").annotate(n=Count("id")).order_by())
    received = sum(statuses.values())
    not_registered = statuses.get(Proposal.Status.NOT_REGISTERED, 0)
    merged = statuses.get(Proposal.Status.MERGED, 0)
    submitted = statuses.get(Proposal.Status.SUBMITTED, 0)
    assigned = proposals.filter(assignments__isnull=False).distinct().count()

    rows = department_dashboard(user=user, today=today, session=session, year=year)
    totals = dashboard_totals(rows)

    # the assignments the dashboard counts: those the user sees, of these proposals, not returned
    counted = (Assignment.objects.visible_to(user).filter(proposal__in=proposals)
               .exclude(status=Assignment.Status.RETURNED))
    feedback = Feedback.objects.filter(reply__assignment__in=counted)
    ratings = Counter(dict(feedback.values_list("rating").annotate(n=Count("id")).order_by()))

    released = Reply.objects.filter(assignment__in=counted, released_at__isnull=False)
    categories = Counter(dict(released.exclude(category="").values_list("category")
                              .annotate(n=Count("id")).order_by()))

    themes = Counter(dict(proposals.exclude(status__in=[Proposal.Status.NOT_REGISTERED, Proposal.Status.MERGED])
                          .values_list("category").annotate(n=Count("id")).order_by()))

    overdue = (counted.open().filter(due_on__lt=today).select_related("proposal__session", "department")
               .order_by("due_on", "proposal__number"))

    commitments = Commitment.objects.followed().filter(reply__assignment__in=counted)

    return {
        "session": session, "year": year, "today": today, "terms": terms,
        "received": received, "registered": received - not_registered - merged - submitted,
        "waiting": submitted, "not_registered": not_registered, "merged": merged, "assigned": assigned,
        "rows": rows, "totals": totals,
        "ratings": _share_rows(ratings, Feedback.Rating.choices),
        "categories": _share_rows(categories, Reply.Category.choices), "categorised": sum(categories.values()),
        "themes": _share_rows(themes, Proposal.Category.choices),
        "overdue": list(overdue),
        "commitment_list": list(commitments.select_related("reply__assignment__department",
                                                           "reply__assignment__proposal")
                                .order_by("reply__assignment__department__name", "pk")[:200]),
    }
