"""A department reports a commitment kept from its queue, with a note and evidence; staff confirm it."""

from pathlib import Path

import pytest

from indicators.models import Commitment
from proposals.models import User
from proposals.services import user_create
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, ReleasedReplyFactory

EVIDENCE = Path(__file__).resolve().parents[2] / "proposals" / "demo" / "jl-kjt-2022-108.pdf"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def followed(media_root):
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅")
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, first_name="王科",
                department=kjt)
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    reply = ReleasedReplyFactory(assignment=AssignmentFactory(
        department=kjt, proposal=ProposalFactory(number=135, title="关于加快高新技术产业的建议")))
    kept = Commitment.objects.create(reply=reply, text="力争到2024年，全省建设50个科技企业孵化基地。", start=0, end=10,
                                     review_status="accepted", follow_up_on=reply.reply_date)
    Commitment.objects.create(reply=reply, text="下一步，将持续加大研发投入补助力度。", start=20, end=30,
                              review_status="accepted")
    Commitment.objects.create(reply=reply, text="将适时出台科技成果转化专项政策。", start=40, end=50)
    return kept


def test_a_department_reports_a_commitment_kept_and_staff_confirm_it(page, followed, log_in, both_widths):
    log_in(page, "kjt", "kjt-pass-2026")
    page.goto("/proposals/queue/")
    row = page.locator(f"#queue-commitments tr[data-commitment='{followed.pk}']")
    assert "待跟踪" in row.text_content()
    page.locator("#commitments").scroll_into_view_if_needed()
    both_widths(page, "commitments-queue")

    row.locator("a", has_text="报告进展").click()
    page.wait_for_selector("[data-testid=report-form]")
    page.select_option("select[name=status]", "reported")
    page.fill("textarea[name=note]", "截至2024年底已建成52个科技企业孵化基地，验收材料见附件。")
    page.set_input_files("input[name=file]", str(EVIDENCE))
    both_widths(page, "commitment-report-form")
    page.click("[data-testid=report-form] button")
    page.wait_for_url("**/proposals/queue/")
    assert "等待提案办确认" in page.text_content(".messages")
    assert "待提案办确认" in page.locator(f"#queue-commitments tr[data-commitment='{followed.pk}']").text_content()
    page.click("header form[action$='/logout/'] button")

    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/proposals/queue/")
    page.locator(f"#queue-commitments tr[data-commitment='{followed.pk}'] a").click()
    page.wait_for_selector("[data-testid=confirm-form]")
    assert "截至2024年底已建成52个" in page.text_content("#commitment-history")
    with page.expect_popup() as popup:
        page.click("[data-testid=evidence-file]")
    evidence = popup.value
    assert evidence.url.endswith("/file/")
    evidence.close()
    page.click("[data-testid=confirm-form] button[value=confirm]")
    page.wait_for_url("**/rows/commitments/")
    followed.refresh_from_db()
    assert followed.follow_up_status == "kept"

    row = page.locator(f"#commitment-table tr[data-commitment='{followed.pk}']")
    assert "已兑现" in row.locator(".follow-up-state").text_content()
    assert "已采纳" in row.locator(".review-state").text_content()
    unreviewed = page.locator("#commitment-table tr.unreviewed")
    assert unreviewed.count() == 1 and "未审核" in unreviewed.text_content()
    both_widths(page, "commitments-follow-up-list")
    page.goto(f"/rows/commitments/{followed.pk}/")
    assert page.locator("[data-testid=report]").count() == 2
    assert page.text_content("[data-testid=follow-up-state]").strip() == "已兑现"
    both_widths(page, "commitment-detail")
