"""A proposal handled only by 分办 departments, in a real browser: each department answers its own part, and the
proposal is 已答复 only when both have; then the office closes it."""

import pytest

from proposals.models import Assignment, Proposal, User
from proposals.services import user_create
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def answer(page, tmp_path, assignment, doc_number):
    """The department uploads its reply to its own part (a draft) and submits it, confirming the step."""
    pdf = tmp_path / f"{doc_number}.pdf"
    pdf.write_bytes(text_pdf([["关于第88号提案的答复", f"{doc_number}", "我单位负责部分已办理完毕。"]]))
    page.goto(f"/proposals/{assignment.proposal_id}/")
    page.click(f"a[href='/replies/upload/{assignment.pk}/']")
    page.set_input_files("input[name=file]", str(pdf))
    page.fill("input[name=doc_number]", doc_number)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/replies/*/")
    page.click("[data-testid=submit]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_url("**/replies/*/")


def test_a_proposal_handled_only_by_separate_departments_is_answered_and_closed(page, media_root, tmp_path,
                                                                                  screenshot, log_in):
    proposal = ProposalFactory(number=88, title="关于城乡供水一体化的建议", status=Proposal.Status.ASSIGNED)
    water, housing = DepartmentFactory(name="吉林省水利厅"), DepartmentFactory(name="吉林省住房和城乡建设厅")
    parts = [AssignmentFactory(proposal=proposal, department=department, role=Assignment.Role.SEPARATE)
             for department in (water, housing)]
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF, all_committees=True)
    user_create(username="water", password="water-pass-2026", role=User.Role.DEPARTMENT, department=water)
    user_create(username="housing", password="housing-pass-2026", role=User.Role.DEPARTMENT, department=housing)

    log_in(page, "water", "water-pass-2026")
    answer(page, tmp_path, parts[0], "吉水发〔2022〕1号")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED  # the other part is not answered yet

    log_in(page, "housing", "housing-pass-2026")
    answer(page, tmp_path, parts[1], "吉建发〔2022〕2号")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    assert set(Assignment.objects.filter(proposal=proposal).values_list("status", flat=True)) == {"replied"}

    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/proposals/{proposal.pk}/")
    assert page.text_content("[data-testid=status]").strip() == "已答复"
    page.click(f"form[action='/proposals/{proposal.pk}/close/'] button")
    page.click("[data-testid=confirm-button]")
    page.wait_for_load_state()
    page.goto(f"/proposals/{proposal.pk}/")
    assert page.text_content("[data-testid=status]").strip() == "已办结"
    screenshot(page, "separate-only-closed")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED
    assert set(Assignment.objects.filter(proposal=proposal).values_list("status", flat=True)) == {"closed"}
