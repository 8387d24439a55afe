"""What a supervisor and a department see of the role boundaries: the admin's history shows a past version with no
way to restore it; a department's history panel holds only its own assignment. Screenshots at desktop and phone
width."""

import pytest

from proposals.models import User
from proposals.services import user_create
from tests.factories import AssignmentFactory, DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_supervisor_reads_an_assignments_past_version_in_the_admin_without_a_restore_button(page, log_in, both_widths):
    assignment = AssignmentFactory(department=DepartmentFactory(name="吉林省科学技术厅"))
    assignment.department = DepartmentFactory(name="吉林省教育厅")
    assignment.save()
    oldest = assignment.history.order_by("history_date").first()
    user_create(username="duban", password="duban-pass-2026", role=User.Role.SUPERVISOR,
                all_committees=True, first_name="李处长")
    log_in(page, "duban", "duban-pass-2026")
    page.goto(f"/admin/proposals/assignment/{assignment.pk}/history/{oldest.history_id}/")
    assert page.locator("input[type=submit], button[type=submit]").filter(has_text="恢复").count() == 0
    assert "吉林省科学技术厅" in page.content()
    both_widths(page, "admin-history-form-supervisor")


def test_a_department_sees_only_its_own_assignment_in_the_proposal_history(page, log_in, both_widths):
    kjt = DepartmentFactory(name="吉林省科学技术厅")
    ours = AssignmentFactory(department=kjt, proposal__title="关于加快高新技术产业的建议")
    other = AssignmentFactory(proposal=ours.proposal, role="separate", department=DepartmentFactory(name="吉林省教育厅"))
    other.due_override_reason = "教育厅内部协调"
    other.save()
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, department=kjt,
                first_name="王科")
    log_in(page, "kjt", "kjt-pass-2026")
    page.goto(f"/proposals/{ours.proposal_id}/")
    body = page.content()
    assert "吉林省教育厅" not in body and "教育厅内部协调" not in body
    both_widths(page, "proposal-history-department")
