"""A 政协's 提案 and a 人大's 代表建议 shown in their own words on every kind of page, export, e-mail and printed
form: each test renders the same thing for a 政协 proposal and a 人大 建议 and reads the words where the vocabulary
lives (a labelled element, a heading, a column), not the whole page, which also holds the menu and shared text."""

import io
import re
from datetime import date, timedelta

import pypdfium2
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from indicators.models import Commitment
from proposals import services, submission
from proposals.models import Member, Notification, Proposal, ProposalDraft, Session
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
    ReplyFactory,
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


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def open_session(body):
    """A session of the body's committee whose online submission window is open today."""
    today = timezone.localdate()
    return SessionFactory(committee=BODIES[body](), name="十四届三次会议", submission_opens_on=today,
                          submission_closes_on=today + timedelta(days=10))


def test_the_member_draft_form_and_its_submission(client, open_session, body):
    lead = MemberFactory(name="张海", committee=open_session.committee)
    client.force_login(MemberUserFactory(member=lead))
    html = client.get(reverse("members:draft-new")).content.decode()
    label = re.search(r'<label for="id_body">(.*?)</label>', html).group(1)
    assert label == ("建议内容" if body == "npc" else "提案内容")
    draft = ProposalDraft.objects.create(session=open_session, lead=lead, title="关于道路养护的意见", body="加大投入。")
    html = client.post(reverse("members:draft-action", args=[draft.pk, "submit"])).content.decode()
    confirm = text_of(between(html, 'data-testid="confirm"', "</ul>"))
    assert_words(confirm, body, extra_right=["提交建议", "人大常委会代表工作委员会"] if body == "npc"
                 else ["提交提案", "提案委员会"])
    response = client.post(reverse("members:draft-action", args=[draft.pk, "submit"]), {"confirmed": "1"},
                           follow=True)
    message = text_of(between(response.content.decode(), 'class="messages"', "</ul>"))
    assert ("建议已提交" if body == "npc" else "提案已提交") in message


def test_a_draft_error_names_the_lead_in_the_body_s_words(open_session, body):
    lead = MemberFactory(name="张海", committee=open_session.committee)
    draft = ProposalDraft.objects.create(session=open_session, lead=lead, title="关于道路养护的意见", body="加大投入。")
    with pytest.raises(ValidationError) as error:
        submission.cosigner_invite(draft=draft, member=lead, by=MemberUserFactory(member=lead))
    assert error.value.messages == ["领衔代表无需邀请自己联名。" if body == "npc" else "第一提案人无需邀请自己联名。"]


def office_of(committee):
    office = UserFactory(all_committees=False)
    office.committees.add(committee)
    return office


def test_the_member_accounts_page(client, body):
    committee = BODIES[body]()
    MemberFactory(name="张海", committee=committee)
    office = office_of(committee)
    client.force_login(office)
    html = client.get(reverse("proposals:member-accounts")).content.decode()
    heading = text_of(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)).strip()
    assert heading == ("代表账号" if body == "npc" else "委员账号")
    assert_member_words(heading + element(html, "accounts-hint") + element(html, "bulk-open"), body)
    assert element(html, "member-kind") == ("代表" if body == "npc" else "委员")
    member = Member.objects.get(name="张海")
    opened = client.post(reverse("proposals:member-accounts"), {"member": [member.pk]}).content.decode()
    opened_text = text_of(between(opened, "<h1>", "</table>"))
    assert ("抄送给代表" if body == "npc" else "抄送给委员") in opened_text
    assert_member_words(opened_text, body)


def assert_member_words(text: str, body: str):
    """A page about members, not proposals: 代表 and never 委员 for a 人大, the other way round for a 政协."""
    if body == "npc":
        assert "代表" in text and not MEMBER_WORD.search(text), text
    else:
        assert "委员" in text and "代表" not in text, text


def test_the_list_search_box_names_what_it_finds(client, body):
    committee = BODIES[body]()
    client.force_login(office_of(committee))
    html = client.get(reverse("proposals:list")).content.decode()
    placeholder = re.search(r'name="q"[^>]*placeholder="([^"]*)"|placeholder="([^"]*)"[^>]*name="q"', html)
    text = next(group for group in placeholder.groups() if group)
    assert text == ("建议号、案由、提出代表、答复文号或正文" if body == "npc" else "提案号、案由、提案人、答复文号或正文")


def test_the_search_box_of_an_account_of_both_bodies_names_both(client, staff_user):
    cppcc_committee(), npc_committee()
    client.force_login(staff_user)
    html = client.get(reverse("proposals:list")).content.decode()
    assert 'placeholder="编号、案由、提案人或代表、答复文号或正文"' in html


def test_the_staff_to_do_page(client, body):
    committee = BODIES[body]()
    client.force_login(office_of(committee))
    html = client.get(reverse("proposals:todo")).content.decode()
    assert element(html, "todo-desk") == ("建议办" if body == "npc" else "提案办")


def test_the_similar_panel_and_the_history_of_a_proposal(client, staff_user, proposal, body):
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save()
    ProposalFactory(session=proposal.session, title="关于加强农村公路养护管理的意见", body="加大养护投入。")
    client.force_login(staff_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    similar = text_of(between(html, 'data-testid="similar-proposals"', "</section>"))
    assert_words(similar.replace(proposal.title, "").replace("关于加强农村公路养护管理的意见", ""), body,
                 extra_right=["相似建议", "并入此建议"] if body == "npc" else ["相似提案", "并入此提案"])
    history = text_of(between(html, 'data-testid="history"', "</details>"))
    assert ("建议 第" if body == "npc" else "提案 第") in history
    assert ("建议号" if body == "npc" else "提案号") in history
    assert ("提案" not in history) if body == "npc" else ("建议号" not in history)


@pytest.fixture
def reported_commitment(proposal):
    department_user = DepartmentUserFactory()
    reply = ReleasedReplyFactory(assignment__proposal=proposal, assignment__department=department_user.department)
    commitment = Commitment.objects.create(reply=reply, text="力争建成50个基地。", start=0, end=5,
                                           review_status="accepted", follow_up_status="reported",
                                           follow_up_on=reply.reply_date)
    commitment.department_user = department_user
    return commitment


def test_the_commitment_pages(client, staff_user, reported_commitment, body):
    client.force_login(staff_user)
    for url in (reverse("indicators:follow-up"), reverse("indicators:over-years"), reverse("proposals:queue")):
        html = client.get(url).content.decode()
        assert element(html, "commitment-proposal-heading") == ("建议" if body == "npc" else "提案"), url
    client.force_login(reported_commitment.department_user)
    html = client.get(reverse("proposals:queue")).content.decode()
    row = between(html, f'data-commitment="{reported_commitment.pk}"', "</tr>")
    assert ("待建议办确认" if body == "npc" else "待提案办确认") in row
    response = client.get(reverse("indicators:follow-up"), {"format": "csv"})
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[2] == ("建议号" if body == "npc" else "提案号")


def test_a_department_s_commitment_report_form(client, proposal, body):
    department_user = DepartmentUserFactory()
    reply = ReleasedReplyFactory(assignment__proposal=proposal, assignment__department=department_user.department)
    commitment = Commitment.objects.create(reply=reply, text="力争建成50个基地。", start=0, end=5,
                                           review_status="accepted")
    client.force_login(department_user)
    html = client.get(reverse("indicators:commitment", args=[commitment.pk])).content.decode()
    form = text_of(between(html, 'data-testid="report-form"', "</form>"))
    assert ("报建议办确认" if body == "npc" else "报提案办确认") in form
    assert ("由建议办确认" if body == "npc" else "由提案办确认") in form


def test_the_catalogue_import_page_and_template(client, body):
    committee = BODIES[body]()
    client.force_login(office_of(committee))
    html = client.get(reverse("proposals:import")).content.decode()
    heading = text_of(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)).strip()
    assert heading == ("导入建议目录" if body == "npc" else "导入提案目录")
    assert_words(element(html, "import-hint").replace("会办单位", ""), body)
    response = client.get(reverse("proposals:import-template"))
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert (header[1], header[6]) == (("建议号", "提出代表") if body == "npc" else ("提案号", "提案人"))


def test_a_npc_catalogue_is_read_by_its_own_column_names():
    from openpyxl import Workbook

    from proposals.catalogue import read_catalogue

    session = SessionFactory(committee=npc_committee(), name="十四届三次会议")
    workbook = Workbook()
    workbook.active.append(["届次会议", "建议号", "案由", "提出代表", "重点建议", "建议内容"])
    workbook.active.append(["十四届三次会议", 165, "关于畜牧业的建议", "张海、李岩", "是", "加大投入。"])
    workbook.active.append(["十四届三次会议", "第x号", "关于道路的建议", "", "", ""])
    row, wrong = read_catalogue(_saved(workbook))
    assert row.ok, row.errors
    assert (row.session, row.number, row.proposers, row.is_key, row.body) == (
        session, 165, ["张海", "李岩"], True, "加大投入。")
    assert wrong.errors == ["建议号无效：第x号", "缺少提出代表"]


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_admin_session_form_labels_the_rule_in_the_body_s_words(admin_client, body):
    committee = BODIES[body]()
    html = admin_client.get(reverse("admin:proposals_session_add"), {"committee": committee.pk}).content.decode()
    label = text_of(re.search(r'<label[^>]*for="id_plenary_months"[^>]*>(.*?)</label>', html, re.S).group(1))
    assert ("大会期间建议办理时限" if body == "npc" else "大会期间提案办理时限") in label
    assert ("代表在此期间" if body == "npc" else "委员在此期间") in html


def test_reply_release_confirmation_names_the_proposers(client, staff_user, proposal, body):
    reply = ReplyFactory(assignment__proposal=proposal)
    client.force_login(staff_user)
    html = client.post(reverse("replies:release", args=[reply.pk])).content.decode()
    confirm = between(html, 'data-testid="confirm"', "</ul>")
    assert ("提出代表将收到通知" if body == "npc" else "提案人将收到通知") in confirm


def test_the_header_names_the_account_s_role_in_its_body_s_words(client, body):
    committee = BODIES[body]()
    client.force_login(office_of(committee))
    html = client.get(reverse("proposals:list")).content.decode()
    assert element(html, "role") == ("建议办工作人员" if body == "npc" else "提案办工作人员")
    client.force_login(MemberUserFactory(member=MemberFactory(name="张海", committee=committee)))
    html = client.get(reverse("members:home")).content.decode()
    assert element(html, "role") == ("代表" if body == "npc" else "委员")


def test_the_403_page_names_the_office_to_ask(client, body):
    BODIES[body]()
    client.force_login(DepartmentUserFactory())
    html = client.get(reverse("proposals:todo")).content.decode()
    assert ("请联系建议办" if body == "npc" else "请联系提案办") in html


def test_a_locked_login_names_the_office_to_ask(client, settings, body):
    BODIES[body]()
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="alice")
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    html = response.content.decode()
    assert element(html, "lock-contact") == ("如需立即登录，请联系建议办解除锁定。" if body == "npc"
                                             else "如需立即登录，请联系提案办解除锁定。")


def test_the_admin_member_list_names_a_person_in_the_body_s_words(admin_client, body):
    MemberFactory(name="张海", committee=BODIES[body]())
    html = admin_client.get(reverse("admin:proposals_member_changelist")).content.decode()
    kind = text_of(re.search(r'<td class="field-kind_in_words">(.*?)</td>', html, re.S).group(1)).strip()
    assert kind == ("代表" if body == "npc" else "委员")


def test_the_demo_tips_of_a_department_answering_both_bodies_speak_of_both(client):
    from proposals.services import user_create

    cppcc_committee(), npc_committee()
    kjt = user_create(username="kjt", password="kjt-demo-2026", role="department",
                      department=DepartmentUserFactory().department)
    client.force_login(kjt)
    tips = text_of(between(client.get(reverse("proposals:queue")).content.decode(), 'data-testid="demo-tips"',
                           "</ul>"))
    assert "签收新交办的提案和建议" in tips


def test_a_date_before_submission_is_refused_in_the_body_s_words(proposal, body):
    with pytest.raises(ValidationError) as error:
        proposal.validate_not_before_start(proposal.submitted_on - timedelta(days=1), label="交办日期")
    assert ("不能早于建议提交日期" if body == "npc" else "不能早于提案提交日期") in error.value.messages[0]
