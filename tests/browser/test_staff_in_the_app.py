"""Staff work in the app, not in the admin: log a proposal, clear the 待办 list; the department's queue says what
is going on. Screenshots at desktop and phone width."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import Assignment, Member, Proposal, User
from proposals.services import user_create
from replies.models import Reply
from replies.services import reply_import
from tests.factories import AssignmentFactory, DepartmentFactory, MemberFactory, ProposalFactory, SessionFactory

DEMO_PDF = Path(__file__).resolve().parents[2] / "proposals" / "demo" / "jl-kjt-2022-108.pdf"
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_log_a_proposal_with_two_proposers_and_an_attachment_then_register_it(page, media_root,
                                                                                     tmp_path, log_in, both_widths):
    session = SessionFactory(name="十二届五次会议")
    ProposalFactory(session=session, number=135, title="关于加快高新技术产业的建议")
    older = SessionFactory(name="十二届四次会议", opened_on=session.opened_on - timedelta(days=365))
    ProposalFactory(session=older, number=20)
    MemberFactory(name="李秀玉", sector="科学技术界")
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅")
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    attachment = tmp_path / "提案原件.pdf"
    attachment.write_bytes(DEMO_PDF.read_bytes())

    log_in(page, "clerk", "clerk-pass-2026")
    page.click("[data-testid=new-proposal]")
    page.wait_for_url("**/proposals/new/")
    assert page.input_value("input[name=number]") == "136"  # the next free number of the latest session
    page.select_option("select[name=session]", str(older.pk))
    assert page.input_value("input[name=number]") == "21"  # the number follows the session chosen
    page.select_option("select[name=session]", str(session.pk))
    assert page.input_value("input[name=number]") == "136"
    page.fill("input[name=number]", "135")  # a slip: 135 is taken
    page.fill("input[name=title]", "关于发展冰雪经济的建议")
    page.check("input[name=made_at][value=interim]")
    page.select_option("select[name=category]", "economy")
    names = page.locator("input[name=proposer_name]")
    page.click("#add-proposer")
    assert names.count() == 4
    page.locator("[data-row-remove]").nth(3).click()
    assert names.count() == 3
    names.nth(0).fill("九三学社吉林省委员会")
    page.locator("select[name=proposer_kind]").nth(0).select_option("party")
    names.nth(1).fill("李秀玉")
    page.locator("[data-row-up]").nth(1).click()  # the member is the lead proposer: move him up
    page.fill("textarea[name=body]", "冰雪经济是吉林的优势产业。")
    page.set_input_files("input[name=attachments]", str(attachment))
    both_widths(page, "proposal-new")
    page.click("#proposal-form button[type=submit]")

    error = page.text_content(".errorlist")
    assert "已有第135号提案《关于加快高新技术产业的建议》" in error and "下一个可用的提案号是 136" in error
    assert page.input_value("input[name=title]") == "关于发展冰雪经济的建议"
    assert [page.input_value(f"input[name=proposer_name] >> nth={i}") for i in range(2)] == [
        "李秀玉", "九三学社吉林省委员会"]
    assert "提案原件.pdf" in page.text_content("[data-testid=pending-attachment]")
    both_widths(page, "proposal-new-error")
    page.fill("input[name=number]", "136")
    page.click("#proposal-form button[type=submit]")
    page.wait_for_url("**/proposals/*/")

    proposal = Proposal.objects.get(session=session, number=136)
    assert [(link.member.name, link.member.kind) for link in proposal.proposer_links.select_related("member")] == [
        ("李秀玉", Member.Kind.PERSON), ("九三学社吉林省委员会", Member.Kind.PARTY)]
    assert Member.objects.filter(name="李秀玉").count() == 1
    assert proposal.made_at == Proposal.MadeAt.INTERIM
    assert page.text_content("[data-testid=status]") == "已提交"
    href = page.get_attribute("dd.attachments a:text-is('提案原件.pdf')", "href")
    served = page.request.get(href)  # with the page's session: the permission-checked view
    assert served.ok and served.body() == DEMO_PDF.read_bytes()

    page.click("button:text-is('立案')")
    page.wait_for_selector("[data-testid=status]:text-is('已立案')")
    page.select_option("select[name=department]", str(kjt.pk))
    page.fill("input[name=assigned_on]", timezone.localdate().isoformat())
    page.click("form[action$='/assign/'] button")
    page.wait_for_selector("[data-testid=status]:text-is('已交办')")
    assert Assignment.objects.get(proposal=proposal).department == kjt
    page.click("[data-testid=history] summary")
    history = page.text_content("[data-testid=history]")
    assert "状态：已提交 → 已立案" in history and "状态：已立案 → 已交办" in history
    assert "提案号：136" in history  # the new proposal's key values
    both_widths(page, "proposal-history")


def test_staff_attach_an_unmatched_import_from_the_todo_page(page, media_root, log_in, both_widths):
    today = timezone.localdate()
    session = SessionFactory(name="十二届五次会议")
    # the archive names 吉林省科学技术厅, which this office knows as 省科技厅 with no 文号 prefix: no match
    kjt = DepartmentFactory(name="吉林省科技厅", short_name="省科技厅", doc_prefixes=[])
    target = AssignmentFactory(department=kjt, status="signed", assigned_on=today - timedelta(days=60),
                               proposal=ProposalFactory(session=session, number=135,
                                                        title="关于加快高新技术产业的建议"))
    dept = user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, department=kjt)
    extended = AssignmentFactory(department=kjt, assigned_on=today - timedelta(days=3),
                                 proposal=ProposalFactory(session=session, number=140, title="关于科技金融的建议"))
    services.extension_request(assignment=extended, requested_due_on=extended.due_on + timedelta(days=30),
                               reason="需与财政厅协调资金", by=dept)
    returning = AssignmentFactory(department=kjt, assigned_on=today - timedelta(days=2),
                                  proposal=ProposalFactory(session=session, number=141, title="关于冰雪旅游的建议"))
    services.assignment_request_return(assignment=returning, reason="属文化和旅游厅职责", by=dept)
    AssignmentFactory(department=kjt, assigned_on=today - timedelta(days=30),
                      proposal=ProposalFactory(session=session, number=142, title="关于人才引进的建议"))
    reply, refused = reply_import(path=DEMO_PDF)
    assert not refused
    reply.refresh_from_db()
    assert reply.assignment is None and reply.match_status == Reply.Match.UNMATCHED
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")

    log_in(page, "clerk", "clerk-pass-2026")
    page.click("[data-testid=nav-todo]")
    page.wait_for_url("**/proposals/todo/")
    counts = {name: page.text_content(f"[data-count={name}]") for name in
              ("to_review", "to_release", "extensions", "return_requests", "unmatched")}
    assert counts == {"to_review": "0", "to_release": "0", "extensions": "1", "return_requests": "1",
                      "unmatched": "1"}
    assert "需与财政厅协调资金" in page.text_content("[data-testid=extensions]")
    row = page.locator(f"[data-testid=unmatched] tr[data-reply='{reply.pk}']")
    assert "未找到承办单位" in row.text_content()
    assert row.locator("input[name=number]").input_value() == "135"  # read from the reply's header
    both_widths(page, "staff-todo")

    assert row.locator("input[name=department]").input_value() == ""  # 吉林省科学技术厅 is not a name known here
    row.locator("button").click()
    page.wait_for_selector(".messages .success")
    assert "已将答复归入" in page.text_content(".messages")
    reply.refresh_from_db()
    assert reply.assignment == target and reply.match_status == Reply.Match.MATCHED
    assert page.text_content("[data-count=unmatched]") == "0"
    assert page.text_content("[data-count=to_review]") == "1"  # its rows wait for review now

    page.context.clear_cookies()
    log_in(page, "kjt", "kjt-pass-2026")
    page.wait_for_url("**/proposals/queue/")
    assert "延期申请中" in page.text_content(f"tr[data-assignment='{extended.pk}']")
    assert "退回申请中" in page.text_content(f"tr[data-assignment='{returning.pk}']")
    both_widths(page, "department-queue")
