import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from proposals.catalogue import COLUMNS
from proposals.models import Proposal
from tests.factories import DepartmentFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("目录.xlsx", buffer.getvalue())


@pytest.fixture
def setup(db):
    session = SessionFactory(name="十二届五次会议")
    ProposalFactory(session=session, number=7)
    DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅")
    DepartmentFactory(name="吉林省财政厅")
    return session


ROWS = [
    ["十二届五次会议", 135, "关于加快高新技术产业的建议", "经济建设", "2022-01-16", "大会期间", "李秀玉、张建华",
     "省科技厅", "吉林省财政厅", "2022-04-01", "是", ""],
    ["十二届九次会议", 136, "未知届次", "", "", "", "王丽娟", "", "", "", "", ""],
    ["十二届五次会议", 7, "重复的号", "", "", "", "王丽娟", "", "", "", "", ""],
    ["十二届五次会议", 137, "", "", "", "", "王丽娟", "", "", "", "", ""],
    ["十二届五次会议", 138, "未知单位", "", "", "", "王丽娟", "吉林省不存在厅", "", "", "", ""],
    ["十二届五次会议", 135, "文件内重复", "", "", "", "王丽娟", "", "", "", "", ""],
    ["十二届五次会议", "第139号", "只立案不交办", "", "2022/1/18", "闭会期间", "赵国庆", "", "", "", "", ""],
]


def test_preview_lists_errors_per_row_and_saves_nothing(client, staff_user, setup):
    client.force_login(staff_user)
    response = client.post(reverse("proposals:import"), {"file": workbook(ROWS)})
    rows = {row.line: row for row in response.context["rows"]}
    assert rows[2].ok and rows[8].ok
    assert "未知届次会议" in rows[3].errors[0]
    assert "提案号重复" in rows[4].errors[0]
    assert rows[5].errors == ["缺少案由"]
    assert "未知承办单位" in rows[6].errors[0]
    assert "提案号重复" in rows[7].errors[0]
    assert (response.context["good"], response.context["bad"]) == (2, 5)
    assert Proposal.objects.count() == 1


def test_confirm_saves_the_good_rows_registered_and_assigned(client, staff_user, setup):
    client.force_login(staff_user)
    preview = client.post(reverse("proposals:import"), {"file": workbook(ROWS)})
    response = client.post(reverse("proposals:import"), {"token": preview.context["token"]})
    assert response.status_code == 302
    created = Proposal.objects.get(session=setup, number=135)
    assert created.is_key and created.status == "assigned"
    assert [link.member.name for link in created.proposer_links.all()] == ["李秀玉", "张建华"]
    assert sorted(created.assignments.values_list("department__name", "role")) == [
        ("吉林省科学技术厅", "lead"), ("吉林省财政厅", "co")]
    registered = Proposal.objects.get(session=setup, number=139)
    assert (registered.status, registered.made_at, str(registered.submitted_on)) == (
        "registered", "interim", "2022-01-18")
    assert Proposal.objects.count() == 3


def test_a_token_of_another_user_or_a_non_excel_file_is_refused(client, staff_user, setup):
    from tests.factories import UserFactory

    client.force_login(staff_user)
    bad = client.post(reverse("proposals:import"), {"file": SimpleUploadedFile("x.xlsx", b"not excel")})
    assert "无法读取 Excel" in bad.context["error"]
    preview = client.post(reverse("proposals:import"), {"file": workbook(ROWS)})
    client.force_login(UserFactory(role="staff"))
    response = client.post(reverse("proposals:import"), {"token": preview.context["token"]})
    assert "预览已过期" in response.context["error"]
    assert Proposal.objects.count() == 1


def test_department_users_cannot_import(client, department_user, setup):
    client.force_login(department_user)
    assert client.post(reverse("proposals:import"), {"file": workbook(ROWS)}).status_code == 403


def test_the_template_has_the_columns(client, staff_user):
    client.force_login(staff_user)
    book = load_workbook(io.BytesIO(client.get(reverse("proposals:import-template")).content))
    assert next(book.active.iter_rows(values_only=True)) == tuple(COLUMNS)


def test_an_assignment_date_before_the_submission_is_an_error_of_its_row(client, staff_user, setup):
    client.force_login(staff_user)
    early = ["十二届五次会议", 140, "早于提交日期交办", "", "2022-03-01", "闭会期间", "赵国庆", "省科技厅", "",
             "2022-02-01", "", ""]
    response = client.post(reverse("proposals:import"), {"file": workbook([early])})
    (row,) = response.context["rows"]
    assert not row.ok and "不能早于提案提交日期 2022-03-01" in row.errors[0]
