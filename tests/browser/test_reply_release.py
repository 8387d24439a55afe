"""Releasing, resolving and withdrawing replies in a real browser: every irreversible step goes through the
confirmation page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from indicators.models import Indicator
from proposals.models import Assignment, Proposal, User
from proposals.services import user_create
from replies.models import Reply
from replies.services import reply_attach, reply_import, reply_parse, reply_submit, reply_upload
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, SessionFactory
from tests.pdfs import text_pdf

DEMO_PDF = Path(__file__).resolve().parents[2] / "proposals" / "demo" / "jl-kjt-2022-108.pdf"
pytestmark = pytest.mark.django_db(transaction=True)

COUNTY_REPLY = [["关于省政协十二届五次会议第56号委员提案的答复", "安交函〔2022〕3号", "王委员：",
                 "您提出的《关于改善农村公路的建议》收悉，现答复如下：", "2022年新建农村公路12公里，投入资金5000万元。",
                 "下一步，将持续推进农村公路建设。", "安图县交通运输局", "2022年6月1日"]]


@pytest.fixture
def office(media_root):
    today = timezone.localdate()
    session = SessionFactory(name="十二届五次会议")
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发"])
    staff = user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                        all_committees=True, first_name="张干事")
    dept = user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, first_name="李科员",
                       department=kjt)
    a135 = AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=135,
                                                                     title="关于加快高新技术产业的建议"),
                             assigned_on=today - timedelta(days=60))
    a140 = AssignmentFactory(department=kjt, proposal=ProposalFactory(session=session, number=140,
                                                                     title="关于支持民营企业参与科技创新的建议",
                                                                     status=Proposal.Status.ASSIGNED),
                             assigned_on=today - timedelta(days=60))
    return {"kjt": kjt, "staff": staff, "dept": dept, "a135": a135, "a140": a140}


def submitted_135(office) -> Reply:
    with DEMO_PDF.open("rb") as handle:
        reply = reply_upload(assignment=office["a135"], file=SimpleUploadedFile(DEMO_PDF.name, handle.read()),
                             uploaded_by=office["dept"])
    reply_parse(reply_id=reply.pk)
    return reply_submit(reply=reply, by=office["dept"])


def test_release_with_pending_rows_accept_all_then_release(page, office, log_in, both_widths):
    reply = submitted_135(office)
    pending = reply.indicators.count() + reply.commitments.count()
    first = reply.indicators.order_by("start").first()
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    page.click(f"#row-i-{first.pk} [data-action=reject]")
    page.wait_for_selector(f"#row-i-{first.pk}.rejected")
    page.reload()
    assert page.text_content("[data-testid=pending-count]").strip() == f"仍有 {pending - 1} 条提取内容待审核"
    both_widths(page, "reply-release-pending")

    page.click("[data-testid=release]")  # the reason is required: the browser does not post
    assert page.url.endswith(f"/replies/{reply.pk}/") and Reply.objects.get(pk=reply.pk).released_at is None

    page.click("[data-testid=accept-remaining]")
    page.wait_for_selector(".messages >> text=已采纳其余")
    assert page.locator("[data-testid=pending-gate]").count() == 0
    assert not reply.indicators.filter(review_status="pending").exists()
    assert Indicator.objects.get(pk=first.pk).review_status == "rejected"  # settled rows stay as reviewed

    page.select_option("select[name=category]", "A")  # the first choice needs no reason
    page.click("[data-testid=release]")
    page.wait_for_selector("[data-testid=confirm]")
    assert "发布后不能撤回" in page.text_content("[data-testid=confirm]")
    both_widths(page, "confirm-release")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已审核发布")
    reply.refresh_from_db()
    assert reply.released_at is not None and reply.category == "A"
    assert reply.events.get(kind="released").data == {"pending": 0}


def test_release_with_pending_rows_and_a_reason_keeps_the_reason(page, office, log_in):
    reply = submitted_135(office)
    pending = reply.indicators.count() + reply.commitments.count()
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    page.fill("[data-testid=pending-reason]", "主任已审阅原文，指标随后逐条核实")
    page.click("[data-testid=release]")
    page.wait_for_selector("[data-testid=confirm]")
    assert f"仍有 {pending} 条提取内容待审核" in page.text_content("[data-testid=confirm]")
    page.click("[data-testid=confirm-cancel]")  # 取消 goes back and changes nothing
    page.wait_for_url(f"**/replies/{reply.pk}/")
    assert Reply.objects.get(pk=reply.pk).released_at is None

    page.fill("[data-testid=pending-reason]", "主任已审阅原文，指标随后逐条核实")
    page.click("[data-testid=release]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已审核发布")
    event = Reply.objects.get(pk=reply.pk).events.get(kind="released")
    assert event.data == {"pending": pending} and event.note == "主任已审阅原文，指标随后逐条核实"
    assert "主任已审阅原文，指标随后逐条核实" in page.text_content("[data-testid=reply-events]")


def county_reply_on_140(office, tmp_path) -> Reply:
    path = tmp_path / "county.pdf"
    path.write_bytes(text_pdf(COUNTY_REPLY))
    reply, _ = reply_import(path=path, uploaded_by=office["staff"])
    reply_parse(reply_id=reply.pk)
    return reply_attach(reply=reply, assignment=office["a140"], by=office["staff"])


def test_a_mismatched_reply_cannot_be_released_until_each_mismatch_is_confirmed(page, office, tmp_path, log_in,
                                                                                 both_widths):
    reply = county_reply_on_140(office, tmp_path)
    assert len(reply.mismatches) == 3
    Reply.objects.filter(pk=reply.pk).update(category="B")
    reply.indicators.update(review_status="accepted")
    reply.commitments.update(review_status="accepted")
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    assert "3 项不一致" in page.text_content("[data-testid=release-blocked]")
    assert page.is_disabled("[data-testid=release]")
    both_widths(page, "reply-mismatch-blocked")

    for _ in range(3):
        item = page.locator("[data-testid=mismatch-open]").first
        item.locator("input[name=reason]").fill("经电话核实，该局代县政府答复第140号提案")
        item.locator("button").click()
        page.wait_for_selector(".messages >> text=已确认该项不一致")
    assert page.locator("[data-testid=mismatch-confirmed]").count() == 3
    assert "张干事" in page.text_content("[data-testid=mismatches]")
    page.click("[data-testid=release]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已审核发布")
    assert Reply.objects.get(pk=reply.pk).released_at is not None


def test_a_mismatched_reply_is_detached_to_the_unmatched_replies(page, office, tmp_path, log_in):
    reply = county_reply_on_140(office, tmp_path)
    assignment = Assignment.objects.get(pk=office["a140"].pk)
    assert assignment.status == Assignment.Status.REPLIED
    assert assignment.proposal.status == Proposal.Status.REPLIED
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    page.click(".detach summary")
    page.fill("[data-testid=detach-form] input[name=reason]", "是安图县第56号提案的答复")
    page.click("[data-testid=detach-form] button")
    page.wait_for_selector("[data-testid=confirm]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已移出交办")
    reply.refresh_from_db()
    assert reply.assignment is None and reply.match_status == "unmatched"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    assert assignment.proposal.status == Proposal.Status.ASSIGNED
    assert "是安图县第56号提案的答复" in page.text_content("[data-testid=reply-events]")


def test_a_department_withdraws_its_upload_and_uploads_the_next_version(page, office, log_in, both_widths):
    log_in(page, "kjt", "kjt-pass-2026")
    page.goto(f"/replies/upload/{office['a135'].pk}/")
    page.set_input_files("input[name=file]", files=[{"name": "wrong.pdf", "mimeType": "application/pdf",
                                                     "buffer": text_pdf(COUNTY_REPLY)}])
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=draft]")
    reply = Reply.objects.get(assignment=office["a135"])
    assert Assignment.objects.get(pk=office["a135"].pk).status == Assignment.Status.SIGNED  # upload signs for it
    reply_parse(reply_id=reply.pk)  # what the worker does
    page.reload()
    assert page.locator("[data-testid=submit]").count() == 0  # its mismatches block submission
    assert "传错了文件请撤回此版本" in page.text_content("[data-testid=draft]")
    page.click(".withdraw summary")
    both_widths(page, "reply-draft-department")
    page.fill("[data-testid=withdraw-form] textarea[name=reason]", "误传了安图县的答复")
    page.click("[data-testid=withdraw-form] button")
    page.wait_for_selector("[data-testid=confirm]")
    both_widths(page, "confirm-withdraw")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector("[data-testid=withdrawn]")
    assert "误传了安图县的答复" in page.text_content("[data-testid=withdrawn]")
    both_widths(page, "reply-withdrawn")
    reply.refresh_from_db()
    assert reply.is_withdrawn and reply.submitted_at is None

    page.goto(f"/replies/upload/{office['a135'].pk}/")
    page.set_input_files("input[name=file]", str(DEMO_PDF))
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=draft]")
    assert "第2版" in page.text_content("h1")
    assert Assignment.objects.get(pk=office["a135"].pk).status == Assignment.Status.SIGNED
