"""The list's and the export's 办理期限 is the lead department's due date; co-handlers' dates sit by their names."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from proposals.exports import HEADERS
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def co_handled(number, *, lead_due, co_due):
    lead = AssignmentFactory(proposal__number=number, due_on=lead_due, department=DepartmentFactory(short_name=f"主{number}"))
    AssignmentFactory(proposal=lead.proposal, role="co", due_on=co_due, department=DepartmentFactory(short_name=f"会{number}"))
    return lead.proposal


def test_the_deadline_column_is_the_lead_departments_due_date(staff_client):
    co_handled(1, lead_due=date(2022, 7, 1), co_due=date(2022, 5, 1))
    html = staff_client.get(reverse("proposals:list")).content.decode()
    assert "主办单位办理期限" in html
    row = html.split('data-number="1"')[1].split("</tr>")[0]
    assert row.split('data-testid="lead-due">')[1].startswith("2022-07-01")
    assert "2022-05-01" in row.split("会1")[1].split("</div>")[0]  # the co-handler's own date, beside its name


def test_blank_deadlines_sort_last_both_ways(staff_client):
    co_handled(1, lead_due=date(2022, 7, 1), co_due=date(2022, 5, 1))
    co_handled(2, lead_due=date(2022, 6, 1), co_due=date(2022, 8, 1))
    AssignmentFactory(proposal__number=3, role="separate", due_on=date(2022, 5, 5))  # no lead: no deadline
    ProposalFactory(number=4)  # not assigned yet
    url = reverse("proposals:list")
    ascending = [p.number for p in staff_client.get(url, {"o": "lead_due_on"}).context["proposals"]]
    descending = [p.number for p in staff_client.get(url, {"o": "-lead_due_on"}).context["proposals"]]
    assert ascending[:2] == [2, 1] and sorted(ascending[2:]) == [3, 4]
    assert descending[:2] == [1, 2] and sorted(descending[2:]) == [3, 4]


def test_the_export_labels_the_lead_deadline_and_dates_each_co_handler(staff_client):
    co_handled(1, lead_due=date(2022, 7, 1), co_due=date(2022, 5, 1))
    separate = AssignmentFactory(proposal__number=2, role="separate", due_on=date(2022, 5, 5),
                                 department=DepartmentFactory(name="分办甲"))
    content = b"".join(staff_client.get(reverse("proposals:export")).streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS)
    by_number = {row[1]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert by_number[1]["主办单位办理期限"].date() == date(2022, 7, 1)
    assert by_number[1]["会办单位（办理期限）"].endswith("（2022-05-01）")
    assert by_number[2]["主办单位办理期限"] is None
    assert by_number[2]["分办单位（办理期限）"] == f"{separate.department.name}（2022-05-05）"
