"""The member's loop in a real browser: a member writes a proposal online and invites a co-signer, who confirms
from her own account; the office registers and assigns it; the department replies; the office releases the reply;
both proposers rate it, one 不满意, which reopens the assignment for re-handling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proposals.member_accounts import member_account_create
from proposals.models import Assignment, Notification, Proposal, User
from proposals.services import user_create
from replies.models import Feedback, Reply
from replies.services import reply_parse
from tests.factories import DepartmentFactory, MemberFactory, SessionFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "关于加快高新技术产业发展的建议"


@pytest.fixture
def loop(media_root):
    today = timezone.localdate()
    session = SessionFactory(name="十三届四次会议", opened_on=today - timedelta(days=20),
                             submission_opens_on=today - timedelta(days=5), submission_closes_on=today + timedelta(days=20))
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发"])
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, first_name="李科员",
                department=kjt)
    li = MemberFactory(name="李秀玉", email="li@example.org")
    chen = MemberFactory(name="陈晓梅", email="chen@example.org")
    member_account_create(member=li, username="lixiuyu", password="lixiuyu-pass-2026")
    member_account_create(member=chen, username="chenxiaomei", password="chen-pass-2026")
    return {"session": session, "kjt": kjt, "li": li, "chen": chen}


def flash(page) -> str:
    return page.text_content(".messages")


def rate(page, reply_pk, *, rating, handling, outcome, comment=""):
    form = f"[data-testid=rate-form][action$='/replies/{reply_pk}/rate/']"
    page.check(f"{form} input[name=rating][value={rating}]")
    page.check(f"{form} input[name=handling_rating][value={handling}]")
    page.check(f"{form} input[name=outcome_rating][value={outcome}]")
    if comment:
        page.fill(f"{form} textarea[name=comment]", comment)
    page.click(f"{form} button")


def test_a_member_submits_with_a_co_signer_the_office_and_department_answer_and_both_rate(
        page, loop, log_in, both_widths, tmp_path, mailoutbox):
    # the lead proposer writes the draft, attaches a file and invites a co-signer
    log_in(page, "lixiuyu", "lixiuyu-pass-2026")
    assert page.url.endswith("/my/")
    both_widths(page, "member-home-empty")
    page.click("[data-testid=new-draft]")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=category]", "economy")
    page.fill("textarea[name=body]", "建议设立高新技术产业发展专项资金，支持科技企业孵化基地建设。")
    page.set_input_files("input[name=files]", files=[{"name": "调研报告.pdf", "mimeType": "application/pdf",
                                                      "buffer": text_pdf([["调研报告"]])}])
    both_widths(page, "member-draft-form")
    page.click("[data-testid=save-draft]")
    page.wait_for_url("**/my/drafts/*/")
    page.select_option("select[name=member]", label="陈晓梅")
    page.click("[data-testid=invite]")
    page.wait_for_selector(".messages >> text=已发出联名邀请")
    assert "陈晓梅 尚未确认" in page.text_content("[data-testid=submit-blocked]")
    assert page.is_disabled("[data-testid=submit-draft]")
    both_widths(page, "member-draft-invited")

    # the co-signer confirms from her own account
    log_in(page, "chenxiaomei", "chen-pass-2026")
    assert "联名邀请" in page.text_content("main")
    page.click(f"main a:has-text('{TITLE}')")
    both_widths(page, "member-cosign-invitation")
    page.click("[data-testid=confirm-cosign]")
    page.wait_for_selector(".messages >> text=已确认联名")
    assert page.text_content("[data-testid=cosigner-status]").strip() == "已确认联名"

    # the lead submits, through the confirmation step
    log_in(page, "lixiuyu", "lixiuyu-pass-2026")
    page.click("[data-testid=draft-link]")
    page.click("[data-testid=submit-draft]")
    page.wait_for_selector("[data-testid=confirm]")
    assert "陈晓梅" in page.text_content("[data-testid=confirm]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_url("**/my/proposals/*/")
    proposal = Proposal.objects.get(title=TITLE)
    assert page.text_content("[data-testid=status]").strip() == "已提交"
    assert [link.member.name for link in proposal.proposer_links.all()] == ["李秀玉", "陈晓梅"]

    # the office finds it in its inbox, registers and assigns it
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/proposals/todo/")
    assert TITLE in page.text_content("[data-testid=online]")
    both_widths(page, "staff-todo-online")
    page.click("[data-testid=review-online]")
    assert "调研报告.pdf" in page.text_content(".facts")
    page.click(f"form[action='/proposals/{proposal.pk}/register/'] button")
    page.wait_for_selector(".messages >> text=已立案")
    assign = f"form[action='/proposals/{proposal.pk}/assign/']"
    page.select_option(f"{assign} select[name=department]", label="吉林省科学技术厅")
    page.select_option(f"{assign} select[name=role]", "lead")
    page.click(f"{assign} button")
    page.wait_for_selector(".messages >> text=已交办给")
    assignment = Assignment.objects.get(proposal=proposal)

    # the department uploads its reply and submits it
    today = timezone.localdate()
    log_in(page, "kjt", "kjt-pass-2026")
    page.goto(f"/replies/upload/{assignment.pk}/")
    page.set_input_files("input[name=file]", files=[{"name": "答复.pdf", "mimeType": "application/pdf", "buffer": text_pdf([[
        f"关于省政协十三届四次会议第{proposal.number}号委员提案的答复", "吉科发〔2026〕5号", "李秀玉、陈晓梅委员：",
        f"您提出的《{TITLE}》收悉，现答复如下：", "我厅已会同有关部门研究设立专项资金的可行性。",
        "吉林省科学技术厅", f"{today.year}年{today.month}月{today.day}日"]])}])
    page.fill("input[name=doc_number]", "吉科发〔2026〕5号")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/replies/*/")
    reply = Reply.objects.get(assignment=assignment)
    if Reply.objects.get(pk=reply.pk).parse_status != Reply.ParseStatus.PARSED:
        reply_parse(reply_id=reply.pk)  # what the worker does
    page.reload()
    page.click("[data-testid=submit]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_url("**/replies/*/")
    assert Reply.objects.get(pk=reply.pk).submitted_at is not None

    # the member sees nothing of it before the office releases it
    log_in(page, "lixiuyu", "lixiuyu-pass-2026")
    page.goto(f"/my/proposals/{proposal.pk}/")
    assert page.locator("[data-testid=reply]").count() == 0
    assert "吉林省科学技术厅" in page.text_content("[data-testid=assignments]")
    assert page.goto(f"/replies/{reply.pk}/").status == 404

    # the office releases it
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{reply.pk}/")
    if page.locator("[data-testid=accept-remaining]").count():
        page.click("[data-testid=accept-remaining]")
        page.wait_for_selector(".messages >> text=已采纳其余")
    page.select_option("[data-testid=release-form] select[name=category]", "B")
    page.click("[data-testid=release]")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已审核发布")
    assert sorted(tuple(m.to) for m in mailoutbox if "答复" in m.subject) == [("chen@example.org",),
                                                                            ("li@example.org",)]

    # the lead proposer is told, reads the reply and rates it 满意
    log_in(page, "lixiuyu", "lixiuyu-pass-2026")
    assert page.text_content("[data-testid=nav-notifications]").split() == ["通知", "3"]
    page.goto("/my/notifications/")
    kinds = [n.strip() for n in page.locator("[data-testid=notification] strong").all_text_contents()]
    assert kinds == ["答复已发布", "已交办", "已立案"]
    both_widths(page, "member-notifications")
    page.goto(f"/my/proposals/{proposal.pk}/")
    assert "吉科发〔2026〕5号" in page.text_content("[data-testid=reply]")
    assert page.request.get(f"/my/replies/{reply.pk}/file/").body()[:5] == b"%PDF-"
    both_widths(page, "member-proposal-reply")
    rate(page, reply.pk, rating="satisfied", handling="satisfied", outcome="basically")
    page.wait_for_selector(".messages >> text=已提交评价")
    assert page.locator("[data-testid=rate-form]").count() == 0

    # the co-signer rates it 不满意 with her reason: the department handles it again
    log_in(page, "chenxiaomei", "chen-pass-2026")
    page.goto(f"/my/proposals/{proposal.pk}/")
    assert "李秀玉：满意" in page.text_content("[data-testid=reply]")
    rate(page, reply.pk, rating="unsatisfied", handling="basically", outcome="unsatisfied",
         comment="未说明专项资金的规模和时间表")
    page.wait_for_selector("[data-testid=confirm]")
    both_widths(page, "member-rate-unsatisfied-confirm")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=承办单位将重新办理")
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.REOPENED
    assert {(f.member.name, f.rating, f.recorded_by.username) for f in Feedback.objects.all()} == {
        ("李秀玉", "satisfied", "lixiuyu"), ("陈晓梅", "unsatisfied", "chenxiaomei")}
    timeline = page.text_content("[data-testid=timeline]")
    assert "重新办理 · 吉林省科学技术厅" in timeline and "未说明专项资金的规模和时间表" in timeline
    both_widths(page, "member-proposal-rehandling")
    assert Notification.objects.filter(user__username="chenxiaomei", kind="cosign_invited").exists()
