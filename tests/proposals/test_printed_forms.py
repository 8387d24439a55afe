"""A proposal's 交办单 and 征询意见表 as server-rendered PDFs that read back with the right text."""

import re

import pypdfium2
import pytest
from django.core.management import call_command
from django.urls import reverse

from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal_135(media_root):
    call_command("load_demo")
    return Proposal.objects.get(session__name="十二届五次会议", number=135)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return re.sub(r"\s+", "", "".join(page.get_textpage().get_text_range() for page in document))


def test_the_assignment_sheet_names_the_proposal_its_departments_due_dates_and_rule(client, staff_user,
                                                                                    proposal_135):
    client.force_login(staff_user)
    response = client.get(reverse("proposals:print", args=[proposal_135.pk, "assignment-sheet"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    lead = proposal_135.assignments.get(role="lead")
    assert "提案交办单" in text and "第135号" in text and proposal_135.title in text
    assert "李秀玉" in text and "吉林省科学技术厅" in text
    assert f"{lead.due_on.year}年{lead.due_on.month}月{lead.due_on.day}日" in text
    assert "期限规则" in text and "个月" in text


def test_the_feedback_form_lists_the_released_reply_and_the_three_ratings(client, staff_user, proposal_135):
    client.force_login(staff_user)
    response = client.get(reverse("proposals:print", args=[proposal_135.pk, "feedback-form"]))
    text = pdf_text(response.content)
    assert "提案办理情况征询意见表" in text and "吉科发办〔2022〕108号" in text
    assert text.count("基本满意") == 3 and "不满意" in text
    assert "提案人（签字）" in text


def test_a_department_prints_only_forms_of_proposals_assigned_to_it(client, other_department_user, proposal_135):
    client.force_login(other_department_user)
    for form in ("assignment-sheet", "feedback-form"):
        assert client.get(reverse("proposals:print", args=[proposal_135.pk, form])).status_code == 404


def test_an_unknown_form_is_not_found(client, staff_user, proposal_135):
    client.force_login(staff_user)
    assert client.get(reverse("proposals:print", args=[proposal_135.pk, "invoice"])).status_code == 404
