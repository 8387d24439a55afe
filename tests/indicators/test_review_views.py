from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Commitment, Indicator
from replies.models import Reply
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    reply = ReplyFactory(text="下一步，争取认定备案高新技术企业1000户以上。补助2978.4万元。")
    indicator = Indicator.objects.create(reply=reply, value=Decimal("2978.4"), unit="万元", start=27, end=35,
                                         base_value=Decimal("29784000"), base_unit="元")
    other = Indicator.objects.create(reply=reply, value=1000, unit="户", start=16, end=23)
    commitment = Commitment.objects.create(reply=reply, text="下一步，争取认定备案高新技术企业1000户以上。", start=0,
                                           end=24)
    return reply, indicator, other, commitment


def test_staff_accept_edit_and_reject_rows(client, staff_user, rows):
    reply, indicator, other, commitment = rows
    client.force_login(staff_user)
    response = client.post(reverse("indicators:review", args=["indicator", other.pk, "accept"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已采纳" in response.content.decode()
    response = client.post(reverse("indicators:edit", args=["indicator", indicator.pk]),
                           {"metric": "企业R&D投入补助", "value": "3000", "unit": "亿元", "year": 2021, "qualifier": ""})
    assert response.status_code == 302
    client.post(reverse("indicators:review", args=["commitment", commitment.pk, "reject"]))
    indicator.refresh_from_db()
    assert (indicator.review_status, indicator.value, indicator.base_value, indicator.base_unit) == (
        "edited", Decimal("3000"), Decimal("300000000000"), "元")
    assert indicator.reviewed_by == staff_user
    assert Indicator.objects.get(pk=other.pk).review_status == "accepted"
    assert Commitment.objects.get(pk=commitment.pk).review_status == "rejected"


def test_bulk_review_touches_only_rows_of_that_reply(client, staff_user, rows):
    reply, indicator, other, commitment = rows
    stranger = Indicator.objects.create(reply=ReplyFactory(), value=1, unit="个", start=0, end=2)
    client.force_login(staff_user)
    client.post(reverse("indicators:bulk", args=[reply.pk]), {
        "action": "accept", "rows": [f"indicator-{indicator.pk}", f"commitment-{commitment.pk}",
                                     f"indicator-{stranger.pk}"]})
    assert set(Indicator.objects.filter(review_status="accepted").values_list("pk", flat=True)) == {indicator.pk}
    assert Commitment.objects.get().review_status == "accepted"


def test_department_users_and_supervisors_cannot_review_rows(client, department_user, supervisor_user, rows):
    reply, indicator, *_ = rows
    for user in (department_user, supervisor_user):
        client.force_login(user)
        response = client.post(reverse("indicators:review", args=["indicator", indicator.pk, "accept"]))
        assert response.status_code in (403, 404)
    assert Indicator.objects.get(pk=indicator.pk).review_status == "pending"


def test_the_review_page_highlights_each_row_at_its_span(client, staff_user, rows):
    reply, indicator, other, commitment = rows
    client.force_login(staff_user)
    html = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert f'id="t-i-{indicator.pk}"' in html and f'id="t-c-{commitment.pk}"' in html
    assert f'id="row-i-{indicator.pk}"' in html


def test_a_supervisor_reads_the_reply_but_cannot_release_it(client, supervisor_user, rows):
    reply = rows[0]
    client.force_login(supervisor_user)
    assert 'data-testid="release-form"' not in client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    response = client.post(reverse("replies:release", args=[reply.pk]),
                           {"pending_reason": "指标另行核实", "confirmed": "1"})
    assert response.status_code == 403 and Reply.objects.get(pk=reply.pk).released_at is None


def test_release_with_a_category_change_keeps_the_reason(client, staff_user, rows):
    reply = rows[0]
    client.force_login(staff_user)
    client.post(reverse("replies:release", args=[reply.pk]), {"category": "B", "reason": "承诺事项尚在推进",
                                                              "pending_reason": "行文核对无误，指标另行核实",
                                                              "confirmed": "1"})
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.released_at is not None and reply.category == "B"
    change = reply.category_changes.get()
    assert (change.old_category, change.new_category, change.reason, change.by) == (
        "", "B", "承诺事项尚在推进", staff_user)


def test_a_category_change_without_reason_releases_nothing(client, staff_user, rows):
    reply = rows[0]
    Reply.objects.filter(pk=reply.pk).update(category="A")  # as the department's reply says
    client.force_login(staff_user)
    client.post(reverse("replies:release", args=[reply.pk]), {"category": "C", "reason": "",
                                                              "pending_reason": "指标另行核实", "confirmed": "1"})
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.released_at is None and reply.category == "A" and not reply.category_changes.exists()


def test_release_tells_the_proposers_by_email(supervisor_user, rows, mailoutbox, django_capture_on_commit_callbacks):
    from replies.services import reply_release

    reply = rows[0]
    member = reply.assignment.proposal.proposer_links.get().member
    member.email = "member@example.org"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply_release(reply=reply, by=supervisor_user, pending_reason="指标另行核实")
    assert [m.to for m in mailoutbox] == [["member@example.org"]]
