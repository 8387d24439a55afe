from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Commitment, Indicator
from indicators.services import commitment_follow_up, extracted_row_review
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


def commitment(reply=None, text="下一步，将持续推进。", **extra):
    return Commitment.objects.create(reply=reply or ReplyFactory(), text=text, start=0, end=5, **extra)


def test_an_accepted_commitment_gets_its_follow_up_date(staff_user, settings):
    settings.COMMITMENT_FOLLOW_UP_DAYS = 365
    reply = ReplyFactory(reply_date=date(2022, 7, 6))
    own = extracted_row_review(row=commitment(reply, deadline=date(2023, 6, 30)), by=staff_user, accept=True)
    named = extracted_row_review(row=commitment(reply, text="力争到2024年建成50个基地。"), by=staff_user, accept=True)
    default = extracted_row_review(row=commitment(reply), by=staff_user, accept=True)
    assert own.follow_up_on == date(2023, 6, 30)
    assert named.follow_up_on == date(2024, 12, 31)
    assert default.follow_up_on == date(2023, 7, 6)


def test_follow_up_status_moves_forward_and_kept_is_final(staff_user):
    row = extracted_row_review(row=commitment(), by=staff_user, accept=True)
    with pytest.raises(ValidationError, match="兑现情况"):
        commitment_follow_up(commitment=row, status="kept", by=staff_user)
    commitment_follow_up(commitment=row, status="in_progress", by=staff_user, evidence="已启动")
    commitment_follow_up(commitment=row, status="partly_kept", by=staff_user, evidence="建成30个")
    later = ReplyFactory(assignment=row.reply.assignment, version=2)
    commitment_follow_up(commitment=row, status="kept", by=staff_user, evidence="全部建成",
                         evidence_replies=[later])
    assert row.evidence == "已启动\n建成30个\n全部建成" and list(row.evidence_replies.all()) == [later]
    with pytest.raises(ValidationError, match="不能从"):
        commitment_follow_up(commitment=row, status="in_progress", by=staff_user)


def test_a_pending_or_rejected_commitment_is_not_followed(staff_user):
    with pytest.raises(ValidationError):
        commitment_follow_up(commitment=commitment(), status="in_progress", by=staff_user)


@time_machine.travel(date(2024, 1, 10), tick=False)
def test_the_follow_up_list_filters_due_status_and_department(client, supervisor_user):
    due = commitment(review_status="accepted", follow_up_on=date(2023, 12, 31))
    later = commitment(review_status="accepted", follow_up_on=date(2024, 12, 31))
    commitment(review_status="accepted", follow_up_on=date(2023, 12, 31), follow_up_status="kept")
    commitment(review_status="pending", follow_up_on=date(2023, 12, 31))
    client.force_login(supervisor_user)
    url = reverse("indicators:follow-up")

    def shown(**params):
        return sorted(c.pk for c in client.get(url, params).context["commitments"])

    assert shown(due="on") == [due.pk]
    assert shown(status="pending") == sorted([due.pk, later.pk])
    assert shown(department=later.reply.assignment.department_id) == [later.pk]
    assert shown(year=2024) == [later.pk]
    csv = b"".join(client.get(url, {"due": "on", "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 2


def test_staff_update_follow_up_from_the_list_and_supervisors_only_read_it(client, staff_user, supervisor_user,
                                                                          department_user):
    row = commitment(review_status="accepted")
    for reader in (department_user, supervisor_user):
        client.force_login(reader)
        assert client.post(reverse("indicators:commitment-follow-up", args=[row.pk]),
                           {"status": "kept", "evidence": "已建成"}).status_code == 403
    assert Commitment.objects.get(pk=row.pk).follow_up_status == "pending"
    client.force_login(staff_user)
    client.post(reverse("indicators:commitment-follow-up", args=[row.pk]), {"status": "kept", "evidence": "已建成"})
    assert Commitment.objects.get(pk=row.pk).follow_up_status == "kept"


def test_an_accepted_metric_of_a_department_shows_as_a_series(client, staff_user):
    first = ReplyFactory(reply_date=date(2022, 7, 6))
    second = ReplyFactory(assignment__department=first.assignment.department, reply_date=date(2023, 7, 1))
    for reply, year, value in ((first, 2021, 2903), (second, 2022, 3600)):
        Indicator.objects.create(reply=reply, metric="高新技术企业数量", value=Decimal(value), unit="家",
                                 base_value=Decimal(value), base_unit="家", year=year, start=0, end=4,
                                 review_status="accepted")
    Indicator.objects.create(reply=first, metric="只出现一次", value=1, unit="个", start=5, end=7,
                             review_status="accepted")
    client.force_login(staff_user)
    series = client.get(reverse("indicators:series")).context["series"]
    assert [(s["metric"], [p["year"] for p in s["points"]]) for s in series] == [("高新技术企业数量", [2021, 2022])]
