import pytest
from django.core.management import call_command

from indicators.models import Commitment, Indicator
from proposals.models import Assignment, Committee, Department, Member, Proposal, Session, User
from replies.models import Feedback, Reply, ReplyEvent

pytestmark = pytest.mark.django_db

MODELS = (Committee, Session, Department, Proposal, Assignment, Member, User, Reply, Feedback, ReplyEvent, Indicator,
          Commitment)


def test_demo_data_loaded_twice_has_no_duplicates(media_root):
    call_command("load_demo")
    counts = {model: model.objects.count() for model in MODELS}
    call_command("load_demo")
    assert {model: model.objects.count() for model in MODELS} == counts
    assert counts[Proposal] >= 13


def test_demo_has_proposal_135_with_its_reply_and_one_account_per_role(media_root):
    call_command("load_demo")
    proposal = Proposal.objects.get(session__name="十二届五次会议", number=135)
    assert proposal.proposer_links.get().member.name == "李秀玉"
    reply = Reply.objects.get(assignment__proposal=proposal)
    assert reply.assignment.department.name == "吉林省科学技术厅"
    assert reply.file.read(5) == b"%PDF-"
    assert set(User.objects.values_list("role", flat=True)) == {"staff", "supervisor", "department", "member"}
    assert Proposal.objects.filter(status__in=["not_registered", "merged", "submitted", "assigned"]).count() >= 4


def test_the_demo_history_happened_on_its_own_dates(media_root, staff_user):
    from datetime import date

    from django.utils import timezone

    from proposals.selectors import department_dashboard, proposal_get, proposal_timeline

    call_command("load_demo")
    proposal = Proposal.objects.get(session__name="十二届五次会议", number=135)
    days = [timezone.localdate(entry["at"]) for entry in proposal_timeline(proposal_get(user=staff_user,
                                                                                         pk=proposal.pk))]
    assert days[0] == date(2022, 1, 16) and days[-1] == date(2022, 8, 2) and days == sorted(days)
    rows = {r["department"].name: r for r in department_dashboard(user=staff_user, today=date(2026, 1, 1))}
    assert rows["吉林省科学技术厅"]["median_days"] == (date(2022, 7, 6) - date(2022, 4, 1)).days


def test_demo_reply_135_is_released_only_after_every_row_was_reviewed(media_root):
    call_command("load_demo")
    reply = Reply.objects.get(assignment__proposal__number=135, assignment__proposal__session__name="十二届五次会议")
    assert reply.released_at is not None and reply.submitted_at is not None
    states = [*reply.indicators.values_list("review_status", flat=True),
              *reply.commitments.values_list("review_status", flat=True)]
    assert len(states) > 50 and "pending" not in states
    assert states.count("rejected") >= 2 and states.count("edited") >= 3  # a reviewer corrected some rows
    assert states.count("accepted") > len(states) - 10
    release = reply.events.get(kind=ReplyEvent.Kind.RELEASED)
    assert release.data == {"pending": 0} and release.note == ""
    assert reply.indicators.filter(review_status="edited", metric="研发费用占销售收入比例").exists()


def test_the_demo_has_work_waiting_on_the_office_and_on_a_department(client, media_root):
    call_command("load_demo")
    staff, kjt = User.objects.get(username="staff"), User.objects.get(username="kjt")
    client.force_login(staff)
    todo = client.get("/proposals/todo/").context["todo"]
    assert [r.doc_number[:3] for r in todo["to_release"]] == ["吉环函"] and todo["extensions_count"] == 1
    client.force_login(kjt)
    queue = client.get("/proposals/queue/").content.decode()
    assert "延期申请中" in queue and "草稿待提交" in queue
    wrong = Reply.objects.get(assignment__proposal__number=4, assignment__proposal__session__name="十三届四次会议")
    assert wrong.submitted_at is None and {m["field"] for m in wrong.mismatches} >= {"proposal_number", "session"}


def test_the_demo_member_signs_in_and_sees_proposal_135_only_among_her_own(client, media_root):
    call_command("load_demo")
    account = User.objects.get(username="lixiuyu")
    assert account.check_password("lixiuyu-demo-2026") and account.member.name == "李秀玉"
    client.force_login(account)
    proposals = list(client.get("/my/").context["proposals"])
    assert 135 in [p.number for p in proposals if p.session.name == "十二届五次会议"]
    assert all(p.proposer_links.filter(member__name="李秀玉").exists() for p in proposals)


def test_the_demo_holds_the_provinces_cppcc_and_npc_with_deputies_suggestions_in_every_state(media_root):
    from django.utils import timezone

    call_command("load_demo")
    cppcc, npc = Committee.objects.get(short_name="省政协"), Committee.objects.get(short_name="省人大")
    assert (cppcc.body, npc.body) == ("cppcc", "npc") and cppcc.region == npc.region
    suggestions = Proposal.objects.filter(session__committee=npc)
    assert {"submitted", "registered", "assigned", "replied", "closed"} <= set(suggestions.values_list("status",
                                                                                                   flat=True))
    assert suggestions.filter(made_at=Proposal.MadeAt.INTERIM, assignments__isnull=False).exists()
    assignments = Assignment.objects.filter(proposal__session__committee=npc, role="lead")
    assert {"assigned", "signed", "replied", "closed"} <= set(assignments.values_list("status", flat=True))
    assert assignments.overdue(on=timezone.localdate()).exists()
    assert Reply.objects.filter(assignment__proposal__in=suggestions, released_at__isnull=False,
                                assignment__proposal__status="replied").exists()  # released, not yet rated
    proposers = Member.objects.filter(proposals__in=suggestions).distinct()
    assert proposers and not proposers.exclude(committee=npc).exists()
    assert not Member.objects.filter(proposals__session__committee=cppcc).exclude(committee=cppcc).exists()
    assert not Department.objects.exclude(region=cppcc.region).exists()


def test_the_demos_suggestion_165_has_a_real_reply_parsed_from_its_pdf_reviewed_released_and_closed(media_root):
    call_command("load_demo")
    reply = Reply.objects.get(assignment__proposal__number=165, assignment__proposal__session__committee__body="npc")
    assert reply.file.read(5) == b"%PDF-" and reply.mismatches == []
    assert reply.parsed_header["addressee_role"] == "代表" and reply.parsed_header["department"] == "吉林省农业农村厅"
    assert reply.indicators.filter(metric="生猪存栏", unit="万头").exists()
    assert not reply.indicators.filter(review_status="pending").exists() and reply.released_at is not None
    assert reply.assignment.proposal.status == "closed" and reply.feedback.get().member.name == "孙立国"


def test_the_demos_npc_reply_pdf_holds_the_text_it_was_rendered_from():
    import re

    import pypdfium2

    from proposals.demo.data import NPC_REPLY_165_PDF, NPC_REPLY_165_TEXT

    document = pypdfium2.PdfDocument(NPC_REPLY_165_PDF)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", NPC_REPLY_165_TEXT)


def test_the_demo_office_accounts_work_for_one_committee_each_and_the_supervisor_for_all(media_root):
    call_command("load_demo")
    staff, rdstaff, supervisor = (User.objects.get(username=name) for name in ("staff", "rdstaff", "supervisor"))
    assert [c.name for c in staff.committees.all()] == ["吉林省政协"] and not staff.all_committees
    assert [c.name for c in rdstaff.committees.all()] == ["吉林省人大常委会"] and not rdstaff.all_committees
    assert rdstaff.check_password("rdstaff-demo-2026") and rdstaff.role == "staff"
    assert supervisor.all_committees


def test_the_demos_science_department_has_a_proposal_and_a_suggestion_in_its_queue(client, media_root):
    call_command("load_demo")
    client.force_login(User.objects.get(username="kjt"))
    queue = client.get("/proposals/queue/").content.decode()
    assert "关于加强科研诚信建设的建议" in queue  # 政协 十三届四次会议 第4号
    assert "关于支持长春建设科技成果转化中试基地的建议" in queue  # 人大 十四届四次会议 第2号, to sign for
    assert "关于推进冰雪装备制造产业发展的建议" in queue  # 人大, made between sessions


def test_loading_the_demo_again_gives_an_older_demos_members_their_committee_and_departments_their_region(
        media_root):
    call_command("load_demo")
    Member.objects.update(committee=None)
    Department.objects.update(region=None)
    call_command("load_demo")
    assert Member.objects.get(name="李秀玉").committee.name == "吉林省政协"
    assert Member.objects.get(name="孙立国").committee.name == "吉林省人大常委会"
    assert not Department.objects.filter(region=None).exists()
