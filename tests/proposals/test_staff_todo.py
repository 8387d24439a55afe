"""The office's 待办 page: what waits for staff, with counts, and the actions that clear it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Commitment, Indicator
from proposals import services
from proposals.models import Assignment, Extension
from replies.models import Reply
from tests.factories import (
    AssignmentFactory,
    DepartmentUserFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    ReplyFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def rows(reply, pending_indicators=0, pending_commitments=0, accepted=0):
    for i in range(pending_indicators + accepted):
        Indicator.objects.create(reply=reply, value=Decimal(i + 1), unit="万元", start=10 * i, end=10 * i + 5,
                                 review_status="pending" if i < pending_indicators else "accepted")
    for i in range(pending_commitments):
        Commitment.objects.create(reply=reply, text="将继续推进", start=500 + 10 * i, end=505 + 10 * i)


def unmatched_reply(**header):
    return Reply.objects.create(original_name="第56号答复.pdf", parse_status="parsed", match_status="unmatched",
                                match_note="未找到提案：十二届五次会议 第56号", parsed_header=header)


def one_of_each(today):
    to_review = ReplyFactory(parse_status="parsed")
    rows(to_review, pending_indicators=3, pending_commitments=2, accepted=1)
    to_release = ReplyFactory(parse_status="parsed")
    rows(to_release, accepted=2)
    requester = DepartmentUserFactory()
    extended = AssignmentFactory(department=requester.department, assigned_on=today)
    services.extension_request(assignment=extended, requested_due_on=extended.due_on + timedelta(days=30),
                               reason="需跨部门协调", by=requester)
    returning = AssignmentFactory(assigned_on=today)
    services.assignment_request_return(assignment=returning, reason="不属于本单位职责")
    return to_review, to_release, extended, returning, unmatched_reply(proposal_number="56")


def test_the_todo_page_lists_what_waits_for_staff_with_counts(client, staff_user):
    today = timezone.localdate()
    to_review, to_release, extended, returning, unmatched = one_of_each(today)
    ReleasedReplyFactory(parse_status="parsed")  # done
    ReplyFactory(parse_status="parsed", submitted_at=None)  # a draft the department has not submitted
    client.force_login(staff_user)
    response = client.get(reverse("proposals:todo"))
    todo = response.context["todo"]
    assert todo["to_review"] == [to_review] and todo["to_review"][0].pending_indicators == 3
    assert todo["to_review"][0].pending_commitments == 2
    assert todo["to_release"] == [to_release]
    assert [e.assignment for e in todo["extensions"]] == [extended] and todo["extensions_count"] == 1
    assert todo["return_requests"] == [returning] and todo["unmatched"] == [unmatched]
    page = response.content.decode()
    assert str(extended.due_on + timedelta(days=30)) in page and "需跨部门协调" in page
    assert "不属于本单位职责" in page and "未找到提案：十二届五次会议 第56号" in page
    assert 'value="56"' in page  # the attach form is prefilled from the parsed header


def test_the_todo_page_runs_a_fixed_number_of_queries(client, staff_user):
    today = timezone.localdate()
    one_of_each(today)
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("proposals:todo"))
    for _ in range(3):
        one_of_each(today)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("proposals:todo"))
    assert len(response.context["todo"]["to_review"]) == 4
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["department_user", "supervisor_user"])
def test_only_staff_have_the_office_todo_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("proposals:todo")).status_code == 403
    reply = unmatched_reply()
    assert client.post(reverse("replies:attach", args=[reply.pk]), {}).status_code in (403, 404)


def test_staff_grant_an_extension_from_the_todo_page_and_come_back_to_it(client, staff_user):
    today = timezone.localdate()
    _, _, extended, _, _ = one_of_each(today)
    extension = Extension.objects.get(assignment=extended)
    client.force_login(staff_user)
    response = client.post(reverse("proposals:assignment-action", args=[extended.pk, "decide-extension"]), {
        "extension": extension.pk, "decision": "grant", "next": reverse("proposals:todo") + "#extensions"})
    assert response.url == reverse("proposals:todo") + "#extensions"
    extended.refresh_from_db()
    assert extended.due_on == extension.requested_due_on
    assert client.get(reverse("proposals:todo")).context["todo"]["extensions"] == []


def test_staff_attach_an_unmatched_import_by_session_and_number(client, staff_user):
    session = SessionFactory(name="十二届五次会议")
    assignment = AssignmentFactory(proposal=ProposalFactory(session=session, number=56), status="signed")
    reply = unmatched_reply(proposal_number="56")
    client.force_login(staff_user)
    response = client.post(reverse("replies:attach", args=[reply.pk]), {"session": session.pk, "number": 56})
    assert response.url == reverse("proposals:todo")
    reply.refresh_from_db()
    assert reply.assignment == assignment and reply.match_status == "matched" and reply.version == 1
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.REPLIED
    assert client.get(reverse("proposals:todo")).context["todo"]["unmatched"] == []


def test_attaching_asks_for_the_department_when_the_proposal_has_several(client, staff_user):
    session = SessionFactory()
    lead = AssignmentFactory(proposal=ProposalFactory(session=session, number=56))
    co = AssignmentFactory(proposal=lead.proposal, role="co")
    reply = unmatched_reply()
    client.force_login(staff_user)
    response = client.post(reverse("replies:attach", args=[reply.pk]), {"session": session.pk, "number": 56},
                           follow=True)
    page = response.content.decode()
    assert "该提案有多个承办单位" in page and str(co.department) in page
    assert response.context["typed"] == {"reply": str(reply.pk), "session": str(session.pk), "number": "56",
                                         "department": ""}
    reply.refresh_from_db()
    assert reply.assignment is None
    client.post(reverse("replies:attach", args=[reply.pk]), {"session": session.pk, "number": 56,
                                                             "department": co.department.short_name})
    reply.refresh_from_db()
    assert reply.assignment == co


def test_attaching_to_a_proposal_that_does_not_exist_says_so_and_keeps_the_reply(client, staff_user):
    session = SessionFactory(name="十二届五次会议")
    reply = unmatched_reply()
    client.force_login(staff_user)
    page = client.post(reverse("replies:attach", args=[reply.pk]), {"session": session.pk, "number": 999},
                       follow=True).content.decode()
    assert "十二届五次会议第999号提案没有任何单位的有效交办。" in page and 'value="999"' in page
    assert Reply.objects.get(pk=reply.pk).assignment is None


def test_the_nav_takes_staff_to_their_todo_and_departments_to_their_queue(client, staff_user, department_user):
    client.force_login(staff_user)
    assert reverse("proposals:todo") in client.get(reverse("proposals:list")).content.decode()
    client.force_login(department_user)
    page = client.get(reverse("proposals:queue")).content.decode()
    assert reverse("proposals:todo") not in page and reverse("proposals:queue") in page


def test_a_long_list_is_cut_and_says_how_many_wait_in_all(client, staff_user, monkeypatch):
    monkeypatch.setattr("proposals.selectors.STAFF_TODO_LIMIT", 2)
    oldest = [ReplyFactory(parse_status="parsed", submitted_at=timezone.now() - timedelta(days=d)) for d in (3, 2, 1)]
    client.force_login(staff_user)
    response = client.get(reverse("proposals:todo"))
    todo = response.context["todo"]
    assert todo["to_release"] == oldest[:2] and todo["submitted_count"] == 3
    assert "已提交未发布的答复共 3 件，以下仅列出最早提交的 2 件。" in response.content.decode()


def test_a_submitted_reply_with_an_unconfirmed_header_mismatch_waits_for_review_not_release(client, staff_user):
    from replies.services import reply_mismatch_confirm

    mismatch = {"field": "proposal_number", "parsed": "56", "expected": "140", "message": "答复中的提案号与交办的提案不一致"}
    reply = ReplyFactory(parse_status="parsed", mismatches=[mismatch])
    client.force_login(staff_user)
    page = client.get(reverse("proposals:todo")).content.decode()
    assert [r.pk for r in page_context(client)["to_review"]] == [reply.pk]
    assert 'data-testid="open-mismatches"' in page

    reply_mismatch_confirm(reply=reply, field="proposal_number", reason="确属本提案", by=staff_user)
    todo = page_context(client)
    assert [r.pk for r in todo["to_release"]] == [reply.pk] and todo["to_review"] == []


def page_context(client):
    return client.get(reverse("proposals:todo")).context["todo"]
