"""Every CSV the app writes keeps text that starts like a formula as text; numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Commitment, Indicator
from proposals.exports import csv_cell
from tests.factories import MemberFactory, ReleasedReplyFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点此\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tTAB", "\rCR"]


def _cells(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _assert_neutral(rows):
    written = [cell for row in rows for cell in row]
    for value in HOSTILE:
        assert value not in written
        assert "'" + value in written or any(("'" + value) in cell for cell in written)
    for cell in written:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("", ""), (None, ""), (Decimal("-12.50"), "-12.5"), (-3, -3), (2.5, 2.5),
    (date(2024, 1, 2), "2024-01-02"),
])
def test_a_csv_cell_neutralises_text_only(value, expected):
    assert csv_cell(value) == expected


def test_the_proposals_csv_neutralises_formula_text(client, staff_user):
    from proposals.models import Proposer
    from tests.factories import ProposalFactory

    for n, value in enumerate(HOSTILE):
        proposal = ProposalFactory(title=value, number=100 + n)
        Proposer.objects.filter(proposal=proposal).update(member=MemberFactory(name=f"@委员{n}"))
    client.force_login(staff_user)
    rows = _cells(client.get(reverse("proposals:export"), {"format": "csv"}))
    _assert_neutral(rows)
    assert any(cell.startswith("'@委员") for row in rows for cell in row)


def test_the_commitments_csv_neutralises_formula_text(client, supervisor_user):
    reply = ReleasedReplyFactory()
    for n, value in enumerate(HOSTILE):
        Commitment.objects.create(reply=reply, text=value, start=n, end=n + 1, review_status="accepted",
                                  evidence="=cmd")
    client.force_login(supervisor_user)
    rows = _cells(client.get(reverse("indicators:follow-up"), {"format": "csv"}))
    _assert_neutral(rows)
    assert ["'=cmd"] == list({row[-1] for row in rows[1:]})


def test_the_indicators_csv_neutralises_formula_text_and_keeps_negative_numbers(client, supervisor_user):
    reply = ReleasedReplyFactory()
    for n, value in enumerate(HOSTILE):
        Indicator.objects.create(reply=reply, metric=value, value=Decimal("-2978.40"), unit="-万元", start=n,
                                 end=n + 1, review_status="accepted")
    client.force_login(supervisor_user)
    rows = _cells(client.get(reverse("indicators:series"), {"format": "csv"}))
    _assert_neutral(rows)
    header = rows[0]
    for row in rows[1:]:
        assert row[header.index("数值")] == "-2978.4"  # a number: written as one, not neutralised
        assert row[header.index("单位")] == "'-万元"
