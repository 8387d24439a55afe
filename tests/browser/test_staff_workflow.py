"""A staff member's day, in a real browser: filter, review a reply's rows, export."""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Commitment, Indicator
from proposals.models import User
from proposals.services import user_create
from replies.services import reply_parse, reply_submit, reply_upload
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, SessionFactory

DEMO_PDF = Path(__file__).resolve().parents[2] / "proposals" / "demo" / "jl-kjt-2022-108.pdf"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(media_root):
    today = timezone.localdate()
    session = SessionFactory(name="十二届五次会议")
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发"])
    jyt = DepartmentFactory(name="吉林省教育厅", short_name="省教育厅")
    staff = user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                        all_committees=True, first_name="张干事")
    p135 = AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=135,
                                                                     title="关于加快高新技术产业的建议"),
                             assigned_on=today - timedelta(days=120))
    AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=140, title="关于科技金融的建议"),
                      assigned_on=today - timedelta(days=100))
    AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=141, title="关于科研诚信的建议"),
                      assigned_on=today - timedelta(days=10))
    AssignmentFactory(department=jyt, proposal=ProposalFactory(session=session, number=136, title="关于职业教育的建议"),
                      assigned_on=today - timedelta(days=200))
    with DEMO_PDF.open("rb") as handle:
        reply = reply_upload(assignment=p135, file=SimpleUploadedFile(DEMO_PDF.name, handle.read()), uploaded_by=staff)
    reply_parse(reply_id=reply.pk)
    reply = reply_submit(reply=reply, by=staff)  # an upload is a draft until submitted
    AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=142, title="关于人才引进的建议"),
                      assigned_on=today - timedelta(days=95))
    return {"kjt": kjt, "reply": reply, "staff": staff}


def test_staff_filter_review_and_export_in_the_browser(page, office, screenshot, tmp_path):
    reply = office["reply"]

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "clerk-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/proposals/")
    assert "张干事" in page.text_content("header")

    page.select_option("select[name=department]", str(office["kjt"].pk))
    page.check("input[name=overdue]")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**overdue=on**")
    shown = sorted(int(n) for n in page.locator("#proposal-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.number)"))
    assert shown == [140, 142]  # 135 is replied, 141 not yet due, 136 belongs to another department
    screenshot(page, "proposals-list")

    page.goto(f"/replies/{reply.pk}/")
    marked = page.locator("#reply-text mark.hl-i").evaluate_all("marks => marks.map(m => m.dataset.row)")
    assert len(set(marked)) == reply.indicators.count() > 50  # a row crossing a commitment's edge is in pieces
    first, second = reply.indicators.order_by("start")[:2]
    page.click(f"#row-i-{first.pk} [data-action=accept]")
    page.wait_for_selector(f"#row-i-{first.pk}.accepted")
    assert Indicator.objects.get(pk=first.pk).review_status == "accepted"

    page.click(f"#row-i-{second.pk} [data-action=edit]")
    page.fill(f"#row-i-{second.pk} input[name=value]", "2978.5")
    page.fill(f"#row-i-{second.pk} input[name=metric]", "企业R&D投入补助")
    page.click(f"#row-i-{second.pk} button[type=submit]")
    page.wait_for_selector(f"#row-i-{second.pk}.edited")
    edited = Indicator.objects.get(pk=second.pk)
    assert (edited.review_status, edited.value, edited.metric) == ("edited", Decimal("2978.5"), "企业R&D投入补助")

    commitment = reply.commitments.order_by("start").first()
    page.click(f"#row-c-{commitment.pk}")
    assert page.locator(f"#t-c-{commitment.pk}.selected").count() == 1  # its text is highlighted
    page.keyboard.press("r")  # the keyboard shortcut for reject
    page.wait_for_selector(f"#row-c-{commitment.pk}.rejected")
    assert Commitment.objects.get(pk=commitment.pk).review_status == "rejected"
    screenshot(page, "reply-review")

    page.goto(f"/proposals/?department={office['kjt'].pk}&overdue=on")
    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert sorted(row[1] for row in rows[1:]) == [140, 142]

    page.goto("/proposals/dashboard/")
    assert page.locator("[data-testid=overdue-chart] rect").count() == 2  # 省科技厅 and 省教育厅
    assert "吉林省科学技术厅" in page.text_content("#dashboard-table")
    screenshot(page, "dashboard")
