"""Writes to extracted rows: storing a parse, and staff review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from replies.models import Reply

from .models import Commitment, Indicator, ReviewStatus

VALUE_LIMIT = Decimal(10) ** 18  # Indicator.value has 24 digits, 6 of them decimals
BASE_LIMIT = Decimal(10) ** 24


def _decimal(text, limit: Decimal) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite() or abs(value) >= limit:
        return None
    return value.quantize(Decimal("0.000001"))


def _iso_date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


@transaction.atomic
def extracted_rows_replace_pending(*, reply: Reply, result: dict) -> tuple[int, int]:
    """Replace the reply's pending rows with those of a parse result; rows staff reviewed stay, and a parsed
    row over the span of a reviewed one is not added again. Returns the numbers of indicators and commitments added."""
    reply.indicators.pending().delete()
    reply.commitments.pending().delete()
    reviewed_indicators = list(reply.indicators.reviewed().values_list("start", "end"))
    reviewed_commitments = list(reply.commitments.reviewed().values_list("start", "end"))

    indicators = []
    for row in result.get("indicators") or []:
        start, end = int(row["start"]), int(row["end"])
        value = _decimal(row.get("value"), VALUE_LIMIT)
        if value is None or end <= start or _overlaps(start, end, reviewed_indicators):
            continue
        indicators.append(Indicator(
            reply=reply, start=start, end=end, value=value, unit=(row.get("unit") or "")[:20],
            base_value=_decimal(row.get("base_value"), BASE_LIMIT), base_unit=(row.get("base_unit") or "")[:20],
            year=row.get("year") if isinstance(row.get("year"), int) and 1900 <= row["year"] <= 2200 else None,
            qualifier=(row.get("qualifier") or "")[:20], metric=(row.get("metric") or "")[:200],
            is_target=bool(row.get("is_target")), sentence=row.get("sentence") or "",
            section=(row.get("section") or "")[:50],
        ))
    commitments = []
    for row in result.get("commitments") or []:
        start, end = int(row["start"]), int(row["end"])
        if end <= start or _overlaps(start, end, reviewed_commitments):
            continue
        commitments.append(Commitment(
            reply=reply, start=start, end=end, text=row.get("text") or "", sentence=row.get("text") or "",
            section=(row.get("section") or "")[:50], markers=row.get("markers") or [],
            targets=row.get("targets") or [], deadline=_iso_date(row.get("deadline")),
        ))
    Indicator.objects.bulk_create(indicators)
    Commitment.objects.bulk_create(commitments)
    return len(indicators), len(commitments)


def base_quantity(value: Decimal, unit: str) -> tuple[Decimal | None, str]:
    """2978.4 万元 → (29784000, 元): the scale characters of a unit folded into the value."""
    from replies.parsing.numbers import match_unit, scale_factor

    match = match_unit(unit, 0) if unit else None
    if match is None or match[2] != len(unit):
        return value, unit
    scale, base_unit, _ = match
    base = value * scale_factor(scale)
    return (base if abs(base) < BASE_LIMIT else None), base_unit


def _reviewed(row, *, by, status: str) -> None:
    from django.utils import timezone

    row.review_status = status
    row.reviewed_by = by
    row.reviewed_at = timezone.now()


def commitment_follow_up_date(commitment: Commitment) -> date:
    """When to check a commitment: its own deadline, else the end of the latest year it names (not before
    the reply's), else a default time after the reply."""
    import re
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    if commitment.deadline:
        return commitment.deadline
    replied_on = commitment.reply.reply_date or timezone.localdate(commitment.reply.uploaded_at)
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年", commitment.text) if int(y) >= replied_on.year]
    if years:
        return date(max(years), 12, 31)
    return replied_on + timedelta(days=settings.COMMITMENT_FOLLOW_UP_DAYS)


@transaction.atomic
def extracted_row_review(*, row, by, accept: bool):
    """Accept or reject one extracted row (an Indicator or a Commitment) as it stands; an accepted
    commitment gets its follow-up date."""
    _reviewed(row, by=by, status=ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED)
    fields = ["review_status", "reviewed_by", "reviewed_at"]
    if accept and isinstance(row, Commitment) and row.follow_up_on is None:
        row.follow_up_on = commitment_follow_up_date(row)
        fields.append("follow_up_on")
    row.save(update_fields=fields)
    return row


@transaction.atomic
def extracted_rows_review_bulk(*, reply: Reply, by, indicator_ids, commitment_ids, accept: bool) -> int:
    """Accept or reject many rows of one reply at once; ids of other replies are ignored. Each row is saved
    on its own so that its history records the change."""
    rows = [*reply.indicators.filter(pk__in=indicator_ids), *reply.commitments.filter(pk__in=commitment_ids)]
    for row in rows:
        extracted_row_review(row=row, by=by, accept=accept)
    return len(rows)


@transaction.atomic
def indicator_edit(*, indicator: Indicator, by, value: Decimal, unit: str, year: int | None, metric: str,
                   qualifier: str, is_target: bool) -> Indicator:
    """Correct an indicator; its base value follows the corrected value and unit."""
    indicator.value, indicator.unit, indicator.year = value, unit, year
    indicator.metric, indicator.qualifier, indicator.is_target = metric, qualifier, is_target
    indicator.base_value, indicator.base_unit = base_quantity(value, unit)
    _reviewed(indicator, by=by, status=ReviewStatus.EDITED)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def commitment_edit(*, commitment: Commitment, by, text: str, deadline: date | None) -> Commitment:
    """Correct a commitment's wording or deadline; its follow-up date follows."""
    commitment.text, commitment.deadline = text, deadline
    commitment.follow_up_on = commitment_follow_up_date(commitment)
    _reviewed(commitment, by=by, status=ReviewStatus.EDITED)
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_follow_up(*, commitment: Commitment, status: str, by, evidence: str = "",
                         evidence_replies=()) -> Commitment:
    """Record how a followed commitment stands, with evidence notes and later replies as proof."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if commitment.review_status not in (ReviewStatus.ACCEPTED, ReviewStatus.EDITED):
        raise ValidationError(_("只跟踪已采纳的承诺。"))
    if status != commitment.follow_up_status and status not in Commitment.FOLLOW_UP_NEXT[commitment.follow_up_status]:
        raise ValidationError(_("承诺状态不能从“%(old)s”改为“%(new)s”。") % {
            "old": commitment.get_follow_up_status_display(), "new": Commitment.FollowUp(status).label})
    if status in (Commitment.FollowUp.KEPT, Commitment.FollowUp.PARTLY_KEPT, Commitment.FollowUp.LAPSED) \
            and not (evidence.strip() or commitment.evidence):
        raise ValidationError(_("请填写兑现情况说明。"))
    commitment.follow_up_status = status
    if evidence.strip():
        commitment.evidence = "\n".join(filter(None, [commitment.evidence, evidence.strip()]))
    commitment.save(update_fields=["follow_up_status", "evidence"])
    if evidence_replies:
        commitment.evidence_replies.add(*evidence_replies)
    return commitment
