from decimal import Decimal

import pytest

from indicators.models import Commitment, Indicator, ReviewStatus
from indicators.services import extracted_rows_replace_pending
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


def _indicator(start, value="2978.4", unit="万元", **extra):
    return {"value": value, "unit": unit, "base_value": "29784000", "base_unit": "元", "qualifier": None,
            "year": 2021, "is_target": False, "metric": "补助", "sentence": "补助2978.4万元。", "section": "一.1",
            "start": start, "end": start + 8, **extra}


def _result(indicator_starts, commitment_starts=()):
    return {"indicators": [_indicator(s) for s in indicator_starts],
            "commitments": [{"text": "下一步，将推进。", "section": "下一步", "markers": ["下一步", "将"],
                             "targets": [], "deadline": "2023-12-31", "start": s, "end": s + 8}
                            for s in commitment_starts]}


def test_rows_are_stored_with_decimal_values_and_base_units():
    reply = ReplyFactory()
    assert extracted_rows_replace_pending(reply=reply, result=_result([10], [40])) == (1, 1)
    row = Indicator.objects.get()
    assert row.value == Decimal("2978.4") and row.base_value == Decimal("29784000") and row.base_unit == "元"
    assert (row.year, row.section, row.review_status) == (2021, "一.1", ReviewStatus.PENDING)
    assert str(Commitment.objects.get().deadline) == "2023-12-31"


def test_storing_again_replaces_pending_rows_and_keeps_reviewed_ones():
    reply = ReplyFactory()
    extracted_rows_replace_pending(reply=reply, result=_result([10, 30, 50], [70, 90]))
    accepted, edited, _ = Indicator.objects.order_by("start")
    Indicator.objects.filter(pk=accepted.pk).update(review_status=ReviewStatus.ACCEPTED)
    Indicator.objects.filter(pk=edited.pk).update(review_status=ReviewStatus.EDITED, value=Decimal("3000"))
    Commitment.objects.filter(start=70).update(review_status=ReviewStatus.REJECTED)

    extracted_rows_replace_pending(reply=reply, result=_result([10, 30, 50], [70, 90]))

    rows = list(Indicator.objects.order_by("start").values_list("start", "review_status", "value"))
    assert rows == [(10, "accepted", Decimal("2978.4")), (30, "edited", Decimal("3000")), (50, "pending",
                                                                                            Decimal("2978.4"))]
    assert list(Commitment.objects.order_by("start").values_list("start", "review_status")) == [
        (70, "rejected"), (90, "pending")]


def test_absurd_values_are_skipped_not_crashing_the_store():
    reply = ReplyFactory()
    result = {"indicators": [_indicator(0, value="1" + "0" * 40), _indicator(20, value="NaN"),
                             _indicator(40, value="12")], "commitments": []}
    assert extracted_rows_replace_pending(reply=reply, result=result) == (1, 0)
