"""承诺跟踪: unreviewed commitments of released replies stay in sight; review and follow-up states side by side."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Commitment, CommitmentReport
from tests.factories import ReleasedReplyFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def commitment(reply, **extra):
    return Commitment.objects.create(reply=reply, text="下一步，将持续推进。", start=0, end=5, **extra)


def shown(client, **params):
    return {c.pk for c in client.get(reverse("indicators:follow-up"), params).context["commitments"]}


def test_unreviewed_commitments_of_a_released_reply_show_as_unreviewed_and_rejected_ones_do_not(
        client, supervisor_user):
    released = ReleasedReplyFactory()
    pending = commitment(released)
    accepted = commitment(released, review_status="accepted", follow_up_on=date(2030, 1, 1))
    rejected = commitment(released, review_status="rejected")
    draft_pending = commitment(ReplyFactory())
    client.force_login(supervisor_user)
    assert shown(client) == {pending.pk, accepted.pk}
    assert rejected.pk not in shown(client) and draft_pending.pk not in shown(client)
    html = client.get(reverse("indicators:follow-up")).content.decode()
    row = html[html.index(f'data-commitment="{pending.pk}"'):]
    assert "未审核" in row[:row.index("</tr>")]


def test_the_list_filters_by_review_state_and_by_follow_up_state(client, supervisor_user):
    released = ReleasedReplyFactory()
    pending = commitment(released)
    accepted = commitment(released, review_status="accepted")
    edited = commitment(released, review_status="edited", follow_up_status="in_progress")
    client.force_login(supervisor_user)
    assert shown(client, review="pending") == {pending.pk}
    assert shown(client, review="accepted") == {accepted.pk}
    assert shown(client, status="in_progress") == {edited.pk}
    assert shown(client, review="edited", status="in_progress") == {edited.pk}


def test_a_department_sees_only_its_own_unreviewed_commitments(client, department_user):
    from tests.factories import AssignmentFactory

    own = commitment(ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department)))
    commitment(ReleasedReplyFactory())
    client.force_login(department_user)
    assert shown(client) == {own.pk}


def test_the_list_runs_the_same_number_of_queries_for_one_row_or_many(client, supervisor_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seen = []

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("indicators:follow-up")).status_code == 200
        seen[:] = [q["sql"][:150] for q in captured]
        return len(captured)

    def captured_sql():
        return "\n".join(seen)

    client.force_login(supervisor_user)
    first = commitment(ReleasedReplyFactory(), review_status="accepted")
    CommitmentReport.objects.create(commitment=first, status="in_progress", note="启动", by=supervisor_user)
    one = queries()
    for _ in range(6):
        row = commitment(ReleasedReplyFactory(), review_status="accepted")
        CommitmentReport.objects.create(commitment=row, status="in_progress", note="启动", by=supervisor_user)
        commitment(ReleasedReplyFactory())
    assert queries() == one, captured_sql()
