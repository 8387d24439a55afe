"""Publishing a reply in a real browser: staff check it for personal data, review the proposed redactions, add one
of their own by selecting text, publish; an anonymous visitor then finds it on the public pages, and only it."""

from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from proposals.models import User
from proposals.services import user_create
from replies.models import Reply
from replies.services import reply_parse, reply_release, reply_submit, reply_upload
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, ReleasedReplyFactory, SessionFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)

REPLY_PAGES = [["关于省政协十二届五次会议第135号委员提案的答复", "吉科发〔2022〕108号", "李秀玉委员：",
                "您提出的《关于加快高新技术产业的建议》收悉，现答复如下：",
                "2022年我厅投入资金5000万元，支持科技企业孵化器建设。",
                "来信反映的企业负责人王五家住长春市朝阳区红旗街万达小区3栋2单元501室，已上门走访。",
                "下一步，将持续推进高新技术企业培育工作。"],
               ["吉林省科学技术厅", "2022年7月6日", "联系人：张三", "联系电话：0431-88776655"]]


@pytest.fixture
def released(media_root):
    session = SessionFactory(name="十二届五次会议")
    kjt = DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅", doc_prefixes=["吉科发"])
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    staff = User.objects.get(username="clerk")
    dept = user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, department=kjt)
    assignment = AssignmentFactory(department=kjt, assigned_on=timezone.localdate() - timedelta(days=60),
                                   proposal=ProposalFactory(session=session, number=135, category="science",
                                                            title="关于加快高新技术产业的建议"))
    reply = reply_upload(assignment=assignment, uploaded_by=dept,
                         file=SimpleUploadedFile("reply.pdf", text_pdf(REPLY_PAGES)))
    reply_parse(reply_id=reply.pk)
    reply = reply_submit(reply=reply, by=dept)
    reply_release(reply=reply, by=staff, pending_reason="指标随后核实")
    for number in range(3):  # released but never decided: not public
        ReleasedReplyFactory(assignment__proposal__session=session, assignment__proposal__title=f"未公开的提案{number}",
                             text="未公开的答复正文")
    return Reply.objects.get(pk=reply.pk)


def test_staff_review_redactions_and_publish_then_the_public_sees_only_that_reply(page, released, log_in,
                                                                                   both_widths):
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto(f"/replies/{released.pk}/")
    assert page.text_content("[data-testid=publication-state]").strip() == "尚未决定（不公开）"
    page.click("[data-testid=propose-redactions]")
    page.wait_for_selector(".messages >> text=已检查个人信息")
    proposed = page.locator("[data-testid=redaction]")
    texts = [proposed.nth(i).locator("td").first.text_content() for i in range(proposed.count())]
    assert "长春市朝阳区红旗街万达小区3栋2单元501室" in texts and "0431-88776655" in "".join(texts)
    assert page.is_disabled("[data-testid=publish]")
    page.locator("[data-testid=publication]").scroll_into_view_if_needed()
    both_widths(page, "publication-review")

    for _ in range(proposed.count()):
        page.locator("[data-testid=redaction-accept]").first.click()
        page.wait_for_selector(".messages >> text=已遮盖")
    # staff add the person's name by selecting it in the text
    page.evaluate("""() => {
        const box = document.getElementById('redaction-text');
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf('王五');
            if (at >= 0) { const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + 2);
                           const s = window.getSelection(); s.removeAllRanges(); s.addRange(range); return; }
        }
    }""")
    page.wait_for_function("document.getElementById('redaction-text-input').value === '王五'")
    page.click("[data-testid=redaction-add] button")
    page.wait_for_selector(".messages >> text=已添加遮盖")
    added = released.redactions.get(kind="manual")
    assert added.text == "王五" and released.text[added.start:added.end] == "王五"

    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=confirm]")
    both_widths(page, "publication-confirm")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector(".messages >> text=答复已公开")
    assert page.text_content("[data-testid=publication-state]").strip() == "已公开"
    both_widths(page, "publication-done")
    released.refresh_from_db()
    assert released.is_public and released.public_file and not released.public_pdf_note

    page.context.clear_cookies()  # an anonymous visitor from here on
    page.goto("/public/")
    assert page.locator("[data-testid=public-reply]").count() == 1
    both_widths(page, "public-list")
    page.fill("input[name=q]", "孵化器")
    page.click("[data-testid=public-filters] button")
    assert page.locator("[data-testid=public-reply]").count() == 1
    page.fill("input[name=q]", "王五")
    page.click("[data-testid=public-filters] button")
    assert page.locator("[data-testid=public-empty]").count() == 1
    page.goto(f"/public/{released.pk}/")
    text = page.text_content("[data-testid=public-text]")
    assert "孵化器" in text and "王五" not in text and "张三" not in text and "0431-88776655" not in text
    assert "省科技厅" not in page.content() or "吉林省科学技术厅" in page.text_content("[data-testid=public-departments]")
    both_widths(page, "public-reply")

    response = page.request.get(f"/public/{released.pk}/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(response.body())
    extracted = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert len(document) == 2 and extracted.strip() == ""
    # each page an image with the redacted areas black: the second holds the 联系人 footer
    from tests.browser.conftest import SCREENSHOTS

    document[1].render(scale=1).to_pil().save(SCREENSHOTS / "public-pdf-page-2.png")
    page.goto(f"/replies/{released.pk}/")
    assert "/accounts/login/" in page.url  # the internal page stays closed
