"""The list's own actions: page size, 催办 of an overdue row now, bulk 交办 of ticked registered proposals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from proposals.models import Assignment, AssignmentEvent, DepartmentContact, Proposal, Reminder
from proposals.services import reminders_send
from tests.factories import AssignmentFactory, DepartmentFactory, MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def overdue_assignment():
    today = timezone.localdate()
    department = DepartmentFactory()
    DepartmentContact.objects.create(department=department, name="联系人", phone="1", email="kjt@example.cn")
    return AssignmentFactory(department=department, due_on=today - timedelta(days=3),
                             hard_due_on=today + timedelta(days=30))


def test_the_list_offers_page_sizes_and_honours_the_one_chosen(staff_client):
    for number in range(1, 61):
        ProposalFactory(number=number)
    body = staff_client.get("/proposals/?per_page=100").content.decode()
    assert '<option value="100" selected>' in body
    assert len(staff_client.get("/proposals/?per_page=100").context["proposals"]) == 60
    assert len(staff_client.get("/proposals/").context["proposals"]) == 50


def test_remind_sends_now_records_the_event_and_the_daily_run_skips_it(staff_client, staff_user):
    assignment = overdue_assignment()
    response = staff_client.post(f"/proposals/assignments/{assignment.pk}/remind/", {"next": "/proposals/"},
                                 follow=True)
    assert "已催办" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["kjt@example.cn"]]
    event = AssignmentEvent.objects.get(assignment=assignment, kind=AssignmentEvent.Kind.REMINDED)
    assert event.by == staff_user
    assert Reminder.objects.filter(assignment=assignment, tier=Reminder.Tier.OVERDUE).count() == 1
    mail.outbox.clear()
    assert reminders_send() == 0 and mail.outbox == []


def test_a_second_remind_for_the_same_due_date_is_refused_and_sends_nothing(staff_client):
    assignment = overdue_assignment()
    staff_client.post(f"/proposals/assignments/{assignment.pk}/remind/")
    mail.outbox.clear()
    response = staff_client.post(f"/proposals/assignments/{assignment.pk}/remind/", follow=True)
    assert "不再重复发送" in response.content.decode() and mail.outbox == []
    assert AssignmentEvent.objects.filter(assignment=assignment, kind=AssignmentEvent.Kind.REMINDED).count() == 1


def test_remind_is_refused_for_an_assignment_not_overdue(staff_client):
    today = timezone.localdate()
    assignment = AssignmentFactory(due_on=today + timedelta(days=3), hard_due_on=today + timedelta(days=30))
    response = staff_client.post(f"/proposals/assignments/{assignment.pk}/remind/", follow=True)
    assert "只能催办已超期" in response.content.decode()
    assert not Reminder.objects.exists()


def test_a_department_may_not_remind(client, department_user):
    assignment = AssignmentFactory(department=department_user.department,
                                   due_on=timezone.localdate() - timedelta(days=3))
    client.force_login(department_user)
    assert client.post(f"/proposals/assignments/{assignment.pk}/remind/").status_code == 403


def test_the_list_shows_remind_only_on_overdue_rows_to_staff(staff_client, client, supervisor_user):
    overdue_assignment()
    today = timezone.localdate()
    AssignmentFactory(due_on=today + timedelta(days=3), hard_due_on=today + timedelta(days=30))
    assert staff_client.get("/proposals/").content.decode().count('data-testid="remind"') == 1
    client.force_login(supervisor_user)
    assert 'data-testid="remind"' not in client.get("/proposals/").content.decode()


def test_bulk_assign_gives_every_ticked_registered_proposal_to_one_lead_department(staff_client):
    first, second = ProposalFactory(), ProposalFactory()
    department = DepartmentFactory()
    response = staff_client.post("/proposals/assign/", {"proposals": [first.pk, second.pk],
                                                        "department": department.pk}, follow=True)
    assert "已将 2 件提案交办" in response.content.decode()
    assert set(Assignment.objects.values_list("proposal_id", "department_id", "role")) == {
        (first.pk, department.pk, "lead"), (second.pk, department.pk, "lead")}
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.ASSIGNED}


def test_bulk_assign_with_one_proposal_already_assigned_assigns_none(staff_client):
    fresh = ProposalFactory()
    taken = AssignmentFactory().proposal
    response = staff_client.post("/proposals/assign/", {"proposals": [fresh.pk, taken.pk],
                                                        "department": DepartmentFactory().pk}, follow=True)
    assert "未交办任何提案" in response.content.decode()
    assert not Assignment.objects.filter(proposal=fresh).exists()


def test_bulk_assign_is_refused_to_a_supervisor(client, supervisor_user):
    client.force_login(supervisor_user)
    proposal = ProposalFactory()
    assert client.post("/proposals/assign/", {"proposals": [proposal.pk],
                                              "department": DepartmentFactory().pk}).status_code == 403
    assert not Assignment.objects.exists()


def search(client, q):
    return sorted(p.number for p in client.get("/proposals/", {"q": q}).context["proposals"])


def test_search_requires_every_term_split_on_spaces_and_punctuation(staff_client):
    ProposalFactory(number=1, title="关于推进科技创新的建议")
    ProposalFactory(number=2, title="关于科技馆建设的建议")
    assert search(staff_client, "科技 创新") == [1]
    assert search(staff_client, "科技，创新！") == [1]
    assert search(staff_client, "科技") == [1, 2]


def test_search_finds_reply_text_and_doc_number(staff_client):
    from tests.factories import ReleasedReplyFactory

    reply = ReleasedReplyFactory(doc_number="吉科发办〔2022〕108号", text="全省高新技术企业达到2903家")
    number = reply.assignment.proposal.number
    ProposalFactory(number=999)
    assert search(staff_client, "吉科发办〔2022〕108号") == [number]
    assert search(staff_client, "高新技术企业 2903家") == [number]


def test_a_department_search_never_matches_another_departments_reply_text(client, department_user):
    from tests.factories import ReleasedReplyFactory

    ReleasedReplyFactory(text="只在别的单位答复里出现的措辞")
    client.force_login(department_user)
    assert search(client, "别的单位答复") == []


def test_a_two_character_term_finds_the_word_inside_longer_words_of_titles(staff_client):
    ProposalFactory(number=1, title="关于推进科技创新的建议")
    ProposalFactory(number=2, title="关于高科技园区建设的建议")
    ProposalFactory(number=3, title="关于养老服务的建议")
    assert search(staff_client, "科技") == [1, 2]
    assert search(staff_client, "科技创新") == [1]
    assert search(staff_client, "养老 科技") == []


def test_short_terms_find_reply_words_names_and_numbers_and_longer_ones_doc_number_fragments(staff_client):
    from tests.factories import ReleasedReplyFactory

    member = MemberFactory(name="王建国")
    reply = ReleasedReplyFactory(doc_number="吉教函〔2024〕17号", text="全省义务教育学校达到3000所",
                                 assignment__proposal__number=40, assignment__proposal__proposers=[member])
    ProposalFactory(number=41, title="关于5G网络覆盖乡村的建议")
    ProposalFactory(number=42, title="关于养老服务的建议")
    assert reply.assignment.proposal.number == 40
    assert search(staff_client, "教育") == [40]  # a word of the reply text
    assert search(staff_client, "建国") == [40]  # part of a proposer's name
    assert search(staff_client, "吉教函") == [40] == search(staff_client, "〔2024〕17")  # parts of the 文号
    assert search(staff_client, "5g") == [41] == search(staff_client, "5G")
    assert search(staff_client, "42") == [42] == search(staff_client, "第42号")


def test_a_department_never_finds_a_word_only_in_another_departments_reply(client, department_user):
    from tests.factories import ReleasedReplyFactory

    ReleasedReplyFactory(text="全省义务教育学校达到3000所")
    own = ReleasedReplyFactory(text="全省旅游收入增长", assignment__department=department_user.department)
    client.force_login(department_user)
    assert search(client, "教育") == []
    assert search(client, "旅游") == [own.assignment.proposal.number]


def test_the_office_search_follows_a_reply_through_parse_detach_attach_and_delete(staff_client, staff_user):
    """On PostgreSQL the office's terms are looked up in each proposal's stored reply words, which triggers keep in
    step with the replies: a text parsed later, a reply moved between proposals, a reply deleted."""
    from replies.models import Reply
    from replies.services.matching import reply_attach, reply_detach
    from tests.factories import ReplyFactory

    reply = ReplyFactory(text="", assignment__proposal__number=50)
    other = AssignmentFactory(proposal__number=51)
    assert search(staff_client, "黑土地") == []
    reply.text = "保护黑土地耕地面积"
    reply.save()
    assert search(staff_client, "黑土地") == [50]
    reply_detach(reply=reply, reason="属于第51号", by=staff_user)
    assert search(staff_client, "黑土地") == []
    reply_attach(reply=Reply.objects.get(pk=reply.pk), assignment=other, by=staff_user)
    assert search(staff_client, "黑土地") == [51]
    assert search(staff_client, "黑土地 耕地") == [51]
    Assignment.objects.filter(pk=other.pk).update(proposal=ProposalFactory(number=52))
    assert search(staff_client, "黑土地") == [52]
    Reply.objects.filter(pk=reply.pk).delete()
    assert search(staff_client, "黑土地") == []


def test_the_office_search_needs_every_term_but_each_may_be_in_the_title_or_a_reply(staff_client):
    from tests.factories import ReleasedReplyFactory

    ReleasedReplyFactory(text="建成高标准农田", assignment__proposal__number=60,
                         assignment__proposal__title="关于保护黑土地的建议")
    ProposalFactory(number=61, title="关于黑土地保护利用的建议")
    assert search(staff_client, "黑土地 农田") == [60]
    assert search(staff_client, "黑土地") == [60, 61]
