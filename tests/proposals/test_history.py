"""History panels say what changed: field label, old → new; a new object shows its key values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from indicators.services import indicator_edit
from proposals import services
from proposals.selectors import proposal_history
from tests.factories import AssignmentFactory, DepartmentFactory, MemberFactory, ReplyFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_shows_the_field_with_old_and_new_labels(staff_user):
    proposal = services.proposal_create(session=SessionFactory(), number=7, title="关于冰雪经济的建议",
                                        submitted_on=date(2022, 1, 17), proposers=[MemberFactory()])
    services.proposal_register(proposal=proposal)
    changed, created = proposal_history(proposal, user=staff_user)
    assert (changed.kind_label, [(c.label, c.old, c.new) for c in changed.changes]) == (
        "修改", [("状态", "已提交", "已立案")])
    assert created.kind_label == "新建" and ("提案号", "7") in created.values
    assert ("案由", "关于冰雪经济的建议") in created.values and ("提出时间", "大会期间") in created.values


def test_an_assignment_shows_its_department_and_a_due_date_change(staff_user):
    department = DepartmentFactory(name="吉林省科学技术厅")
    assignment = AssignmentFactory(department=department, assigned_on=date(2022, 4, 1))
    old_due = assignment.due_on
    services.assignment_set_due(assignment=assignment, due_on=old_due + timedelta(days=10), reason="协调", by=staff_user)
    latest = proposal_history(assignment.proposal, user=staff_user)[0]
    assert "吉林省科学技术厅" in latest.object_label
    assert ("办理期限", str(old_due), str(old_due + timedelta(days=10))) in [(c.label, c.old, c.new)
                                                                        for c in latest.changes]
    assert ("期限调整理由", "—", "协调") in [(c.label, c.old, c.new) for c in latest.changes]


def test_the_history_is_read_in_a_fixed_number_of_queries(staff_user):
    def busy_proposal(assignments):
        proposal = AssignmentFactory().proposal
        for _ in range(assignments):
            a = AssignmentFactory(proposal=proposal, role="co", department=DepartmentFactory())
            services.assignment_sign(assignment=a, by=staff_user)
        return proposal

    small, large = busy_proposal(1), busy_proposal(6)
    with CaptureQueriesContext(connection) as few:
        assert len(proposal_history(small, user=staff_user)) >= 3
    with CaptureQueriesContext(connection) as many:
        assert len(proposal_history(large, user=staff_user)) >= 13
    assert len(many) == len(few)


def test_the_reply_page_shows_a_row_edit_as_old_and_new_values(client, staff_user):
    reply = ReplyFactory(parse_status="parsed")
    row = Indicator.objects.create(reply=reply, value=Decimal("2978.4"), unit="万元", metric="补助", start=0, end=5)
    indicator_edit(indicator=row, by=staff_user, value=Decimal("2978.5"), unit="万元", year=None, metric="R&D补助",
                   qualifier="", is_target=False)
    client.force_login(staff_user)
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert "<del>2978.4</del> → <ins>2978.5</ins>" in page
    assert "<del>补助</del> → <ins>R&amp;D补助</ins>" in page
    assert "<del>待审核</del> → <ins>已修改</ins>" in page


def test_the_proposal_page_renders_the_changes(client, staff_user):
    proposal = AssignmentFactory().proposal
    proposal.title = "改后的案由"
    proposal.save()
    client.force_login(staff_user)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "已修改" not in page.split('data-testid="history"')[1]  # says what changed, not just that it did
    assert "<span class=\"field\">案由</span>：<del>" in page and "<ins>改后的案由</ins>" in page


def test_the_reply_history_leaves_out_rows_the_parser_created_but_shows_their_review(staff_user):
    from indicators.services import extracted_row_review
    from replies.selectors import reply_history

    reply = ReplyFactory(parse_status="parsed")
    rows = [Indicator.objects.create(reply=reply, value=Decimal(i + 1), unit="万元", start=10 * i, end=10 * i + 5)
            for i in range(5)]
    extracted_row_review(row=rows[0], by=staff_user, accept=True)
    entries = reply_history(reply)
    assert [e.kind for e in entries] == ["~", "+"]  # the review, and the reply's own creation
    assert ("审核状态", "待审核", "已采纳") in [(c.label, c.old, c.new) for c in entries[0].changes]
