"""The pages whose figures issue 13 put right, at desktop and phone width: the list's lead deadline with the
co-handlers' dates beside them, the dashboard's counting, and the proposal page's ratings and hard-cap request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from indicators.models import Commitment
from proposals import services
from proposals.models import Proposal, User
from proposals.services import user_create
from replies.services import feedback_record, reply_create, reply_release, reply_signoff, reply_submit
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def figures():
    today = timezone.localdate()
    session = SessionFactory(name="十二届五次会议", opened_on=today - timedelta(days=200), year=today.year)
    staff = user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF, all_committees=True)
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅")
    czt = DepartmentFactory(name="吉林省财政厅", short_name="省财政厅")
    slt = DepartmentFactory(name="吉林省水利厅", short_name="省水利厅")
    assigned_on = today - timedelta(days=150)

    def proposal(number, title):
        return ProposalFactory(session=session, number=number, title=title, submitted_on=session.opened_on,
                               status=Proposal.Status.ASSIGNED)

    p135 = proposal(135, "关于加快高新技术产业的建议")
    lead = AssignmentFactory(proposal=p135, department=kjt, assigned_on=assigned_on)
    co = AssignmentFactory(proposal=p135, department=czt, role="co", assigned_on=assigned_on)
    services.co_opinion_send(assignment=co, text="同意主办单位意见", by=staff)
    reply = reply_create(assignment=lead, uploaded_by=staff, doc_number="吉科发〔2022〕108号")
    reply.refresh_from_db()
    reply_signoff(reply=reply, assignment=co, by=staff)
    reply_submit(reply=reply, by=staff)
    reply_release(reply=reply, by=staff)
    feedback_record(reply=reply, member=p135.proposers.get(), rating="basically", handling_rating="satisfied",
                    outcome_rating="basically", comment="资金尚需落实", by=staff)
    for number, status in enumerate(["kept", "in_progress", "lapsed"]):
        Commitment.objects.create(reply=reply, text="将推进", start=number * 4, end=number * 4 + 3,
                                  review_status="accepted", follow_up_status=status)
    p140 = proposal(140, "关于城乡供水一体化的建议")
    for department in (slt, czt):
        AssignmentFactory(proposal=p140, department=department, role="separate", assigned_on=assigned_on)
    p141 = proposal(141, "关于科研诚信的建议")
    late = AssignmentFactory(proposal=p141, department=kjt, assigned_on=today - timedelta(days=100))
    services.extension_request(assignment=late, requested_due_on=late.hard_due_on + timedelta(days=30),
                               reason="需等待国家政策出台", by=staff)
    ProposalFactory(session=session, number=142, title="关于人才引进的建议")
    return {"p135": p135, "p141": p141, "kjt": kjt, "today": today}


def test_list_dashboard_and_proposal_page_at_desktop_and_phone_width(page, figures, screenshot):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "clerk-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/proposals/")

    for name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.goto("/proposals/?o=lead_due_on")
        numbers = page.locator("#proposal-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.number)")
        assert numbers[-2:] in (["140", "142"], ["142", "140"])  # no lead, no deadline: last
        assert "主办单位办理期限" in page.text_content("#proposal-table thead")
        screenshot(page, f"figures-list-{name}")

        page.goto("/proposals/dashboard/")
        assert "统计于" in page.text_content("[data-testid=computed-at]")
        assert page.text_content("[data-testid=kept-rate] strong").strip() == "33.3%"
        screenshot(page, f"figures-dashboard-{name}")

        page.goto(f"/proposals/{figures['p135'].pk}/")
        shown = page.text_content("[data-testid=feedback]")
        assert "基本满意" in shown and "办理工作 满意" in shown
        screenshot(page, f"figures-proposal-{name}")

        page.goto(f"/proposals/{figures['p141'].pk}/")
        assert page.locator(".extension-request input[name=hard_due_on]").count() == 1
        screenshot(page, f"figures-extension-{name}")
