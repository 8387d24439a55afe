"""The department's queue says what is going on with each assignment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import services
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def row(page, assignment):
    start = page.index(f'data-assignment="{assignment.pk}"')
    return page[start:page.index("</tr>", start)]


def test_an_extension_request_shows_as_pending_with_its_date_and_is_not_asked_twice(client, department_user):
    assignment = AssignmentFactory(department=department_user.department, status="signed",
                                   assigned_on=timezone.localdate())
    client.force_login(department_user)
    page = client.get(reverse("proposals:queue")).content.decode()
    assert "申请延期" in row(page, assignment) and "延期申请中" not in row(page, assignment)
    wanted = assignment.due_on + timedelta(days=30)
    client.post(reverse("proposals:assignment-action", args=[assignment.pk, "request-extension"]),
                {"due_on": wanted.isoformat(), "reason": "需跨部门协调"})
    mine = row(client.get(reverse("proposals:queue")).content.decode(), assignment)
    assert f"延期申请中（申请延至 {wanted:%Y-%m-%d}）" in mine and "request-extension" not in mine


def test_the_return_button_goes_once_the_window_has_closed_and_the_service_refuses_too(client, department_user,
                                                                                       settings):
    settings.RETURN_WINDOW_DAYS = 7
    today = timezone.localdate()
    open_window = AssignmentFactory(department=department_user.department, assigned_on=today - timedelta(days=7))
    closed = AssignmentFactory(department=department_user.department, assigned_on=today - timedelta(days=8))
    client.force_login(department_user)
    page = client.get(reverse("proposals:queue")).content.decode()
    assert "申请退回" in row(page, open_window) and f"可申请至 {today:%Y-%m-%d}" in row(page, open_window)
    assert "申请退回" not in row(page, closed)
    with pytest.raises(ValidationError, match="日内才能申请退回"):
        services.assignment_request_return(assignment=closed, reason="错分", by=department_user)


def test_a_return_request_shows_as_pending(client, department_user):
    today = timezone.localdate()
    assignment = AssignmentFactory(department=department_user.department, assigned_on=today)
    client.force_login(department_user)
    client.post(reverse("proposals:assignment-action", args=[assignment.pk, "request-return"]),
                {"reason": "不属于本单位职责"})
    mine = row(client.get(reverse("proposals:queue")).content.decode(), assignment)
    assert f"退回申请中（{today:%Y-%m-%d} 提出）" in mine and "request-return" not in mine
