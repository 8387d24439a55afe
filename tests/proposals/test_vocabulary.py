"""A 政协's 提案 and a 人大's 代表建议 shown in their own words on every kind of page, export, e-mail and printed
form: each test renders the same thing for a 政协 proposal and a 人大 建议 and reads the words where the vocabulary
lives (a labelled element, a heading, a column), not the whole page, which also holds the menu and shared text."""

import io
import re
from datetime import date

import pypdfium2
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from proposals import services
from proposals.models import Member, Notification, Proposal, Session
from proposals.vocabulary import CPPCC_TERMS, MIXED_TERMS, NPC_TERMS, terms_for
from replies.services import reply_mismatches
from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    DepartmentUserFactory,
    MemberFactory,
    MemberUserFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# 委员 not followed by 会: the office 代表工作委员会 is a 人大 word too
MEMBER_WORD = re.compile(r"委员(?!会)")


def npc_committee():
    return CommitteeFactory(name="吉林省人大常委会", short_name="省人大", body="npc")


def cppcc_committee():
    return CommitteeFactory()


BODIES = {"cppcc": cppcc_committee, "npc": npc_committee}
# (right words, wrong words) in the vocabulary-bearing places
WORDS = {"cppcc": (["提案"], ["建议", "代表"]), "npc": (["建议"], ["提案", "委员"])}


def assert_words(text: str, body: str, *, extra_right=()):
    right, wrong = WORDS[body]
    for word in [*right, *extra_right]:
        assert word in text, (word, text)
    for word in wrong:
        found = MEMBER_WORD.search(text) if word == "委员" else word in text
        assert not found, (word, text)


def element(html: str, testid: str) -> str:
    """The text of the first element carrying data-testid (tags removed)."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(2))


def between(html: str, start: str, end: str) -> str:
    """The page's text from one marker to the next (tags removed)."""
    part = html[html.index(start):]
    return re.sub(r"<[^>]+>", "", part[:part.index(end)])


@pytest.fixture(params=["cppcc", "npc"])
def body(request):
    return request.param


@pytest.fixture
def proposal(body):
    """A proposal of the body's committee, with a lead and a co-proposer whose names carry no vocabulary."""
    session = SessionFactory(committee=BODIES[body](), name="十四届二次会议")
    lead = MemberFactory(name="张海", email="zhanghai@example.cn", committee=session.committee)
    other = MemberFactory(name="李岩", committee=session.committee)
    return ProposalFactory(session=session, title="关于加强农村公路养护的意见", body="加大养护投入。",
                           proposers=[lead, other])


def test_terms_for_a_body_and_for_none():
    assert (str(terms_for("cppcc").proposal), str(terms_for("cppcc").member)) == ("提案", "委员")
    assert (str(terms_for("npc").proposal), str(terms_for("npc").member), str(terms_for("npc").lead_proposer)) == (
        "建议", "代表", "领衔代表")
    assert terms_for(None) is MIXED_TERMS and terms_for("npc") is NPC_TERMS


@pytest.mark.parametrize("terms", [CPPCC_TERMS, NPC_TERMS, MIXED_TERMS], ids=["cppcc", "npc", "mixed"])
def test_the_word_in_a_sentence_reads_in_chinese_as_the_word_alone(terms):
    assert str(terms.noun) == str(terms.nouns) == str(terms.proposal)


@pytest.mark.parametrize("bodies", [["cppcc"], ["npc"], ["cppcc", "npc"]], ids=["cppcc", "npc", "mixed"])
def test_the_list_writes_its_empty_message_and_register_button_with_the_word_in_a_sentence(client, staff_user,
                                                                                           bodies):
    for body in bodies:
        BODIES[body]()
    word = {("cppcc",): "提案", ("npc",): "建议"}.get(tuple(bodies), "提案和建议")
    client.force_login(staff_user)
    html = client.get(reverse("proposals:list")).content.decode()
    assert f"没有符合条件的{word}。" in html and element(html, "new-proposal") == f"登记{word}"
    # In English a sentence takes the word for one or for several, not the heading word ("No matching Proposals.")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("proposals:list")).content.decode()
    with translation.override("en"):
        several = translation.gettext("没有符合条件的%(proposal)s。") % {
            "proposal": translation.pgettext("several, in a sentence", word)}
        one = translation.gettext("登记%(proposal)s") % {"proposal": translation.pgettext("one, in a sentence", word)}
    assert several in html and element(html, "new-proposal") == one


def test_a_proposal_speaks_the_words_of_its_committee(proposal, body):
    assert str(proposal.terms.proposal) == ("建议" if body == "npc" else "提案")
    assert str(proposal.session.committee.office_name) == (
        "吉林省人大常委会代表工作委员会" if body == "npc" else "吉林省政协提案委员会")


def test_the_detail_page(client, staff_user, proposal, body):
    client.force_login(staff_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert_words(element(html, "kind"), body)
    facts = between(html, '<dl class="facts">', "</dl>")
    assert_words(facts + element(html, "content-heading"), body,
                 extra_right=["提出代表", "领衔代表", "建议内容"] if body == "npc" else ["提案人", "第一提案人", "提案内容"])
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert (" · 建议 · " if body == "npc" else " · 提案 · ") in title


def test_the_register_and_merge_forms_on_the_detail_page(client, staff_user, proposal, body):
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save()
    client.force_login(staff_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    merge = between(html, reverse("proposals:action", args=[proposal.pk, "merge"]), "</form>")
    assert ("并入建议" if body == "npc" else "并入提案") in merge


def test_the_edit_form(client, staff_user, proposal, body):
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save()
    client.force_login(staff_user)
    html = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    labels = " ".join(re.findall(r'<label for="id_(?:number|body)">(.*?)</label>', html))
    legend = element(html, "proposers-legend")
    kinds = " ".join(re.findall(r'<select name="proposer_kind"[^>]*>(.*?)</select>', html, re.S)[:1])
    assert_words(re.sub(r"<[^>]+>", "", heading) + labels + legend, body,
                 extra_right=["建议号", "建议内容", "领衔代表"] if body == "npc" else ["提案号", "提案内容", "第一提案人"])
    if body == "npc":
        assert "代表团" in kinds and "代表" in kinds and not MEMBER_WORD.search(kinds) and "民主党派" not in kinds
    else:
        assert "委员" in kinds and "民主党派" in kinds and "代表团" not in kinds


def test_the_create_form_of_an_office_that_works_one_body(client, body):
    committee = BODIES[body]()
    SessionFactory(committee=committee)
    office = UserFactory(all_committees=False)
    office.committees.add(committee)
    client.force_login(office)
    html = client.get(reverse("proposals:create")).content.decode()
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    assert heading.strip() == ("登记建议" if body == "npc" else "登记提案")
    assert_words(heading + element(html, "proposers-legend"), body)


def test_a_proposal_logged_for_a_npc_session_is_checked_in_its_words(client, staff_user):
    session = SessionFactory(committee=npc_committee())
    client.force_login(staff_user)
    html = client.post(reverse("proposals:create"), {
        "session": session.pk, "number": 1, "title": "关于道路的意见", "made_at": "interim", "category": "other",
        "submitted_on": "2022-02-01", "proposer_name": [""], "proposer_kind": ["person"]}).content.decode()
    assert "请至少填写一位提出代表（第一行为领衔代表）。" in element(html, "form-errors")


def test_the_reply_review_page_compares_the_body_and_the_number(client, staff_user, proposal, body):
    reply = ReleasedReplyFactory(assignment__proposal=proposal, parsed_header={
        "committee": "省人大", "addressee_role": "代表", "proposal_number": str(proposal.number)})
    client.force_login(staff_user)
    html = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert element(html, "number-label") == ("建议号" if body == "npc" else "提案号")
    assert element(html, "assigned-committee") == str(proposal.session.committee)


def test_a_department_queue_marks_each_row_with_its_kind():
    cppcc, npc = cppcc_committee(), npc_committee()
    department_user = DepartmentUserFactory()
    AssignmentFactory(department=department_user.department, proposal__session__committee=cppcc,
                      proposal__title="政协那件")
    AssignmentFactory(department=department_user.department, proposal__session__committee=npc,
                      proposal__title="人大这件")
    from django.test import Client

    client = Client()
    client.force_login(department_user)
    html = client.get(reverse("proposals:queue")).content.decode()
    rows = re.findall(r'<tr data-assignment="\d+">(.*?)</tr>', html, re.S)
    marks = {re.search(r"政协那件|人大这件", row).group(0): element(row, "kind") for row in rows}
    assert marks == {"政协那件": "提案", "人大这件": "建议"}
    assert 'data-testid="queue-kinds"' in html
    html = client.get(reverse("proposals:queue"), {"body": "npc"}).content.decode()
    rows = re.findall(r'<tr data-assignment="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 1 and "人大这件" in rows[0]
    assert 'href="?body=npc" aria-current="page"' in html


def test_the_list_of_an_all_committee_account_marks_rows_and_filters_by_body(client, staff_user):
    ProposalFactory(session=SessionFactory(committee=cppcc_committee()), title="政协那件")
    ProposalFactory(session=SessionFactory(committee=npc_committee()), title="人大这件")
    client.force_login(staff_user)
    html = client.get(reverse("proposals:list")).content.decode()
    assert 'name="body"' in html
    rows = re.findall(r'<tr data-number="\d+">(.*?)</tr>', html, re.S)
    assert sorted(element(row, "kind") for row in rows) == ["建议", "提案"]
    html = client.get(reverse("proposals:list"), {"body": "npc"}).content.decode()
    rows = re.findall(r'<tr data-number="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 1 and "人大这件" in rows[0]


def test_a_one_body_list_carries_no_marks(client, staff_user, proposal):
    client.force_login(staff_user)
    html = client.get(reverse("proposals:list")).content.decode()
    assert 'data-testid="kind"' not in html and 'name="body"' not in html


def test_the_member_pages(client, proposal, body):
    account = MemberUserFactory(member=proposal.proposers.get(name="张海"))
    client.force_login(account)
    home = client.get(reverse("members:home")).content.decode()
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", home, re.S).group(1))
    assert heading == ("我的建议" if body == "npc" else "我的提案")
    table_head = between(home, '<table class="grid member-proposals">', "</thead>")
    assert_words(heading + table_head, body)
    page = client.get(reverse("members:proposal", args=[proposal.pk])).content.decode()
    facts = between(page, '<dl class="facts">', "</dl>")
    assert_words(facts + element(page, "content-heading"), body,
                 extra_right=["领衔代表"] if body == "npc" else ["第一提案人"])


def test_the_public_pages(client, proposal, body):
    ReleasedReplyFactory(assignment__proposal=proposal, is_public=True, public_decided_at=timezone.now(),
                         public_text="答复正文")
    reply = proposal.assignments.get().replies.get()
    page = client.get(reverse("public:detail", args=[reply.pk])).content.decode()
    assert element(page, "public-kind") == ("人大代表建议" if body == "npc" else "政协提案")
    listing = client.get(reverse("public:list")).content.decode()
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", listing, re.S).group(1))
    assert heading == ("建议答复公开" if body == "npc" else "提案答复公开")


def test_the_export_names_the_kind_of_each_row_and_heads_one_body_in_its_words(client, staff_user):
    ProposalFactory(session=SessionFactory(committee=cppcc_committee()), number=7)
    ProposalFactory(session=SessionFactory(committee=npc_committee()), number=8)
    client.force_login(staff_user)
    response = client.get(reverse("proposals:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("届次会议", "编号", "案由", "类别")
    assert {row[1]: row[3] for row in rows[1:]} == {7: "提案", 8: "建议"}
    response = client.get(reverse("proposals:export"), {"body": "npc", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",")[:7] == ["届次会议", "建议号", "案由", "类别", "分类", "重点建议", "提出代表"]
    assert row.split(",")[3] == "建议" and "提案" not in header and not MEMBER_WORD.search(header)


def test_the_e_mail_and_notification_of_a_registration(proposal, body, settings,
                                                        django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save()
    account = MemberUserFactory(member=proposal.proposers.get(name="张海"))
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_register(proposal=proposal)
    (message,) = mail.outbox
    assert_words(message.subject + message.body, body, extra_right=["我的建议"] if body == "npc" else ["我的提案"])
    assert message.subject == ("建议已立案" if body == "npc" else "提案已立案")
    note = Notification.objects.get(user=account)
    assert_words(note.message, body)


def test_the_english_e_mail_subject_names_the_event_then_the_kind(proposal, body, settings,
                                                                   django_capture_on_commit_callbacks):
    from django.utils import translation

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.proposal_register(proposal=proposal)
    (message,) = mail.outbox
    assert message.subject == ("Registered: your suggestion" if body == "npc" else "Registered: your proposal")


def test_a_reminder_e_mail(proposal, body, settings, staff_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assignment = AssignmentFactory(proposal=proposal, assigned_on=date(2022, 2, 1))
    assignment.department.contacts.create(name="王", email="wang@example.cn")
    services.assignment_remind(assignment=assignment, by=staff_user, today=date(2022, 6, 1))
    (message,) = mail.outbox
    assert_words(message.subject + message.body, body)


def pdf_pages(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    return [re.sub(r"\s+", "", page.get_textpage().get_text_range()) for page in document]


def test_the_printed_assignment_sheet(client, staff_user, proposal, body):
    AssignmentFactory(proposal=proposal)
    client.force_login(staff_user)
    text = "".join(pdf_pages(client.get(reverse("proposals:print", args=[proposal.pk, "assignment-sheet"])).content))
    if body == "npc":
        assert "代表建议交办单" in text and "吉林省人大常委会代表工作委员会" in text and "领衔代表" in text
    else:
        assert "提案交办单" in text and "吉林省政协提案委员会" in text
    assert_words(text.replace(proposal.title, ""), body)


def test_the_printed_feedback_form_is_one_per_deputy_for_a_npc(client, staff_user, proposal, body):
    ReleasedReplyFactory(assignment__proposal=proposal)
    client.force_login(staff_user)
    pages = pdf_pages(client.get(reverse("proposals:print", args=[proposal.pk, "feedback-form"])).content)
    if body == "npc":
        assert len(pages) == 2
        assert "张海（领衔代表）" in pages[0] and "李岩（联名代表）" in pages[1] and "李岩" not in pages[0]
        assert all("代表建议办理情况征询意见表" in page and "代表（签字）" in page for page in pages)
    else:
        assert len(pages) == 1 and "张海、李岩" in pages[0] and "提案人（签字）" in pages[0]
    # 意见和建议 (comments and suggestions) is the form's free-text row on both, not the 人大's word
    assert_words("".join(pages).replace(proposal.title, "").replace("意见和建议", ""), body)


def test_the_yearly_report_of_a_session(client, staff_user, proposal, body):
    AssignmentFactory(proposal=proposal)
    client.force_login(staff_user)
    html = client.get(reverse("proposals:report"), {"session": proposal.session_id}).content.decode()
    title = re.sub(r"<[^>]+>", "", re.search(r'<h2 class="report-title">(.*?)</h2>', html, re.S).group(1))
    assert title == (f"关于{proposal.session}代表建议办理情况的报告" if body == "npc"
                     else f"关于{proposal.session}提案办理情况的报告")
    response = client.get(reverse("proposals:report"), {"session": proposal.session_id, "format": "docx"})
    from docx import Document

    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert_words(text.replace(str(proposal.session), ""), body)


def test_a_npc_reply_to_a_npc_suggestion_has_no_body_or_role_mismatch():
    proposal = ProposalFactory(session=SessionFactory(committee=npc_committee()), number=123)
    reply = ReleasedReplyFactory(assignment__proposal=proposal, parsed_header={
        "committee": "省人大", "addressee_role": "代表", "proposal_number": "0123"})
    assert reply_mismatches(reply=reply) == []


def test_a_cppcc_reply_uploaded_to_a_npc_suggestion_shows_a_committee_mismatch():
    proposal = ProposalFactory(session=SessionFactory(committee=npc_committee()), number=123)
    reply = ReleasedReplyFactory(assignment__proposal=proposal, parsed_header={
        "committee": "省政协", "addressee_role": "委员", "proposal_number": "123"})
    found = {m["field"]: m for m in reply_mismatches(reply=reply)}
    assert set(found) == {"committee", "addressee_role"}
    assert found["committee"]["expected"] == "吉林省人大常委会" and "人大" in found["committee"]["message"]
    assert "人大代表建议" in found["addressee_role"]["message"]


def test_a_new_npc_session_starts_with_three_months_from_assignment(admin_client):
    committee = npc_committee()
    html = admin_client.get(reverse("admin:proposals_session_add"), {"committee": committee.pk}).content.decode()
    assert re.search(r'name="plenary_months" value="3"', html) and re.search(r'name="interim_months" value="3"', html)
    assert Session.rule_defaults("npc")["plenary_months"] == 3


def test_a_delegation_is_a_proposer_kind():
    assert Member.Kind.DELEGATION.label == "代表团"


def test_a_suggestion_made_between_sessions_says_so_in_its_kind(client, staff_user, proposal, body):
    proposal.made_at = Proposal.MadeAt.INTERIM
    proposal.save()
    client.force_login(staff_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert element(html, "made-at") == ("闭会期间建议" if body == "npc" else "闭会期间提案")
