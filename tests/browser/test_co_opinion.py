"""A co-handler sends its 会办意见 with an attachment from its queue, in a real browser at desktop and phone width:
a wrong file comes back with the opinion as typed; the lead department then reads it and downloads the file."""

import pytest
from django.utils import timezone

from proposals.models import CoOpinion, User
from proposals.services import user_create
from tests.browser.test_every_page import stored_texts, untranslated
from tests.factories import AssignmentFactory, DepartmentFactory
from tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)

OPINION = "建议将研发费用加计扣除与高新技术企业认定统筹推进。\n附资金测算表。"


@pytest.fixture
def co_handling(media_root):
    today = timezone.localdate()
    lead = AssignmentFactory(department=DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅"),
                             status="signed", assigned_on=today, proposal__title="关于加快高新技术产业发展的建议")
    co = AssignmentFactory(proposal=lead.proposal, role="co", status="signed", assigned_on=today,
                           department=DepartmentFactory(name="吉林省财政厅", short_name="省财政厅"))
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, department=lead.department,
                first_name="王科")
    user_create(username="czt", password="czt-pass-2026", role=User.Role.DEPARTMENT, department=co.department,
                first_name="赵财")
    return lead, co


def test_a_co_handler_attaches_a_file_and_the_lead_downloads_it(co_handling, page, live_server, log_in,
                                                                  both_widths, tmp_path):
    lead, co = co_handling
    wrong, right = tmp_path / "测算表.doc", tmp_path / "测算表.pdf"
    wrong.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 200)
    right.write_bytes(text_pdf([["资金测算表"]]))

    log_in(page, "czt", "czt-pass-2026")
    page.goto("/proposals/queue/")
    opinion_box = page.locator(f"[data-assignment='{co.pk}'] details.co-opinion")
    opinion_box.locator("summary").click()
    opinion_box.get_by_label("会办意见").fill(OPINION)
    opinion_box.get_by_label("附件（可选：PDF、DOCX、OFD 或图片）").set_input_files(str(wrong))
    both_widths(page, "co-opinion/queue-form")
    with page.expect_navigation():
        opinion_box.locator("button").click()
    assert "附件须为 PDF、DOCX、OFD 文件或图片" in page.text_content("[data-testid=co-opinion-form]")
    assert page.input_value("textarea[name=text]") == OPINION
    assert not CoOpinion.objects.exists()
    both_widths(page, "co-opinion/refused-file")

    page.set_input_files("input[name=attachment]", str(right))
    with page.expect_navigation():
        page.click("[data-testid=co-opinion-form] button[type=submit]")
    assert "会办意见已送主办单位" in page.text_content(".messages")
    assert CoOpinion.objects.get().attachment_name == "测算表.pdf"

    log_in(page, "kjt", "kjt-pass-2026")
    page.goto(f"/proposals/{lead.proposal_id}/")
    card = page.locator("[data-testid=co-opinion]")
    assert "省财政厅" in card.text_content() and "附资金测算表" in card.text_content()
    both_widths(page, "co-opinion/lead-reads-it")
    href = page.get_attribute("[data-testid=co-opinion-attachment]", "href")
    download = page.context.request.get(href)  # with the lead's session, as the link would
    assert download.status == 200 and download.body() == right.read_bytes()
    log_in(page, "czt", "czt-pass-2026")
    assert page.context.request.get(href).status == 200  # the sender reads its own

    # both pages read in English but for their data (the opinion form is in no demo role's walk)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    stored = stored_texts()
    for path in (f"/proposals/assignments/{co.pk}/co-opinion/", f"/proposals/{lead.proposal_id}/"):
        page.goto(path)
        assert untranslated(page, stored) == [], path
    both_widths(page, "co-opinion/lead-reads-it-en")
    page.context.clear_cookies()
    assert page.context.request.get(href, max_redirects=0).status == 302  # to the login page
