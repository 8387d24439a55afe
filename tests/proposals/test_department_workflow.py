from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Assignment, User
from replies.models import Reply
from replies.services import reply_create, reply_signoff, reply_submit
from tests.factories import AssignmentFactory, DepartmentUserFactory

pytestmark = pytest.mark.django_db


def post(client, assignment, action, **data):
    return client.post(reverse("proposals:assignment-action", args=[assignment.pk, action]), data)


def test_the_queue_lists_what_to_sign_first_and_signing_moves_it(client, department_user):
    today = timezone.localdate()
    to_sign = AssignmentFactory(department=department_user.department, assigned_on=today)
    AssignmentFactory(department=department_user.department, status="signed", assigned_on=today - timedelta(days=100))
    AssignmentFactory()  # another department's
    client.force_login(department_user)
    queue = client.get(reverse("proposals:queue")).context["queue"]
    assert queue["to_sign"] == [to_sign] and len(queue["open"]) == 1
    post(client, to_sign, "sign")
    to_sign.refresh_from_db()
    assert to_sign.status == Assignment.Status.SIGNED and to_sign.signed_on == today
    assert client.get("/").url == reverse("proposals:queue")
    client.logout()
    assert client.get("/").url == reverse("login")


def test_a_return_can_be_asked_only_within_the_window_and_staff_decide(client, department_user, staff_user, settings):
    settings.RETURN_WINDOW_DAYS = 7
    today = timezone.localdate()
    late = AssignmentFactory(department=department_user.department, assigned_on=today - timedelta(days=8))
    fresh = AssignmentFactory(department=department_user.department, assigned_on=today - timedelta(days=7))
    client.force_login(department_user)
    post(client, late, "request-return", reason="不属于本单位职责")
    post(client, fresh, "request-return", reason="不属于本单位职责")
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.return_requested_on is None and fresh.return_requested_on == today
    assert post(client, fresh, "decide-return", decision="accept").status_code == 403

    client.force_login(staff_user)
    assert client.get(reverse("proposals:queue")).context["queue"]["return_requests"] == [fresh]
    post(client, fresh, "decide-return", decision="accept")
    fresh.refresh_from_db()
    assert fresh.status == Assignment.Status.RETURNED and fresh.return_reason == "不属于本单位职责"


def test_a_refused_return_keeps_the_assignment(department_user, staff_user):
    assignment = AssignmentFactory(department=department_user.department, assigned_on=timezone.localdate())
    services.assignment_request_return(assignment=assignment, reason="错分", by=department_user)
    services.assignment_return_decide(assignment=assignment, accept=False, by=staff_user, note="确属本单位职责")
    assert assignment.status == Assignment.Status.ASSIGNED and assignment.return_requested_on is None
    assert assignment.events.filter(kind="return_refused", note="确属本单位职责").exists()


def test_the_lead_cannot_submit_until_every_co_handler_signs_off_or_is_waived(staff_user):
    lead = AssignmentFactory(status="signed")
    co_a = AssignmentFactory(proposal=lead.proposal, role="co")
    co_b = AssignmentFactory(proposal=lead.proposal, role="co")
    lead_user = DepartmentUserFactory(department=lead.department)
    reply = reply_create(assignment=lead, uploaded_by=lead_user)
    assert reply.submitted_at is None
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.SIGNED

    with pytest.raises(ValidationError, match="尚待会签"):
        reply_submit(reply=reply, by=lead_user)
    reply_signoff(reply=reply, assignment=co_a, by=DepartmentUserFactory(department=co_a.department))
    with pytest.raises(ValidationError):
        reply_signoff(reply=reply, assignment=co_a, by=staff_user)
    reply_signoff(reply=reply, assignment=co_b, by=staff_user, waive_reason="会办单位已书面同意")
    reply = reply_submit(reply=reply, by=lead_user)
    assert reply.submitted_at is not None
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.REPLIED


def test_a_co_handler_signs_off_through_the_reply_page_and_sends_its_opinion(client, staff_user):
    lead = AssignmentFactory(status="signed")
    co = AssignmentFactory(proposal=lead.proposal, role="co", assigned_on=date.today())
    reply = reply_create(assignment=lead, uploaded_by=staff_user)
    co_user = DepartmentUserFactory(department=co.department)
    client.force_login(co_user)
    assert client.get(reverse("proposals:queue")).context["queue"]["drafts_to_sign_off"] == [reply]
    client.post(reverse("replies:signoff", args=[reply.pk]))
    assert reply.signoffs.get().assignment == co
    client.post(reverse("proposals:co-opinion", args=[co.pk]), {"text": "建议加大资金支持"})
    co.refresh_from_db()
    assert co.status == Assignment.Status.REPLIED and co.co_opinions.get().text == "建议加大资金支持"
    assert client.post(reverse("replies:submit", args=[reply.pk])).status_code == 403
    assert Reply.objects.get(pk=reply.pk).submitted_at is None


def test_changes_are_recorded_with_who_and_shown_on_the_page(client, staff_user, department_user):
    assignment = AssignmentFactory(department=department_user.department)
    client.force_login(department_user)
    post(client, assignment, "sign")
    record = assignment.history.latest()
    assert record.history_user == department_user and record.status == "signed"
    client.force_login(staff_user)
    page = client.get(reverse("proposals:detail", args=[assignment.proposal_id])).content.decode()
    assert "修改记录" in page and department_user.username in page


def test_login_is_locked_after_repeated_failures_and_says_so(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    services.user_create(username="kjt", password="right-password-2026", role=User.Role.STAFF)
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "kjt", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "kjt", "password": "right-password-2026"})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_departments_upload_is_a_draft_until_it_submits_it_from_the_reply_page(client, department_user,
                                                                                 media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from replies.services import reply_parse
    from tests.pdfs import text_pdf

    assignment = AssignmentFactory(department=department_user.department, proposal__number=1,
                                   assigned_on=timezone.localdate())
    client.force_login(department_user)
    pdf = text_pdf([["关于省政协十二届五次会议第1号委员提案的答复", "下一步，将持续推进。"]])
    client.post(reverse("replies:upload", args=[assignment.pk]), {"file": SimpleUploadedFile("r.pdf", pdf)})
    reply = Reply.objects.get(assignment=assignment)
    queue = client.get(reverse("proposals:queue"))
    assert queue.context["queue"]["open"] == [assignment]  # signed by the upload, not yet replied
    assert "草稿待提交" in queue.content.decode()
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert "解析完成后才能提交" in page and 'data-testid="submit"' not in page

    reply_parse(reply_id=reply.pk)
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert 'data-testid="submit"' in page and 'data-testid="withdraw-form"' in page
    confirm = client.post(reverse("replies:submit", args=[reply.pk])).content.decode()
    assert "交办将变为“已答复”" in confirm
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.SIGNED
    client.post(reverse("replies:submit", args=[reply.pk]), {"confirmed": "1"})
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.REPLIED
    assert client.get(reverse("proposals:queue")).context["queue"]["replied"] == [assignment]
