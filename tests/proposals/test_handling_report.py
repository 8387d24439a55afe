"""The yearly report (提案办理情况报告): the dashboard's figures, as a printable page and an editable .docx."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from proposals.models import Proposal, Session
from proposals.report import handling_report
from proposals.selectors import dashboard_totals, department_dashboard
from replies.models import Feedback, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(media_root):
    call_command("load_demo")


def test_the_report_figures_are_the_dashboards_figures(demo, client, supervisor_user):
    client.force_login(supervisor_user)
    dashboard = client.get(reverse("proposals:dashboard")).context
    report = client.get(reverse("proposals:report")).context["report"]
    assert report["totals"] == dashboard["totals"]
    assert report["rows"] == dashboard["rows"]
    assert report["totals"]["replied"] > 0 and report["totals"]["rated"] > 0 and report["totals"]["commitments"] > 0


def test_the_report_for_one_session_counts_only_that_sessions_proposals(demo, supervisor_user):
    session = Session.objects.get(name="十二届五次会议")
    today = timezone.localdate()
    report = handling_report(user=supervisor_user, today=today, session=session)
    assert report["totals"] == dashboard_totals(department_dashboard(user=supervisor_user, today=today,
                                                                     session=session))
    assert report["received"] == Proposal.objects.filter(session=session).count()


def test_received_splits_into_registered_merged_refused_and_waiting(demo, supervisor_user):
    report = handling_report(user=supervisor_user, today=timezone.localdate())
    assert report["received"] == Proposal.objects.count()
    assert report["merged"] == Proposal.objects.filter(status="merged").count() >= 1
    assert report["not_registered"] == Proposal.objects.filter(status="not_registered").count() >= 1
    assert (report["registered"] + report["merged"] + report["not_registered"] + report["waiting"]
            == report["received"])
    assert sum(row["count"] for row in report["themes"]) == report["received"] - report["merged"] - report[
        "not_registered"]


def test_rating_and_category_shares_add_up_to_what_was_rated_and_released(demo, supervisor_user):
    report = handling_report(user=supervisor_user, today=timezone.localdate())
    assert sum(row["count"] for row in report["ratings"]) == report["totals"]["rated"] == Feedback.objects.count()
    released = Reply.objects.filter(released_at__isnull=False).exclude(category="")
    assert report["categorised"] == sum(row["count"] for row in report["categories"]) == released.count()
    shares = [row["share"] for row in report["categories"] if row["count"]]
    assert shares and abs(sum(shares) - 100) < 0.5


def test_the_docx_holds_the_same_figures_and_opens_in_word(demo, client, staff_user):
    from docx import Document

    client.force_login(staff_user)
    response = client.get(reverse("proposals:report"), {"format": "docx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    report = handling_report(user=staff_user, today=timezone.localdate())
    assert f"共收到{report['terms'].proposal}{report['received']}件" in text
    assert f"办复率{report['totals']['reply_rate']}%" in text
    assert "吉林省科学技术厅" in cells
    assert any(cell.startswith("第") and cell.endswith("号") for cell in cells)  # the overdue list


def test_departments_may_not_read_the_office_report(client, department_user):
    client.force_login(department_user)
    assert client.get(reverse("proposals:report")).status_code == 403
    assert client.get(reverse("proposals:report"), {"format": "docx"}).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("proposals:report"))
    assert response.status_code == 302 and "login" in response["Location"]
