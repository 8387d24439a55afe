"""Writes to extracted rows: storing a parse, and staff review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from replies.models import Reply

from .models import Commitment, Indicator

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
