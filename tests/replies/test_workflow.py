"""The reply's way from upload to release: draft and submit, header mismatches, withdrawal, pending rows,
category changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Commitment, Indicator
from proposals.models import Assignment, Proposal
from replies.models import Reply, ReplyEvent
from replies.services import (
    reply_category_change,
    reply_detach,
    reply_mismatch_confirm,
    reply_parse,
    reply_release,
    reply_rows_settle,
    reply_submit,
    reply_upload,
    reply_withdraw,
)
from tests.factories import AssignmentFactory, ReplyFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

MISMATCH = {"field": "proposal_number", "parsed": "56", "expected": "140", "message": "答复中的提案号与交办的提案不一致"}


@pytest.fixture
def assignment(department_user):
    return AssignmentFactory(department=department_user.department, proposal__number=140)


def upload(assignment, user, body="关于省政协十二届五次会议第140号委员提案的答复"):
    pdf = text_pdf([[body, "下一步，将持续推进。"]])
    return reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", pdf), uploaded_by=user)


def draft(assignment, **kwargs):
    return ReplyFactory(assignment=assignment, submitted_at=None, parse_status=Reply.ParseStatus.PARSED, **kwargs)


def submitted_with_rows(pending=2):
    reply = ReplyFactory(text="补助2978.4万元，认定1000户。")
    for i in range(pending):
        Indicator.objects.create(reply=reply, value=Decimal(i + 1), unit="户", start=i, end=i + 1)
    Commitment.objects.create(reply=reply, text="下一步", start=0, end=3, review_status="accepted")
    return reply


# draft and submit

def test_an_upload_is_a_draft_submitted_only_after_it_is_parsed(assignment, department_user, media_root):
    reply = upload(assignment, department_user)
    assignment.refresh_from_db()
    assert reply.submitted_at is None and assignment.status == Assignment.Status.SIGNED
    with pytest.raises(ValidationError, match="解析完成"):
        reply_submit(reply=reply, by=department_user)
    reply_parse(reply_id=reply.pk)
    reply_submit(reply=reply, by=department_user)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REPLIED and assignment.proposal.status == Proposal.Status.REPLIED
    assert Reply.objects.get(pk=reply.pk).events.get(kind="submitted").data["assignment_status"] == "signed"


def test_an_upload_to_an_assignment_already_signed_records_no_second_signature(assignment, department_user,
                                                                               media_root):
    assignment.status = Assignment.Status.SIGNED
    assignment.save()
    upload(assignment, department_user)
    assert not assignment.events.filter(kind="signed").exists()


def test_a_header_mismatch_blocks_submit_until_confirmed_with_a_reason(assignment, department_user):
    reply = draft(assignment, mismatches=[MISMATCH])
    with pytest.raises(ValidationError, match="不一致"):
        reply_submit(reply=reply, by=department_user)
    with pytest.raises(ValidationError, match="理由"):
        reply_mismatch_confirm(reply=reply, field="proposal_number", reason=" ", by=department_user)
    event = reply_mismatch_confirm(reply=reply, field="proposal_number", reason="文中提案号笔误，确为140号",
                                   by=department_user)
    assert (event.by, event.data["parsed"], event.note) == (department_user, "56", "文中提案号笔误，确为140号")
    reply_submit(reply=reply, by=department_user)
    assert Reply.objects.get(pk=reply.pk).submitted_at is not None


def test_a_header_mismatch_blocks_release_until_resolved(staff_user):
    reply = ReplyFactory(mismatches=[MISMATCH, {**MISMATCH, "field": "department", "parsed": "某县交通运输局"}])
    reply_mismatch_confirm(reply=reply, field="proposal_number", reason="核实无误", by=staff_user)
    with pytest.raises(ValidationError, match="某县交通运输局"):
        reply_release(reply=reply, by=staff_user)
    assert Reply.objects.get(pk=reply.pk).released_at is None
    reply_mismatch_confirm(reply=reply, field="department", reason="代章", by=staff_user)
    reply_release(reply=reply, by=staff_user)
    assert Reply.objects.get(pk=reply.pk).released_at is not None


def test_detaching_a_reply_puts_it_among_the_unmatched_and_restores_the_assignment(assignment, department_user,
                                                                                   staff_user):
    reply = draft(assignment, mismatches=[MISMATCH])
    reply_mismatch_confirm(reply=reply, field="proposal_number", reason="先提交", by=department_user)
    reply_submit(reply=reply, by=department_user)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REPLIED and assignment.first_replied_on is not None
    with pytest.raises(ValidationError, match="理由"):
        reply_detach(reply=reply, reason="", by=staff_user)
    reply_detach(reply=reply, reason="是第56号提案的答复", by=staff_user)
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.assignment is None and reply.match_status == Reply.Match.UNMATCHED and reply.submitted_at is None
    assert "是第56号提案的答复" in reply.match_note
    assert reply.events.get(kind="detached").data["assignment"] == assignment.pk
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED  # the factory's status before the reply
    assert assignment.first_replied_on is None  # the dashboard no longer counts it as answered
    assert assignment.events.filter(kind="reply_detached", note__contains="是第56号提案的答复").exists()
    assert assignment.proposal.status == Proposal.Status.ASSIGNED
    with pytest.raises(ValidationError):
        reply_release(reply=reply, by=staff_user)


def test_detaching_leaves_an_assignment_another_submitted_reply_answers(assignment, department_user, staff_user):
    first = draft(assignment)
    reply_submit(reply=first, by=department_user)
    second = ReplyFactory(assignment=assignment, version=2, mismatches=[MISMATCH])
    reply_detach(reply=second, reason="错投", by=staff_user)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REPLIED


# withdrawal

def test_a_wrong_file_whose_parsed_date_precedes_the_proposal_can_still_be_withdrawn(assignment, department_user):
    # another year's reply uploaded by mistake: the parser took its date, years before this proposal was made
    reply = draft(assignment, reply_date=assignment.proposal.submitted_on.replace(year=2015))
    reply_withdraw(reply=reply, reason="传错了文件", by=department_user)
    assert Reply.objects.get(pk=reply.pk).is_withdrawn


def test_a_department_withdraws_its_draft_with_a_reason_and_the_next_upload_is_the_next_version(
        assignment, department_user, media_root):
    reply = upload(assignment, department_user)
    with pytest.raises(ValidationError, match="理由"):
        reply_withdraw(reply=reply, reason="", by=department_user)
    reply_withdraw(reply=reply, reason="传错了文件", by=department_user)
    reply = Reply.objects.get(pk=reply.pk)
    assert reply.is_withdrawn and reply.withdraw_reason == "传错了文件" and reply.withdrawn_by == department_user
    with pytest.raises(ValidationError, match="撤回"):
        reply_submit(reply=reply, by=department_user)
    again = upload(assignment, department_user)  # the same file may come again
    assert again.version == 2
    assert list(Reply.objects.current().values_list("pk", flat=True)) == [again.pk]


def test_a_submitted_reply_cannot_be_withdrawn(assignment, department_user, staff_user):
    reply = draft(assignment)
    reply_submit(reply=reply, by=department_user)
    with pytest.raises(ValidationError, match="已提交"):
        reply_withdraw(reply=reply, reason="晚了", by=staff_user)


def test_withdrawal_through_the_page_asks_first_and_is_refused_to_another_department(
        client, assignment, department_user, other_department_user):
    reply = draft(assignment)
    url = reverse("replies:withdraw", args=[reply.pk])
    client.force_login(other_department_user)
    assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404
    client.force_login(department_user)
    response = client.post(url, {"reason": "日期写错"})
    assert response.status_code == 200 and "日期写错" in response.content.decode()
    assert Reply.objects.get(pk=reply.pk).withdrawn_at is None
    client.post(url, {"reason": "日期写错", "confirmed": "1"})
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert "已撤回" in page and "日期写错" in page


# pending rows

def test_release_with_pending_rows_needs_a_reason_which_is_kept(staff_user):
    reply = submitted_with_rows(pending=2)
    with pytest.raises(ValidationError, match="2 条"):
        reply_release(reply=reply, by=staff_user)
    assert Reply.objects.get(pk=reply.pk).released_at is None
    reply_release(reply=reply, by=staff_user, pending_reason="领导已审阅，指标另行核实")
    event = Reply.objects.get(pk=reply.pk).events.get(kind=ReplyEvent.Kind.RELEASED)
    assert (event.data, event.note, event.by) == ({"pending": 2}, "领导已审阅，指标另行核实", staff_user)


def test_accepting_all_remaining_rows_lets_the_reply_be_released_without_a_reason(staff_user):
    reply = submitted_with_rows(pending=3)
    reply.indicators.filter(value=1).update(review_status="rejected")
    assert reply_rows_settle(reply=reply, by=staff_user, accept=True) == 2
    assert sorted(reply.indicators.values_list("review_status", flat=True)) == ["accepted", "accepted", "rejected"]
    reply_release(reply=reply, by=staff_user)
    assert Reply.objects.get(pk=reply.pk).events.get(kind="released").data == {"pending": 0}


def test_the_release_form_says_how_many_rows_are_pending(client, staff_user):
    reply = submitted_with_rows(pending=2)
    client.force_login(staff_user)
    html = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert "仍有 2 条提取内容待审核" in html and 'data-testid="accept-remaining"' in html
    assert 'name="pending_reason"' in html
    client.post(reverse("replies:settle", args=[reply.pk]), {"action": "reject"})
    html = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert "待审核" not in html.split('data-testid="release-card"')[1].split("</form>")[0]


# category

def test_a_first_category_needs_no_reason(staff_user):
    reply = ReplyFactory(category="")
    reply_category_change(reply=reply, category="A", reason="", by=staff_user)
    change = reply.category_changes.get()
    assert (change.old_category, change.new_category, change.by) == ("", "A", staff_user)


def test_changing_the_departments_category_needs_a_reason_the_offices_own_correction_does_not(
        staff_user, supervisor_user, department_user):
    reply = ReplyFactory(category="A", uploaded_by=department_user)
    with pytest.raises(ValidationError, match="理由"):
        reply_category_change(reply=reply, category="B", reason="", by=staff_user)
    reply_category_change(reply=reply, category="B", reason="承诺尚在推进", by=staff_user)
    reply_category_change(reply=reply, category="C", reason="", by=supervisor_user)  # the office corrects itself
    assert list(reply.category_changes.values_list("new_category", flat=True)) == ["B", "C"]
    assert Reply.objects.get(pk=reply.pk).category == "C"


# the confirm step

def test_the_confirm_step_first_says_what_stands_in_the_way(client, staff_user):
    reply = submitted_with_rows(pending=2)
    url = reverse("replies:release", args=[reply.pk])
    client.force_login(staff_user)
    response = client.post(url, {"category": "", "reason": ""})
    assert response.status_code == 302
    assert any("仍有 2 条" in str(m) for m in response.wsgi_request._messages)
    response = client.post(url, {"category": "", "reason": "", "pending_reason": "原文已核"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm"' in html
    assert "仍有 2 条提取内容待审核，发布理由：原文已核" in html
    assert Reply.objects.get(pk=reply.pk).released_at is None
    client.post(url, {"category": "", "reason": "", "pending_reason": "原文已核", "confirmed": "1"})
    assert Reply.objects.get(pk=reply.pk).released_at is not None


def test_submitting_a_draft_still_being_parsed_is_refused_before_any_confirmation(client, assignment,
                                                                                  department_user):
    reply = ReplyFactory(assignment=assignment, submitted_at=None, file="replies/x.pdf",
                         parse_status=Reply.ParseStatus.PARSING)
    client.force_login(department_user)
    response = client.post(reverse("replies:submit", args=[reply.pk]))
    assert response.status_code == 302
    assert any("解析完成" in str(m) for m in response.wsgi_request._messages)
    reply.parse_status = Reply.ParseStatus.PARSED
    reply.save()
    assert 'data-testid="confirm"' in client.post(reverse("replies:submit", args=[reply.pk])).content.decode()
    assert Reply.objects.get(pk=reply.pk).submitted_at is None
    client.post(reverse("replies:submit", args=[reply.pk]), {"confirmed": "1"})
    assert Reply.objects.get(pk=reply.pk).submitted_at is not None
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.REPLIED


def test_the_admin_form_cannot_set_a_replys_workflow_state(rf, staff_user):
    from django.contrib import admin

    reply = ReplyFactory()
    request = rf.get("/")
    request.user = staff_user
    fields = set(admin.site._registry[Reply].get_form(request, reply).base_fields)
    assert fields.isdisjoint({"assignment", "category", "submitted_at", "released_at", "released_by",
                              "withdrawn_at", "withdraw_reason", "mismatches", "match_status", "is_public",
                              "public_text", "public_file"})
    assert "doc_number" in fields  # what no step owns stays editable


def test_a_second_upload_waits_until_the_first_draft_is_submitted_or_withdrawn(assignment, department_user,
                                                                               media_root):
    first = upload(assignment, department_user)
    with pytest.raises(ValidationError, match="第1版尚未提交"):
        upload(assignment, department_user, body="关于第140号提案的答复（修改稿）")
    reply_withdraw(reply=first, reason="改稿", by=department_user)
    assert upload(assignment, department_user, body="关于第140号提案的答复（修改稿）").version == 2


def test_a_category_change_the_release_cannot_take_is_said_before_the_confirmation(client, staff_user):
    reply = ReplyFactory(category="A")  # read from the department's document
    client.force_login(staff_user)
    response = client.post(reverse("replies:release", args=[reply.pk]), {"category": "C", "reason": ""})
    assert response.status_code == 302
    assert any("须说明理由" in str(m) for m in response.wsgi_request._messages)
    with pytest.raises(ValidationError, match="无效"):
        reply_category_change(reply=reply, category="", reason="x", by=staff_user)
