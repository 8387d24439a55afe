import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proposals.models import Assignment
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    FeedbackFactory,
    MemberFactory,
    ProposalFactory,
    ReleasedReplyFactory,
)

pytestmark = pytest.mark.django_db


def numbers(response):
    return sorted(p.number for p in response.context["proposals"])


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_filters_combine_department_and_overdue(staff_client):
    today = timezone.localdate()
    kjt, jyt = DepartmentFactory(), DepartmentFactory()
    AssignmentFactory(department=kjt, proposal__number=1, due_on=today - timedelta(days=1))
    AssignmentFactory(department=kjt, proposal__number=2, due_on=today + timedelta(days=5))
    AssignmentFactory(department=jyt, proposal__number=3, due_on=today - timedelta(days=9))
    url = reverse("proposals:list")
    assert numbers(staff_client.get(url, {"department": kjt.pk, "overdue": "on"})) == [1]
    assert numbers(staff_client.get(url, {"overdue": "on"})) == [1, 3]
    assert numbers(staff_client.get(url, {"due_within": 7})) == [2]


def test_role_filter_looks_at_the_same_assignment_as_the_department_filter(staff_client):
    kjt = DepartmentFactory()
    lead = AssignmentFactory(department=kjt, proposal__number=1)
    AssignmentFactory(proposal__number=2, department=DepartmentFactory())
    AssignmentFactory(proposal=ProposalFactory(number=3, session=lead.proposal.session), department=kjt, role="co")
    url = reverse("proposals:list")
    assert numbers(staff_client.get(url, {"department": kjt.pk, "role": "lead"})) == [1]
    assert numbers(staff_client.get(url, {"department": kjt.pk, "role": "co"})) == [3]


def test_search_finds_number_title_and_member(staff_client):
    member = MemberFactory(name="李秀玉")
    ProposalFactory(number=135, title="关于加快高新技术产业的建议", proposers=[member])
    ProposalFactory(number=7, title="关于养老服务的建议")
    url = reverse("proposals:list")
    assert numbers(staff_client.get(url, {"q": "第135号"})) == [135]
    assert numbers(staff_client.get(url, {"q": "养老"})) == [7]
    assert numbers(staff_client.get(url, {"q": "秀玉"})) == [135]
    assert numbers(staff_client.get(url, {"proposer": "李"})) == [135]


def test_satisfaction_reply_category_and_unresolved_filters(staff_client):
    feedback = FeedbackFactory(rating="unsatisfied", reply__category="B", reply__assignment__proposal__number=1)
    ReleasedReplyFactory(category="A", assignment__proposal__number=2)
    ProposalFactory(number=3)
    url = reverse("proposals:list")
    assert feedback.reply.assignment.proposal.number == 1
    assert numbers(staff_client.get(url, {"satisfaction": "unsatisfied"})) == [1]
    assert numbers(staff_client.get(url, {"reply_category": "A"})) == [2]
    assert numbers(staff_client.get(url, {"unresolved": "on"})) == [3]


def test_sorting_by_due_date_is_in_the_url(staff_client):
    today = timezone.localdate()
    for number, days in ((1, 30), (2, 10), (3, 20)):
        AssignmentFactory(proposal__number=number, due_on=today + timedelta(days=days))
    response = staff_client.get(reverse("proposals:list"), {"o": "lead_due_on"})
    assert [p.number for p in response.context["proposals"]] == [2, 3, 1]
    assert "o=-lead_due_on" in response.content.decode()


def test_the_list_runs_the_same_number_of_queries_for_10_or_40_rows(staff_client):
    def count(rows):
        for _ in range(rows - Assignment.objects.filter(role="lead").count()):
            reply = ReleasedReplyFactory()
            AssignmentFactory(proposal=reply.assignment.proposal, role="co")
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("proposals:list"), {"per_page": 50}).status_code == 200
        return len(queries)

    assert count(10) == count(40)


def test_export_holds_the_filtered_rows_as_xlsx_and_csv(staff_client):
    kjt = DepartmentFactory(name="吉林省科学技术厅")
    AssignmentFactory(department=kjt, proposal__number=135, proposal__title="关于加快高新技术产业的建议")
    AssignmentFactory(proposal__number=136)
    url = reverse("proposals:export")
    workbook = load_workbook(io.BytesIO(b"".join(staff_client.get(url, {"department": kjt.pk}).streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("届次会议", "提案号", "案由")
    assert [(r[1], r[2], r[7]) for r in rows[1:]] == [(135, "关于加快高新技术产业的建议", "吉林省科学技术厅")]
    response = staff_client.get(url, {"format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(int(line[1]) for line in lines[1:]) == [135, 136]


def test_a_department_user_exports_only_its_own_proposals(client, department_user):
    AssignmentFactory(department=department_user.department, proposal__number=1)
    AssignmentFactory(proposal__number=2)
    client.force_login(department_user)
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("proposals:export")).streaming_content)))
    assert [r[1] for r in list(workbook.active.iter_rows(values_only=True))[1:]] == [1]
