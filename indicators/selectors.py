"""Reads for the review page."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def highlighted_text(text: str, indicators, commitments) -> SafeString:
    """The reply's text as HTML, each commitment's span wrapped and each indicator's span marked, so the review
    page can highlight a row's text and jump to it. An indicator that crosses a commitment's edge is marked in
    pieces split at that edge (the first piece carries its id); overlapping commitments, and indicators overlapping
    an earlier one, are left unmarked rather than producing broken HTML."""
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    spans = []
    for commitment in sorted(commitments, key=lambda row: row.start):
        if 0 <= commitment.start < commitment.end <= len(text) and all(commitment.start >= e for _, e in spans):
            spans.append((commitment.start, commitment.end))
            starts.setdefault(commitment.start, []).append(
                f'<span class="hl-c {commitment.review_status}" id="t-c-{commitment.pk}" data-row="c-{commitment.pk}">')
            ends.setdefault(commitment.end, []).append("</span>")
    edges = sorted({edge for span in spans for edge in span})
    last_end = -1
    for indicator in sorted(indicators, key=lambda row: row.start):
        if not (0 <= indicator.start < indicator.end <= len(text) and indicator.start >= last_end):
            continue
        cuts = [indicator.start, *(e for e in edges if indicator.start < e < indicator.end), indicator.end]
        for number, (left, right) in enumerate(zip(cuts, cuts[1:], strict=False)):
            element_id = f' id="t-i-{indicator.pk}"' if number == 0 else ""
            starts.setdefault(left, []).append(
                f'<mark class="hl-i {indicator.review_status}"{element_id} data-row="i-{indicator.pk}">')
            ends.setdefault(right, []).insert(0, "</mark>")
        last_end = indicator.end
    cuts = sorted(set(starts) | set(ends) | {0, len(text)})
    html = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        html.extend(ends.get(left, []))
        html.extend(starts.get(left, []))
        html.append(escape(text[left:right]))
    html.extend(ends.get(len(text), []))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above


def commitment_follow_up_list(*, user):
    """Commitments in follow-up the user may see: followed ones and the unreviewed ones of released replies
    (shown as 未审核), soonest follow-up first, with their reply, department and history in a fixed number of
    queries."""
    from django.db.models import Prefetch

    from .models import Commitment, CommitmentReport

    return (Commitment.objects.visible_to(user).in_follow_up()
            .select_related("reply__assignment__department", "reply__assignment__proposal__session")
            .prefetch_related("evidence_replies",
                              Prefetch("reports", queryset=CommitmentReport.objects.select_related("by")))
            .order_by("follow_up_on", "pk"))


def commitment_get(*, user, pk: int):
    """One commitment the user may see, with its reply, department and history."""
    from django.db.models import Prefetch
    from django.shortcuts import get_object_or_404

    from .models import Commitment, CommitmentReport

    return get_object_or_404(
        Commitment.objects.visible_to(user)
        .select_related("reply__assignment__department", "reply__assignment__proposal__session__committee")
        .prefetch_related("evidence_replies", Prefetch(
            "reports", queryset=CommitmentReport.objects.select_related("by", "evidence_reply"))), pk=pk)


def commitment_evidence_reply_choices(*, user, commitment):
    """Replies a department may offer as fulfilling a commitment: its own, uploaded after the commitment's reply."""
    from replies.models import Reply

    if not user.department_id:
        return Reply.objects.none()
    return (Reply.objects.visible_to(user).filter(assignment__department=user.department_id,
                                                  uploaded_at__gt=commitment.reply.uploaded_at)
            .exclude(pk=commitment.reply_id).select_related("assignment__proposal__session")
            .order_by("-uploaded_at"))


def commitment_queue(*, user) -> dict:
    """The commitments on the 待办 page: a department's open ones to report on, soonest follow-up first; for
    staff, departments' reports of kept commitments waiting for confirmation."""
    from .models import Commitment

    related = ("reply__assignment__department", "reply__assignment__proposal__session__committee")
    if user.reads_by_committee:
        return {"kind": "staff", "rows": list(Commitment.objects.visible_to(user).filter(follow_up_status="reported")
                                   .select_related(*related).order_by("follow_up_on", "pk")[:200])}
    if user.department_id:
        return {"kind": "department", "rows": list(Commitment.objects.reportable_by(user).open().select_related(*related)
                                  .order_by("follow_up_on", "pk")[:200])}
    return {}


def indicator_export_list(*, user, department=None):
    """Accepted or corrected indicators the user may see, for export: by reply, in text order."""
    from .models import Indicator

    rows = Indicator.objects.visible_to(user).filter(review_status__in=["accepted", "edited"])
    if department is not None:
        rows = rows.filter(reply__assignment__department=department)
    return rows.order_by("reply_id", "start")


def indicator_series(*, user, department=None) -> list[dict]:
    """Accepted indicators of one metric and base unit from one department, across replies and years: a series
    each, oldest first. Only metrics seen in at least two replies make a series."""
    from collections import defaultdict

    from django.db.models.functions import Coalesce, ExtractYear

    from .models import Indicator

    # a figure the text gave no year stands at the year of its as_of date (the reply's), so stocks line up too
    when = Coalesce("year", ExtractYear("as_of"))
    rows = (Indicator.objects.visible_to(user).filter(review_status__in=["accepted", "edited"])
            .exclude(metric="").select_related("reply__assignment__department")
            .order_by(when.asc(nulls_last=True), "as_of", "reply__reply_date", "start"))
    if department is not None:
        rows = rows.filter(reply__assignment__department=department)
    series = defaultdict(list)
    for row in rows:
        series[(row.reply.assignment.department, row.metric, row.base_unit)].append(row)
    result = []
    for (dept, metric, base_unit), points in series.items():
        if len({p.reply_id for p in points}) < 2:
            continue
        peak = max((abs(p.base_value or p.value) for p in points), default=1) or 1
        result.append({"department": dept, "metric": metric, "base_unit": base_unit, "points": [
            {"row": p, "year": p.year, "as_of": p.as_of, "height": round(40 * abs(p.base_value or p.value) / peak)} for p in points]})
    return sorted(result, key=lambda s: (s["department"].name, s["metric"]))


def commitments_over_years(*, user, department=None, subject: str = "") -> dict:
    """A department's commitments on a subject across sessions, one group per session year, with how many were
    made, kept and left unkept, and whether unkept promises on it come back in more than one year.

    The subject matches the commitment's text or its proposal's title (any of its space-separated terms)."""
    from django.db.models import Q

    from .models import Commitment

    commitments = commitment_follow_up_list(user=user).order_by("reply__assignment__proposal__session__year",
                                                                 "reply__assignment__proposal__number", "pk")
    if department is not None:
        commitments = commitments.filter(reply__assignment__department=department)
    for term in subject.split():
        commitments = commitments.filter(Q(text__icontains=term)
                                         | Q(reply__assignment__proposal__title__icontains=term))
    unkept = {Commitment.FollowUp.LAPSED, Commitment.FollowUp.PENDING, Commitment.FollowUp.IN_PROGRESS,
              Commitment.FollowUp.PARTLY_KEPT}
    years: dict[int, dict] = {}
    for commitment in commitments[:1000]:
        year = commitment.reply.assignment.proposal.session.year
        group = years.setdefault(year, {"year": year, "commitments": [], "made": 0, "kept": 0, "unkept": 0})
        group["commitments"].append(commitment)
        group["made"] += 1
        group["kept"] += commitment.follow_up_status == Commitment.FollowUp.KEPT
        group["unkept"] += commitment.follow_up_status in unkept
    groups = list(years.values())
    return {"years": groups, "recurring_unkept": sum(1 for group in groups if group["unkept"]) >= 2}
