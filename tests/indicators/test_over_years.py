"""承诺跨年对照: a department's promises on one subject, session after session, and which come back unkept."""

import pytest
from django.urls import reverse

from indicators.models import Commitment
from tests.factories import DepartmentFactory, DepartmentUserFactory, ReleasedReplyFactory, SessionFactory

pytestmark = pytest.mark.django_db


def promise(department, year, text, status):
    session = SessionFactory(year=year)
    reply = ReleasedReplyFactory(assignment__department=department, assignment__proposal__session=session)
    return Commitment.objects.create(reply=reply, text=text, start=0, end=5, review_status="accepted",
                                     follow_up_status=status)


@pytest.fixture
def promises():
    department, other = DepartmentFactory(), DepartmentFactory()
    return {
        "2021": promise(department, 2021, "下一步，将新建停车场3个。", Commitment.FollowUp.LAPSED),
        "2022": promise(department, 2022, "力争年底前再建停车场两个。", Commitment.FollowUp.IN_PROGRESS),
        "2023": promise(department, 2023, "将新增公共停车泊位500个。", Commitment.FollowUp.KEPT),
        "off-subject": promise(department, 2022, "将继续加强农村公路养护。", Commitment.FollowUp.PENDING),
        "other-department": promise(other, 2022, "将新建停车场一个。", Commitment.FollowUp.LAPSED),
    }, department


def test_a_subjects_promises_group_by_year_with_what_became_of_them(client, supervisor_user, promises):
    rows, department = promises
    client.force_login(supervisor_user)
    context = client.get(reverse("indicators:over-years"), {"department": department.pk, "q": "停车"}).context
    assert [(g["year"], g["made"], g["kept"], g["unkept"]) for g in context["years"]] == [
        (2021, 1, 0, 1), (2022, 1, 0, 1), (2023, 1, 1, 0)]
    assert context["recurring_unkept"] is True
    shown = {c.pk for g in context["years"] for c in g["commitments"]}
    assert rows["off-subject"].pk not in shown and rows["other-department"].pk not in shown


def test_a_promise_unkept_in_one_year_only_is_not_called_recurring(client, supervisor_user, promises):
    rows, department = promises
    client.force_login(supervisor_user)
    context = client.get(reverse("indicators:over-years"), {"department": department.pk, "q": "公路"}).context
    assert [g["year"] for g in context["years"]] == [2022]
    assert context["recurring_unkept"] is False


def test_a_department_sees_only_its_own_promises_whatever_it_asks_for(client, promises):
    rows, department = promises
    other = rows["other-department"].reply.assignment.department
    client.force_login(DepartmentUserFactory(department=department))
    context = client.get(reverse("indicators:over-years"), {"department": other.pk, "q": "停车"}).context
    shown = {c.pk for g in context["years"] for c in g["commitments"]}
    assert shown == {rows["2021"].pk, rows["2022"].pk, rows["2023"].pk}
